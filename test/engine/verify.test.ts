/** The `--once` self-check (src/engine/verify.ts): where the sides differ after a pass's actions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unequalPaths } from '../../src/engine/verify.js';
import type { RemoteEntry } from '../../src/remote/types.js';
import type { LocalEntry } from '../../src/scan/types.js';
import { localFile, localFolder, remoteFile, remoteFolder, run, sides, synced } from '../plan/fixtures.js';

const byPath = <T extends { path: string }>(xs: T[]) => new Map(xs.map((x) => [x.path, x]));

function check(local: LocalEntry[], remote: RemoteEntry[], w = run({ local, remote })): string[] {
  return unequalPaths(byPath(local), byPath(remote), w.actions, w.left);
}

test('sides the plan leaves different are reported at their shallowest differing path', () => {
  const l = [localFolder('x'), localFile('x/a'), localFile('same', 4), localFile('sized', 4)];
  const r = [remoteFile('same', 4), remoteFile('sized', 5), remoteFolder('y'), remoteFile('y/b')];
  const noActions = { actions: [], summary: run({}).summary, left: [] };
  assert.deepEqual(check(l, r, noActions), ['sized', 'x', 'y']);
});

test("a plan's actions, played on both listings, leave nothing unequal", () => {
  const l = [localFolder('x'), localFile('x/a'), localFile('both', 4)];
  const r = [remoteFolder('y'), remoteFile('y/b'), remoteFile('both', 7)];
  assert.deepEqual(check(l, r), []);
});

test('what the plan leaves alone (ignored, refused names) is not compared', () => {
  const l = [localFile('keep.tmp'), localFile('bad:name')];
  const r = [remoteFile('other.tmp')];
  const w = run({ local: l, remote: r, ignore: ['*.tmp'] });
  assert.deepEqual(unequalPaths(byPath(l), byPath(r), w.actions, w.left), []);
  assert.deepEqual(unequalPaths(byPath(l), byPath(r), [], []), ['bad:name', 'keep.tmp', 'other.tmp']);
});

test('moves across a folder renamed on the other side are played where each side holds the item', () => {
  const a = synced('A', 'folder');
  const ab = synced('A/B', 'folder');
  const keep = synced('A/B/keep');
  const c = synced('C', 'folder');
  const plan = synced('C/plan');
  const s = sides(a, ab, keep, c, plan);
  // locally A/B → A/D; on the Drive C/plan → A/B/plan
  const local = [
    a.local,
    { ...ab.local, path: 'A/D' },
    { ...keep.local, path: 'A/D/keep' },
    c.local,
    plan.local,
  ];
  const remote = [
    a.remote,
    ab.remote,
    keep.remote,
    c.remote,
    { ...plan.remote, path: 'A/B/plan', name: 'plan' },
  ];
  const w = run({ base: s.base, local, remote });
  assert.deepEqual(unequalPaths(byPath(local), byPath(remote), w.actions, w.left), []);
});
