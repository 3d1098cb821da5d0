/**
 * A Drive session: one login (tokens), one set of pacers and host slots, shared by every Remote it
 * hands out (design.md "Retries and rate limits"). The engine creates one per process.
 */
import type { Logger } from '../log/logger.js';
import { bandwidth } from './bandwidth.js';
import type { CountersSnapshot } from './counters.js';
import { DriveRemote, driveBase } from './drive.js';
import type { RouteSupport } from './move.js';
import { Pacer, type Operation } from './pacer.js';
import { TokenStore } from './tokens.js';
import { DEFAULT_RETRY, Transport, type OpStats, type RetryOptions } from './transport.js';
import type { DriveRef, Remote } from './types.js';

export interface SessionOptions {
  /** API host with version, e.g. "https://www.worksapis.com/v1.0" (reference §0 `API`). */
  apiBaseUrl: string;
  /** e.g. "https://auth.worksmobile.com/oauth2/v2.0" (reference §0 `AUTH`). */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes. @default "file" */
  scope?: string;
  /** Where tokens live (mode 0600, replaced atomically). */
  tokenFile: string;
  logger: Logger;
  /** Requests per minute per API operation (reference §8); 0 = no pacing. @default 240 */
  rateLimitPerMinute?: number;
  /** Concurrent requests per host. @default 5 */
  concurrency?: number;
  userAgent?: string;
  /** Retry tuning (tests make the waits small). */
  retry?: Partial<RetryOptions>;
  /** A transfer with no progress for this long is cut and resumed. @default 60000 */
  stallMs?: number;
  /** Bytes per second for all uploads of the session together (contracts.md §2); 0 = unlimited. @default 0 */
  bwlimitUp?: number;
  /** The same for downloads. @default 0 */
  bwlimitDown?: number;
}

export interface SessionStats {
  /** HTTP requests sent, by operation (names of contracts.md §3). */
  requests: Partial<Record<Operation, number>>;
  /** Requests, retries, 429 answers and final failures, by operation. */
  operations: Partial<Record<Operation, OpStats>>;
  /** Epoch ms of the last 429 answer. */
  last429At?: number;
  /** False once the server showed it has no move / rename route (fallbacks in use). */
  moveRoute: boolean;
  renameRoute: boolean;
  loggedIn: boolean;
}

export interface DriveSession {
  /** The Remote of a drive; its traffic counts under `pair` (counters.ts). */
  remote(drive: DriveRef, pair?: string): Remote;
  /** The URL a user opens to log in (reference §1 authorize). */
  authorizeUrl(redirectUri: string, state: string): string;
  /** Trades an authorization code for tokens and stores them. */
  exchangeCode(code: string, redirectUri: string): Promise<void>;
  hasTokens(): boolean;
  stats(): SessionStats;
  /** Per-pair counters since the session started (counters.ts). */
  counters(): CountersSnapshot;
  /** Requests of `pair` waiting for a pacer slot now. */
  queueDepth(pair: string): number;
  /** Drops queued requests and idle connections; later calls fail. */
  close(): void;
}

export function createSession(opts: SessionOptions): DriveSession {
  const authUrl = opts.authUrl.replace(/\/+$/, '');
  const scope = opts.scope ?? 'file';
  const pacer = new Pacer({
    ratePerMinute: opts.rateLimitPerMinute ?? 240,
    concurrency: opts.concurrency ?? 5,
  });
  const routes: RouteSupport = { move: true, rename: true };
  let transport: Transport | null = null;
  const tokens = new TokenStore({
    file: opts.tokenFile,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    request: async (form) => {
      const res = await (transport as Transport).call({
        op: 'token',
        method: 'POST',
        url: `${authUrl}/token`,
        data: new URLSearchParams(form).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        auth: false,
        expect: [200],
      });
      return res.data;
    },
  });
  transport = new Transport({
    pacer,
    tokens,
    logger: opts.logger,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    userAgent: opts.userAgent ?? 'lineworks-sync',
    bandwidth: { up: bandwidth(opts.bwlimitUp), down: bandwidth(opts.bwlimitDown) },
  });
  const t = transport;
  const stallMs = opts.stallMs ?? 60_000;

  return {
    remote(drive: DriveRef, pair = ''): Remote {
      return new DriveRemote({
        transport: t.forPair(pair),
        base: driveBase(opts.apiBaseUrl, drive),
        routes,
        stallMs,
      });
    },
    authorizeUrl(redirectUri: string, state: string): string {
      const q = new URLSearchParams({
        client_id: opts.clientId,
        redirect_uri: redirectUri,
        scope,
        response_type: 'code',
        state,
      });
      return `${authUrl}/authorize?${q}`;
    },
    exchangeCode: (code, redirectUri) => tokens.exchangeCode(code, redirectUri),
    hasTokens: () => tokens.hasTokens(),
    stats(): SessionStats {
      const s = t.stats();
      const requests: Partial<Record<Operation, number>> = {};
      for (const [op, v] of Object.entries(s.operations)) requests[op as Operation] = v.requests;
      return {
        requests,
        operations: s.operations,
        ...(s.last429At !== undefined ? { last429At: s.last429At } : {}),
        moveRoute: routes.move,
        renameRoute: routes.rename,
        loggedIn: tokens.hasTokens(),
      };
    },
    counters: () => t.counters.snapshot(),
    queueDepth: (pair) => t.counters.queueDepth(pair),
    close: () => t.close(),
  };
}
