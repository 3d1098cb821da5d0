/**
 * How many HTTP requests the engine made recently, for `status` ("the API budget used", issue 6).
 * Stored in the journal's meta table (pair '', key 'api_use', like 'last_429_ms') as JSON:
 * `{"bucketMs":10000,"buckets":[[startMs,requests],…]}` — requests summed per 10-second bucket,
 * only the last hour kept (at most 360 buckets).
 */
import type { Journal } from '../journal/index.js';

export const API_USE_PAIR = '';
export const API_USE_KEY = 'api_use';
const BUCKET_MS = 10_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface ApiUse {
  /** Requests recorded in the 60 s before nowMs. */
  lastMinute: number;
  /** Requests recorded in the hour before nowMs. */
  lastHour: number;
  /** Start of the oldest bucket counted in lastHour; null when nothing was recorded in the hour. */
  windowStartMs: number | null;
}

type Bucket = [startMs: number, requests: number];

function load(journal: Journal): Bucket[] {
  const raw = journal.getMeta(API_USE_PAIR, API_USE_KEY);
  if (raw === null) return [];
  try {
    const v = JSON.parse(raw) as { buckets?: unknown };
    if (!Array.isArray(v.buckets)) return [];
    return v.buckets.filter(
      (b): b is Bucket =>
        Array.isArray(b) &&
        b.length === 2 &&
        Number.isFinite(b[0]) &&
        typeof b[0] === 'number' &&
        typeof b[1] === 'number' &&
        Number.isFinite(b[1]),
    );
  } catch {
    return [];
  }
}

/** Adds `requests` made at `atMs` (the engine calls it after each pass). Needs a writable journal. */
export function recordApiUse(journal: Journal, atMs: number, requests: number): void {
  if (!Number.isFinite(requests) || requests <= 0 || !Number.isFinite(atMs)) return;
  journal.transaction(() => {
    const buckets = load(journal);
    const start = Math.floor(atMs / BUCKET_MS) * BUCKET_MS;
    const hit = buckets.find((b) => b[0] === start);
    if (hit) hit[1] += Math.round(requests);
    else buckets.push([start, Math.round(requests)]);
    const newest = Math.max(...buckets.map((b) => b[0]));
    const kept = buckets.filter((b) => b[0] > newest - HOUR_MS).sort((a, b) => a[0] - b[0]);
    journal.setMeta(API_USE_PAIR, API_USE_KEY, JSON.stringify({ bucketMs: BUCKET_MS, buckets: kept }));
  });
}

/**
 * Requests in the last minute and hour before nowMs. A bucket counts when it started inside the
 * window, so the figures are accurate to one bucket (10 s).
 */
export function readApiUse(journal: Journal, nowMs: number): ApiUse {
  let lastMinute = 0;
  let lastHour = 0;
  let windowStartMs: number | null = null;
  for (const [start, n] of load(journal)) {
    if (start > nowMs) continue;
    if (start > nowMs - HOUR_MS) {
      lastHour += n;
      if (windowStartMs === null || start < windowStartMs) windowStartMs = start;
    }
    if (start > nowMs - MINUTE_MS) lastMinute += n;
  }
  return { lastMinute, lastHour, windowStartMs };
}
