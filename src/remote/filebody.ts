/**
 * The bytes `start` to `end` (exclusive) of a local file as an upload's body (reference §5 step 2),
 * read in chunks of a mebibyte from one open file; `onChunk(n)` is called as each chunk is handed
 * on. It never yields more than `end - start` bytes, even if the file grows meanwhile; a file that
 * ends short fails the body (upload.ts then finds the file changed and says so).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const CHUNK = 1 << 20;

export class FileBody extends Readable {
  readonly #path: string;
  readonly #end: number;
  readonly #onChunk: ((bytes: number) => void) | undefined;
  #at: number;
  #fh: FileHandle | null = null;

  constructor(path: string, start: number, end: number, onChunk?: (bytes: number) => void) {
    super({ highWaterMark: CHUNK });
    this.#path = path;
    this.#at = start;
    this.#end = end;
    this.#onChunk = onChunk;
  }

  override _construct(cb: (err?: Error | null) => void): void {
    open(this.#path, 'r').then(
      (fh) => {
        this.#fh = fh;
        cb();
      },
      (err: Error) => cb(err),
    );
  }

  override _read(): void {
    const left = this.#end - this.#at;
    if (left <= 0) {
      this.push(null);
      return;
    }
    const buf = Buffer.allocUnsafeSlow(Math.min(CHUNK, left));
    this.#fh!.read(buf, 0, buf.length, this.#at).then(
      ({ bytesRead }) => {
        if (this.destroyed) return;
        if (bytesRead === 0) {
          this.destroy(new Error(`${this.#path} ended at byte ${this.#at} of ${this.#end}`));
          return;
        }
        this.#at += bytesRead;
        this.#onChunk?.(bytesRead);
        this.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      },
      (err: Error) => this.destroy(err),
    );
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const fh = this.#fh;
    this.#fh = null;
    if (!fh) return cb(err);
    fh.close().then(
      () => cb(err),
      () => cb(err),
    );
  }
}
