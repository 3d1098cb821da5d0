/**
 * Download content on the storage host (reference §6): 200 with `Content-Length` and
 * `Content-Disposition`, `Range` → 206; `dropAfterBytes` cuts the body after K bytes.
 */
import { createReadStream } from 'node:fs';
import { ApiError } from '../errors/api-error.js';
import { gone, sendJson, type Ctx } from '../http.js';
import type { Env } from '../env.js';
import { authenticate } from '../oauth.js';

function parseRange(h: string, size: number): { start: number; end: number } | 'bad' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'bad';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'bad';
  return { start, end };
}

export async function storageDownload(ctx: Ctx, env: Env): Promise<void> {
  if (env.knobs.storageAuth === 'required') authenticate(ctx, env, false);
  const it = ctx.segments.length === 2 ? env.store.item(ctx.segments[1] ?? '') : undefined;
  if (!it || it.folder || !it.blob) throw new ApiError(404, 'NOT_FOUND', 'File Information Not Found', 1036);
  const size = it.size;
  let start = 0;
  let end = size - 1;
  let status = 200;
  const rangeHeader = ctx.req.headers.range;
  if (typeof rangeHeader === 'string' && size > 0) {
    const r = parseRange(rangeHeader, size);
    if (r === 'bad')
      throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', 'Requested range not satisfiable', 10000, {
        'Content-Range': `bytes */${size}`,
      });
    if (r) {
      ({ start, end } = r);
      status = 206;
    }
  }
  const length = size === 0 ? 0 : end - start + 1;
  const fault = ctx.fault;
  if (fault?.apply && fault.status !== undefined) {
    return sendJson(ctx, 200, {});
  }
  const headers: Record<string, string> = {
    ...ctx.extraHeaders,
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(length),
    'Accept-Ranges': 'bytes',
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(it.name)}`,
  };
  if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  ctx.res.writeHead(status, headers);
  if (length === 0 || ctx.req.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  if (gone(ctx.res)) return;
  const limit = fault?.dropAfterBytes;
  let sent = 0;
  const stream = createReadStream(env.store.blobPath(it.blob), { start, end, highWaterMark: 256 * 1024 });
  await new Promise<void>((resolve) => {
    const done = (): void => {
      stream.destroy();
      resolve();
    };
    ctx.res.on('close', done);
    stream.on('error', () => {
      ctx.res.destroy();
      done();
    });
    stream.on('end', () => {
      ctx.res.end();
    });
    stream.on('data', (chunk: Buffer | string) => {
      const c = chunk as Buffer;
      if (limit !== undefined && sent + c.length >= limit && limit < length) {
        const part = c.subarray(0, limit - sent);
        sent = limit;
        stream.pause();
        ctx.res.write(part, () => ctx.res.socket?.destroy());
        setTimeout(() => ctx.res.socket?.destroy(), 50);
        return;
      }
      sent += c.length;
      if (!ctx.res.write(c)) {
        stream.pause();
        ctx.res.once('drain', () => stream.resume());
      }
    });
  });
}
