import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editedLocal, lines, localFile, run, synced } from './fixtures.js';

test('a local file renamed (same inode) becomes one move-remote', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [{ ...f.local, path: 'b.txt' }], remote: [f.remote] });
  assert.deepEqual(lines(p), ['move-remote a.txt -> b.txt']);
  assert.equal(p.summary.deletesRemote, 0);
});

test('a remote file renamed (same key) becomes one move-local', () => {
  const f = synced('a.txt');
  const p = run({
    base: [f.base],
    local: [f.local],
    remote: [{ ...f.remote, path: 'b.txt', name: 'b.txt' }],
  });
  assert.deepEqual(lines(p), ['move-local a.txt -> b.txt']);
  assert.equal(p.summary.deletesLocal, 0);
});

test('a local folder rename is one move, not one per descendant', () => {
  const d = synced('d', 'folder');
  const x = synced('d/x');
  const y = synced('d/sub/y');
  const s = synced('d/sub', 'folder');
  const moved = [d, s, x, y].map((e) => ({ ...e.local, path: e.local.path.replace(/^d/, 'e') }));
  const p = run({
    base: [d, s, x, y].map((e) => e.base),
    local: moved,
    remote: [d, s, x, y].map((e) => e.remote),
  });
  assert.deepEqual(lines(p), ['move-remote d -> e']);
});

test('a remote folder rename is one move-local, not one per descendant', () => {
  const d = synced('d', 'folder');
  const x = synced('d/x');
  const moved = [d, x].map((e) => ({ ...e.remote, path: e.remote.path.replace(/^d/, 'e') }));
  const p = run({ base: [d.base, x.base], local: [d.local, x.local], remote: moved });
  assert.deepEqual(lines(p), ['move-local d -> e']);
});

test('a file moved into a new local folder comes after the folder is created remotely', () => {
  const f = synced('a.txt');
  const p = run({
    base: [f.base],
    local: [
      { path: 'n', kind: 'folder', size: 0, mtimeMs: 1, ino: 1 },
      { ...f.local, path: 'n/a.txt' },
    ],
    remote: [f.remote],
  });
  assert.deepEqual(lines(p), ['mkdir-remote n', 'move-remote a.txt -> n/a.txt']);
});

test('a remote rename with a local edit moves locally and then uploads the edit', () => {
  const f = synced('a.txt');
  const p = run({
    base: [f.base],
    local: [editedLocal(f)],
    remote: [{ ...f.remote, path: 'b.txt', name: 'b.txt' }],
  });
  assert.deepEqual(lines(p), ['move-local a.txt -> b.txt', 'upload b.txt']);
});

test('a file in a renamed folder edited locally is moved with its folder and then uploaded', () => {
  const d = synced('d', 'folder');
  const x = synced('d/x');
  const p = run({
    base: [d.base, x.base],
    local: [
      { ...d.local, path: 'e' },
      { ...editedLocal(x), path: 'e/x' },
    ],
    remote: [d.remote, x.remote],
  });
  assert.deepEqual(lines(p), ['move-remote d -> e', 'upload e/x']);
});

test('an inode reused by a different new file is not mistaken for a rename', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [localFile('b.txt', 99, f.local.ino)], remote: [f.remote] });
  assert.deepEqual(lines(p), ['upload b.txt', 'delete-remote a.txt']);
});

test('a local rename onto a name the remote already has is not a move', () => {
  const f = synced('a.txt');
  const other = synced('b.txt');
  const p = run({
    base: [f.base],
    local: [{ ...f.local, path: 'b.txt' }],
    remote: [f.remote, { ...other.remote, resourceKey: 'z' }],
  });
  assert.ok(!lines(p).some((l) => l.startsWith('move')));
  assert.ok(!lines(p).some((l) => l === 'delete-remote b.txt'));
});

test('a local move into a folder renamed on the Drive is two moves, whichever path is the shorter (issue 11, situation 2)', () => {
  // byDepth orders by path length: a short folder sorts before archive/notes.md, a long one after
  for (const folder of ['p/q', 'projects/quarterly']) {
    const top = synced(folder.split('/')[0]!, 'folder');
    const d = synced(folder, 'folder');
    const kept = synced(`${folder}/old.txt`);
    const archive = synced('archive', 'folder');
    const notes = synced('archive/notes.md');
    const renamed = folder.replace(/[^/]+$/, 'review');
    const p = run({
      base: [top, d, kept, archive, notes].map((e) => e.base),
      local: [top.local, d.local, kept.local, archive.local, { ...notes.local, path: `${folder}/notes.md` }],
      remote: [
        top.remote,
        { ...d.remote, path: renamed, name: 'review' },
        { ...kept.remote, path: `${renamed}/old.txt` },
        archive.remote,
        notes.remote,
      ],
    });
    assert.deepEqual(
      lines(p),
      [`move-local ${folder} -> ${renamed}`, `move-remote archive/notes.md -> ${renamed}/notes.md`],
      folder,
    );
  }
});
