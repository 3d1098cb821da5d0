/** Request context and response helpers shared by every route (node:http, no framework). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from './errors/api-error.js';
import { faultError, invalid } from './errors/api-error.js';
import { renderError, type AnyDialect } from './errors/dialects.js';
import type { Fault } from './faults.js';

export type HostKind = 'api' | 'auth' | 'storage';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path segments after the host prefix, percent-decoded (reference §4). */
  segments: string[];
  host: HostKind;
  operation: string;
  dialect: AnyDialect;
  fault?: Fault;
  /** Headers every answer of this request carries (rate-limit headers). */
  extraHeaders: Record<string, string>;
}

/** OAuth error names for errors raised on the auth host **[chosen]**. */
function oauthName(err: ApiError): string {
  if (err.status === 401) return 'invalid_client';
  if (err.status === 429) return 'temporarily_unavailable';
  if (err.status >= 500) return err.status === 503 ? 'temporarily_unavailable' : 'server_error';
  return 'invalid_request';
}

export function sendJson(
  ctx: Ctx,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (ctx.fault?.apply && ctx.fault.status !== undefined) {
    const f = ctx.fault;
    ctx.fault = undefined;
    sendError(ctx, faultError(f.status as number), f.dialect, f.resetSeconds);
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  ctx.res.writeHead(status, {
    ...ctx.extraHeaders,
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  ctx.res.end(text);
}

/** Answers `err` in `dialect` (default: the context's); a 429 carries `rateLimit-reset`. */
export function sendError(ctx: Ctx, err: ApiError, dialect?: AnyDialect, resetSeconds?: number): void {
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  const d = dialect ?? ctx.dialect;
  const body =
    ctx.host === 'auth' && dialect === undefined
      ? { error: oauthName(err), error_description: err.description }
      : renderError(err, d);
  const headers: Record<string, string> = { ...err.headers };
  if (err.status === 429) {
    headers['rateLimit-reset'] = String(resetSeconds ?? ctx.extraHeaders['rateLimit-reset'] ?? 1);
    headers['rateLimit-remaining'] = '0';
    if (!ctx.extraHeaders['rateLimit-limit']) headers['rateLimit-limit'] = '0';
  }
  const text = JSON.stringify(body);
  ctx.res.writeHead(err.status, {
    ...ctx.extraHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  ctx.res.end(text);
}

/** Reads a small body (JSON or form) into memory, at most `limit` bytes, else 400. */
export async function readSmallBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) throw invalid('request body too large');
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** The JSON object body of a request; anything else is 400 INVALID_PARAMETER. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const buf = await readSmallBody(req);
  const text = buf.toString('utf8').trim();
  if (text === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid('request body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalid('request body must be a JSON object');
  return v as Record<string, unknown>;
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const buf = await readSmallBody(req);
  return new URLSearchParams(buf.toString('utf8'));
}

export function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? (m[1] as string) : '';
}

/** Waits `ms`, or less when `signal` aborts first (the emulator is closing); never rejects. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** The client's connection is closed: nothing written to `res` arrives, and no 'close' event follows. */
export function gone(res: ServerResponse): boolean {
  return res.destroyed || res.closed || res.socket === null || res.socket.destroyed;
}
