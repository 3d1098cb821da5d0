/**
 * A folder rename on one side composes with moves into, out of and within that folder on the other
 * side, in one `--once` (issue 11): afterwards both sides hold the same tree, and a second run has
 * nothing to write.
 */
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, type Pair } from './harness.js';
import { localTree, remoteTree } from './sides.js';

async function assertSame(p: Pair): Promise<void> {
  assert.deepEqual(localTree(p.local), await remoteTree(p));
}

async function assertQuiet(p: Pair): Promise<void> {
  await p.clearRequests();
  expectExit(await p.once(), 0);
  const writes = (await p.requests()).filter((r) => r.operation !== 'list' && r.operation !== 'get');
  assert.deepEqual(writes, []);
}

async function moveRemote(p: Pair, from: string, toFolder: string, name?: string): Promise<void> {
  const it = await p.remoteAt(from);
  const parent = await p.remoteAt(toFolder);
  await p.other.move(it.resourceKey, parent.resourceKey);
  if (name) await p.other.rename(it.resourceKey, name);
}

test('a remote move into a folder renamed locally ends in the renamed folder, the source gone on both sides', async (t) => {
  const p = await setupPair(t);
  p.write('A/B/keep.txt', 'k');
  p.write('C/plan.bin', 'plan');
  p.write('top.bin', 'top');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'A/B'), join(p.local, 'A/D'));
  await moveRemote(p, 'C/plan.bin', 'A/B');
  await moveRemote(p, 'top.bin', 'A/B', 'top-renamed.bin');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['A/D/keep.txt', 'A/D/plan.bin', 'A/D/top-renamed.bin']);
  await assertSame(p);
  await assertQuiet(p);
});

test('a local move into a folder renamed on the Drive ends in the renamed folder on both sides', async (t) => {
  const p = await setupPair(t);
  p.write('p/q/old.txt', 'o');
  p.write('archive/notes.md', 'notes');
  p.write('x.txt', 'x');
  p.write('y.txt', 'y');
  p.write('z.txt', 'z');
  expectExit(await p.once(), 0);
  p.write('p/q/new.bin', 'new');
  renameSync(join(p.local, 'archive/notes.md'), join(p.local, 'p/q/notes.md'));
  p.write('x.txt', 'x2');
  rmSync(join(p.local, 'z.txt'));
  await p.other.rename((await p.remoteAt('p/q')).resourceKey, 'r');
  await moveRemote(p, 'y.txt', 'archive', 'y2.txt');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['archive/y2.txt', 'p/r/new.bin', 'p/r/notes.md', 'p/r/old.txt', 'x.txt']);
  assert.equal(p.read('p/r/notes.md'), 'notes');
  await assertSame(p);
  await assertQuiet(p);
});

test('situation 2: a local move into a folder renamed on the Drive, the folder named longer than the moved file, ends in the renamed folder on both sides', async (t) => {
  // the folder's path is the longer one, so its rename sorts after the file's move (plan/paths.ts byDepth)
  const p = await setupPair(t);
  p.write('projects/quarterly/old.txt', 'o');
  p.write('archive/notes.md', 'notes');
  p.write('x.txt', 'x');
  p.write('w.txt', 'w');
  p.write('y.txt', 'y');
  p.write('z.txt', 'z');
  p.write('v.txt', 'v');
  expectExit(await p.once(), 0);
  p.write('projects/quarterly/new.bin', 'new');
  renameSync(join(p.local, 'archive/notes.md'), join(p.local, 'projects/quarterly/notes.md'));
  p.write('x.txt', 'x2');
  p.write('w.txt', 'w2');
  rmSync(join(p.local, 'z.txt'));
  await p.other.rename((await p.remoteAt('projects/quarterly')).resourceKey, 'review');
  await moveRemote(p, 'y.txt', 'archive', 'y2.txt');
  await moveRemote(p, 'v.txt', 'projects', 'v2.txt');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), [
    'archive/y2.txt',
    'projects/review/new.bin',
    'projects/review/notes.md',
    'projects/review/old.txt',
    'projects/v2.txt',
    'w.txt',
    'x.txt',
  ]);
  assert.equal(p.read('projects/review/notes.md'), 'notes');
  await assertSame(p);
  await assertQuiet(p);
});

test('a remote move into a folder renamed locally, the folder named longer than the moved file, keeps the file in the renamed folder on both sides', async (t) => {
  const p = await setupPair(t);
  p.write('projects/quarterly/old.txt', 'o');
  p.write('archive/notes.md', 'notes');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'projects/quarterly'), join(p.local, 'projects/review'));
  await moveRemote(p, 'archive/notes.md', 'projects/quarterly');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['projects/review/notes.md', 'projects/review/old.txt']);
  assert.equal(p.read('projects/review/notes.md'), 'notes');
  await assertSame(p);
  await assertQuiet(p);
});

test("a local move into a folder the Drive moved into the file's old folder ends there on both sides", async (t) => {
  const p = await setupPair(t);
  p.write('projects/quarterly/old.txt', 'o');
  p.write('archive/notes.md', 'notes');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'archive/notes.md'), join(p.local, 'projects/quarterly/notes.md'));
  await moveRemote(p, 'projects/quarterly', 'archive', 'review');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['archive/review/notes.md', 'archive/review/old.txt']);
  assert.equal(p.read('archive/review/notes.md'), 'notes');
  await assertSame(p);
  await assertQuiet(p);
});

test('a local move into a folder whose name the Drive changed in case only ends in that folder on both sides', async (t) => {
  const p = await setupPair(t);
  p.write('projects/quarterly/old.txt', 'o');
  p.write('archive/notes.md', 'notes');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'archive/notes.md'), join(p.local, 'projects/quarterly/notes.md'));
  await p.other.rename((await p.remoteAt('projects/quarterly')).resourceKey, 'QUARTERLY');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['projects/QUARTERLY/notes.md', 'projects/QUARTERLY/old.txt']);
  assert.equal(p.read('projects/QUARTERLY/notes.md'), 'notes');
  await assertSame(p);
  await assertQuiet(p);
});

test('a remote move into a new folder under a folder renamed locally reaches the local side', async (t) => {
  const p = await setupPair(t);
  p.write('S/docs/a.txt', 'a');
  p.write('work/data.json', '{}');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'S/docs'), join(p.local, 'S/proj'));
  await p.other.mkdir((await p.remoteAt('S/docs')).resourceKey, 'f61');
  await moveRemote(p, 'work/data.json', 'S/docs/f61');
  await p.putRemote('S/docs/f61/fresh.txt', 'fresh');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['S/proj/a.txt', 'S/proj/f61/data.json', 'S/proj/f61/fresh.txt']);
  await assertSame(p);
  await assertQuiet(p);
});

test('a local move out of a folder renamed on the Drive, and a move within it, land on both sides', async (t) => {
  const p = await setupPair(t);
  p.write('top/sub/deep/inner.txt', 'inner');
  p.write('top/sub/deep/out.txt', 'out');
  p.write('top/sub/x/y.txt', 'y');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'top/sub/deep/out.txt'), join(p.local, 'out-moved.txt'));
  mkdirSync(join(p.local, 'top/sub/x/z'));
  renameSync(join(p.local, 'top/sub/deep/inner.txt'), join(p.local, 'top/sub/x/z/inner2.txt'));
  await p.other.rename((await p.remoteAt('top/sub')).resourceKey, 'renamed sub é');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), [
    'out-moved.txt',
    'top/renamed sub é/x/y.txt',
    'top/renamed sub é/x/z/inner2.txt',
  ]);
  assert.equal(p.read('out-moved.txt'), 'out');
  await assertSame(p);
  await assertQuiet(p);
});
