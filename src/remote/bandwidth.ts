/**
 * Bandwidth limits (contracts.md §2 `bwlimit_up`, `bwlimit_down`): one token bucket per direction
 * for the whole session, so every concurrent transfer of every pair draws from the same budget, a
 * resumed transfer included. A transfer takes its bytes in small slices, one slice at a time, from a
 * first-come-first-served queue: concurrent transfers are served in turn and get equal shares.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** The largest slice; smaller for low limits, so that progress (and the stall watchdog) keeps ticking. */
const MAX_SLICE = 64 * 1024;

interface Waiter {
  bytes: number;
  resolve: () => void;
  reject: (err: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class Bandwidth {
  /** Bytes per second. */
  readonly rate: number;
  /** Bytes a transfer takes per turn. */
  readonly slice: number;
  /** At most this many bytes may be taken at once after an idle time. */
  readonly #burst: number;
  #tokens: number;
  #last: number;
  readonly #queue: Waiter[] = [];
  #timer: NodeJS.Timeout | null = null;

  /** `bytesPerSecond` > 0. */
  constructor(bytesPerSecond: number) {
    this.rate = bytesPerSecond;
    this.slice = Math.max(1, Math.min(MAX_SLICE, Math.floor(bytesPerSecond / 16)));
    this.#burst = Math.max(this.slice, Math.floor(bytesPerSecond / 8));
    this.#tokens = this.slice;
    this.#last = performance.now();
  }

  /** Resolves once `bytes` (at most `slice`) may be sent; rejects when `signal` aborts first. */
  take(bytes: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const w: Waiter = {
        bytes: Math.min(bytes, this.slice),
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.#queue.indexOf(w);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(abortReason(signal));
        },
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.#queue.push(w);
      this.#pump();
    });
  }

  #pump(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.rate) / 1000);
    this.#last = now;
    for (let head = this.#queue[0]; head && this.#tokens >= head.bytes; head = this.#queue[0]) {
      this.#tokens -= head.bytes;
      this.#queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
    const head = this.#queue[0];
    if (head && this.#timer === null) {
      const waitMs = Math.max(1, Math.ceil(((head.bytes - this.#tokens) * 1000) / this.rate));
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#pump();
      }, waitMs);
    }
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const r: unknown = signal?.reason;
  if (r instanceof Error) return r;
  const e = new Error('the transfer was aborted');
  e.name = 'AbortError';
  return e;
}

/**
 * A pass-through stream that lets bytes through at the bucket's pace, calling `onPass(n)` for every
 * slice it lets through; destroying it leaves the queue.
 */
class Throttle extends Transform {
  readonly #bw: Bandwidth;
  readonly #onPass: ((bytes: number) => void) | undefined;
  readonly #ac = new AbortController();

  constructor(bw: Bandwidth, onPass?: (bytes: number) => void) {
    super();
    this.#bw = bw;
    this.#onPass = onPass;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#pass(chunk).then(
      () => cb(),
      (err: Error) => {
        if (!this.destroyed) cb(err);
      },
    );
  }

  async #pass(chunk: Buffer): Promise<void> {
    const step = this.#bw.slice;
    for (let at = 0; at < chunk.length; at += step) {
      const part = chunk.subarray(at, at + step);
      await this.#bw.take(part.length, this.#ac.signal);
      if (this.destroyed) return;
      this.#onPass?.(part.length);
      this.push(part);
    }
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.#ac.abort();
    cb(err);
  }
}

/** A stream through which a transfer's bytes pass at `bw`'s pace (see Throttle). */
export function throttle(bw: Bandwidth, onPass?: (bytes: number) => void): Transform {
  return new Throttle(bw, onPass);
}

/** The bucket for a limit in bytes per second; null for 0 (unlimited). */
export function bandwidth(bytesPerSecond: number | undefined): Bandwidth | null {
  return bytesPerSecond !== undefined && bytesPerSecond > 0 ? new Bandwidth(bytesPerSecond) : null;
}
