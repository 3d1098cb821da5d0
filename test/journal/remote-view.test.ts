/**
 * The remote view in the journal (schema/004_remote_view.sql, src/engine/remote-view.ts): the base's
 * remote half plus the differences a listing showed; a base row written or deleted settles its path.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { recordListing, viewChildren, viewFolders, viewPathOfKey } from '../../src/engine/remote-view.js';
import { Journal, type BaseRow } from '../../src/journal/index.js';
import type { RemoteEntry } from '../../src/remote/types.js';

function open(t: TestContext): Journal {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-view-'));
  const j = Journal.open(dir);
  t.after(() => {
    j.close();
    rmSync(dir, { recursive: true, force: true });
  });
  j.putPair({
    name: 'p',
    localRoot: '/l',
    driveSpec: 'me',
    remotePath: '/',
    remoteFolderKey: 'R',
    createdMs: 1,
  });
  return j;
}

const row = (path: string, key: string, parent: string, kind: 'file' | 'folder' = 'file'): BaseRow => ({
  path,
  kind,
  localSize: kind === 'file' ? 3 : 0,
  localMtimeMs: 1000,
  localIno: 7,
  localSha256: null,
  remoteKey: key,
  remoteUpdateMs: 2000,
  remoteSize: kind === 'file' ? 3 : 0,
  remoteParentKey: parent,
});

const entry = (path: string, key: string, parent: string, over: Partial<RemoteEntry> = {}): RemoteEntry => ({
  resourceKey: key,
  parentKey: parent,
  name: path.slice(path.lastIndexOf('/') + 1),
  path,
  kind: 'file',
  size: 3,
  updateDate: 2000,
  ...over,
});

test('a listing equal to the base changes nothing; a changed, a new and a missing item are reported and kept', (t) => {
  const j = open(t);
  j.putBase('p', row('d', 'D', 'R', 'folder'));
  j.putBase('p', row('d/a.txt', 'A', 'D'));
  j.putBase('p', row('d/b.txt', 'B', 'D'));
  assert.deepEqual(recordListing(j, 'p', 'd', [entry('d/a.txt', 'A', 'D'), entry('d/b.txt', 'B', 'D')]), []);
  const changed = recordListing(j, 'p', 'd', [
    entry('d/a.txt', 'A', 'D', { size: 9, updateDate: 3000 }),
    entry('d/c.txt', 'C', 'D'),
  ]);
  assert.deepEqual(changed.sort(), ['d/a.txt', 'd/b.txt', 'd/c.txt']);
  const view = viewChildren(j, 'p', 'd');
  assert.deepEqual([...view.keys()].sort(), ['d/a.txt', 'd/c.txt']);
  assert.equal(view.get('d/a.txt')?.size, 9);
  // the same listing again: nothing new
  assert.deepEqual(
    recordListing(j, 'p', 'd', [
      entry('d/a.txt', 'A', 'D', { size: 9, updateDate: 3000 }),
      entry('d/c.txt', 'C', 'D'),
    ]),
    [],
  );
  assert.equal(viewPathOfKey(j, 'p', 'C'), 'd/c.txt');
  assert.equal(viewPathOfKey(j, 'p', 'B'), undefined, 'the view no longer holds B anywhere');
});

test('a base row written or deleted settles the view at its path (triggers), a folder move settles both places', (t) => {
  const j = open(t);
  j.putBase('p', row('x.txt', 'X', 'R'));
  recordListing(j, 'p', '', [
    entry('x.txt', 'X', 'R', { size: 5, updateDate: 9 }),
    entry('new.txt', 'N', 'R'),
  ]);
  assert.equal(j.remoteDeltas('p', '').length, 2);
  j.putBase('p', { ...row('x.txt', 'X', 'R'), remoteSize: 5, remoteUpdateMs: 9, localSize: 5 });
  j.putBase('p', row('new.txt', 'N', 'R'));
  assert.deepEqual(j.remoteDeltas('p', ''), [], 'both paths agree again');
  j.putBase('p', row('f', 'F', 'R', 'folder'));
  j.putBase('p', row('f/in.txt', 'I', 'F'));
  recordListing(j, 'p', '', [
    entry('x.txt', 'X', 'R', { size: 5, updateDate: 9 }),
    entry('new.txt', 'N', 'R'),
    entry('g', 'F', 'R', { kind: 'folder', size: 0 }),
  ]);
  assert.deepEqual(
    j
      .remoteDeltas('p', '')
      .map((d) => [d.path, d.entry?.resourceKey ?? null])
      .sort(),
    [
      ['f', null],
      ['g', 'F'],
    ],
  );
  j.moveBaseTree('p', 'f', 'g');
  assert.deepEqual(j.remoteDeltas('p', ''), []);
  assert.deepEqual(viewFolders(j, 'p').sort(), ['', 'g']);
  j.deleteBaseTree('p', 'g');
  assert.deepEqual(viewFolders(j, 'p'), ['']);
});

test('a folder whose time alone moved is kept in the view but is not a change to plan', (t) => {
  const j = open(t);
  j.putBase('p', row('d', 'D', 'R', 'folder'));
  const changed = recordListing(j, 'p', '', [
    entry('d', 'D', 'R', { kind: 'folder', size: 0, updateDate: 5000 }),
  ]);
  assert.deepEqual(changed, []);
  assert.equal(viewChildren(j, 'p', '').get('d')?.updateDate, 5000);
});
