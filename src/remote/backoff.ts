/**
 * Retry waits (design.md "Retries and rate limits"): a pure, capped exponential backoff with jitter,
 * and the server's own wait, which wins when it sent one (reference §8).
 */

export interface BackoffPolicy {
  /** First wait before jitter. @default 500 */
  baseMs: number;
  /** No wait exceeds this. @default 30000 */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/**
 * Wait before retry number `attempt` (1 = the first retry): half of the capped exponential
 * `baseMs·2^(attempt−1)` is fixed, the other half is jitter drawn from `rng` ∈ [0, 1).
 */
export function backoffMs(
  attempt: number,
  rng: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 52));
  const r = Math.min(Math.max(rng(), 0), 1);
  return Math.min(policy.maxMs, Math.round(exp / 2 + (exp / 2) * r));
}

type HeaderBag = Record<string, unknown>;

function header(headers: HeaderBag, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? String(v[0]) : v == null ? undefined : String(v);
  }
  return undefined;
}

/**
 * The wait the server asked for: `rateLimit-reset` (seconds until the window resets, reference §8)
 * or `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3); the longer of the two. Undefined
 * when neither is present or readable.
 */
export function serverWaitMs(headers: HeaderBag, nowMs: number): number | undefined {
  const waits: number[] = [];
  const reset = header(headers, 'ratelimit-reset');
  if (reset !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(reset)) waits.push(Number(reset) * 1000);
  const after = header(headers, 'retry-after');
  if (after !== undefined) {
    if (/^\s*\d+(\.\d+)?\s*$/.test(after)) waits.push(Number(after) * 1000);
    else {
      const at = Date.parse(after);
      if (!Number.isNaN(at)) waits.push(Math.max(0, at - nowMs));
    }
  }
  return waits.length ? Math.max(...waits) : undefined;
}
