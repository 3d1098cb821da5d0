/** Defaults of contracts.md §2 (the example file config/lineworks-sync.example.toml shows each). */
import type { ApiConfig, ProcessOptions, SyncOptions } from './types.js';

export const DEFAULT_SYNC: Readonly<SyncOptions> = Object.freeze({
  maxDeletePercent: 50,
  maxDeleteCount: 1000,
  remotePollSeconds: 60,
  localQuietMs: 500,
  ignore: [],
});

export const DEFAULT_PROCESS: Readonly<ProcessOptions> = Object.freeze({
  bwlimitUp: 0,
  bwlimitDown: 0,
  metricsPort: 0,
});

/** One-way keys of a [[pairs]] entry (contracts.md §2); not [sync] keys. */
export const DEFAULT_DIRECTION = 'both' as const;

export const DEFAULT_API: Readonly<ApiConfig> = Object.freeze({
  baseUrl: 'https://www.worksapis.com/v1.0',
  authUrl: 'https://auth.worksmobile.com/oauth2/v2.0',
  rateLimitPerMinute: 240,
  concurrency: 5,
});

/** contracts.md §2 `remote_list_share`. */
export const DEFAULT_REMOTE_LIST_SHARE = 0.5;

export const DEFAULT_SCOPE = 'file';

/** Environment variable that supplies `[auth] client_secret` when the file has none. */
export const SECRET_ENV = 'LINEWORKS_CLIENT_SECRET';
