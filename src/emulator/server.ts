/**
 * The LINE WORKS Drive emulator (contracts §3): API, auth and admin on one loopback port, the
 * storage host on another (a different origin, as in real life).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { applyKnobs, DEFAULT_KNOBS, type Knobs } from './config.js';
import { ApiError, faultError, notFound } from './errors/api-error.js';
import { REQUEST_LOG_MAX, type Env } from './env.js';
import { FaultQueue } from './faults.js';
import { gone, sendError, sleep, type Ctx, type HostKind } from './http.js';
import { RateLimiter } from './ratelimit.js';
import { Store } from './store.js';
import { handleAdmin } from './admin.js';
import { parseBase, routeOf } from './drives.js';
import { authenticate, authorize, revoke, token } from './oauth.js';
import { handleFiles } from './routes/files.js';
import { createUploadUrl, storageUpload } from './routes/upload.js';
import { storageDownload } from './routes/download.js';

export interface EmulatorOptions extends Partial<Knobs> {
  host?: string;
  port?: number;
  storagePort?: number;
  /** Keeps state across restarts; without it, state is in memory and a private temp dir. */
  dataDir?: string;
  /** PEM file of the service account's public key (read into `jwtPublicKey`). */
  jwtPublicKeyFile?: string;
}

export interface Emulator {
  urls: { api: string; auth: string; storage: string; admin: string };
  knobs: Knobs;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function decodeSegments(pathname: string): string[] | null {
  try {
    return pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

interface Planned {
  operation: string;
  run: (ctx: Ctx) => Promise<void> | void;
}

function planApi(env: Env, method: string, segments: string[]): Planned {
  const base = parseBase(segments);
  if (!base)
    return {
      operation: 'unknown',
      run: () => {
        throw notFound('No such API.');
      },
    };
  const route = routeOf(method, base.rest);
  if ('status' in route) {
    return {
      operation: 'unknown',
      run: () => {
        throw route.status === 405
          ? new ApiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.')
          : notFound('No such API.');
      },
    };
  }
  return {
    operation: route.operation,
    run: async (ctx) => {
      authenticate(ctx, env, route.write);
      if (!base.known || !env.store.hasDrive(base.drive)) throw notFound('The drive was not found.');
      await handleFiles(ctx, env, base.drive, route, createUploadUrl);
    },
  };
}

function planAuth(env: Env, method: string, segments: string[]): Planned {
  const [name] = segments;
  const m = method.toUpperCase();
  if (segments.length === 1 && name === 'authorize' && m === 'GET')
    return { operation: 'authorize', run: (c) => authorize(c, env) };
  if (segments.length === 1 && name === 'token' && m === 'POST')
    return { operation: 'token', run: (c) => token(c, env) };
  if (segments.length === 1 && name === 'revoke' && m === 'POST')
    return { operation: 'revoke', run: (c) => revoke(c, env) };
  return {
    operation: 'unknown',
    run: () => {
      throw notFound('No such endpoint.');
    },
  };
}

function planStorage(env: Env, method: string, segments: string[]): Planned {
  const m = method.toUpperCase();
  if (segments[0] === 'upload' && (m === 'PUT' || m === 'POST'))
    return { operation: 'upload', run: (c) => storageUpload(c, env) };
  // HEAD answers the headers of the GET (length, disposition, ranges) without the body.
  if (segments[0] === 'download' && (m === 'GET' || m === 'HEAD'))
    return { operation: 'download-content', run: (c) => storageDownload(c, env) };
  const allow = segments[0] === 'upload' ? 'PUT, POST' : segments[0] === 'download' ? 'GET, HEAD' : null;
  if (allow)
    return {
      operation: 'unknown',
      run: () => {
        throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'Not Supported Operation', 10000, { Allow: allow });
      },
    };
  return {
    operation: 'unknown',
    run: () => {
      throw new ApiError(404, 'NOT_FOUND', 'Not Exist Path', 1011);
    },
  };
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host))
    throw new Error(
      `emulator: --host ${host} is not a loopback address; the emulator listens on loopback only`,
    );
  const knobs: Knobs = { ...DEFAULT_KNOBS, blockedExtensions: [] };
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(DEFAULT_KNOBS))
    if ((opts as Record<string, unknown>)[k] !== undefined) patch[k] = (opts as Record<string, unknown>)[k];
  applyKnobs(knobs, patch);
  if (opts.jwtPublicKeyFile) {
    try {
      knobs.jwtPublicKey = readFileSync(opts.jwtPublicKeyFile, 'utf8');
    } catch (e) {
      throw new Error(
        `--jwt-public-key: cannot read ${opts.jwtPublicKeyFile} (${(e as NodeJS.ErrnoException).code ?? e})`,
      );
    }
  }
  const store = new Store(opts.dataDir);
  const env: Env = {
    store,
    knobs,
    limiter: new RateLimiter(),
    faults: new FaultQueue(),
    requests: [],
    busy: new Map(),
    urls: { api: '', auth: '', storage: '', admin: '' },
  };
  let inflight = 0;
  /** Aborted by close(): sleeps end early and no handler starts new work. */
  const stopping = new AbortController();
  /** Every running request handler; close() waits for them before it closes the database. */
  const running = new Set<Promise<void>>();

  const serve = async (
    kind: 'main' | 'storage',
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    if (stopping.signal.aborted) {
      res.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    let hostKind: HostKind;
    let segments: string[] | null;
    if (kind === 'storage') {
      hostKind = 'storage';
      segments = decodeSegments(url.pathname);
    } else if (url.pathname.startsWith('/_emulator/') || url.pathname === '/_emulator') {
      const rest = decodeSegments(url.pathname.slice('/_emulator'.length)) ?? [];
      return handleAdmin(req, res, env, rest, { reset: () => reset() });
    } else if (url.pathname.startsWith('/oauth2/v2.0/')) {
      hostKind = 'auth';
      segments = decodeSegments(url.pathname.slice('/oauth2/v2.0'.length));
    } else {
      hostKind = 'api';
      segments = url.pathname.startsWith('/v1.0/') ? decodeSegments(url.pathname.slice('/v1.0'.length)) : [];
    }
    const plan: Planned =
      segments === null
        ? {
            operation: 'unknown',
            run: () => {
              throw new ApiError(400, 'INVALID_PARAMETER', 'The path is not valid percent-encoding.');
            },
          }
        : hostKind === 'storage'
          ? planStorage(env, method, segments)
          : hostKind === 'auth'
            ? planAuth(env, method, segments)
            : url.pathname.startsWith('/v1.0/')
              ? planApi(env, method, segments)
              : {
                  operation: 'unknown',
                  run: () => {
                    throw notFound('No such API.');
                  },
                };
    const ctx: Ctx = {
      req,
      res,
      url,
      segments: segments ?? [],
      host: hostKind,
      operation: plan.operation,
      dialect: hostKind === 'storage' ? 'storage' : knobs.errorDialect,
      extraHeaders: {},
    };
    inflight++;
    res.on('close', () => {
      inflight--;
      // Bounded so a long-running emulator keeps a flat memory profile. Trimmed a tenth at a time:
      // a splice per request once full costs ~0.3 ms (it moves all 200,000 entries).
      if (env.requests.length >= REQUEST_LOG_MAX + REQUEST_LOG_MAX / 10)
        env.requests.splice(0, env.requests.length - REQUEST_LOG_MAX + 1);
      const range = hostKind === 'storage' ? (req.headers['content-range'] ?? req.headers.range) : undefined;
      env.requests.push({
        method,
        path: url.pathname + url.search,
        operation: plan.operation,
        status: res.headersSent && res.writableFinished ? res.statusCode : 0,
        ...(typeof range === 'string' ? { range } : {}),
      });
    });
    try {
      if (knobs.latency > 0) await sleep(knobs.latency, stopping.signal);
      // A client that left during the latency gets nothing (its 'close' has fired already).
      if (stopping.signal.aborted || gone(res)) return void res.destroy();
      if (knobs.concurrency > 0 && inflight > knobs.concurrency)
        return sendError(
          ctx,
          new ApiError(429, 'TOO_MANY_REQUESTS', 'API rate limit exceeded'),
          undefined,
          1,
        );
      if (plan.operation !== 'unknown') {
        const rl = env.limiter.check(plan.operation, knobs.rateLimit);
        if (plan.operation !== 'download') ctx.extraHeaders = rl.headers;
        if (!rl.ok)
          return sendError(
            ctx,
            new ApiError(429, 'TOO_MANY_REQUESTS', 'API rate limit exceeded'),
            undefined,
            Number(rl.headers['rateLimit-reset']),
          );
        const fault = env.faults.take(plan.operation, url.pathname);
        if (fault) {
          if (fault.delayMs) await sleep(fault.delayMs, stopping.signal);
          if (stopping.signal.aborted || gone(res)) return void res.destroy();
          if (fault.status !== undefined && !fault.apply)
            return sendError(ctx, faultError(fault.status), fault.dialect, fault.resetSeconds);
          ctx.fault = fault;
        }
      }
      await plan.run(ctx);
      if (!res.headersSent && !res.destroyed && !req.socket?.destroyed)
        throw new Error(`no answer for ${method} ${url.pathname}`);
    } catch (e) {
      if (e instanceof ApiError) return sendError(ctx, e);
      // A handler cut short by close() (its socket destroyed) is not an emulator fault.
      if (stopping.signal.aborted) return void res.destroy();
      console.error(`emulator: ${method} ${url.pathname}:`, e);
      if (!res.headersSent && !res.destroyed)
        sendError(ctx, new ApiError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
      else res.destroy();
    }
  };

  const handler = (kind: 'main' | 'storage') => (req: IncomingMessage, res: ServerResponse) => {
    const p = serve(kind, req, res)
      .catch((e: unknown) => {
        if (!stopping.signal.aborted) console.error('emulator: unhandled', e);
        res.destroy();
      })
      .finally(() => running.delete(p));
    running.add(p);
  };
  const main = createServer(handler('main'));
  const storage = createServer(handler('storage'));
  for (const s of [main, storage]) {
    s.requestTimeout = 0;
    s.on('clientError', (_e, socket) => socket.destroy());
  }
  const listen = (s: Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
    });
  const p = await listen(main, opts.port ?? 0);
  const q = await listen(storage, opts.storagePort ?? 0);
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  env.urls = {
    api: `http://${h}:${p}/v1.0`,
    auth: `http://${h}:${p}/oauth2/v2.0`,
    storage: `http://${h}:${q}`,
    admin: `http://${h}:${p}/_emulator`,
  };
  const reset = (): void => {
    store.reset();
    env.faults.clear();
    env.limiter.reset();
    env.requests.length = 0;
  };
  const closeServer = (s: Server): Promise<void> =>
    new Promise((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  let closing: Promise<void> | null = null;
  return {
    urls: { ...env.urls },
    knobs,
    /**
     * Stops accepting, cuts every open connection (in-flight requests included), waits for the
     * handlers to wind down (an upload keeps the bytes it received), then closes the database.
     */
    close() {
      closing ??= (async () => {
        stopping.abort();
        const servers = Promise.all([closeServer(main), closeServer(storage)]);
        while (running.size > 0) await Promise.allSettled([...running]);
        await servers;
        store.close();
      })();
      return closing;
    },
  };
}
