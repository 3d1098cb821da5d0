/** The poller's share of the list budget (src/engine/poll-budget.ts), one for the whole process. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PollBudget, QUIET_SLOWDOWN } from '../../src/engine/poll-budget.js';

test('half of 240 list calls a minute: a poll every 500 ms, and a listing of three pages pays for three', () => {
  const b = new PollBudget(240, 0.5);
  assert.equal(b.intervalMs, 500);
  b.spend(0, 1, 10);
  assert.equal(b.nextAt, 500);
  b.spend(500, 3, 520);
  assert.equal(b.nextAt, 2000);
  // a poll that starts late does not earn credit for the time nobody polled
  b.spend(10_000, 1, 10_010);
  assert.equal(b.nextAt, 10_500);
  assert.equal(b.callsLastMinute(10_010), 5);
  assert.equal(b.callsLastMinute(70_011), 0);
});

test('whoever spends it, pairs share one budget: a minute of polls never spends more than the share', () => {
  const b = new PollBudget(240, 0.5);
  let now = 0;
  let calls = 0;
  // two pairs polling as often as the budget lets them, alternately, one or two pages each
  for (let i = 0; now < 60_000; i++) {
    now = Math.max(now, b.nextAt);
    if (now >= 60_000) break;
    const pages = i % 3 === 0 ? 2 : 1;
    b.spend(now, pages, now);
    calls += pages;
  }
  assert.ok(calls <= 120 + 2, `${calls} list calls in a minute`);
  assert.ok(calls >= 118, `${calls}: the share is used, not wasted`);
});

test('with client pacing off (rate 0) the poller still keeps to a share of the documented 240/min', () => {
  assert.equal(new PollBudget(0, 0.5).intervalMs, 500);
  assert.equal(new PollBudget(240, 1).intervalMs, 250);
});

test('while quiet the poller spends its share QUIET_SLOWDOWN times slower, and at full pace again once not', () => {
  const b = new PollBudget(240, 0.5);
  b.spend(0, 1, 0, true);
  assert.equal(b.nextAt, 500 * QUIET_SLOWDOWN);
  b.spend(b.nextAt, 1, b.nextAt, false);
  assert.equal(b.nextAt, 500 * QUIET_SLOWDOWN + 500);
});
