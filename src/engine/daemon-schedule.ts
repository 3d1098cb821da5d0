/**
 * How long a path that never goes quiet may hold the daemon's local job (contracts.md §2: a local
 * file is uploaded only once it is `local_quiet_ms` old): a log written every 100 ms holds its job
 * for at most this long, then the job runs and the file's later changes make another one.
 */
export function maxHoldMs(localQuietMs: number): number {
  return Math.max(20 * localQuietMs, 30_000);
}
