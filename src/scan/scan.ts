/**
 * One pass over a pair's local root: the walk (GNU find in a second process when it can,
 * walk-find.ts; else walkLocal), then sha256 only where the base cannot vouch for the file (see
 * needsHash), so a no-op run hashes nothing.
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
import { walkWithFind } from './walk-find.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface LocalScan {
  /** Keyed by NFC relative path; entries equal to their base row are rebuilt from it (side-table.ts). */
  entries: SideTable<LocalEntry>;
  skipped: SkippedItem[];
  /** Folders ('' = root) or items that could not be read: the planner deletes nothing at or under them. */
  failures: ScanFailure[];
  /** How many files were hashed (0 on a no-op run). */
  hashed: number;
  /** Which walk saw the tree: GNU find (walk-find.ts) or, when it could not, walkLocal. */
  walker: 'find' | 'node';
  /** Ignored folders find met or was kept out of (disk paths): the next scan's `findPrune`. */
  ignoredFolders: string[];
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
  /**
   * The pair's base rows (Journal.baseTable; a plain map is turned into a table). While a promise
   * of them is pending, find already walks (its output is held until the base is there).
   */
  base: BaseTable | ReadonlyMap<string, BaseRow> | Promise<BaseTable>;
  /** Override the hashing decision (e.g. hash everything for a verify run). */
  shouldHash?: (entry: LocalEntry, base: BaseRow | undefined) => boolean;
  /** Fault injection for tests (walkLocal only). @default node:fs */
  fs?: WalkFs;
  /** 'find': GNU find when it works, else walkLocal; 'node': walkLocal. @default 'find' */
  walker?: 'find' | 'node';
  /** Ignored folders an earlier scan reported (`ignoredFolders`): find does not walk into them. */
  findPrune?: readonly string[];
}

/**
 * Entries walked between two turns of the event loop. The walk is synchronous (the fast kind); now
 * and then it lets other work run, such as a remote listing going on at the same time.
 */
const ENTRIES_PER_TURN = 4096;

const tableOf = (b: BaseTable | ReadonlyMap<string, BaseRow>): BaseTable =>
  b instanceof BaseTable ? b : BaseTable.of(b.values());

/** The walk's findings, and which entries the base cannot vouch for. */
class Findings {
  readonly entries: SideTable<LocalEntry>;
  readonly skipped: SkippedItem[] = [];
  readonly failures: ScanFailure[] = [];
  readonly toHash: LocalEntry[] = [];
  readonly ignoredFolders: string[] = [];
  readonly #base: BaseTable;
  readonly #opts: ScanOptions;
  /** The row after the last one met: kept in the order the last scan met the paths, it is most often the next. */
  #next = 0;

  constructor(base: BaseTable, opts: ScanOptions) {
    this.#base = base;
    this.#opts = opts;
    this.entries = new SideTable(base, localCodec);
  }

  add(e: LocalEntry): void {
    const base = this.#base;
    const next = this.#next;
    const i = next < base.size && base.pathAt(next) === e.path ? next : base.indexOf(e.path);
    if (i >= 0) this.#next = i + 1;
    // an entry as its row says needs no hash (needsHash); only a custom rule must see every row
    const custom = this.#opts.shouldHash;
    const hash =
      (custom !== undefined || i < 0 || !localCodec.matches(base, i, e)) &&
      (custom ?? needsHash)(e, i < 0 ? undefined : base.rowAt(i));
    this.entries.set(e, hash, i);
    if (hash) this.toHash.push(e);
  }
}

export async function scanLocal(root: string, opts: ScanOptions): Promise<LocalScan> {
  // find starts at once; what it prints is told to the findings only once the base is there
  let found: Findings | undefined;
  const ready = Promise.resolve(opts.base).then((b) => {
    const base = tableOf(b);
    found = new Findings(base, opts);
    return base;
  });
  const useFind = (opts.walker ?? 'find') === 'find' && opts.fs === undefined;
  const byFind =
    useFind &&
    (await walkWithFind(
      root,
      opts.rules,
      {
        onEntry: (e) => found!.add(e),
        onSkip: (s) => found!.skipped.push(s),
        onIgnoredFolder: (disk) => found!.ignoredFolders.push(disk),
        has: (rel) => found!.entries.has(rel),
      },
      { until: ready, ...(opts.findPrune ? { prune: opts.findPrune } : {}) },
    ));
  const base = await ready;
  if (!byFind) {
    const fresh = new Findings(base, opts);
    found = fresh;
    let walked = 0;
    const sinks = {
      onSkip: (s: SkippedItem) => fresh.skipped.push(s),
      onFailure: (f: ScanFailure) => fresh.failures.push(f),
    };
    for (const e of walkLocal(root, opts.rules, sinks, opts.fs)) {
      fresh.add(e);
      if (++walked % ENTRIES_PER_TURN === 0) await nextTurn();
    }
  }
  const { entries, skipped, failures, toHash, ignoredFolders } = found!;
  for (const e of toHash) {
    try {
      e.sha256 = await sha256File(join(root, e.diskPath ?? e.path));
    } catch (err) {
      entries.delete(e.path);
      failures.push({ path: e.path, message: (err as Error).message });
    }
  }
  return {
    entries,
    skipped,
    failures,
    hashed: toHash.length,
    walker: byFind ? 'find' : 'node',
    ignoredFolders: byFind ? ignoredFolders : [],
  };
}
