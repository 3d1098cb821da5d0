/**
 * Whether the Drive moves a folder's modifiedTime when something inside it changes
 * (lineworks-drive-api.md §3: undocumented; the emulator's `--folder-mtime` knob plays each
 * answer). The daemon finds out from its own writes: after it wrote into folder F (parent G), it
 * asks the Drive for F and G and compares their times with those it recorded before the write.
 * Kept per pair in the journal's meta; the poller skips unchanged subtrees only on 'ancestors'
 * seen OBSERVATIONS_NEEDED times in a row and never contradicted since (any doubt means listing).
 */
import type { Journal } from '../journal/index.js';

export type FolderTimes = 'unknown' | 'none' | 'parent' | 'ancestors';

export interface FolderTimesRecord {
  verdict: FolderTimes;
  /** Observations in a row that agreed with the verdict. */
  agreeing: number;
  lastObservedMs: number | null;
}

export const FOLDER_TIMES_META = 'folder_times';
/** Observations in a row before a verdict is trusted for pruning. */
export const OBSERVATIONS_NEEDED = 3;
/** After the verdict is trusted, one more observation a day. */
const RECHECK_MS = 86_400_000;
/** A folder recorded this recently may share its second with the write (whole-second times). */
export const MIN_AGE_MS = 2_000;

const UNKNOWN: FolderTimesRecord = { verdict: 'unknown', agreeing: 0, lastObservedMs: null };

export function readFolderTimes(journal: Journal, pair: string): FolderTimesRecord {
  const raw = journal.getMeta(pair, FOLDER_TIMES_META);
  if (raw === null) return UNKNOWN;
  try {
    const v = JSON.parse(raw) as Partial<FolderTimesRecord>;
    const ok = ['unknown', 'none', 'parent', 'ancestors'].includes(v.verdict as string);
    return ok && typeof v.agreeing === 'number'
      ? { verdict: v.verdict as FolderTimes, agreeing: v.agreeing, lastObservedMs: v.lastObservedMs ?? null }
      : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

/** True when the poller may skip subtrees whose folder time did not move. */
export function mayPrune(r: FolderTimesRecord): boolean {
  return r.verdict === 'ancestors' && r.agreeing >= OBSERVATIONS_NEEDED;
}

/** True when another observation is worth its two calls. */
export function wantsObservation(r: FolderTimesRecord, nowMs: number): boolean {
  if (r.agreeing < OBSERVATIONS_NEEDED) return true;
  return r.lastObservedMs === null || nowMs - r.lastObservedMs >= RECHECK_MS;
}

/**
 * One observation: did the written folder's time move, and (when it has a parent inside the pair)
 * did its parent's? Returns the new record (also stored).
 */
export function observe(
  journal: Journal,
  pair: string,
  folderMoved: boolean,
  parentMoved: boolean | null,
  nowMs: number,
): FolderTimesRecord {
  const before = readFolderTimes(journal, pair);
  let seen: FolderTimes;
  if (!folderMoved) seen = 'none';
  else if (parentMoved === null) seen = before.verdict === 'ancestors' ? 'ancestors' : 'parent';
  else seen = parentMoved ? 'ancestors' : 'parent';
  // an observation without a parent cannot tell 'parent' from 'ancestors': it only keeps a verdict
  const agreeing =
    seen === before.verdict ? before.agreeing + (parentMoved === null && seen !== 'none' ? 0 : 1) : 1;
  const next: FolderTimesRecord = { verdict: seen, agreeing, lastObservedMs: nowMs };
  journal.setMeta(pair, FOLDER_TIMES_META, JSON.stringify(next));
  return next;
}
