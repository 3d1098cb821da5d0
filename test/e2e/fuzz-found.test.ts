/** Failures the randomized test (fuzz.test.ts) found, each kept as a fixed end-to-end test. */
import assert from 'node:assert/strict';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';
import { localTree, remoteTree } from './sides.js';

test('seed 11: a folder the Drive replaced by a file, while a file was moved into it locally, ends as a conflict with nothing lost', async (t) => {
  const p = await setupPair(t);
  p.write('Σ/old.txt', 'old');
  p.write('moved.txt', 'moved');
  p.write('café', 'cafe');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'moved.txt'), join(p.local, 'Σ/b.txt'));
  await p.other.delete((await p.remoteAt('Σ')).resourceKey);
  await p.other.rename((await p.remoteAt('café')).resourceKey, 'Σ');
  rmSync(join(p.local, 'café'));
  expectExit(await p.once(), 0);
  const local = localTree(p.local);
  assert.deepEqual(local, await remoteTree(p));
  assert.equal(local.get('Σ'), sha('cafe'));
  const copies = [...local].filter(([k]) => k.startsWith('Σ (conflicted copy'));
  assert.deepEqual(
    copies.filter(([, v]) => v !== 'folder').map(([k, v]) => [k.slice(k.indexOf('/') + 1), v]),
    [
      ['b.txt', sha('moved')],
      ['old.txt', sha('old')],
    ],
  );
});

test('seed 11: a local move and rename into a folder holding an item of its old name is one move on the Drive', async (t) => {
  const p = await setupPair(t);
  p.write('x/notes.md', 'moving');
  p.write('y/notes.md', 'staying');
  expectExit(await p.once(), 0);
  const id = (await p.tree()).get('x/notes.md')?.fileId;
  renameSync(join(p.local, 'x/notes.md'), join(p.local, 'y/other.md'));
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('y/other.md')?.fileId, id);
  assert.equal(tree.get('y/notes.md')?.sha256, sha('staying'));
  assert.deepEqual(localTree(p.local), await remoteTree(p));
});

test('seed 301: a local move and rename where both its old name in the target and its new name where it is are taken', async (t) => {
  const p = await setupPair(t);
  p.write('x/notes.md', 'moving');
  p.write('x/other.md', 'x other');
  p.write('y/notes.md', 'y notes');
  expectExit(await p.once(), 0);
  const id = (await p.tree()).get('x/notes.md')?.fileId;
  renameSync(join(p.local, 'x/notes.md'), join(p.local, 'y/other.md'));
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('y/other.md')?.fileId, id);
  assert.equal(tree.get('y/other.md')?.sha256, sha('moving'));
  assert.deepEqual(localTree(p.local), await remoteTree(p));
});
