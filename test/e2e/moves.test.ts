/** Renames and moves on each side are replayed as moves, keeping the fileId (design.md "Renames"). */
import assert from 'node:assert/strict';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';

test('a local file rename is a remote rename: same fileId, no upload', async (t) => {
  const p = await setupPair(t);
  p.write('old name.txt', 'content');
  expectExit(await p.once(), 0);
  const id = (await p.tree()).get('old name.txt')?.fileId;
  renameSync(join(p.local, 'old name.txt'), join(p.local, 'new name.txt'));
  await p.clearRequests();
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.has('old name.txt'), false);
  assert.equal(tree.get('new name.txt')?.fileId, id);
  const ops = (await p.requests()).map((r) => r.operation);
  assert.ok(!ops.includes('upload') && !ops.includes('upload-url'), ops.join(','));
});

test('a local folder moved into another folder moves on the Drive with its contents', async (t) => {
  const p = await setupPair(t);
  p.write('projects/alpha/notes.txt', 'n');
  p.write('projects/alpha/data/d.bin', 'dd');
  p.write('archive/keep.txt', 'k');
  expectExit(await p.once(), 0);
  const id = (await p.tree()).get('projects/alpha/notes.txt')?.fileId;
  renameSync(join(p.local, 'projects/alpha'), join(p.local, 'archive/alpha-2025'));
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.has('projects/alpha'), false);
  assert.equal(tree.get('archive/alpha-2025/notes.txt')?.fileId, id);
  assert.equal(tree.get('archive/alpha-2025/data/d.bin')?.sha256, sha('dd'));
  assert.equal(tree.get('projects')?.type, 'folder');
});

test('a remote rename and move is replayed locally, keeping the bytes and the inode', async (t) => {
  const p = await setupPair(t);
  p.write('a/file.txt', 'abc');
  p.write('b/other.txt', 'o');
  expectExit(await p.once(), 0);
  const { statSync } = await import('node:fs');
  const ino = statSync(join(p.local, 'a/file.txt')).ino;
  const f = await p.remoteAt('a/file.txt');
  const b = await p.remoteAt('b');
  await p.other.move(f.resourceKey, b.resourceKey);
  await p.other.rename(f.resourceKey, 'renamed.txt');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['b/other.txt', 'b/renamed.txt']);
  assert.equal(statSync(join(p.local, 'b/renamed.txt')).ino, ino);
  assert.equal(p.read('b/renamed.txt'), 'abc');
});

test('a remote folder rename is replayed locally with everything under it', async (t) => {
  const p = await setupPair(t);
  p.write('photos/2024/x.jpg', 'x');
  p.write('photos/2024/y.jpg', 'y');
  expectExit(await p.once(), 0);
  await p.other.rename((await p.remoteAt('photos/2024')).resourceKey, '2024-old');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['photos/2024-old/x.jpg', 'photos/2024-old/y.jpg']);
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.deepEqual(
    (await p.requests()).filter((r) => r.operation !== 'list').map((r) => r.operation),
    [],
  );
});

test('without a rename route on the server, a local file rename is sent under the new name and the old one trashed', async (t) => {
  const p = await setupPair(t, { knobs: { noMove: true } });
  p.write('draft.txt', 'text');
  p.write('dir/in.txt', 'i');
  expectExit(await p.once(), 0);
  renameSync(join(p.local, 'draft.txt'), join(p.local, 'final.txt'));
  mkdirSync(join(p.local, 'dir2'));
  renameSync(join(p.local, 'dir/in.txt'), join(p.local, 'dir2/in.txt'));
  await p.clearRequests();
  expectExit(await p.once(), 0);
  const log = await p.requests();
  assert.ok(
    log.some((r) => r.operation === 'rename' && r.status === 404),
    'the rename route was tried and refused',
  );
  const tree = await p.tree();
  assert.equal(tree.has('draft.txt'), false);
  assert.equal(tree.get('final.txt')?.sha256, sha('text'));
  assert.equal(tree.get('dir2/in.txt')?.sha256, sha('i'));
  assert.equal(tree.has('dir/in.txt'), false);
});
