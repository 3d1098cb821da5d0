/**
 * One pass over a pair's local root: the walk, then sha256 only where the base cannot vouch for the
 * file (see needsHash), so a no-op run hashes nothing.
 */
import { join } from 'node:path';
import { BaseTable } from '../journal/base-table.js';
import { SideTable } from '../journal/side-table.js';
import type { BaseRow } from '../journal/types.js';
import { sha256File } from './hash.js';
import type { IgnoreRules } from './ignore.js';
import { localCodec } from './local-codec.js';
import type { LocalEntry, ScanFailure, SkippedItem } from './types.js';
import { walkLocal, type WalkFs } from './walk.js';

export interface LocalScan {
  /** Keyed by NFC relative path; entries equal to their base row are rebuilt from it (side-table.ts). */
  entries: SideTable<LocalEntry>;
  skipped: SkippedItem[];
  /** Folders ('' = root) or items that could not be read: the planner deletes nothing at or under them. */
  failures: ScanFailure[];
  /** How many files were hashed (0 on a no-op run). */
  hashed: number;
}

/**
 * A file needs hashing when it has a file base row with a known hash and the same size, but its
 * mtime or inode moved: only the content can say whether it changed (design.md "Local changed").
 * A different size is a change without hashing; a new file is hashed by the executor when needed.
 */
export function needsHash(entry: LocalEntry, base: BaseRow | undefined): boolean {
  if (entry.kind !== 'file' || !base || base.kind !== 'file' || base.localSha256 === null) return false;
  if (entry.size !== base.localSize) return false;
  return entry.mtimeMs !== base.localMtimeMs || entry.ino !== base.localIno;
}

export interface ScanOptions {
  rules: IgnoreRules;
  /** The pair's base rows (Journal.baseTable; a plain map is turned into a table). */
  base: BaseTable | ReadonlyMap<string, BaseRow>;
  /** Override the hashing decision (e.g. hash everything for a verify run). */
  shouldHash?: (entry: LocalEntry, base: BaseRow | undefined) => boolean;
  /** Fault injection for tests. @default node:fs */
  fs?: WalkFs;
}

/**
 * Entries walked between two turns of the event loop. The walk is synchronous (the fast kind); now
 * and then it lets other work run, such as a remote listing going on at the same time.
 */
const ENTRIES_PER_TURN = 4096;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function scanLocal(root: string, opts: ScanOptions): Promise<LocalScan> {
  const base = opts.base instanceof BaseTable ? opts.base : BaseTable.of(opts.base.values());
  const entries = new SideTable(base, localCodec);
  const skipped: SkippedItem[] = [];
  const failures: ScanFailure[] = [];
  const toHash: LocalEntry[] = [];
  const shouldHash = opts.shouldHash ?? needsHash;
  let walked = 0;
  for (const e of walkLocal(
    root,
    opts.rules,
    { onSkip: (s) => skipped.push(s), onFailure: (f) => failures.push(f) },
    opts.fs,
  )) {
    const i = base.indexOf(e.path);
    // an entry as its row says needs no hash (needsHash); only a custom rule must see every row
    const hash =
      (opts.shouldHash !== undefined || i < 0 || !localCodec.matches(base, i, e)) &&
      shouldHash(e, i < 0 ? undefined : base.rowAt(i));
    entries.set(e, hash);
    if (hash) toHash.push(e);
    if (++walked % ENTRIES_PER_TURN === 0) await nextTurn();
  }
  for (const e of toHash) {
    try {
      e.sha256 = await sha256File(join(root, e.diskPath ?? e.path));
    } catch (err) {
      entries.delete(e.path);
      failures.push({ path: e.path, message: (err as Error).message });
    }
  }
  return { entries, skipped, failures, hashed: toHash.length };
}
