/** Exit codes of contracts.md §1. systemd units must not restart on USAGE, GUARD or LOGIN. */
export const EXIT = {
  /** In sync. */
  OK: 0,
  /** Finished, but some items could not be synced (status lists each with its reason). */
  PARTIAL: 1,
  /** Usage or configuration error; the message names the bad key or flag. */
  USAGE: 2,
  /** Stopped by a safety guard (mass delete, missing root/marker/remote folder); nothing deleted. */
  GUARD: 3,
  /** The remote could not be reached (temporary). */
  UNREACHABLE: 75,
  /** The login is no longer valid (refresh failed): run `login` again. */
  LOGIN: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
