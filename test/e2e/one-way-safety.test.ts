/**
 * Safety guards of one-way pairs (issue 14, design.md "Safety guards"): the mass-delete guard counts
 * the deletes on the side the pair changes, the missing marker and remote folder still stop a run,
 * and a first run never creates the side the pair does not follow.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';
import { configure, DOWNLOADS, DRIVE_WRITES, snapshot } from './one-way.js';

const FILES = ['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'f5.txt'];

test('download: local deletes are undone, Drive deletes are guarded, a missing marker stops the run', async (t) => {
  const p = await setupPair(t);
  for (const f of FILES) p.write(f, `content of ${f}`);
  expectExit(await p.once(), 0);
  configure(p, 'direction = "download"');

  // emptied here: not a delete of the pair, the files come back
  for (const f of FILES.slice(1)) rmSync(join(p.local, f));
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), FILES);

  // most files deleted on the Drive: mirroring that is a mass delete of the local side
  for (const f of FILES.slice(1)) await p.other.delete((await p.remoteAt(f)).resourceKey);
  const before = snapshot(p.local);
  await p.clearRequests();
  const dry = await p.once('--dry-run');
  expectExit(dry, 3);
  assert.deepEqual(
    dry.stdout.trim().split('\n').sort(),
    FILES.slice(1).map((f) => `delete-local ${f}`),
  );
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /max_delete_percent = 50/);
  assert.deepEqual(snapshot(p.local), before);
  expectExit(await p.once('--force'), 0);
  assert.deepEqual(p.localFiles(), ['f0.txt']);
  const ops = (await p.requests()).map((q) => q.operation);
  assert.deepEqual(
    ops.filter((o) => DRIVE_WRITES.has(o)),
    [],
    ops.join(','),
  );

  rmSync(join(p.local, '.lineworks-sync'));
  await p.putRemote('g.txt', 'g');
  const stopped = await p.once();
  expectExit(stopped, 3);
  assert.match(stopped.stderr, /marker/);
  assert.equal(existsSync(join(p.local, 'g.txt')), false);
});

test('upload: Drive deletes are undone, local deletes are guarded, a missing remote folder stops the run', async (t) => {
  const p = await setupPair(t);
  for (const f of FILES) p.write(f, `content of ${f}`);
  expectExit(await p.once(), 0);
  configure(p, 'direction = "upload"');

  // emptied on the Drive: not a delete of the pair, the files go up again
  for (const f of FILES.slice(1)) await p.other.delete((await p.remoteAt(f)).resourceKey);
  expectExit(await p.once(), 0);
  assert.deepEqual([...(await p.tree()).keys()].sort(), FILES);

  // most files deleted here: mirroring that is a mass delete of the Drive
  for (const f of FILES.slice(1)) rmSync(join(p.local, f));
  const tree = await p.tree();
  await p.clearRequests();
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /max_delete_percent = 50/);
  assert.deepEqual(await p.tree(), tree);
  expectExit(await p.once('--force'), 0);
  assert.deepEqual([...(await p.tree()).keys()], ['f0.txt']);
  const ops = (await p.requests()).map((q) => q.operation);
  assert.deepEqual(
    ops.filter((o) => DOWNLOADS.has(o)),
    [],
    ops.join(','),
  );

  await p.other.delete(((await p.other.resolvePath(p.remotePath)) as { resourceKey: string }).resourceKey);
  p.write('g.txt', 'g');
  const stopped = await p.once();
  expectExit(stopped, 3);
  assert.match(stopped.stderr, /remote folder \/sync is missing/);
  assert.equal(await p.other.resolvePath(p.remotePath), null);
});

test('a first run never creates the side the pair does not follow', async (t) => {
  const p = await setupPair(t);
  configure(p, 'direction = "download"');
  p.write('here.txt', 'h');
  const down = await p.once();
  expectExit(down, 3);
  assert.match(down.stderr, /remote folder \/sync of download pair "docs" does not exist/);
  assert.equal(await p.other.resolvePath(p.remotePath), null);
  assert.equal(existsSync(join(p.local, '.lineworks-sync')), false);

  rmSync(p.local, { recursive: true });
  configure(p, 'direction = "upload"');
  await p.putRemote('there.txt', 't');
  await p.clearRequests();
  const up = await p.once();
  expectExit(up, 3);
  assert.match(up.stderr, /local folder .* of upload pair "docs" does not exist/);
  assert.equal(existsSync(p.local), false);
  assert.deepEqual(
    (await p.requests()).filter((q) => DRIVE_WRITES.has(q.operation)),
    [],
  );

  // once both exist, the first run of the upload pair leaves what only the Drive has
  p.write('here.txt', 'h');
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('here.txt')?.sha256, sha('h'));
  assert.equal(tree.get('there.txt')?.sha256, sha('t'));
  assert.deepEqual(p.localFiles(), ['here.txt']);
});
