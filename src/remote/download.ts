/**
 * Streamed, resumable downloads (reference §6). `GET …/download` answers 302; the client follows
 * the Location itself and sends Authorization again (the storage host is another origin and wants
 * it). The body streams to `destPath`; after a break the download continues with
 * `Range: bytes=N-` (206, appended). A 200 to a Range request restarts the file from byte 0. The
 * final size must equal the File's `fileSize`.
 */
import { open, stat, truncate, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { DriveApi } from './api.js';
import { RemoteError } from './errors.js';
import { writeBody } from './filesink.js';
import { abortError, type Transport } from './transport.js';
import type { DownloadOptions, RemoteEntry } from './types.js';
import { watch } from './watchdog.js';
import { toEntry } from './wire.js';

export interface DownloadContext {
  api: DriveApi;
  transport: Transport;
  stallMs: number;
}

async function sizeOnDisk(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function header(h: Record<string, unknown>, name: string): string | undefined {
  const v = h[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Failures of our own disk (full, read-only, …) are not retried as network failures. */
function isLocalFsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EISDIR', 'ENOENT', 'EMFILE'].includes(code)
  );
}

export async function download(
  ctx: DownloadContext,
  key: string,
  destPath: string,
  opts: DownloadOptions = {},
): Promise<RemoteEntry> {
  const { api, transport } = ctx;
  const log = transport.logger;
  const entry = toEntry(await api.getFile(key));
  if (entry.kind === 'folder') throw new RemoteError('bad-request', `download: ${entry.path} is a folder`);
  const total = entry.size;

  const sameVersion =
    opts.version === undefined ||
    (opts.version.updateDate === entry.updateDate && opts.version.size === entry.size);
  let have = opts.resume && sameVersion ? await sizeOnDisk(destPath) : 0;
  if (have > total) have = 0;
  if (have === 0) await writeFile(destPath, '');
  const retry = transport.retrier('download-content', opts.signal);

  for (;;) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    if (have === total && total > 0) break;
    const location = await api.downloadLocation(key, opts.signal);
    const w = watch(ctx.stallMs, opts.signal);
    const token = await transport.token({});
    const start = have;
    try {
      await transport.send(
        {
          op: 'download-content',
          method: 'GET',
          url: location,
          expect: [200, 206],
          responseType: 'stream',
          headers: start > 0 ? { Range: `bytes=${start}-` } : {},
          signal: w.signal,
        },
        token,
        async (res) => {
          let from = start;
          if (res.status === 200) from = 0;
          else {
            const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(
              (header(res.headers, 'content-range') ?? '').trim(),
            );
            if (!range || Number(range[1]) !== start || (range[2] !== '*' && Number(range[2]) !== total)) {
              res.body.destroy();
              throw new RemoteError(
                'transient',
                'download: the storage host answered another range or file size',
              );
            }
          }
          const length = Number(header(res.headers, 'content-length') ?? NaN);
          if (Number.isFinite(length) && from + length !== total) {
            res.body.destroy();
            throw new RemoteError(
              'transient',
              'download: the file changed on the server during the download',
            );
          }
          if (from === 0 && start > 0) await truncate(destPath, 0);
          let got = 0;
          const tick = (n: number): void => {
            w.kick();
            transport.countBytes('down', n);
            got += n;
            opts.onProgress?.({ bytesDone: from + got, bytesTotal: total });
          };
          // The session's bandwidth limit paces the bytes, resumed ones too (bandwidth.ts).
          // A file that cannot be opened leaves no answer half read on a kept-alive socket.
          const out = await open(destPath, from === 0 ? 'w' : 'a').catch((err: unknown) => {
            res.body.destroy();
            throw err;
          });
          const paced = transport.throttle('down');
          const source = paced ? pipeline(res.body, paced, () => {}) : res.body;
          try {
            await writeBody(source, out, tick);
          } finally {
            await out.close();
          }
        },
      );
      w.stop();
      have = await sizeOnDisk(destPath);
      if (have === total) break;
      throw new RemoteError('transient', `download: got ${have} of ${total} bytes`);
    } catch (err) {
      w.stop();
      if (opts.signal?.aborted) throw abortError(opts.signal);
      if (isLocalFsError(err)) throw err;
      have = await sizeOnDisk(destPath);
      if (have > total) have = 0;
      if (err instanceof RemoteError && err.status === 416 && have === total) break;
      log.info(
        { op: 'download-content', have, total, stalled: w.stalled, err },
        'download: the transfer broke',
      );
      await retry.next(err instanceof RemoteError ? err : new RemoteError('transient', String(err)), token);
    }
  }
  const final = await sizeOnDisk(destPath);
  if (final !== total) {
    throw new RemoteError('transient', `download: ${final} bytes on disk, the server's file has ${total}`);
  }
  transport.countTransfer('down');
  return entry;
}
