/**
 * Rate limits of reference §8: one fixed one-minute window per operation name; `limit` 0 = off.
 */
export interface RateDecision {
  ok: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private windows = new Map<string, { reset: number; count: number }>();

  check(operation: string, limit: number, now = Date.now()): RateDecision {
    if (limit <= 0) return { ok: true, headers: {} };
    let w = this.windows.get(operation);
    if (!w || now >= w.reset) {
      w = { reset: now + 60_000, count: 0 };
      this.windows.set(operation, w);
    }
    w.count++;
    const headers = {
      'rateLimit-limit': String(limit),
      'rateLimit-remaining': String(Math.max(0, limit - w.count)),
      'rateLimit-reset': String(Math.max(1, Math.ceil((w.reset - now) / 1000))),
    };
    return { ok: w.count <= limit, headers };
  }

  reset(): void {
    this.windows.clear();
  }
}
