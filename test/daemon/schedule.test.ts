/** When the daemon runs a pair's next pass (src/engine/daemon-schedule.ts), as a table. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxHoldMs, nextPass, type PairTriggers } from '../../src/engine/daemon-schedule.js';
import { unreachableBackoffMs } from '../../src/engine/daemon.js';

const idle: PairTriggers = {
  forceAt: null,
  nextPollAt: 60_000,
  retryAt: null,
  newestEventMs: null,
  oldestEventMs: null,
  holdUntil: 0,
};
const opts = { localQuietMs: 500, maxHoldMs: 30_000 };

const rows: { name: string; t: Partial<PairTriggers>; at: number; reasons: string[] }[] = [
  { name: 'idle: the next poll', t: {}, at: 60_000, reasons: ['poll'] },
  { name: 'start-up pass owed now', t: { forceAt: 0 }, at: 0, reasons: ['start'] },
  { name: 'a retry before the poll', t: { retryAt: 10_000 }, at: 10_000, reasons: ['retry'] },
  {
    name: 'a local event waits for the quiet time',
    t: { newestEventMs: 1_000, oldestEventMs: 1_000 },
    at: 1_500,
    reasons: ['local'],
  },
  {
    name: 'a later event pushes the pass back',
    t: { newestEventMs: 2_000, oldestEventMs: 1_000 },
    at: 2_500,
    reasons: ['local'],
  },
  {
    name: 'pending events hold a due poll until quiet, and the pass does both',
    t: { nextPollAt: 1_000, newestEventMs: 1_200, oldestEventMs: 1_200 },
    at: 1_700,
    reasons: ['poll', 'local'],
  },
  {
    name: 'a path that never goes quiet holds passes for at most maxHoldMs',
    t: { newestEventMs: 100_000, oldestEventMs: 50_000 },
    at: 80_000,
    reasons: ['poll', 'local'],
  },
  {
    name: 'an unreachable backoff holds everything',
    t: { forceAt: 5_000, holdUntil: 5_000, newestEventMs: 1_000, oldestEventMs: 1_000 },
    at: 5_000,
    reasons: ['start', 'local'],
  },
];

for (const row of rows) {
  test(`schedule: ${row.name}`, () => {
    const got = nextPass({ ...idle, ...row.t }, opts);
    assert.equal(got.at, row.at);
    assert.deepEqual(got.reasons, row.reasons);
  });
}

test('the hold of a busy path is at least 30 s and 20 quiet times', () => {
  assert.equal(maxHoldMs(500), 30_000);
  assert.equal(maxHoldMs(5_000), 100_000);
});

test('the unreachable backoff starts at 5 s, doubles, and stops at 5 min', () => {
  const seq: number[] = [];
  let ms = 0;
  for (let i = 0; i < 10; i++) seq.push((ms = unreachableBackoffMs(ms)));
  assert.deepEqual(seq, [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
});
