/** Daemon mode (contracts.md §1): watch, poll, stay in sync until the signal aborts. */
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';

/** Resolves with the exit code once `signal` aborts (SIGTERM/SIGINT) or a fatal error stops it. */
export async function runDaemon(_config: Config, _log: Logger, _signal: AbortSignal): Promise<number> {
  throw new Error('runDaemon: not built yet');
}
