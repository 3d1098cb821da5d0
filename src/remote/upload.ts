/**
 * Resumable, streamed uploads (reference §5, seed 004).
 *
 * Step 1 creates the upload URL with `resume:true`; the server answers the session it holds for
 * this parent, name and size, and how many bytes it already has (`offset`). The session goes to
 * `onSession` before any byte is sent. Step 2 PUTs the raw bytes from that offset, read from disk
 * as a stream (`Content-Range: bytes first-last/total` when resuming), with no redirect following
 * and a stall watchdog instead of a timeout. After a broken connection the server is asked for its
 * offset again and the upload continues from there. An offset is trusted only for a session this
 * upload created or a persisted session whose file (name, size, mtime) is unchanged; any other
 * session with bytes in it is replaced by a fresh one (`resume:false`), since its bytes may belong
 * to an older version of the file. An expired upload URL (404) starts over.
 *
 * The local file is checked (size, mtime) before and after sending: a file that changed fails the
 * call with a LocalChangedError (class 'transient', code LOCAL_CHANGED); the next attempt starts a
 * new session. When the Drive completed the upload all the same, the error carries the file it now
 * holds, so that the caller can record what the Drive has instead of meeting it later as a stranger.
 * A file that shrinks while it is read ends the transfer at once (its body would fall short of the
 * declared length and wait for the stall watchdog).
 */
import { stat } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import type { DriveApi } from './api.js';
import { findByName } from './api.js';
import { LocalChangedError, RemoteError } from './errors.js';
import { FileBody } from './filebody.js';
import { abortError, type Transport } from './transport.js';
import type { RemoteEntry, UploadOptions, UploadSession } from './types.js';
import { watch } from './watchdog.js';
import { readFile, toEntry, toRfc3339 } from './wire.js';

export interface UploadContext {
  api: DriveApi;
  transport: Transport;
  /** A transfer with no progress for this long is cut and resumed. */
  stallMs: number;
}

interface LocalState {
  size: number;
  mtimeMs: number;
}

async function localState(path: string): Promise<LocalState> {
  const st = await stat(path);
  if (!st.isFile()) throw new RemoteError('bad-request', `not a regular file: ${path}`);
  return { size: st.size, mtimeMs: st.mtimeMs };
}

function changedError(path: string, entry?: RemoteEntry): LocalChangedError {
  return new LocalChangedError(
    `the local file changed while it was being uploaded (${path}); the upload starts again on the next attempt`,
    entry,
  );
}

/** `entry`: the file the Drive completed from the bytes sent, if it did. */
async function assertUnchanged(path: string, before: LocalState, entry?: RemoteEntry): Promise<void> {
  let now: LocalState | null = null;
  try {
    now = await localState(path);
  } catch {
    now = null;
  }
  if (!now || now.size !== before.size || now.mtimeMs !== before.mtimeMs) throw changedError(path, entry);
}

/** Bounded restarts for an expired URL or an untrusted session, so a confused server cannot loop us. */
const MAX_RESTARTS = 5;

export async function upload(
  ctx: UploadContext,
  localPath: string,
  parentKey: string | null,
  name: string,
  opts: UploadOptions = {},
): Promise<RemoteEntry> {
  const { api, transport } = ctx;
  const log = transport.logger;
  const before = await localState(localPath);
  const mtimeMs = opts.mtimeMs ?? before.mtimeMs;
  const modifiedTime = toRfc3339(mtimeMs);
  const matches = (s: UploadSession | null | undefined): s is UploadSession =>
    !!s &&
    s.parentKey === parentKey &&
    s.name === name &&
    s.size === before.size &&
    // The journal keeps whole milliseconds (journal/schema 001 mtime_ms INTEGER).
    Math.trunc(s.mtimeMs) === Math.trunc(before.mtimeMs);
  let known: UploadSession | null = matches(opts.session) ? opts.session : null;
  let fresh = false;
  let restarts = 0;
  let mayHaveCompleted = false;
  const retry = transport.retrier('upload', opts.signal);

  /** After an answer was lost with every byte sent: the finished file, if the server has it. */
  const findFinished = async (): Promise<RemoteEntry | undefined> => {
    const f = findByName(await api.listAll(parentKey), name);
    if (!f || f.fileType === 'FOLDER' || Number(f.fileSize ?? 0) !== before.size) return undefined;
    const e = toEntry(f);
    return Math.abs(e.updateDate - mtimeMs) < 1000 ? e : undefined;
  };

  for (;;) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    await assertUnchanged(localPath, before);

    let created: { uploadUrl: string; offset: number };
    try {
      created = await api.createUploadUrl(
        parentKey,
        {
          fileName: name,
          fileSize: before.size,
          modifiedTime,
          overwrite: opts.overwrite ?? false,
          resume: !fresh,
        },
        opts.signal,
      );
    } catch (err) {
      if (mayHaveCompleted && err instanceof RemoteError && err.errorClass === 'exists') {
        const done = await findFinished();
        if (done) return done;
      }
      throw err;
    }
    const ours = known !== null && known.uploadUrl === created.uploadUrl;
    if (created.offset > 0 && (!ours || created.offset >= before.size)) {
      if (++restarts > MAX_RESTARTS)
        throw new RemoteError('transient', 'upload: the server keeps an unusable session');
      log.info(
        { op: 'upload', offset: created.offset },
        'upload: a session of another version exists: starting fresh',
      );
      fresh = true;
      known = null;
      continue;
    }
    fresh = false;
    const session: UploadSession = {
      uploadUrl: created.uploadUrl,
      offset: created.offset,
      size: before.size,
      mtimeMs: before.mtimeMs,
      parentKey,
      name,
      createdAt: ours && known ? known.createdAt : Date.now(),
    };
    known = session;
    opts.onSession?.(session);

    const remaining = before.size - session.offset;
    let sent = 0;
    let body: Readable | null = null;
    const w = watch(ctx.stallMs, opts.signal);
    const token = await transport.token({});
    let entry: RemoteEntry;
    try {
      const headers: Record<string, string> = {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(remaining),
        // A storage host that answers before reading the whole body leaves the connection unusable.
        Connection: 'close',
      };
      if (session.offset > 0)
        headers['Content-Range'] = `bytes ${session.offset}-${before.size - 1}/${before.size}`;
      const tick = (n: number): void => {
        w.kick();
        transport.countBytes('up', n);
        sent += n;
        opts.onProgress?.({ bytesDone: session.offset + sent, bytesTotal: before.size });
      };
      // The session's bandwidth limit paces the bytes, resumed ones too (bandwidth.ts); the bytes
      // count as they leave the limit, or as they are read when there is none.
      const paced = remaining === 0 ? null : transport.throttle('up', tick);
      // Never more than declared, even if the file grows meanwhile (the check after sending reports it).
      const file =
        remaining === 0
          ? null
          : new FileBody(localPath, session.offset, before.size, paced ? undefined : tick);
      body = file === null ? null : paced ? pipeline(file, paced, () => {}) : file;
      const res = await transport.send(
        {
          op: 'upload',
          method: 'PUT',
          url: session.uploadUrl,
          data: body ?? Buffer.alloc(0),
          headers,
          expect: [201, 200],
          signal: w.signal,
        },
        token,
      );
      w.stop();
      body?.destroy();
      entry = toEntry(readFile(res.data));
    } catch (err) {
      w.stop();
      body?.destroy();
      if (opts.signal?.aborted) throw abortError(opts.signal);
      await assertUnchanged(localPath, before);
      if (!(err instanceof RemoteError)) throw err;
      if (sent >= remaining) mayHaveCompleted = true;
      log.info(
        { op: 'upload', offset: session.offset, sent, stalled: w.stalled, err },
        'upload: the transfer broke: asking the server for its offset',
      );
      if (err.status === 404 || err.status === 410) {
        if (++restarts > MAX_RESTARTS) throw err;
        known = null;
        continue;
      }
      if (err.status === 416) {
        await retry.next(new RemoteError('transient', err.message, 416, err.code), token);
        continue;
      }
      await retry.next(err, token);
      if (mayHaveCompleted && retry.ambiguous) {
        const done = await findFinished();
        if (done) return done;
      }
      continue;
    }
    transport.countTransfer('up');
    await assertUnchanged(localPath, before, entry);
    return entry;
  }
}
