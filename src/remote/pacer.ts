/**
 * Request pacing (design.md "Retries and rate limits", reference §8): one sliding-window queue per
 * API operation at the documented budget, and a concurrency cap per host. Every Remote of a session
 * shares one Pacer. A task holds its slots only while its own request runs; retry waits happen
 * outside (the caller's loop), so a task never waits on a copy of itself.
 */
import PQueue from 'p-queue';

export type Operation =
  | 'list'
  | 'get'
  | 'createfolder'
  | 'upload-url'
  | 'upload'
  | 'download'
  | 'download-content'
  | 'delete'
  | 'copy'
  | 'move'
  | 'rename'
  | 'token'
  | 'drive';

export interface PacerOptions {
  /** Requests per minute per operation; 0 turns pacing off. @default 240 */
  ratePerMinute: number;
  /** Concurrent requests per host. @default 5 */
  concurrency: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Pacer {
  readonly #opts: PacerOptions;
  readonly #ops = new Map<Operation, PQueue>();
  readonly #hosts = new Map<string, PQueue>();
  readonly #holdUntil = new Map<Operation, number>();

  constructor(opts: PacerOptions) {
    this.#opts = opts;
  }

  #opQueue(op: Operation): PQueue {
    let q = this.#ops.get(op);
    if (!q) {
      const rate = this.#opts.ratePerMinute;
      q = rate > 0 ? new PQueue({ intervalCap: rate, interval: 60_000, strict: true }) : new PQueue();
      this.#ops.set(op, q);
    }
    return q;
  }

  #hostQueue(host: string): PQueue {
    let q = this.#hosts.get(host);
    if (!q) {
      q = new PQueue({ concurrency: Math.max(1, this.#opts.concurrency) });
      this.#hosts.set(host, q);
    }
    return q;
  }

  /** After a 429: no new request of `op` starts before `untilMs` (epoch ms). */
  hold(op: Operation, untilMs: number): void {
    if (untilMs > (this.#holdUntil.get(op) ?? 0)) this.#holdUntil.set(op, untilMs);
  }

  /** Runs `fn` inside `op`'s rate window and `host`'s concurrency slot. */
  async run<T>(op: Operation, host: string, fn: () => Promise<T>): Promise<T> {
    for (;;) {
      const wait = (this.#holdUntil.get(op) ?? 0) - Date.now();
      if (wait <= 0) break;
      await sleep(wait);
    }
    const hostQ = this.#hostQueue(host);
    return this.#opQueue(op).add(() => hostQ.add(fn));
  }
}
