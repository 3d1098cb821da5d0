/**
 * The local walk: synchronous `readdirSync(withFileTypes)` + `lstatSync`, depth first with an
 * explicit stack, yielding entries as it goes (design.md "Measured yardsticks": the plain sync walk
 * is the fast and light one). Symlinks are never followed; unreadable folders are reported so the
 * planner plans no deletes under them.
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import type { IgnoreRules } from './ignore.js';
import { joinRel, nfc } from './names.js';
import type { LocalEntry, ScanFailure, SkippedItem } from './types.js';

/** The two calls the walk makes; tests pass a fault-injecting version. */
export interface WalkFs {
  readdirSync(path: string, opts: { withFileTypes: true }): nodeFs.Dirent[];
  lstatSync(path: string): nodeFs.Stats;
}

export interface WalkSinks {
  onSkip(item: SkippedItem): void;
  onFailure(failure: ScanFailure): void;
}

interface Pending {
  /** NFC relative path. */
  rel: string;
  /** Path on disk relative to the root (may differ from rel in normalisation). */
  disk: string;
}

// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0000-\u007f]/;

/** An ASCII name is its own NFC form: only other names go through normalize(). */
const nfcName = (name: string): string => (NOT_ASCII.test(name) ? nfc(name) : name);

/**
 * Yields every non-ignored file and folder under `root` (not the root itself), parents first.
 * `from`: walk only under this folder of the root (its NFC path and its name on disk); paths stay
 * relative to `root`.
 */
export function* walkLocal(
  root: string,
  rules: IgnoreRules,
  sinks: WalkSinks,
  fs: WalkFs = nodeFs,
  from: { rel: string; disk: string } = { rel: '', disk: '' },
): Generator<LocalEntry> {
  // join(root, disk) for any disk path of plain names, without normalising each one again
  const prefix = join(root, 'x').slice(0, -1);
  const stack: Pending[] = [{ rel: from.rel, disk: from.disk }];
  // names kept so far in the folder being read; a Set only once a name changed under NFC
  const kept: string[] = [];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let dirents;
    try {
      dirents = fs.readdirSync(dir.disk === '' ? root : prefix + dir.disk, { withFileTypes: true });
    } catch (err) {
      sinks.onFailure({ path: dir.rel, message: (err as Error).message });
      continue;
    }
    // Two names can only meet after NFC when one of them changed: until one does, the names on
    // disk (all different) are the NFC names and need no lookup.
    let seen: Set<string> | null = null;
    kept.length = 0;
    const sameDisk = dir.disk === dir.rel;
    const children: Pending[] = [];
    for (const d of dirents) {
      const name = nfcName(d.name);
      const rel = joinRel(dir.rel, name);
      const disk = sameDisk && name === d.name ? rel : joinRel(dir.disk, d.name);
      if (d.isSymbolicLink()) {
        if (!rules.ignores(rel, 'file')) sinks.onSkip({ path: rel, reason: 'symlink' });
        continue;
      }
      const isDir = d.isDirectory();
      if (!isDir && !d.isFile()) {
        if (!rules.ignores(rel, 'file')) sinks.onSkip({ path: rel, reason: 'special-file' });
        continue;
      }
      const kind = isDir ? 'folder' : 'file';
      if (rules.ignores(rel, kind)) continue;
      if (seen === null && name !== d.name) seen = new Set(kept);
      if (seen !== null) {
        if (seen.has(name)) {
          sinks.onSkip({
            path: disk,
            reason: 'rejected-name',
            detail: 'another name in this folder is the same after NFC',
          });
          continue;
        }
        seen.add(name);
      } else kept.push(name);
      let st;
      try {
        st = fs.lstatSync(prefix + disk);
      } catch (err) {
        // vanished or unreadable between readdir and lstat: look again next run, delete nothing now
        sinks.onFailure({ path: rel, message: (err as Error).message });
        continue;
      }
      const entry: LocalEntry = {
        path: rel,
        kind,
        size: isDir ? 0 : st.size,
        mtimeMs: Math.trunc(st.mtimeMs),
        ino: st.ino,
      };
      if (disk !== rel) entry.diskPath = disk;
      yield entry;
      if (isDir) children.push({ rel, disk });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}
