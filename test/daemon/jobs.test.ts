/**
 * Daemon jobs (design.md "The daemon: jobs within the budget") through the real CLI: what the
 * watcher reports and what the poller finds changed is reconciled path by path, renames and moves
 * included (inode locally, fileId remotely), without a full pass.
 */
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, sha, type Pair } from '../e2e/harness.js';
import { logLines, readLocal, running, waitUntil, type Daemon } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

async function seeded(t: Parameters<typeof setupPair>[0]): Promise<Pair> {
  const p = await setupPair(t, { sync: SYNC });
  p.write('docs/plan.md', 'the plan');
  p.write('docs/notes/n1.txt', 'note one');
  p.write('docs/notes/n2.txt', 'note two');
  p.write('photos/cat.jpg', 'meow');
  p.write('top.txt', 'top');
  const r = await p.once();
  assert.equal(r.code, 0, r.stderr);
  return p;
}

function fullPasses(d: Daemon): number {
  return logLines(d.output(), 'work starting').filter((l) => l.work === 'full').length;
}

async function remoteFiles(p: Pair): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  for (const [path, it] of await p.tree()) if (it.type !== 'FOLDER') out.set(path, it.sha256);
  return out;
}

test('local renames and moves of files and folders become Drive moves (same fileId, no upload), by jobs', async (t) => {
  const p = await seeded(t);
  const before = await p.tree();
  const d = await running(t, p, 'debug');
  await p.clearRequests();
  renameSync(join(p.local, 'docs/plan.md'), join(p.local, 'docs/plan-v2.md'));
  renameSync(join(p.local, 'docs/notes'), join(p.local, 'photos/notes'));
  await waitUntil(
    async () => {
      const tree = await p.tree();
      return tree.has('docs/plan-v2.md') && tree.has('photos/notes/n2.txt') && !tree.has('docs/notes');
    },
    'the rename and the folder move on the Drive',
    d,
  );
  const tree = await p.tree();
  assert.equal(tree.get('docs/plan-v2.md')?.fileId, before.get('docs/plan.md')?.fileId);
  assert.equal(tree.get('photos/notes')?.fileId, before.get('docs/notes')?.fileId);
  assert.equal(tree.get('photos/notes/n1.txt')?.fileId, before.get('docs/notes/n1.txt')?.fileId);
  const ops = (await p.requests()).map((r) => r.operation);
  assert.ok(!ops.includes('upload') && !ops.includes('delete'), `no upload, no delete: ${ops.join(', ')}`);
  assert.equal(fullPasses(d), 0);
  assert.equal((await d.stop()).code, 0);
});

test('remote renames and moves found by the poller are replayed locally, keeping the inode', async (t) => {
  const p = await seeded(t);
  const ino = statSync(join(p.local, 'docs/notes/n1.txt')).ino;
  const d = await running(t, p, 'debug');
  const plan = await p.remoteAt('docs/plan.md');
  await p.other.rename(plan.resourceKey, 'plan-final.md');
  const notes = await p.remoteAt('docs/notes');
  const photos = await p.remoteAt('photos');
  await p.other.move(notes.resourceKey, photos.resourceKey);
  await waitUntil(
    () =>
      readLocal(p, 'docs/plan-final.md') === 'the plan' && readLocal(p, 'photos/notes/n1.txt') === 'note one',
    'the remote rename and move locally',
    d,
  );
  assert.equal(readLocal(p, 'docs/plan.md'), null);
  assert.equal(readLocal(p, 'docs/notes/n1.txt'), null);
  assert.equal(statSync(join(p.local, 'photos/notes/n1.txt')).ino, ino, 'moved, not downloaded again');
  assert.equal(fullPasses(d), 0);
  assert.equal((await d.stop()).code, 0);
});

test('new folders on either side travel whole; a folder deleted on either side goes to a trash', async (t) => {
  const p = await seeded(t);
  const d = await running(t, p, 'debug');
  mkdirSync(join(p.local, 'new/deep/er'), { recursive: true });
  p.write('new/deep/er/x.txt', 'x');
  p.write('new/y.txt', 'y');
  await p.putRemote('remote-made/sub/z.txt', 'z');
  await p.putRemote('remote-made/w.txt', 'w');
  await waitUntil(
    async () => {
      const r = await remoteFiles(p);
      return (
        r.get('new/deep/er/x.txt') === sha('x') &&
        r.get('new/y.txt') === sha('y') &&
        readLocal(p, 'remote-made/sub/z.txt') === 'z' &&
        readLocal(p, 'remote-made/w.txt') === 'w'
      );
    },
    'both new folders on the other side',
    d,
  );
  rmSync(join(p.local, 'photos'), { recursive: true });
  const docs = await p.remoteAt('docs');
  await p.other.delete(docs.resourceKey);
  await waitUntil(
    async () => {
      const r = await remoteFiles(p);
      return !r.has('photos/cat.jpg') && readLocal(p, 'docs/notes/n1.txt') === null;
    },
    'both deletes on the other side',
    d,
  );
  assert.equal(readLocal(p, 'top.txt'), 'top');
  assert.equal((await remoteFiles(p)).get('top.txt'), sha('top'));
  assert.equal(fullPasses(d), 0);
  assert.equal((await d.stop()).code, 0);
});

test('an edit on both sides of one file between two looks keeps both versions (conflict), by a job', async (t) => {
  const p = await seeded(t);
  const d = await running(t, p, 'debug');
  // the Drive's edit lands first; the local edit's job finds it with its get
  await p.putRemote('top.txt', 'the Drive version');
  p.write('top.txt', 'the local version, longer');
  await waitUntil(
    async () => {
      const r = await remoteFiles(p);
      const copies = [...r.keys()].filter((k) => k.startsWith('top (conflicted copy'));
      return readLocal(p, 'top.txt') === 'the Drive version' && copies.length === 1;
    },
    'the conflict resolved into two files on both sides',
    d,
  );
  const r = await remoteFiles(p);
  const copy = [...r.keys()].find((k) => k.startsWith('top (conflicted copy'))!;
  assert.equal(r.get(copy), sha('the local version, longer'));
  assert.equal(readLocal(p, copy), 'the local version, longer');
  assert.equal((await d.stop()).code, 0);
});

test('a folder that stops being ignored (.lwsyncignore edited) is synced and watched at once', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('.lwsyncignore', 'build/\n');
  p.write('build/old.txt', 'made while ignored');
  p.write('src/main.txt', 'main');
  assert.equal((await p.once()).code, 0);
  assert.ok(!(await p.tree()).has('build/old.txt'));
  const d = await running(t, p, 'debug');
  p.write('.lwsyncignore', '# nothing ignored any more\n');
  await waitUntil(
    async () => (await remoteFiles(p)).get('build/old.txt') === sha('made while ignored'),
    'the no longer ignored file on the Drive',
    d,
  );
  p.write('build/new.txt', 'made after the rule went');
  await waitUntil(
    async () => (await remoteFiles(p)).get('build/new.txt') === sha('made after the rule went'),
    'a new file in the no longer ignored folder on the Drive (the watcher sees it)',
    d,
  );
  const rescans = logLines(d.output(), 'work starting').filter((l) => l.work === 'rescan').length;
  assert.equal(
    rescans,
    2,
    'one rescan at start, one for the new rules: the new file came through the watcher',
  );
  assert.equal((await d.stop()).code, 0);
});

test('a poll job that fails after the listing entered the view is run again: a remote delete is not forgotten', async (t) => {
  const p = await seeded(t);
  const d = await running(t, p, 'debug');
  // every get fails for a while: the job that follows the listing cannot place the vanished file
  await p.fault({ operation: 'get', times: 30, status: 500 });
  const photo = await p.remoteAt('photos/cat.jpg');
  await p.other.delete(photo.resourceKey);
  await waitUntil(
    () => logLines(d.output(), 'sync work failed; trying again later').length > 0,
    'a failed job',
    d,
  );
  await fetch(`${p.emu.urls.admin}/faults`, { method: 'DELETE' });
  await waitUntil(
    () => readLocal(p, 'photos/cat.jpg') === null,
    'the remote delete applied locally',
    d,
    30_000,
  );
  assert.equal(readLocal(p, 'top.txt'), 'top');
  assert.equal((await d.stop()).code, 0);
});
