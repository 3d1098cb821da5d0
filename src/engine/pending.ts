/**
 * The plan's transfer work still to do, per pair, for `status` (contracts.md §1 "pending work").
 * The engine saves the remaining actions before it executes a plan and saves the shorter list as
 * actions finish (an empty list clears it). Stored as JSON in the journal's meta table
 * (pair, 'pending'); `--resync` drops it with the pair's other rows.
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
