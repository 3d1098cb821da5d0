/** The daemon's small timing rules: how long a busy path may hold a job, the unreachable backoff. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxHoldMs } from '../../src/engine/daemon-schedule.js';
import { unreachableBackoffMs } from '../../src/engine/daemon.js';

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
