/**
 * The validated configuration (contracts.md §2), as the rest of the program sees it.
 * src/config/load.ts turns the TOML file into this; every [sync] key is resolved per pair.
 */
import type { DriveRef } from '../remote/types.js';

export interface SyncOptions {
  /** @default 50 */
  maxDeletePercent: number;
  /** @default 1000 */
  maxDeleteCount: number;
  /** @default 60 */
  remotePollSeconds: number;
  /** @default 500 */
  localQuietMs: number;
  /** gitignore-style patterns, added to the root's .lwsyncignore. @default [] */
  ignore: string[];
}

export interface PairConfig extends SyncOptions {
  name: string;
  /** Absolute local path. */
  local: string;
  /** The `drive` string as written ("me", "user:…", "sharedrive:…", "group:…"). */
  driveSpec: string;
  drive: DriveRef;
  /** Folder inside the drive, normalised: leading "/", no trailing "/" except for the root "/". */
  remotePath: string;
  /**
   * Which way the pair syncs (contracts.md §2, issue 14): "download" mirrors the Drive here,
   * "upload" mirrors this folder on the Drive. Per pair only, never a [sync] default.
   * @default "both"
   */
  direction: 'both' | 'download' | 'upload';
  /** download pairs: local items the Drive does not have go to the pair's trash. @default false */
  cleanupLocal: boolean;
  /** upload pairs: Drive items the local folder does not have go to the Drive's trash. @default false */
  cleanupRemote: boolean;
}

export interface AuthConfig {
  clientId: string;
  clientSecret: string;
  /** @default "file" */
  scope: string;
}

export interface ApiConfig {
  /** @default "https://www.worksapis.com/v1.0" */
  baseUrl: string;
  /** @default "https://auth.worksmobile.com/oauth2/v2.0" */
  authUrl: string;
  /** Requests per minute per API operation. @default 240 */
  rateLimitPerMinute: number;
  /** Concurrent requests per host. @default 5 */
  concurrency: number;
}

/** Process-wide keys of `[sync]` (contracts.md §2; src/config/process-wide.ts). */
export interface ProcessOptions {
  /** Bytes per second for all uploads of the process together; 0 = unlimited. @default 0 */
  bwlimitUp: number;
  /** The same for downloads. @default 0 */
  bwlimitDown: number;
  /** Daemon: Prometheus endpoint on 127.0.0.1:PORT/metrics; 0 = off. @default 0 */
  metricsPort: number;
}

export interface Config {
  /** Absolute path of the file it was read from. */
  file: string;
  stateDir: string;
  auth: AuthConfig;
  api: ApiConfig;
  sync: SyncOptions;
  /** Share of the per-operation list budget the daemon's pollers may spend, all pairs together. @default 0.5 */
  remoteListShare: number;
  process: ProcessOptions;
  pairs: PairConfig[];
}
