/**
 * The plan's transfer work still to do, per pair, for `status` (contracts.md §1 "pending work").
 * The engine saves the remaining actions before it executes a plan and saves the shorter list as
 * actions finish (PendingTracker; an empty list clears it). Stored as JSON in the journal's meta
 * table (pair, 'pending'); `--resync` drops it with the pair's other rows.
 */
import type { Journal } from '../journal/index.js';

export interface PendingItem {
  /** A plan action kind: 'upload', 'download', 'delete-remote', 'mkdir-local', … */
  kind: string;
  /** Path relative to the pair's roots. */
  path: string;
  /** Bytes to transfer (0 for actions that move no content). */
  bytes: number;
}

export const PENDING_KEY = 'pending';

export function savePending(journal: Journal, pair: string, items: PendingItem[]): void {
  const clean = items.map(({ kind, path, bytes }) => ({ kind, path, bytes }));
  journal.setMeta(pair, PENDING_KEY, JSON.stringify(clean));
}

/** The saved list; [] when none was saved or what is stored cannot be read. */
export function readPending(journal: Journal, pair: string): PendingItem[] {
  const raw = journal.getMeta(pair, PENDING_KEY);
  if (raw === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isItem).map(({ kind, path, bytes }) => ({ kind, path, bytes }));
}

function isItem(v: unknown): v is PendingItem {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.kind === 'string' &&
    typeof o.path === 'string' &&
    typeof o.bytes === 'number' &&
    Number.isFinite(o.bytes) &&
    o.bytes >= 0
  );
}

/** The shorter list is written at most this often (a list of 100,000 items is not rewritten per file). */
export const PENDING_SAVE_MS = 250;

const itemKey = (kind: string, path: string): string => `${kind}\0${path}`;

/**
 * The saved list of a pass, shortened as its actions finish (done, failed or deferred: either
 * way no longer waiting), so that `status` shows the work left after each finished file. Writes
 * at most every PENDING_SAVE_MS, the last change at the latest PENDING_SAVE_MS after it, and at
 * `close()`.
 */
export class PendingTracker {
  readonly #journal: Journal;
  readonly #pair: string;
  readonly #items: PendingItem[];
  readonly #left: Set<string>;
  #dirty = false;
  #savedAt = 0;
  #timer: NodeJS.Timeout | null = null;

  /** Starts from the list saved for the pair (what the pass is about to execute). */
  constructor(journal: Journal, pair: string) {
    this.#journal = journal;
    this.#pair = pair;
    this.#items = readPending(journal, pair);
    this.#left = new Set(this.#items.map((i) => itemKey(i.kind, i.path)));
  }

  finished(kind: string, path: string): void {
    if (!this.#left.delete(itemKey(kind, path))) return;
    this.#dirty = true;
    const wait = this.#savedAt + PENDING_SAVE_MS - Date.now();
    if (wait <= 0) this.#save();
    else this.#timer ??= setTimeout(() => this.#save(), wait);
  }

  /** Writes what is left now, if anything changed; no timer stays behind. */
  close(): void {
    this.#save();
  }

  #save(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#savedAt = Date.now();
    const left = this.#items.filter((i) => this.#left.has(itemKey(i.kind, i.path)));
    try {
      savePending(this.#journal, this.#pair, left);
    } catch {
      // the journal closed under an abandoned pass: the next pass saves its own list
    }
  }
}
