// Every row of design.md "The three-way decision", for files and (where it applies) folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  editedLocal,
  editedRemote,
  lines,
  localFile,
  localFolder,
  remoteFile,
  remoteFolder,
  run,
  sides,
  synced,
} from './fixtures.js';

test('same on both sides plans nothing, for a file and a folder', () => {
  const f = synced('a.txt');
  const d = synced('d', 'folder');
  assert.deepEqual(lines(run(sides(f, d))), []);
});

test('a local file edited while the remote is the same is uploaded over the remote one', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [editedLocal(f)], remote: [f.remote] });
  assert.deepEqual(lines(p), ['upload a.txt']);
  const a = p.actions[0]!;
  assert.equal(a.kind === 'upload' && a.remote?.resourceKey, 'key-a.txt');
});

test('a new local file and a new local folder are uploaded and created remotely, folder first', () => {
  assert.deepEqual(lines(run({ local: [localFile('d/x.txt'), localFolder('d')] })), [
    'mkdir-remote d',
    'upload d/x.txt',
  ]);
});

test('a remote file changed while the local is the same is downloaded over the local one', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [f.local], remote: [editedRemote(f)] });
  assert.deepEqual(lines(p), ['download a.txt']);
  const a = p.actions[0]!;
  assert.equal(a.kind === 'download' && a.local?.ino, f.local.ino);
});

test('a new remote file and folder are downloaded and created locally, folder first', () => {
  assert.deepEqual(lines(run({ remote: [remoteFile('d/x.txt'), remoteFolder('d')] })), [
    'mkdir-local d',
    'download d/x.txt',
  ]);
});

test('a local delete with the remote unchanged deletes the remote file', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], remote: [f.remote] });
  assert.deepEqual(lines(p), ['delete-remote a.txt']);
  assert.equal(p.summary.deletesRemote, 1);
});

test('a local folder delete deletes the remote folder after its contents', () => {
  const d = synced('d', 'folder');
  const f = synced('d/x.txt');
  const p = run({ base: [d.base, f.base], remote: [d.remote, f.remote] });
  assert.deepEqual(lines(p), ['delete-remote d/x.txt', 'delete-remote d']);
  assert.equal(p.summary.deletesRemote, 2);
});

test('a remote delete with the local unchanged moves the local file to the trash', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [f.local] });
  assert.deepEqual(lines(p), ['delete-local a.txt']);
  assert.equal(p.summary.deletesLocal, 1);
});

test('a remote folder delete deletes the local folder after its contents', () => {
  const d = synced('d', 'folder');
  const f = synced('d/x.txt');
  assert.deepEqual(lines(run({ base: [d.base, f.base], local: [d.local, f.local] })), [
    'delete-local d/x.txt',
    'delete-local d',
  ]);
});

test('both changed to the same size is a conflict the executor verifies by content', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [editedLocal(f, 20)], remote: [editedRemote(f, 20)] });
  assert.deepEqual(lines(p), ['conflict a.txt (verify)']);
});

test('both changed to different sizes is a conflict that keeps both under a conflicted-copy name', () => {
  const f = synced('notes.txt');
  const p = run({ base: [f.base], local: [editedLocal(f, 20)], remote: [editedRemote(f, 30)] });
  assert.deepEqual(lines(p), ['conflict notes.txt']);
  const a = p.actions[0]!;
  assert.equal(a.kind === 'conflict' && a.conflictPath, 'notes (conflicted copy box 2026-01-02 030405).txt');
});

test('a new file on both sides with the same size is verified, with different sizes a conflict', () => {
  assert.deepEqual(lines(run({ local: [localFile('a', 3)], remote: [remoteFile('a', 3)] })), [
    'conflict a (verify)',
  ]);
  assert.deepEqual(lines(run({ local: [localFile('a', 3)], remote: [remoteFile('a', 4)] })), ['conflict a']);
});

test('a new folder on both sides is recorded, not a conflict', () => {
  assert.deepEqual(lines(run({ local: [localFolder('d')], remote: [remoteFolder('d')] })), ['record d']);
});

test('a local file touched but with the same content is recorded, not uploaded', () => {
  const f = synced('a.txt');
  const touched = { ...f.local, mtimeMs: 9_999, sha256: f.base.localSha256! };
  assert.deepEqual(lines(run({ base: [f.base], local: [touched], remote: [f.remote] })), ['record a.txt']);
});

test('a local file touched with new content of the same size is uploaded', () => {
  const f = synced('a.txt');
  const touched = { ...f.local, mtimeMs: 9_999, sha256: 'other' };
  assert.deepEqual(lines(run({ base: [f.base], local: [touched], remote: [f.remote] })), ['upload a.txt']);
});

test('a local change beats a remote delete: the file is uploaded again', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [editedLocal(f)] });
  assert.deepEqual(lines(p), ['upload a.txt']);
  assert.equal(p.summary.deletesLocal, 0);
});

test('a local change inside a remotely deleted folder re-creates the folder remotely', () => {
  const d = synced('d', 'folder');
  const f = synced('d/x.txt');
  const g = synced('d/old.txt');
  const p = run({ base: [d.base, f.base, g.base], local: [d.local, editedLocal(f), g.local] });
  assert.deepEqual(lines(p), ['mkdir-remote d', 'upload d/x.txt', 'delete-local d/old.txt']);
});

test('a remote change beats a local delete: the file is downloaded again', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], remote: [editedRemote(f)] });
  assert.deepEqual(lines(p), ['download a.txt']);
  assert.equal(p.summary.deletesRemote, 0);
});

test('a remote change inside a locally deleted folder re-creates the folder locally', () => {
  const d = synced('d', 'folder');
  const f = synced('d/x.txt');
  const p = run({ base: [d.base, f.base], remote: [d.remote, editedRemote(f)] });
  assert.deepEqual(lines(p), ['mkdir-local d', 'download d/x.txt']);
});

test('deleted on both sides is forgotten, for a file and a folder', () => {
  const f = synced('a.txt');
  const d = synced('d', 'folder');
  const p = run({ base: [f.base, d.base] });
  assert.deepEqual(lines(p).sort(), ['forget a.txt', 'forget d']);
  assert.equal(p.summary.deletesLocal + p.summary.deletesRemote, 0);
});

test('a local file replaced by a folder deletes the remote file first, then creates the folder', () => {
  const f = synced('a');
  const p = run({ base: [f.base], local: [localFolder('a'), localFile('a/x')], remote: [f.remote] });
  assert.deepEqual(lines(p), ['delete-remote a', 'mkdir-remote a', 'upload a/x']);
});

test('the remote folder a replaced local folder had is recorded when both are folders again', () => {
  const d = synced('d', 'folder');
  const p = run({ base: [d.base], local: [d.local], remote: [{ ...d.remote, resourceKey: 'recreated' }] });
  assert.deepEqual(lines(p), ['record d']);
});
