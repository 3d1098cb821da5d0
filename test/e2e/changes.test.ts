/** The change matrix on both sides, after a converged first sync (issue 5 "End-to-end tests"). */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha, type Pair } from './harness.js';

async function synced(t: Parameters<typeof setupPair>[0], files: Record<string, string>): Promise<Pair> {
  const p = await setupPair(t);
  for (const [path, content] of Object.entries(files)) p.write(path, content);
  expectExit(await p.once(), 0);
  return p;
}

/** Files in the pair's local trash, by relative path under the run folders. */
function trashed(p: Pair): Map<string, string> {
  const out = new Map<string, string>();
  const bin = join(p.stateDir, 'trash', 'docs');
  if (!existsSync(bin)) return out;
  for (const run of readdirSync(bin)) {
    const walk = (d: string, rel: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(join(d, e.name), r);
        else out.set(r, readFileSync(join(d, e.name), 'utf8'));
      }
    };
    walk(join(bin, run), '');
  }
  return out;
}

test('new, modified and deleted files on the local side reach the Drive', async (t) => {
  const p = await synced(t, { 'keep.txt': 'k', 'edit.txt': 'old', 'gone.txt': 'g' });
  p.write('new.txt', 'fresh');
  p.write('edit.txt', 'new content, longer');
  rmSync(join(p.local, 'gone.txt'));
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('new.txt')?.sha256, sha('fresh'));
  assert.equal(tree.get('edit.txt')?.sha256, sha('new content, longer'));
  assert.equal(tree.has('gone.txt'), false);
  assert.equal(tree.get('keep.txt')?.sha256, sha('k'));
});

test('an edit keeps the remote fileId (overwrite, not a new file)', async (t) => {
  const p = await synced(t, { 'doc.txt': 'v1' });
  const before = (await p.tree()).get('doc.txt')?.fileId;
  p.write('doc.txt', 'v2 is longer');
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).get('doc.txt')?.fileId, before);
});

test('new, modified and deleted files on the Drive reach the local side; local deletes go to the trash', async (t) => {
  const p = await synced(t, { 'keep.txt': 'k', 'edit.txt': 'old', 'gone.txt': 'bytes that must survive' });
  await p.putRemote('new.txt', 'from drive');
  await p.putRemote('edit.txt', 'edited on the drive');
  await p.other.delete((await p.remoteAt('gone.txt')).resourceKey);
  expectExit(await p.once(), 0);
  assert.equal(p.read('new.txt'), 'from drive');
  assert.equal(p.read('edit.txt'), 'edited on the drive');
  assert.equal(existsSync(join(p.local, 'gone.txt')), false);
  assert.equal(trashed(p).get('gone.txt'), 'bytes that must survive');
});

test('both sides changed to the same content: no conflict, one base', async (t) => {
  const p = await synced(t, { 'same.txt': 'aaaa' });
  p.write('same.txt', 'bbbb');
  await p.putRemote('same.txt', 'bbbb');
  const r = await p.once();
  expectExit(r, 0);
  assert.deepEqual(p.localFiles(), ['same.txt']);
  assert.deepEqual([...(await p.tree()).keys()], ['same.txt']);
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.equal((await p.requests()).filter((q) => q.operation !== 'list').length, 0);
});

test('remotely-save #697: both sides changed differently: both versions kept byte for byte (the Drive keeps the name, the local version becomes a conflicted copy on both sides)', async (t) => {
  const p = await synced(t, { 'report.txt': 'base' });
  p.write('report.txt', 'local edit');
  await p.putRemote('report.txt', 'remote edit!');
  expectExit(await p.once(), 0);
  assert.equal(p.read('report.txt'), 'remote edit!');
  const files = p.localFiles();
  assert.equal(files.length, 2);
  const copy = files.find((f) => f.startsWith('report (conflicted copy ')) ?? '';
  assert.ok(copy.endsWith(').txt'), `conflicted copy in ${files.join(', ')}`);
  assert.equal(p.read(copy), 'local edit');
  const tree = await p.tree();
  assert.equal(tree.get('report.txt')?.sha256, sha('remote edit!'));
  assert.equal(tree.get(copy)?.sha256, sha('local edit'));
  const status = await p.cli(['status', '--config', p.configFile, '--json']);
  expectExit(status, 0);
  assert.match(status.stdout, /conflicted copy/);
  rmSync(join(p.local, copy));
  expectExit(await p.once(), 0);
  const after = await p.cli(['status', '--config', p.configFile, '--json']);
  assert.doesNotMatch(after.stdout, /conflicted copy/, 'a resolved conflict is no longer reported');
  assert.equal((await p.tree()).has(copy), false);
});

test('both sides new with the same name and different bytes: a conflict, nothing overwritten', async (t) => {
  const p = await setupPair(t);
  p.write('x.txt', 'mine');
  await p.putRemote('x.txt', 'theirs');
  expectExit(await p.once(), 0);
  assert.equal(p.read('x.txt'), 'theirs');
  const copy = p.localFiles().find((f) => f.includes('conflicted copy'));
  assert.ok(copy);
  assert.equal(p.read(copy), 'mine');
});

test('onedrive #2616/#2625: modified locally, deleted on the Drive: the change wins and is uploaded again', async (t) => {
  const p = await synced(t, { 'a.txt': 'one' });
  p.write('a.txt', 'changed locally');
  await p.other.delete((await p.remoteAt('a.txt')).resourceKey);
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).get('a.txt')?.sha256, sha('changed locally'));
  assert.equal(p.read('a.txt'), 'changed locally');
});

test('onedrive #2616/#2625: deleted locally, modified on the Drive: the change wins and is downloaded again', async (t) => {
  const p = await synced(t, { 'a.txt': 'one' });
  rmSync(join(p.local, 'a.txt'));
  await p.putRemote('a.txt', 'changed on the drive');
  expectExit(await p.once(), 0);
  assert.equal(p.read('a.txt'), 'changed on the drive');
  assert.equal((await p.tree()).get('a.txt')?.sha256, sha('changed on the drive'));
});

test('deleted on both sides: forgotten, nothing left anywhere', async (t) => {
  const p = await synced(t, { 'a.txt': 'one', 'b.txt': 'two', 'c.txt': 'three' });
  rmSync(join(p.local, 'a.txt'));
  await p.other.delete((await p.remoteAt('a.txt')).resourceKey);
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['b.txt', 'c.txt']);
  assert.deepEqual([...(await p.tree()).keys()].sort(), ['b.txt', 'c.txt']);
});

test('empty folders travel both ways, and a deleted empty folder is deleted on the other side', async (t) => {
  const p = await synced(t, { 'f.txt': 'f', 'g.txt': 'g' });
  mkdirSync(join(p.local, 'empty/inner'), { recursive: true });
  await p.other.mkdir((await p.remoteAt('')).resourceKey, 'remote-empty');
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('empty/inner')?.type, 'folder');
  assert.ok(existsSync(join(p.local, 'remote-empty')));
  rmSync(join(p.local, 'empty'), { recursive: true });
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).has('empty'), false);
});

test('a folder deleted on the Drive is removed locally even when only ignored leftovers remain; they go to the trash', async (t) => {
  const p = await synced(t, { 'keep.txt': 'k', 'keep2.txt': 'k2', 'proj/a.txt': 'a' });
  p.write('proj/a.txt~', 'editor backup');
  await p.other.delete((await p.remoteAt('proj')).resourceKey);
  expectExit(await p.once(), 0);
  assert.equal(existsSync(join(p.local, 'proj')), false);
  const bin = trashed(p);
  assert.equal(bin.get('proj/a.txt'), 'a');
  assert.equal(bin.get('proj/a.txt~'), 'editor backup');
});
