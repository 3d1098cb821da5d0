/**
 * What a session did, per pair, since it started (issue 12 "Metrics"): bytes and transfers each
 * way, retries by error class, 429 answers, API calls by operation, and the requests waiting for a
 * pacer slot right now. The pair is the one named in `DriveSession.remote(drive, pair)`; calls made
 * for no pair (token refreshes) count under "".
 */

export interface PairCounters {
  bytesUp: number;
  bytesDown: number;
  /** Uploads / downloads that completed. */
  transfersUp: number;
  transfersDown: number;
  /** Retries, by error class (rate-limited, auth, transient, long-running). */
  retries: Record<string, number>;
  /** 429 answers. */
  rateLimited: number;
  /** Requests sent, by operation (contracts.md §3 names). */
  apiCalls: Record<string, number>;
}

export interface CountersSnapshot {
  /** When the session started counting (epoch ms). */
  sinceMs: number;
  pairs: Record<string, PairCounters>;
}

export function emptyCounters(): PairCounters {
  return {
    bytesUp: 0,
    bytesDown: 0,
    transfersUp: 0,
    transfersDown: 0,
    retries: {},
    rateLimited: 0,
    apiCalls: {},
  };
}

export class SessionCounters {
  readonly sinceMs = Date.now();
  readonly #pairs = new Map<string, PairCounters>();
  readonly #queued = new Map<string, number>();

  of(pair: string): PairCounters {
    let c = this.#pairs.get(pair);
    if (!c) {
      c = emptyCounters();
      this.#pairs.set(pair, c);
    }
    return c;
  }

  /** A request of `pair` started (+1) or stopped (-1) waiting for its pacer slot. */
  queued(pair: string, delta: number): void {
    this.#queued.set(pair, Math.max(0, (this.#queued.get(pair) ?? 0) + delta));
  }

  /** Requests of `pair` waiting for a pacer slot now. */
  queueDepth(pair: string): number {
    return this.#queued.get(pair) ?? 0;
  }

  snapshot(): CountersSnapshot {
    const pairs: Record<string, PairCounters> = {};
    for (const [name, c] of this.#pairs)
      pairs[name] = { ...c, retries: { ...c.retries }, apiCalls: { ...c.apiCalls } };
    return { sinceMs: this.sinceMs, pairs };
  }
}
