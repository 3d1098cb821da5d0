/**
 * One-way pairs in the engine (issue 14, plan/direction.ts): the planner's options of a pair, and
 * the items a one-way pair leaves alone (issue 14, plan/direction.ts): recorded in the journal as
 * skipped items with these words (skips.ts), listed apart by `status` as "local only" and
 * "remote only". They do not make the exit code 1: leaving them is what the pair was told to do.
 */
import type { PairConfig } from '../config/types.js';
import type { PlanOptions } from '../plan/index.js';

/** The planner's one-way options of a pair (contracts.md §2 `direction`, `cleanup_*`). */
export function oneWayOf(
  pair: PairConfig,
): Pick<PlanOptions, 'direction' | 'cleanupLocal' | 'cleanupRemote'> {
  return { direction: pair.direction, cleanupLocal: pair.cleanupLocal, cleanupRemote: pair.cleanupRemote };
}

export const LOCAL_ONLY =
  'local only: the Drive does not have it and this download pair leaves it here (cleanup_local = true moves such items to the trash)';
export const REMOTE_ONLY =
  "remote only: the local folder does not have it and this upload pair leaves it on the Drive (cleanup_remote = true deletes such items to the Drive's trash)";

/** Which side a recorded skip reason leaves an item on, or null for other skips. */
export function oneSided(reason: string): 'local' | 'remote' | null {
  if (reason.startsWith(LOCAL_ONLY)) return 'local';
  if (reason.startsWith(REMOTE_ONLY)) return 'remote';
  return null;
}
