/**
 * Uploads of reference §5: step 1 on the API host (create the upload URL, resume), step 2 on the
 * storage host (PUT raw or POST multipart `Filedata`, `Content-Range`, streamed to disk, sha256
 * while receiving, the clash re-checked at the last byte).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ApiError, exists, invalid, notFound } from '../errors/api-error.js';
import { readJsonObject, sendJson, type Ctx } from '../http.js';
import type { Env } from '../env.js';
import { fileObject } from '../fileobj.js';
import { touchFolders } from '../foldertime.js';
import { boundaryOf, multipartPart, type MultipartResult } from '../multipart.js';
import { checkName, extensionOf, suffixed } from '../names.js';
import { authenticate } from '../oauth.js';
import { newId, type Item, type UploadSession } from '../store.js';
import { clash } from './files.js';

export const MAX_FILE_SIZE = 10737418240;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function received(env: Env, id: string): number {
  const p = env.store.sessionPath(id);
  return existsSync(p) ? statSync(p).size : 0;
}

function optBool(body: Record<string, unknown>, name: string): boolean {
  const v = body[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw invalid(`${name} must be a boolean`);
  return v;
}

/** Step 1: `POST {base}/files[/{fileId}]` → 200 `{uploadUrl, offset}` (seed 004). */
export async function createUploadUrl(
  ctx: Ctx,
  env: Env,
  drive: string,
  parent: string | null,
): Promise<void> {
  const body = await readJsonObject(ctx.req);
  const n = checkName(body.fileName);
  if ('error' in n) throw invalid(n.error);
  const size = body.fileSize;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_SIZE)
    throw invalid(`fileSize must be an integer in 0..${MAX_FILE_SIZE}`);
  let modified: number | null = null;
  if (body.modifiedTime !== undefined && body.modifiedTime !== null) {
    const t = body.modifiedTime;
    if (typeof t !== 'string' || !RFC3339.test(t) || Number.isNaN(Date.parse(t)))
      throw invalid('modifiedTime must be an RFC 3339 date-time');
    modified = Date.parse(t);
  }
  const overwrite = optBool(body, 'overwrite');
  const suffix = optBool(body, 'suffixOnDuplicate');
  const resume = optBool(body, 'resume');
  const existing = clash(env, drive, parent, n.name);
  if (existing && !suffix && (!overwrite || existing.folder)) throw exists(`${n.name} already exists.`);
  const now = Date.now();
  if (resume) {
    const s = env.store.pendingSession(drive, parent, n.name, size, now);
    if (s) {
      await env.busy.get(s.id);
      return sendJson(ctx, 200, { uploadUrl: uploadUrlOf(env, s.id), offset: received(env, s.id) });
    }
  }
  const s: UploadSession = {
    id: newId('u'),
    drive,
    parent,
    name: n.name,
    size,
    modified,
    overwrite: overwrite ? 1 : 0,
    suffix: suffix ? 1 : 0,
    created: now,
    expires: now + env.knobs.uploadUrlTtl * 1000,
    done: 0,
  };
  writeFileSync(env.store.sessionPath(s.id), '');
  env.store.insertSession(s);
  sendJson(ctx, 200, { uploadUrl: uploadUrlOf(env, s.id), offset: 0 });
}

function uploadUrlOf(env: Env, id: string): string {
  return `${env.urls.storage}/upload/${id}`;
}

const storageError = (status: number, code: number, message: string): ApiError =>
  new ApiError(status, status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message, code);

/** `bytes first-last/total`; null when absent. */
function contentRange(h: string | undefined): { first: number; last: number; total: number } | null {
  if (h === undefined) return null;
  const m = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(h.trim());
  if (!m) throw storageError(400, 10000, 'Content-Range is malformed');
  const [first, last, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (last < first) throw storageError(400, 10000, 'Content-Range is malformed');
  return { first, last, total };
}

async function* counted(
  src: AsyncIterable<Buffer>,
  limit: number | undefined,
  cut: { cut: boolean },
): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const c of src) {
    if (limit !== undefined && n + c.length >= limit) {
      const part = c.subarray(0, limit - n);
      if (part.length) yield part;
      cut.cut = true;
      return;
    }
    n += c.length;
    yield c;
  }
}

/** Every byte of `bufs` written from `at`, however many calls that takes. */
async function writeAll(fh: FileHandle, bufs: Buffer[], at: number): Promise<void> {
  let left = bufs;
  let pos = at;
  while (left.length > 0) {
    const { bytesWritten } = await fh.writev(left, pos);
    if (bytesWritten <= 0) throw new Error('writing the upload wrote no bytes');
    pos += bytesWritten;
    let n = bytesWritten;
    let i = 0;
    while (i < left.length && n >= left[i]!.length) n -= left[i++]!.length;
    left = i < left.length ? [left[i]!.subarray(n), ...left.slice(i + 1)] : [];
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

function quotaCheck(env: Env, s: UploadSession, replaced: Item | undefined): void {
  const used = env.store.usage(s.drive).used - (replaced && !replaced.folder ? replaced.size : 0);
  if (used + s.size > env.knobs.quota) throw new ApiError(403, 'LIMIT_EXCEEDED', 'Over Upload Quota', 1003);
}

/** Step 2 on the storage host: `PUT|POST /upload/{sessionId}` → 201 File. */
export async function storageUpload(ctx: Ctx, env: Env): Promise<void> {
  if (env.knobs.storageAuth === 'required') authenticate(ctx, env, true);
  const id = ctx.segments[1] ?? '';
  const s = ctx.segments.length === 2 ? env.store.session(id) : undefined;
  if (!s || s.done || s.expires < Date.now()) throw storageError(404, 1011, 'Not Exist Path');
  const ext = extensionOf(s.name);
  if (ext && env.knobs.blockedExtensions.includes(ext))
    throw new ApiError(400, 'BLOCKED_EXTENSION_FILE', 'Restrict Upload File Extension', 1076);
  const parentOk = s.parent === null || env.store.item(s.parent)?.folder === 1;
  if (!parentOk) throw storageError(404, 1001, 'Parent Folder Not Found');
  if (env.knobs.maxFileSize > 0 && s.size > env.knobs.maxFileSize)
    throw new ApiError(403, 'LIMIT_EXCEEDED', 'Over Quota File Size', 1022);
  quotaCheck(env, s, s.overwrite ? clash(env, s.drive, s.parent, s.name) : undefined);
  await env.busy.get(s.id);
  const have = received(env, s.id);
  const range = contentRange(ctx.req.headers['content-range']);
  const first = range ? range.first : 0;
  if (range) {
    if (range.total !== s.size) throw storageError(400, 10000, `Content-Range total must be ${s.size}`);
    if (range.first !== have)
      throw new ApiError(
        416,
        'RANGE_NOT_SATISFIABLE',
        `Content-Range must start at ${have}`,
        10000,
        have > 0 ? { Range: `bytes=0-${have - 1}` } : {},
      );
    if (range.last !== s.size - 1)
      throw storageError(400, 10000, 'Content-Range must run to the end of the file');
  }
  const type = String(ctx.req.headers['content-type'] ?? '');
  const isMultipart = /^multipart\/form-data/i.test(type);
  const boundary = isMultipart ? boundaryOf(type) : null;
  if (isMultipart && !boundary) throw storageError(400, 10000, 'multipart boundary is missing');
  const remaining = s.size - first;
  const declared = ctx.req.headers['content-length'];
  if (!isMultipart && declared !== undefined && Number(declared) !== remaining)
    throw storageError(400, 10000, `Content-Length must be ${remaining}`);

  const socket = ctx.req.socket;
  const cut = { cut: false };
  const raw = counted(ctx.req as AsyncIterable<Buffer>, ctx.fault?.dropAfterBytes, cut);
  const mp: MultipartResult = { complete: false, found: false };
  const src = boundary ? multipartPart(raw, boundary, mp) : raw;
  const path = env.store.sessionPath(s.id);
  const fh = await open(path, 'r+');
  const hash: Hash | null = first === 0 ? createHash('sha256') : null;
  let written = 0;
  let overflow = false;
  let aborted = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // One write in flight while the next megabyte is read; `written` counts bytes handed to it.
  let writing: Promise<unknown> = Promise.resolve();
  const flush = async (): Promise<void> => {
    if (!pendingBytes) return;
    const bufs = pending;
    const n = pendingBytes;
    pending = [];
    pendingBytes = 0;
    if (hash) for (const b of bufs) hash.update(b);
    await writing;
    const at = first + written;
    written += n;
    writing = writeAll(fh, bufs, at);
  };
  let release = (): void => {};
  const busy = new Promise<void>((r) => (release = r));
  env.busy.set(s.id, busy);
  try {
    await fh.truncate(first);
    try {
      for await (const c of src) {
        const room = remaining - written - pendingBytes;
        if (c.length > room) overflow = true;
        const take = c.length > room ? c.subarray(0, room) : c;
        if (take.length) {
          pending.push(take);
          pendingBytes += take.length;
        }
        if (pendingBytes >= 1024 * 1024) await flush();
      }
    } catch {
      aborted = true;
    }
    // The bytes received before a cut stay in the session (reference §5).
    await flush();
    await writing;
  } finally {
    await fh.close();
    if (env.busy.get(s.id) === busy) env.busy.delete(s.id);
    release();
  }
  if (cut.cut || aborted) {
    socket.destroy();
    ctx.res.destroy();
    // Every byte of the file arrived before the break: the upload completes and only the answer
    // is lost (as with a cut right after the last byte). Left pending, the session could never
    // finish: its offset would equal the size, and no Content-Range starts there.
    const whole = remaining > 0 && !overflow && written === remaining && (!boundary || mp.complete);
    if (whole) {
      try {
        await complete(ctx, env, s, hash ? hash.digest('hex') : await hashFile(path));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
    return;
  }
  if (boundary && !mp.found) throw storageError(400, 10000, 'multipart body has no Filedata part');
  if (overflow) throw storageError(400, 10000, 'body is longer than the file');
  if (first + written !== s.size)
    throw storageError(400, 10000, `body ended at byte ${first + written} of ${s.size}`);
  await complete(ctx, env, s, hash ? hash.digest('hex') : await hashFile(path));
}

async function complete(ctx: Ctx, env: Env, s: UploadSession, sha256: string): Promise<void> {
  const fresh = env.store.session(s.id);
  if (!fresh || fresh.done) throw storageError(404, 1011, 'Not Exist Path');
  let name = s.name;
  const existing = clash(env, s.drive, s.parent, name);
  let replace: Item | undefined;
  if (existing) {
    if (s.overwrite && !existing.folder) replace = existing;
    else if (s.suffix) {
      for (let n = 1; clash(env, s.drive, s.parent, name); n++) name = suffixed(s.name, n);
    } else throw new ApiError(409, 'ALREADY_EXIST', 'Duplicated File Exist', 1009);
  }
  quotaCheck(env, s, replace);
  const blob = newId('b');
  renameSync(env.store.sessionPath(s.id), env.store.blobPath(blob));
  const now = Date.now();
  const modified = s.modified ?? now;
  let id: string;
  env.store.db.transaction(() => {
    if (replace) {
      env.store.update(replace.id, { size: s.size, modified, accessed: now, blob, sha256 });
      id = replace.id;
    } else {
      id = newId();
      env.store.insert({
        id,
        drive: s.drive,
        parent: s.parent,
        name,
        nkey: name.normalize('NFC').toLowerCase(),
        folder: 0,
        size: s.size,
        created: now,
        modified,
        accessed: now,
        blob,
        sha256,
        trashed: 0,
      });
    }
    env.store.finishSession(s.id);
    touchFolders(env, s.parent, now);
  })();
  if (replace?.blob) rmSync(env.store.blobPath(replace.blob), { force: true });
  const item = env.store.item(id!);
  if (!item) throw notFound();
  sendJson(ctx, 201, fileObject(env.store, item, env.knobs));
}
