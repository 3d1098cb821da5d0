import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, serverWaitMs } from '../../src/remote/backoff.js';

const policy = { baseMs: 100, maxMs: 1000 };

test('backoff doubles per attempt, half fixed and half jitter, and never exceeds the cap', () => {
  const rows: [attempt: number, rng: number, expected: number][] = [
    [1, 0, 50],
    [1, 0.5, 75],
    [1, 0.999999, 100],
    [2, 0, 100],
    [2, 1, 200],
    [3, 0, 200],
    [4, 0.5, 600],
    [5, 0, 500],
    [5, 1, 1000],
    [6, 1, 1000],
    [60, 0.5, 750],
    [10_000, 1, 1000],
    [0, 0, 50],
  ];
  for (const [attempt, r, expected] of rows) {
    assert.equal(
      backoffMs(attempt, () => r, policy),
      expected,
      `attempt ${attempt}, rng ${r}`,
    );
  }
});

test('backoff clamps a random source that strays outside [0, 1]', () => {
  assert.equal(
    backoffMs(1, () => -3, policy),
    50,
  );
  assert.equal(
    backoffMs(1, () => 7, policy),
    100,
  );
});

test('the server wait is read from rateLimit-reset or Retry-After in any header case', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  const rows: [Record<string, unknown>, number | undefined][] = [
    [{}, undefined],
    [{ 'ratelimit-reset': '1' }, 1000],
    [{ 'RateLimit-Reset': '30' }, 30_000],
    [{ 'retry-after': '2' }, 2000],
    [{ 'Retry-After': new Date(now + 5000).toUTCString() }, 5000],
    [{ 'retry-after': new Date(now - 5000).toUTCString() }, 0],
    [{ 'ratelimit-reset': '1', 'retry-after': '3' }, 3000],
    [{ 'ratelimit-reset': 'soon' }, undefined],
    [{ 'ratelimit-reset': ['4'] }, 4000],
  ];
  for (const [headers, expected] of rows)
    assert.equal(serverWaitMs(headers, now), expected, JSON.stringify(headers));
});
