/** The one Drive session of a process, built from the configuration (tokens in <state>/tokens.json). */
import { join } from 'node:path';
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';
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
  });
}

/** Total HTTP requests a session has sent so far. */
export function requestCount(session: DriveSession): number {
  let n = 0;
  for (const v of Object.values(session.stats().requests)) n += v ?? 0;
  return n;
}
