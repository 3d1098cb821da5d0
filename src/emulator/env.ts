/** Everything a route needs: state, knobs, limiter, faults, the request log and the public URLs. */
import type { Knobs } from './config.js';
import type { FaultQueue } from './faults.js';
import type { RateLimiter } from './ratelimit.js';
import type { Store } from './store.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  operation: string;
  /** The status answered; 0 when the connection was cut before an answer. */
  status: number;
  /** Storage requests only: the `Content-Range` of an upload or the `Range` of a download, when sent. */
  range?: string;
}

/** The request log holds the last this many requests (it may hold up to a tenth more internally). */
export const REQUEST_LOG_MAX = 200_000;

/** The request log as the admin API shows it: the last `REQUEST_LOG_MAX` entries. */
export function requestLog(env: Env): RequestLogEntry[] {
  return env.requests.length > REQUEST_LOG_MAX ? env.requests.slice(-REQUEST_LOG_MAX) : env.requests;
}

export interface Env {
  store: Store;
  knobs: Knobs;
  limiter: RateLimiter;
  faults: FaultQueue;
  requests: RequestLogEntry[];
  /** Upload sessions whose bytes are being written; settled once they are on disk. */
  busy: Map<string, Promise<void>>;
  urls: { api: string; auth: string; storage: string; admin: string };
}

export const CLIENT_ID = 'emulator-client';
export const CLIENT_SECRET = 'emulator-secret';
export const USER = 'user1@example.com';
