/** The one Drive session of a process, built from the configuration (tokens in <state>/tokens.json). */
import { join } from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import type { Config } from '../config/types.js';
import { Journal, JournalLockedError } from '../journal/index.js';
import type { Logger } from '../log/logger.js';
import { keepingCounters } from '../metrics/saved-counters.js';
import { createSession, type DriveSession } from '../remote/index.js';

export const TOKEN_FILE = 'tokens.json';

export function openSession(config: Config, log: Logger): DriveSession {
  return createSession({
    apiBaseUrl: config.api.baseUrl,
    authUrl: config.api.authUrl,
    clientId: config.auth.clientId,
    clientSecret: config.auth.clientSecret,
    scope: config.auth.scope,
    tokenFile: join(config.stateDir, TOKEN_FILE),
    logger: log,
    rateLimitPerMinute: config.api.rateLimitPerMinute,
    concurrency: config.api.concurrency,
    bwlimitUp: config.process.bwlimitUp,
    bwlimitDown: config.process.bwlimitDown,
  });
}

/** Total HTTP requests a session has sent so far. */
export function requestCount(session: DriveSession): number {
  let n = 0;
  for (const v of Object.values(session.stats().requests)) n += v ?? 0;
  return n;
}

/**
 * The journal (write lock) and the session a sync process runs with, or the exit code when it
 * cannot start: another process holds the state directory (75) or nobody has logged in (78).
 * The session's counters are kept in the journal for `status` (metrics/saved-counters.ts).
 */
export function openEngine(
  config: Config,
  log: Logger,
): { journal: Journal; session: DriveSession } | { exit: number } {
  let journal: Journal;
  try {
    journal = Journal.open(config.stateDir);
  } catch (e) {
    if (!(e instanceof JournalLockedError)) throw e;
    console.error(`error: ${e.message}`);
    return { exit: EXIT.UNREACHABLE };
  }
  const session = keepingCounters(openSession(config, log), journal);
  if (!session.hasTokens()) {
    console.error(`error: not logged in; run: lineworks-sync login --config ${config.file}`);
    session.close();
    journal.close();
    return { exit: EXIT.LOGIN };
  }
  return { journal, session };
}
