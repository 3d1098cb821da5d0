/**
 * A look at some paths of a pair's root instead of the whole tree (design.md "The daemon: jobs
 * within the budget": a job rescans just the paths its events named). Each path is looked at
 * itself and, when `deep`, with everything under it. The rules are the full scan's (scan.ts,
 * walk.ts): NFC paths, symlinks and special files skipped and never followed (nor anything whose
 * folder is one), ignored items left out, sha256 only where the base cannot vouch for the file.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { BaseRow } from '../journal/types.js';
import { sha256File } from './hash.js';
import type { IgnoreRules } from './ignore.js';
import { joinRel, nfc } from './names.js';
import { needsHash } from './scan.js';
import type { LocalEntry, ScanFailure, SkippedItem } from './types.js';
import { walkLocal } from './walk.js';

export interface PathScan {
  /** Keyed by NFC relative path: every item found at or under the paths asked for. */
  entries: Map<string, LocalEntry>;
  skipped: SkippedItem[];
  /** Paths that could not be read: the planner deletes nothing at or under them. */
  failures: ScanFailure[];
  hashed: number;
}

export interface PathAsked {
  /** NFC, relative to the root, not ''. */
  path: string;
  /** Also everything under it, when it is a folder. */
  deep: boolean;
}

type Found = { disk: string; st: Stats } | null;

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The item at NFC path `rel`, by its name on disk, looked up one folder at a time so that a folder
 * that is a symlink or not a folder ends the search (the full scan never goes through one). null:
 * nothing there (or only behind a symlink). Throws what the disk answered otherwise.
 */
function findOnDisk(root: string, rel: string, rules: IgnoreRules): Found {
  let disk = '';
  let path = '';
  const segments = rel.split('/');
  let st: Stats | null = null;
  for (const [i, seg] of segments.entries()) {
    if (st !== null && (!st.isDirectory() || st.isSymbolicLink())) return null;
    path = joinRel(path, seg);
    const last = i === segments.length - 1;
    if (!last && rules.ignores(path, 'folder')) return null;
    let name = seg;
    try {
      st = lstatSync(join(root, disk, name));
    } catch (err) {
      if (!isMissing(err)) throw err;
      // the name on disk may be another normalisation of the same name
      let other: string | undefined;
      try {
        other = readdirSync(join(root, disk)).find((n) => n !== seg && nfc(n) === seg);
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
      if (other === undefined) return null;
      name = other;
      st = lstatSync(join(root, disk, name));
    }
    disk = joinRel(disk, name);
  }
  return st === null ? null : { disk, st };
}

export async function scanPaths(
  root: string,
  rules: IgnoreRules,
  asked: readonly PathAsked[],
  baseOf: (path: string) => BaseRow | undefined,
): Promise<PathScan> {
  const entries = new Map<string, LocalEntry>();
  const skipped: SkippedItem[] = [];
  const failures: ScanFailure[] = [];
  const sinks = {
    onSkip: (s: SkippedItem) => skipped.push(s),
    onFailure: (f: ScanFailure) => failures.push(f),
  };
  const walked = new Set<string>();
  for (const { path, deep } of asked) {
    if (walked.has(path)) continue;
    let found: Found;
    try {
      found = findOnDisk(root, path, rules);
    } catch (err) {
      failures.push({ path, message: (err as Error).message });
      continue;
    }
    if (found === null) continue;
    const { st, disk } = found;
    if (st.isSymbolicLink()) {
      if (!rules.ignores(path, 'file')) skipped.push({ path, reason: 'symlink' });
      continue;
    }
    const isDir = st.isDirectory();
    if (!isDir && !st.isFile()) {
      if (!rules.ignores(path, 'file')) skipped.push({ path, reason: 'special-file' });
      continue;
    }
    const kind = isDir ? 'folder' : 'file';
    if (rules.ignores(path, kind)) continue;
    const entry: LocalEntry = {
      path,
      kind,
      size: isDir ? 0 : st.size,
      mtimeMs: Math.trunc(st.mtimeMs),
      ino: st.ino,
    };
    if (disk !== path) entry.diskPath = disk;
    entries.set(path, entry);
    if (isDir && deep) {
      walked.add(path);
      for (const e of walkLocal(root, rules, sinks, undefined, { rel: path, disk })) entries.set(e.path, e);
    }
  }
  let hashed = 0;
  for (const e of entries.values()) {
    if (!needsHash(e, baseOf(e.path))) continue;
    try {
      e.sha256 = await sha256File(join(root, e.diskPath ?? e.path));
      hashed++;
    } catch (err) {
      entries.delete(e.path);
      failures.push({ path: e.path, message: (err as Error).message });
    }
  }
  return { entries, skipped, failures, hashed };
}
