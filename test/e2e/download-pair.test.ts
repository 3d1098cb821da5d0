/**
 * A download pair (issue 14): the local folder mirrors the Drive through the real CLI `--once`.
 * Every change of the decision table on each side, both cleanup_local settings, a switch of
 * direction both → download → both without --resync, and the Drive never written.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';
import {
  changeLocal,
  changeRemote,
  configure,
  DRIVE_WRITES,
  snapshot,
  START,
  statusOf,
  trashed,
  writeStart,
} from './one-way.js';

test('download: local changes are undone, Drive changes arrive, the Drive sees no write', async (t) => {
  const p = await setupPair(t);
  writeStart(p);
  expectExit(await p.once(), 0);
  const driveBefore = await p.tree();
  configure(p, 'direction = "download"');
  changeLocal(p);
  await changeRemote(p);
  const driveChanged = await p.tree();
  const localBefore = snapshot(p.local);
  await p.clearRequests();

  // --dry-run shows the plan and changes nothing
  const dry = await p.once('--dry-run');
  expectExit(dry, 0);
  const plan = dry.stdout.trim().split('\n').sort();
  assert.deepEqual(
    plan,
    [
      'delete-local r-del.txt',
      'download F/x.txt',
      'download F/y.txt',
      'download del.txt',
      'download mv.txt',
      'download r-edit.txt',
      'download r-new.txt',
      'download ren.txt',
      'mkdir-local F',
      'move-local RF -> RF2',
      'move-local r-mv.txt -> sub/r-mv.txt',
      'move-local r-ren.txt -> r-ren2.txt',
      'replace-local edit.txt',
    ].sort(),
  );
  assert.deepEqual(snapshot(p.local), localBefore);

  const r = await p.once();
  expectExit(r, 0);
  const ops = (await p.requests()).map((q) => q.operation);
  assert.deepEqual(
    ops.filter((o) => DRIVE_WRITES.has(o)),
    [],
    ops.join(','),
  );
  assert.deepEqual(await p.tree(), driveChanged, 'the Drive is as the other device left it');

  // the Drive's version of every local change is back; what was only made here stays, untouched
  assert.equal(p.read('edit.txt'), START['edit.txt']);
  assert.equal(p.read('del.txt'), START['del.txt']);
  assert.equal(p.read('ren.txt'), START['ren.txt']);
  assert.equal(p.read('mv.txt'), START['mv.txt']);
  assert.equal(p.read('F/x.txt'), START['F/x.txt']);
  const after = snapshot(p.local);
  for (const kept of [
    'ren2.txt',
    'sub/mv.txt',
    'F2/x.txt',
    'F2/y.txt',
    'new.txt',
    'keep0.txt',
    'keep7.txt',
    'sub/s.txt',
  ])
    assert.deepEqual(after.get(kept), localBefore.get(kept), `${kept} untouched`);
  assert.equal(trashed(p).get('edit.txt'), 'edit v2, changed here', 'the local version is in the trash');

  // the Drive's changes arrived; its renames are replayed (same inode)
  assert.equal(p.read('r-edit.txt'), 'r-edit v2, changed on the Drive');
  assert.equal(p.read('r-new.txt'), 'new on the Drive');
  assert.equal(after.get('r-ren2.txt')?.ino, localBefore.get('r-ren.txt')?.ino);
  assert.equal(after.get('sub/r-mv.txt')?.ino, localBefore.get('r-mv.txt')?.ino);
  assert.equal(after.get('RF2/z.txt')?.ino, localBefore.get('RF/z.txt')?.ino);
  for (const gone of ['r-del.txt', 'r-ren.txt', 'r-mv.txt', 'RF/z.txt'])
    assert.equal(after.has(gone), false, gone);
  assert.equal(trashed(p).get('r-del.txt'), 'r-del');

  const s = await statusOf(p);
  assert.equal(s.direction, 'download');
  assert.deepEqual(s.localOnly.map((i) => i.path).sort(), ['F2', 'new.txt', 'ren2.txt', 'sub/mv.txt']);
  assert.deepEqual(s.skipped, []);
  const text = await p.cli(['status', '--config', p.configFile]);
  assert.match(text.stdout, /direction: download \(the local folder mirrors the Drive/);
  assert.match(text.stdout, /local only \(4\):\n {4}F2: local only/);

  // a second run finds nothing to do
  const settled = snapshot(p.local);
  await p.clearRequests();
  expectExit(await p.once(), 0);
  const again = (await p.requests()).map((q) => q.operation);
  assert.deepEqual(
    again.filter((o) => o !== 'list' && o !== 'get'),
    [],
    again.join(','),
  );
  assert.deepEqual(snapshot(p.local), settled);

  // cleanup_local = true: what only this computer has goes to the trash
  configure(p, 'direction = "download"\ncleanup_local = true');
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.deepEqual(
    (await p.requests()).map((q) => q.operation).filter((o) => DRIVE_WRITES.has(o)),
    [],
  );
  const cleaned = snapshot(p.local);
  for (const gone of ['ren2.txt', 'sub/mv.txt', 'F2', 'new.txt'])
    assert.equal(cleaned.has(gone), false, gone);
  const bin = trashed(p);
  assert.equal(bin.get('new.txt'), 'new here');
  assert.equal(bin.get('F2/x.txt'), 'fx');
  assert.deepEqual((await statusOf(p)).localOnly, []);
  const files = p.localFiles();
  const drive = [...(await p.tree())]
    .filter(([, i]) => i.type === 'file')
    .map(([path]) => path)
    .sort();
  assert.deepEqual(files, drive, 'the local folder is the Drive');
  for (const f of files) assert.equal(sha(p.read(f)), (await p.tree()).get(f)?.sha256, f);

  // back to two-way, no --resync: a new local file is uploaded at the next pass
  configure(p, 'direction = "both"');
  p.write('later.txt', 'two-way again');
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).get('later.txt')?.sha256, sha('two-way again'));
  assert.equal((await statusOf(p)).direction, 'both');
  assert.ok(driveBefore.size > 0);
});

test('download: a first run onto a copy keeps equal files in place and trashes only the different ones', async (t) => {
  const p = await setupPair(t);
  await p.putRemote('same.txt', 'equal bytes');
  await p.putRemote('differs.txt', 'the Drive version');
  await p.putRemote('sized.txt', 'AAAA');
  p.write('same.txt', 'equal bytes');
  p.write('differs.txt', 'this computer');
  p.write('sized.txt', 'BBBB');
  configure(p, 'direction = "download"');
  const before = snapshot(p.local);
  expectExit(await p.once(), 0);
  const after = snapshot(p.local);
  assert.equal(after.get('same.txt')?.ino, before.get('same.txt')?.ino, 'equal: left in place');
  assert.equal(p.read('differs.txt'), 'the Drive version');
  assert.equal(p.read('sized.txt'), 'AAAA');
  assert.deepEqual([...trashed(p)].sort(), [
    ['differs.txt', 'this computer'],
    ['sized.txt', 'BBBB'],
  ]);
});
