/**
 * The poller's choice of the next folder (src/engine/poll-schedule.ts), a pure function of its
 * state and the clock: hot folders every pollMs, the rest in cycles, pruning only when allowed and
 * never in the daily unpruned cycle.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PollSchedule } from '../../src/engine/poll-schedule.js';

const POLL = 10_000;

/** Runs the schedule from `t0` for as many picks as asked; each listing's subfolders from `tree`. */
function drive(
  s: PollSchedule,
  t0: number,
  picks: number,
  tree: Record<string, { path: string; updateDate: number }[]>,
  prune = false,
  stepMs = 500,
): { at: number; folder: string }[] {
  const out: { at: number; folder: string }[] = [];
  let now = t0;
  while (out.length < picks) {
    const n = s.next(now, () => Object.keys(tree), prune);
    if ('folder' in n) {
      out.push({ at: now, folder: n.folder });
      s.listed(n.folder, now, 1, tree[n.folder] ?? []);
      now += stepMs;
    } else now = Math.max(now + 1, n.at);
  }
  return out;
}

const flat = {
  '': [
    { path: 'a', updateDate: 1 },
    { path: 'b', updateDate: 1 },
  ],
  a: [],
  b: [],
};

test('a cycle lists every folder, parents first, and the next one starts pollMs after it started', () => {
  const s = new PollSchedule({ pollMs: POLL }, 0);
  const picks = drive(s, 0, 6, flat);
  assert.deepEqual(
    picks.map((p) => p.folder),
    ['', 'a', 'b', '', 'a', 'b'],
  );
  assert.equal(picks[3]!.at, POLL, 'the second cycle waits for pollMs');
  assert.equal(s.last?.listed, 3);
  assert.equal(s.last?.full, true);
});

test('hot folders are listed every pollMs and take turns with the cycle', () => {
  const tree: Record<string, { path: string; updateDate: number }[]> = { '': [] };
  for (let i = 0; i < 50; i++) tree[`f${i}`] = [];
  const s = new PollSchedule({ pollMs: POLL }, 0);
  s.markHot('f1', 0);
  s.markHot('f2', 0);
  s.markHot('f3', 0);
  const picks = drive(s, 0, 60, tree);
  const hot = picks.filter((p) => ['f1', 'f2', 'f3'].includes(p.folder));
  const cycled = picks.filter((p) => !['f1', 'f2', 'f3'].includes(p.folder));
  assert.ok(cycled.length >= 30, `the cycle kept going: ${cycled.length} of 60`);
  for (const f of ['f1', 'f2', 'f3']) {
    const times = hot.filter((p) => p.folder === f).map((p) => p.at);
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i]! - times[i - 1]! >= POLL, `${f} not listed twice within pollMs`);
    assert.ok(times.length >= 2, `${f} listed again while hot`);
  }
});

test('with pruning allowed, an unchanged subtree is skipped after the first full cycle; a moved folder time lists it again', () => {
  const tree = {
    '': [{ path: 'a', updateDate: 100 }],
    a: [{ path: 'a/b', updateDate: 100 }],
    'a/b': [],
  };
  const s = new PollSchedule({ pollMs: POLL }, 0);
  // first cycle: nothing seen yet, everything listed
  assert.deepEqual(
    drive(s, 0, 3, tree, true).map((p) => p.folder),
    ['', 'a', 'a/b'],
  );
  // second cycle: 'a' kept its time: only the root is listed
  assert.deepEqual(
    drive(s, POLL, 2, tree, true).map((p) => p.folder),
    ['', ''],
  );
  assert.equal(s.last?.pruned, 2);
  assert.equal(s.last?.full, false);
  // something changed deep inside: with ancestors moving, 'a' shows a new time
  tree[''] = [{ path: 'a', updateDate: 200 }];
  tree.a = [{ path: 'a/b', updateDate: 200 }];
  const third = drive(s, 3 * POLL, 3, tree, true).map((p) => p.folder);
  assert.deepEqual(third, ['', 'a', 'a/b']);
});

test('pruning is never used without leave, and a day after the last unpruned cycle a cycle skips nothing', () => {
  const tree = { '': [{ path: 'a', updateDate: 100 }], a: [] };
  const s = new PollSchedule({ pollMs: POLL, fullEveryMs: 5 * POLL }, 0);
  drive(s, 0, 2, tree, true);
  assert.deepEqual(
    drive(s, POLL, 2, tree, false).map((p) => p.folder),
    ['', 'a'],
    'without leave to prune, every folder is listed',
  );
  assert.deepEqual(
    drive(s, 2 * POLL, 2, tree, true).map((p) => p.folder),
    ['', ''],
  );
  // the last unpruned cycle ended at 2 × POLL
  const later = drive(s, 8 * POLL, 2, tree, true);
  assert.deepEqual(
    later.map((p) => p.folder),
    ['', 'a'],
    'the daily cycle lists everything',
  );
});

test('a forgotten folder leaves the cycle', () => {
  const s = new PollSchedule({ pollMs: POLL }, 0);
  const first = s.next(0, () => Object.keys(flat), false);
  assert.deepEqual(first, { folder: '' });
  s.listed('', 0, 1, flat['']);
  assert.deepEqual(
    s.next(1, () => Object.keys(flat), false),
    { folder: 'a' },
  );
  s.forget('a');
  assert.deepEqual(
    s.next(2, () => Object.keys(flat), false),
    { folder: 'b' },
  );
});

test('a cycle unpruned for want of leave prunes from the moment leave comes; the daily cycle does not', () => {
  const root: { path: string; updateDate: number }[] = [];
  const tree: Record<string, { path: string; updateDate: number }[]> = { '': root };
  for (let i = 0; i < 6; i++) {
    root.push({ path: `f${i}`, updateDate: 100 });
    tree[`f${i}`] = [];
  }
  const s = new PollSchedule({ pollMs: POLL, fullEveryMs: 20 * POLL }, 0);
  // the daily first cycle: leave arriving in its middle changes nothing
  drive(s, 0, 3, tree, false);
  assert.deepEqual(
    drive(s, 2000, 4, tree, true).map((p) => p.folder),
    ['f2', 'f3', 'f4', 'f5'],
  );
  // the second cycle starts without leave, then gets it after two listings
  assert.deepEqual(
    drive(s, POLL, 3, tree, false).map((p) => p.folder),
    ['', 'f0', 'f1'],
  );
  const rest = drive(s, POLL + 5000, 1, tree, true);
  assert.equal(rest[0]!.folder, '', 'f2…f5 kept their times: skipped, and the next cycle begins');
  assert.ok(rest[0]!.at >= 2 * POLL);
  assert.equal(s.last?.full, false);
  assert.equal(s.last?.pruned, 4);
});

test('anyHot: a folder marked hot makes the schedule hot for the hot window, then not', () => {
  const s = new PollSchedule({ pollMs: POLL, hotMs: 60_000 }, 0);
  assert.equal(s.anyHot(0), false);
  s.markHot('a', 1000);
  assert.equal(s.anyHot(30_000), true);
  assert.equal(s.anyHot(61_000), false);
});

test('each cycle lists the root, even when the root was listed a little after its cycle started', () => {
  const tree = { '': [{ path: 'a', updateDate: 100 }], a: [] };
  const s = new PollSchedule({ pollMs: POLL }, 0);
  const roots: number[] = [];
  let now = 0;
  while (roots.length < 4) {
    const n = s.next(now, () => Object.keys(tree), true);
    if (!('folder' in n)) {
      now = Math.max(now + 1, n.at);
      continue;
    }
    // the budget lets the listing happen 700 ms after the folder was picked
    now += 700;
    if (n.folder === '') roots.push(now);
    s.listed(n.folder, now, 1, tree[n.folder as keyof typeof tree]);
  }
  for (let i = 1; i < roots.length; i++)
    assert.ok(roots[i]! - roots[i - 1]! < 2 * POLL, `root listings ${roots.join(', ')} ms`);
});
