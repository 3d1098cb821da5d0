/** One reconciliation pass over every pair (contracts.md §1 `--once`). */
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';

export interface OnceFlags {
  dryRun: boolean;
  force: boolean;
  resync: boolean;
}

/** Returns the exit code of contracts.md §1. */
export async function runOnce(_config: Config, _flags: OnceFlags, _log: Logger): Promise<number> {
  throw new Error('runOnce: not built yet');
}
