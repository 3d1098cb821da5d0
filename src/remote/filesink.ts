/**
 * A download's body written to an open file (reference §6) at a small cost per chunk: the chunks
 * are gathered into batches of about a mebibyte, each written with one `writev` while the socket
 * keeps reading; only when the next batch is full before the last one is on disk is the body
 * paused. The body is read in flowing mode, so the socket is not stopped and restarted for every
 * chunk as a pipe of small streams does.
 *
 * `onChunk(n)` is called for every chunk received. The bytes received before the body fails are
 * written before the promise rejects, so that a Range request continues right after them; a failure
 * of the file (disk full, …) wins over the body's own.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Bytes gathered before a write. */
const BATCH = 1 << 20;
/** Chunks gathered before a write (a low bandwidth limit passes small slices); below IOV_MAX. */
const MAX_CHUNKS = 512;

export class BodyClosedError extends Error {
  override readonly name = 'BodyClosedError';
}

/** Every byte of `bufs` written at the file's position, however many calls that takes. */
async function writeAll(fh: FileHandle, bufs: Buffer[]): Promise<void> {
  let left = bufs;
  while (left.length > 0) {
    const { bytesWritten } = await fh.writev(left);
    if (bytesWritten <= 0) throw new Error('writing the download wrote no bytes');
    let n = bytesWritten;
    let i = 0;
    while (i < left.length && n >= left[i]!.length) n -= left[i++]!.length;
    left = i < left.length ? [left[i]!.subarray(n), ...left.slice(i + 1)] : [];
  }
}

export function writeBody(body: Readable, fh: FileHandle, onChunk?: (bytes: number) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let batch: Buffer[] = [];
    let bytes = 0;
    let writing = false;
    /** No more chunks will come: the body ended, failed or closed. */
    let over = false;
    let bodyError: unknown;
    let fileError: unknown;
    let settled = false;
    const full = (): boolean => bytes >= BATCH || batch.length >= MAX_CHUNKS;

    const settle = (): void => {
      if (settled || writing || !over || (bytes > 0 && fileError === undefined)) return;
      settled = true;
      body.off('data', onData);
      if (fileError !== undefined) reject(fileError);
      else if (bodyError !== undefined) reject(bodyError);
      else resolve();
    };
    const flush = (): void => {
      if (writing || bytes === 0 || fileError !== undefined) return;
      const bufs = batch;
      batch = [];
      bytes = 0;
      writing = true;
      writeAll(fh, bufs).then(
        () => {
          writing = false;
          if (over || full()) flush();
          if (!over && body.isPaused()) body.resume();
          settle();
        },
        (err: unknown) => {
          writing = false;
          fileError = err;
          if (!over) body.destroy();
          settle();
        },
      );
    };
    const stop = (err: unknown): void => {
      if (over) return;
      over = true;
      bodyError = err;
      flush();
      settle();
    };
    function onData(chunk: Buffer): void {
      onChunk?.(chunk.length);
      batch.push(chunk);
      bytes += chunk.length;
      if (!full()) return;
      if (writing) body.pause();
      else flush();
    }
    body.on('data', onData);
    body.once('end', () => stop(undefined));
    body.once('error', (err) => stop(err));
    body.once('close', () => stop(new BodyClosedError('the download closed before its end')));
  });
}
