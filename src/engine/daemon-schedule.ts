/**
 * When the daemon runs a pair's next pass: a pure function of the pair's triggers and the clock, so
 * it can be tested with tables (design.md: the daemon and `--once` run the same engine and differ
 * only in when they run it).
 *
 * Triggers: a pass owed now (start-up, a deferred item, the end of an unreachable backoff), the
 * remote poll, the earliest retry of a failed item, and local watcher events. Local events hold
 * every pass until the pair has been quiet for `local_quiet_ms` (contracts.md §2: a local file is
 * uploaded only once it is that old), so a poll never uploads a half-written file; a path that
 * never goes quiet (a log written every 100 ms) holds passes for at most `maxHoldMs`.
 */

export type PassReason = 'start' | 'poll' | 'retry' | 'local';

export interface PairTriggers {
  /** A pass is owed from this time on (start-up, deferred items, after an unreachable backoff). */
  forceAt: number | null;
  /** The next remote poll. */
  nextPollAt: number;
  /** The earliest retry of a failed item not yet tried since it became due; null when none. */
  retryAt: number | null;
  /** Newest and oldest watcher event not yet taken by a pass; null when none is pending. */
  newestEventMs: number | null;
  oldestEventMs: number | null;
  /** The remote could not be reached: nothing runs before this. */
  holdUntil: number;
}

export interface ScheduleOptions {
  localQuietMs: number;
  /** Longest time pending local events may hold a pass back. */
  maxHoldMs: number;
}

export interface NextPass {
  at: number;
  /** The triggers due at `at`; ['local'] alone means only watcher events asked for this pass. */
  reasons: PassReason[];
}

/** Longest hold of a pair's passes by a path that keeps changing. */
export function maxHoldMs(localQuietMs: number): number {
  return Math.max(20 * localQuietMs, 30_000);
}

export function nextPass(t: PairTriggers, o: ScheduleOptions): NextPass {
  const timed: [PassReason, number | null][] = [
    ['start', t.forceAt],
    ['poll', t.nextPollAt],
    ['retry', t.retryAt],
  ];
  let at: number;
  if (t.newestEventMs !== null) {
    const oldest = t.oldestEventMs ?? t.newestEventMs;
    at = Math.min(t.newestEventMs + o.localQuietMs, oldest + o.maxHoldMs);
  } else {
    at = Infinity;
    for (const [, when] of timed) if (when !== null && when < at) at = when;
  }
  at = Math.max(at, t.holdUntil);
  const reasons: PassReason[] = [];
  for (const [reason, when] of timed) if (when !== null && when <= at) reasons.push(reason);
  if (t.newestEventMs !== null) reasons.push('local');
  return { at, reasons };
}
