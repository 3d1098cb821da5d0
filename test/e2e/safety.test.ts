/** Safety guards and --dry-run (design.md "Safety guards", contracts.md §1 exit codes). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';

test('--dry-run prints the plan and changes nothing locally or remotely', async (t) => {
  const p = await setupPair(t);
  p.write('up.txt', 'u');
  p.write('gone.txt', 'g');
  p.write('keep1.txt', '1');
  p.write('keep2.txt', '2');
  expectExit(await p.once(), 0);
  p.write('new-local.txt', 'n');
  rmSync(join(p.local, 'gone.txt'));
  await p.putRemote('new-remote.txt', 'r');
  const treeBefore = await p.tree();
  const filesBefore = p.localFiles();
  await p.clearRequests();
  const r = await p.once('--dry-run');
  expectExit(r, 0);
  const lines = r.stdout.trim().split('\n').sort();
  assert.deepEqual(lines, ['delete-remote gone.txt', 'download new-remote.txt', 'upload new-local.txt']);
  assert.deepEqual(await p.tree(), treeBefore);
  assert.deepEqual(p.localFiles(), filesBefore);
  const writes = (await p.requests()).filter((q) => q.operation !== 'list' && q.operation !== 'get');
  assert.deepEqual(writes, []);
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).has('gone.txt'), false);
});

test('--dry-run on a first run creates neither the marker nor the remote folder', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'a');
  const r = await p.once('--dry-run');
  expectExit(r, 0);
  assert.equal(r.stdout.trim(), 'upload a.txt');
  assert.equal(existsSync(join(p.local, '.lineworks-sync')), false);
  assert.equal(await p.other.resolvePath(p.remotePath), null);
});

test('the mass-delete guard stops a run that would delete most files (exit 3, nothing deleted) until --force', async (t) => {
  const p = await setupPair(t);
  for (let i = 0; i < 10; i++) p.write(`f${i}.txt`, `file ${i}`);
  expectExit(await p.once(), 0);
  for (let i = 0; i < 6; i++) rmSync(join(p.local, `f${i}.txt`));
  p.write('new.txt', 'new');
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /max_delete_percent = 50/);
  const tree = await p.tree();
  assert.equal(tree.size, 10);
  assert.equal(tree.has('new.txt'), false);
  expectExit(await p.once('--force'), 0);
  assert.deepEqual([...(await p.tree()).keys()].sort(), ['f6.txt', 'f7.txt', 'f8.txt', 'f9.txt', 'new.txt']);
});

test('max_delete_count stops a run even under the percentage', async (t) => {
  const p = await setupPair(t, { sync: 'max_delete_count = 2' });
  for (let i = 0; i < 10; i++) p.write(`f${i}.txt`, `${i}`);
  expectExit(await p.once(), 0);
  for (let i = 0; i < 3; i++) await p.other.delete((await p.remoteAt(`f${i}.txt`)).resourceKey);
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /max_delete_count = 2/);
  assert.equal(p.localFiles().length, 10);
});

test('onedrive #2755: a renamed-away local root stops the run (exit 3), remote untouched', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'a');
  p.write('b.txt', 'b');
  expectExit(await p.once(), 0);
  const before = await p.tree();
  renameSync(p.local, `${p.local}-unmounted`);
  await p.clearRequests();
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /local root .* is missing/);
  assert.deepEqual(await p.tree(), before);
  const writes = (await p.requests()).filter((q) => q.operation !== 'list' && q.operation !== 'get');
  assert.deepEqual(writes, [], 'no write call reached the Drive');
});

test('syncthing #799/#4345: a missing marker file stops the run (exit 3); the files stay on both sides', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'a');
  expectExit(await p.once(), 0);
  rmSync(join(p.local, '.lineworks-sync'));
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /marker/);
  assert.equal((await p.tree()).size, 1);
  assert.deepEqual(p.localFiles(), ['a.txt']);
});

test('a missing remote folder stops the run with exit 3 and deletes nothing locally', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'a');
  expectExit(await p.once(), 0);
  await p.other.delete((await p.remoteAt('')).resourceKey);
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /remote folder \/sync is missing/);
  assert.deepEqual(p.localFiles(), ['a.txt']);
});

test('nextcloud #1433: a pair re-pointed at another folder is refused until --resync, which merges both sides without deleting', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'a');
  expectExit(await p.once(), 0);
  await p.putRemote('/elsewhere/b.txt', 'b');
  const cfg = readFileSync(p.configFile, 'utf8').replace(
    'remote_path = "/sync"',
    'remote_path = "/elsewhere"',
  );
  writeFileSync(p.configFile, cfg);
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /--resync/);
  expectExit(await p.once('--resync'), 0);
  assert.deepEqual(p.localFiles(), ['a.txt', 'b.txt']);
  const other = await p.other.resolvePath('/elsewhere/a.txt');
  assert.ok(other && other !== 'root');
  assert.ok(await p.other.resolvePath('/sync/a.txt'));
});

test('--resync after local and remote drifted copies both ways and deletes nothing', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'a');
  p.write('b.txt', 'b');
  expectExit(await p.once(), 0);
  rmSync(join(p.local, 'a.txt'));
  await p.other.delete((await p.remoteAt('b.txt')).resourceKey);
  p.write('c.txt', 'c');
  expectExit(await p.once('--resync'), 0);
  assert.deepEqual(p.localFiles(), ['a.txt', 'b.txt', 'c.txt']);
  const tree = await p.tree();
  assert.deepEqual([...tree.keys()].sort(), ['a.txt', 'b.txt', 'c.txt']);
  assert.equal(tree.get('b.txt')?.sha256, sha('b'));
});
