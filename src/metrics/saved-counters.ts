/**
 * The session's per-pair counters (src/remote/counters.ts) as the journal keeps them, so that
 * `status --json` in another process shows them under `counters` (issue 12). Stored in the meta
 * table as JSON, key 'counters' of each pair; they describe the last process that ran (its start is
 * `sinceMs`), are written every SAVE_EVERY_MS while it runs and when its session closes, and go
 * with the pair's other rows on `--resync`.
 */
import type { Journal } from '../journal/index.js';
import type { CountersSnapshot, DriveSession, PairCounters } from '../remote/index.js';

export const COUNTERS_KEY = 'counters';
/** A status read while a process runs is at most this old. */
export const SAVE_EVERY_MS = 5_000;

export interface SavedCounters extends PairCounters {
  /** When the process that counted started (epoch ms). */
  sinceMs: number;
  /** When these figures were written (epoch ms). */
  savedMs: number;
}

/** Writes every named pair's counters, in one transaction. Pair "" (no pair) is not kept. */
export function saveCounters(journal: Journal, snap: CountersSnapshot, nowMs = Date.now()): void {
  journal.transaction(() => {
    for (const [pair, c] of Object.entries(snap.pairs)) {
      if (pair === '') continue;
      const saved: SavedCounters = { ...c, sinceMs: snap.sinceMs, savedMs: nowMs };
      journal.setMeta(pair, COUNTERS_KEY, JSON.stringify(saved));
    }
  });
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function counts(v: unknown): Record<string, number> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(([, n]) => isCount(n)),
  ) as Record<string, number>;
}

/** The pair's saved counters; null when none were saved or they cannot be read. */
export function readCounters(journal: Journal, pair: string): SavedCounters | null {
  const raw = journal.getMeta(pair, COUNTERS_KEY);
  if (raw === null) return null;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
  const numbers = [
    'bytesUp',
    'bytesDown',
    'transfersUp',
    'transfersDown',
    'rateLimited',
    'sinceMs',
    'savedMs',
  ];
  if (!o || typeof o !== 'object' || !numbers.every((k) => isCount(o[k]))) return null;
  const n = (k: string): number => o[k] as number;
  return {
    bytesUp: n('bytesUp'),
    bytesDown: n('bytesDown'),
    transfersUp: n('transfersUp'),
    transfersDown: n('transfersDown'),
    retries: counts(o.retries),
    rateLimited: n('rateLimited'),
    apiCalls: counts(o.apiCalls),
    sinceMs: n('sinceMs'),
    savedMs: n('savedMs'),
  };
}

/**
 * The session, with its counters written to the journal every SAVE_EVERY_MS (when they changed)
 * and once more when it closes — before the caller closes the journal, as every caller does.
 */
export function keepingCounters(session: DriveSession, journal: Journal): DriveSession {
  let last = '';
  const save = (): void => {
    const snap = session.counters();
    const key = JSON.stringify(snap.pairs);
    if (key === last) return;
    try {
      saveCounters(journal, snap);
      last = key;
    } catch {
      // the journal was closed first: the figures of the last interval are lost, nothing else
    }
  };
  const timer = setInterval(save, SAVE_EVERY_MS);
  timer.unref();
  return {
    ...session,
    close() {
      clearInterval(timer);
      save();
      session.close();
    },
  };
}
