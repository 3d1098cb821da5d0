/** The default command: daemon, or one pass with --once (contracts.md §1). */
import { runDaemon } from '../../engine/daemon.js';
import { runOnce } from '../../engine/once.js';
import { createLogger } from '../../log/logger.js';
import { EXIT } from '../exit-codes.js';
import { loadOrReport } from './common.js';

export interface SyncFlags {
  config: string;
  once: boolean;
  dryRun: boolean;
  force: boolean;
  resync: boolean;
}

export async function syncCommand(flags: SyncFlags): Promise<number> {
  if (!flags.once && (flags.dryRun || flags.resync)) {
    console.error(`error: option '${flags.dryRun ? '--dry-run' : '--resync'}' requires '--once'`);
    return EXIT.USAGE;
  }
  const loaded = await loadOrReport(flags.config);
  if (!loaded.ok) return loaded.code;
  const log = createLogger();
  if (flags.once) {
    return runOnce(loaded.config, { dryRun: flags.dryRun, force: flags.force, resync: flags.resync }, log);
  }
  return daemon(loaded.config, log);
}

/** After SIGTERM/SIGINT the daemon gets this long before the command returns 0 regardless. */
const STOP_GRACE_MS = 8_000;

/** SIGTERM/SIGINT abort the daemon; it must exit 0 within 10 s (contracts.md §1). */
async function daemon(
  config: Parameters<typeof runDaemon>[0],
  log: Parameters<typeof runDaemon>[1],
): Promise<number> {
  const ac = new AbortController();
  const stop = (sig: NodeJS.Signals): void => {
    log.info({ signal: sig }, 'stopping');
    ac.abort();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  let grace: NodeJS.Timeout | undefined;
  const deadline = new Promise<number>((resolve) => {
    ac.signal.addEventListener('abort', () => {
      grace = setTimeout(() => {
        log.warn({ graceMs: STOP_GRACE_MS }, 'daemon did not stop in time; exiting anyway');
        resolve(EXIT.OK);
      }, STOP_GRACE_MS);
    });
  });
  try {
    return await Promise.race([runDaemon(config, log, ac.signal), deadline]);
  } finally {
    if (grace) clearTimeout(grace);
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
