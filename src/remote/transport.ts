/**
 * The one place that sends HTTP (design.md "The shape"): paced requests (pacer.ts), bearer tokens
 * (tokens.ts), classification of every failure (classify.ts) and the retry loop of reference §7:
 * 429 waits for the server, 401 refreshes once, transient and 598 back off (and, for calls that
 * are not idempotent, look first whether the call already happened). Nothing here logs a token:
 * only RemoteErrors and plain fields reach the logger.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable, Transform } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Logger } from '../log/logger.js';
import { throttle, type Bandwidth } from './bandwidth.js';
import { backoffMs, serverWaitMs, type BackoffPolicy } from './backoff.js';
import { classifyNetwork, classifyResponse } from './classify.js';
import { SessionCounters } from './counters.js';
import { RemoteError, UnreachableError } from './errors.js';
import type { Operation, Pacer } from './pacer.js';
import type { TokenStore } from './tokens.js';

export interface RetryOptions extends BackoffPolicy {
  /** Attempts of one call for transient failures (429 waits are not counted). @default 6 */
  maxAttempts: number;
  /** Consecutive 429 answers one call waits out before giving up. @default 50 */
  maxRateLimitWaits: number;
  /** Jitter source. @default Math.random */
  rng: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  baseMs: 500,
  maxMs: 30_000,
  maxAttempts: 6,
  maxRateLimitWaits: 50,
  rng: Math.random,
};

export interface RequestSpec {
  op: Operation;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** Statuses that mean success; anything else is classified and thrown. */
  expect: readonly number[];
  data?: unknown;
  headers?: Record<string, string>;
  /** Send the bearer token (default true). */
  auth?: boolean;
  /** The request names an item (create, upload, rename, …): 400 INVALID_PARAMETER = rejected name. */
  nameInRequest?: boolean;
  responseType?: 'json' | 'stream';
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, unknown>;
  data: unknown;
}

/** One request's stream result, consumed inside the request's slot. */
export type StreamConsumer<T> = (res: {
  status: number;
  headers: Record<string, unknown>;
  body: Readable;
}) => Promise<T>;

export interface OpStats {
  requests: number;
  retries: number;
  rateLimited: number;
  failures: number;
}

export interface TransportOptions {
  pacer: Pacer;
  tokens: TokenStore;
  logger: Logger;
  retry: RetryOptions;
  userAgent: string;
  /** Shared limits of all uploads / downloads (contracts.md §2 `bwlimit_*`); null = unlimited. */
  bandwidth?: { up: Bandwidth | null; down: Bandwidth | null };
}

/** What every pair's view of one Transport shares: connections, statistics, limits, the closed flag. */
interface Shared {
  axios: AxiosInstance;
  agents: { http: http.Agent; https: https.Agent };
  stats: Map<Operation, OpStats>;
  counters: SessionCounters;
  last429At: number | undefined;
  closed: boolean;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(t);
      reject(abortError(signal));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('the operation was aborted');
  e.name = 'AbortError';
  return e;
}

async function readSmall(body: Readable, limit = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of body) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string);
      if (n < limit) chunks.push(b.subarray(0, limit - n));
      n += b.length;
    }
  } catch {
    // A truncated error body is classified by its status.
  }
  return Buffer.concat(chunks);
}

export class Transport {
  readonly #o: TransportOptions;
  readonly #s: Shared;
  /** The pair whose counters this view adds to ("" = none). */
  readonly pair: string;

  constructor(opts: TransportOptions, pair = '', shared?: Shared) {
    this.#o = opts;
    this.pair = pair;
    if (shared) {
      this.#s = shared;
      return;
    }
    const agents = {
      http: new http.Agent({ keepAlive: true }),
      https: new https.Agent({ keepAlive: true }),
    };
    this.#s = {
      axios: axios.create({
        adapter: 'http',
        // Redirects are followed by hand (reference §6); 0 also keeps streamed bodies unbuffered.
        maxRedirects: 0,
        // -1 is axios' "no limit"; any number (Infinity too) makes it count every chunk of a
        // streamed body in a Transform (upload) or an async generator (download).
        maxBodyLength: -1,
        maxContentLength: -1,
        validateStatus: () => true,
        httpAgent: agents.http,
        httpsAgent: agents.https,
        headers: { 'User-Agent': opts.userAgent },
      }),
      agents,
      stats: new Map(),
      counters: new SessionCounters(),
      last429At: undefined,
      closed: false,
    };
  }

  /** The same transport, counting under `pair` (counters.ts). */
  forPair(pair: string): Transport {
    return new Transport(this.#o, pair, this.#s);
  }

  get counters(): SessionCounters {
    return this.#s.counters;
  }

  /**
   * A stream for a transfer's bytes, paced by the session's limit for that direction, calling
   * `onPass` for the bytes it lets through; null when that direction is unlimited (the bytes then
   * need no stream of ours at all).
   */
  throttle(direction: 'up' | 'down', onPass?: (bytes: number) => void): Transform | null {
    const bw = this.#o.bandwidth?.[direction] ?? null;
    return bw ? throttle(bw, onPass) : null;
  }

  /** `bytes` more of a transfer went `direction`. */
  countBytes(direction: 'up' | 'down', bytes: number): void {
    const c = this.#s.counters.of(this.pair);
    if (direction === 'up') c.bytesUp += bytes;
    else c.bytesDown += bytes;
  }

  /** A transfer completed. */
  countTransfer(direction: 'up' | 'down'): void {
    const c = this.#s.counters.of(this.pair);
    if (direction === 'up') c.transfersUp++;
    else c.transfersDown++;
  }

  get logger(): Logger {
    return this.#o.logger;
  }

  get retryOptions(): RetryOptions {
    return this.#o.retry;
  }

  stats(): { operations: Record<string, OpStats>; last429At?: number } {
    const operations: Record<string, OpStats> = {};
    for (const [op, s] of this.#s.stats) operations[op] = { ...s };
    const last = this.#s.last429At;
    return { operations, ...(last !== undefined ? { last429At: last } : {}) };
  }

  #stat(op: Operation): OpStats {
    let s = this.#s.stats.get(op);
    if (!s) {
      s = { requests: 0, retries: 0, rateLimited: 0, failures: 0 };
      this.#s.stats.set(op, s);
    }
    return s;
  }

  close(): void {
    this.#s.closed = true;
    this.#s.agents.http.destroy();
    this.#s.agents.https.destroy();
  }

  /**
   * One paced attempt. Success statuses resolve; every other outcome throws a RemoteError. With
   * `consume`, a `stream` body is handed over inside the request's slot.
   */
  async send(spec: RequestSpec, token: string | null): Promise<HttpResponse>;
  async send<T>(spec: RequestSpec, token: string | null, consume: StreamConsumer<T>): Promise<T>;
  async send<T>(
    spec: RequestSpec,
    token: string | null,
    consume?: StreamConsumer<T>,
  ): Promise<HttpResponse | T> {
    if (this.#s.closed) throw new RemoteError('unknown', 'the Drive session is closed');
    const host = new URL(spec.url).host;
    const stats = this.#stat(spec.op);
    const counters = this.#s.counters;
    const mine = counters.of(this.pair);
    let waiting = true;
    counters.queued(this.pair, 1);
    const started = (): void => {
      if (waiting) counters.queued(this.pair, -1);
      waiting = false;
    };
    return this.#o.pacer
      .run(spec.op, host, async () => {
        started();
        if (this.#s.closed) throw new RemoteError('unknown', 'the Drive session is closed');
        stats.requests++;
        mine.apiCalls[spec.op] = (mine.apiCalls[spec.op] ?? 0) + 1;
        let res: AxiosResponse;
        try {
          res = await this.#s.axios.request({
            method: spec.method,
            url: spec.url,
            data: spec.data,
            headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...spec.headers },
            responseType: spec.responseType === 'stream' ? 'stream' : 'json',
            ...(spec.signal ? { signal: spec.signal } : {}),
          });
        } catch (err) {
          throw networkError(err);
        }
        const headers = res.headers as Record<string, unknown>;
        if (spec.expect.includes(res.status)) {
          if (consume) return consume({ status: res.status, headers, body: res.data as Readable });
          return { status: res.status, headers, data: res.data as unknown };
        }
        const body =
          spec.responseType === 'stream' ? await readSmall(res.data as Readable) : (res.data as unknown);
        const c = classifyResponse({ status: res.status, body, nameInRequest: spec.nameInRequest ?? false });
        const now = Date.now();
        let retryAfterMs: number | undefined;
        if (c.errorClass === 'rate-limited') {
          stats.rateLimited++;
          mine.rateLimited++;
          this.#s.last429At = now;
          retryAfterMs = serverWaitMs(headers, now);
        }
        throw new RemoteError(c.errorClass, `${spec.op}: ${c.message}`, res.status, c.code, {
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      })
      .finally(started);
  }

  /** A retry loop for one logical call (see Retrier). */
  retrier(op: Operation, signal?: AbortSignal): Retrier {
    return new Retrier(this, op, signal);
  }

  /** Bearer token for a request, or null when the request is sent without one. */
  async token(spec: { auth?: boolean }): Promise<string | null> {
    return spec.auth === false ? null : this.#o.tokens.accessToken();
  }

  refreshAfter401(rejected: string): Promise<string> {
    return this.#o.tokens.afterUnauthorized(rejected);
  }

  countRetry(op: Operation, errorClass: string): void {
    this.#stat(op).retries++;
    const c = this.#s.counters.of(this.pair);
    c.retries[errorClass] = (c.retries[errorClass] ?? 0) + 1;
  }

  countFailure(op: Operation): void {
    this.#stat(op).failures++;
  }

  hold(op: Operation, untilMs: number): void {
    this.#o.pacer.hold(op, untilMs);
  }

  /**
   * send() with retries. `look` is for calls that are not idempotent: after a 598 or a lost
   * answer it checks whether the call already took effect, and its non-undefined result is
   * returned instead of sending again.
   */
  async call(spec: RequestSpec, look?: () => Promise<HttpResponse | undefined>): Promise<HttpResponse> {
    const r = this.retrier(spec.op, spec.signal);
    for (;;) {
      const token = await this.token(spec);
      try {
        return await this.send(spec, token);
      } catch (err) {
        await r.next(err, token);
        if (look && r.ambiguous) {
          const seen = await look();
          if (seen !== undefined) return seen;
        }
      }
    }
  }
}

function networkError(err: unknown): RemoteError {
  const e = err as { code?: unknown; message?: unknown; name?: string };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const { errorClass, unreachable } = classifyNetwork(code);
  const msg =
    typeof e.message === 'string' ? e.message.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]') : 'failed';
  return new RemoteError(errorClass, `network error: ${msg}`, undefined, code ?? 'NETWORK', {
    networkCode: code ?? 'NETWORK',
    unreachable,
  });
}

/**
 * The decisions of one call's retry loop (reference §7): `next(err)` either throws the final
 * error or waits the right time and returns, after which the caller tries again.
 */
export class Retrier {
  #attempt = 0;
  #rateWaits = 0;
  #refreshed = false;
  /** The last failure may have taken effect on the server (598, 5xx, no answer). */
  ambiguous = false;

  constructor(
    readonly transport: Transport,
    readonly op: Operation,
    readonly signal?: AbortSignal,
  ) {}

  async next(err: unknown, token: string | null): Promise<void> {
    this.ambiguous = false;
    if (this.signal?.aborted) throw abortError(this.signal);
    if (!(err instanceof RemoteError)) throw err;
    const t = this.transport;
    const log = t.logger;
    const opts = t.retryOptions;
    switch (err.errorClass) {
      case 'rate-limited': {
        if (++this.#rateWaits > opts.maxRateLimitWaits) break;
        const wait = err.retryAfterMs ?? backoffMs(this.#rateWaits, opts.rng, opts);
        t.hold(this.op, Date.now() + wait);
        t.countRetry(this.op, err.errorClass);
        log.info({ op: this.op, waitMs: wait }, 'rate limited: waiting for the window to reset');
        await sleep(wait, this.signal);
        return;
      }
      case 'auth': {
        if (this.#refreshed || token === null) break;
        this.#refreshed = true;
        t.countRetry(this.op, err.errorClass);
        log.info({ op: this.op }, 'access token refused: refreshing once');
        await t.refreshAfter401(token);
        return;
      }
      case 'transient':
      case 'long-running': {
        if (++this.#attempt >= opts.maxAttempts) break;
        const wait = backoffMs(this.#attempt, opts.rng, opts);
        t.countRetry(this.op, err.errorClass);
        log.warn({ op: this.op, attempt: this.#attempt, waitMs: wait, err }, 'retrying after a failure');
        await sleep(wait, this.signal);
        this.ambiguous = true;
        return;
      }
      default:
        break;
    }
    t.countFailure(this.op);
    if (err.unreachable)
      throw new UnreachableError(`the Drive service could not be reached (${err.networkCode})`);
    throw err;
  }
}
