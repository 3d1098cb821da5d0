/**
 * An upload pair (issue 14): the Drive mirrors the local folder through the real CLI `--once`.
 * Every change of the decision table on each side, both cleanup_remote settings, a switch of
 * direction both → upload → both without --resync, and the local folder never touched (every
 * item's inode, mtime and bytes) nor anything downloaded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';
import {
  changeLocal,
  changeRemote,
  configure,
  DOWNLOADS,
  snapshot,
  START,
  statusOf,
  writeStart,
} from './one-way.js';

test('upload: Drive changes are undone, local changes go up, nothing is downloaded', async (t) => {
  const p = await setupPair(t);
  writeStart(p);
  expectExit(await p.once(), 0);
  const driveBefore = await p.tree();
  configure(p, 'direction = "upload"');
  changeLocal(p);
  await changeRemote(p);
  const driveChanged = await p.tree();
  const localBefore = snapshot(p.local);
  await p.clearRequests();

  const dry = await p.once('--dry-run');
  expectExit(dry, 0);
  assert.deepEqual(
    dry.stdout.trim().split('\n').sort(),
    [
      'delete-remote del.txt',
      'mkdir-remote RF',
      'move-remote F -> F2',
      'move-remote mv.txt -> sub/mv.txt',
      'move-remote ren.txt -> ren2.txt',
      'replace-remote r-edit.txt',
      'upload RF/z.txt',
      'upload edit.txt',
      'upload new.txt',
      'upload r-del.txt',
      'upload r-mv.txt',
      'upload r-ren.txt',
    ].sort(),
  );
  assert.deepEqual(await p.tree(), driveChanged);

  expectExit(await p.once(), 0);
  const ops = (await p.requests()).map((q) => q.operation);
  assert.deepEqual(
    ops.filter((o) => DOWNLOADS.has(o)),
    [],
    ops.join(','),
  );
  assert.deepEqual(snapshot(p.local), localBefore, 'the local folder is untouched');

  const tree = await p.tree();
  // the local changes are on the Drive; renames kept the fileId
  assert.equal(tree.get('edit.txt')?.sha256, sha('edit v2, changed here'));
  assert.equal(tree.get('edit.txt')?.fileId, driveBefore.get('edit.txt')?.fileId);
  assert.equal(tree.has('del.txt'), false);
  assert.equal(tree.get('ren2.txt')?.fileId, driveBefore.get('ren.txt')?.fileId);
  assert.equal(tree.get('sub/mv.txt')?.fileId, driveBefore.get('mv.txt')?.fileId);
  assert.equal(tree.get('F2/x.txt')?.fileId, driveBefore.get('F/x.txt')?.fileId);
  assert.equal(tree.get('new.txt')?.sha256, sha('new here'));
  // the Drive's changes are undone: its version went to the Drive's trash (delete, then upload)
  assert.equal(tree.get('r-edit.txt')?.sha256, sha(START['r-edit.txt']!));
  assert.notEqual(tree.get('r-edit.txt')?.fileId, driveChanged.get('r-edit.txt')?.fileId);
  assert.equal(ops.filter((o) => o === 'delete').length, 2, 'del.txt and the replaced r-edit.txt');
  for (const back of ['r-del.txt', 'r-ren.txt', 'r-mv.txt', 'RF/z.txt'])
    assert.equal(tree.get(back)?.sha256, sha(START[back]!), back);
  // what only the Drive has stays, untouched
  for (const kept of ['r-ren2.txt', 'sub/r-mv.txt', 'RF2/z.txt', 'r-new.txt'])
    assert.deepEqual(tree.get(kept), driveChanged.get(kept), kept);

  const s = await statusOf(p);
  assert.equal(s.direction, 'upload');
  assert.deepEqual(s.remoteOnly.map((i) => i.path).sort(), [
    'RF2',
    'r-new.txt',
    'r-ren2.txt',
    'sub/r-mv.txt',
  ]);
  const text = await p.cli(['status', '--config', p.configFile]);
  assert.match(text.stdout, /direction: upload \(the Drive mirrors the local folder/);
  assert.match(text.stdout, /remote only \(4\):/);

  // a second run finds nothing to do
  const settled = await p.tree();
  await p.clearRequests();
  expectExit(await p.once(), 0);
  const again = (await p.requests()).map((q) => q.operation);
  assert.deepEqual(
    again.filter((o) => o !== 'list' && o !== 'get'),
    [],
    again.join(','),
  );
  assert.deepEqual(await p.tree(), settled);

  // cleanup_remote = true: what only the Drive has goes to the Drive's trash
  configure(p, 'direction = "upload"\ncleanup_remote = true');
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.deepEqual(
    (await p.requests()).map((q) => q.operation).filter((o) => DOWNLOADS.has(o)),
    [],
  );
  assert.deepEqual(snapshot(p.local), localBefore, 'the local folder is still untouched');
  const cleaned = await p.tree();
  for (const gone of ['r-ren2.txt', 'sub/r-mv.txt', 'RF2', 'r-new.txt'])
    assert.equal(cleaned.has(gone), false, gone);
  assert.deepEqual((await statusOf(p)).remoteOnly, []);
  const drive = [...cleaned]
    .filter(([, i]) => i.type === 'file')
    .map(([path]) => path)
    .sort();
  assert.deepEqual(drive, p.localFiles(), 'the Drive is the local folder');
  for (const f of drive) assert.equal(cleaned.get(f)?.sha256, sha(p.read(f)), f);

  // back to two-way, no --resync: a new Drive file is downloaded at the next pass
  configure(p, 'direction = "both"');
  await p.putRemote('later.txt', 'two-way again');
  expectExit(await p.once(), 0);
  assert.equal(p.read('later.txt'), 'two-way again');
});
