import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
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

test('resync never deletes: what one side lacks is copied to it', () => {
  const f = synced('a.txt');
  const g = synced('b.txt');
  const p = run({ base: [f.base, g.base], local: [f.local], remote: [g.remote], options: { resync: true } });
  assert.deepEqual(lines(p).sort(), ['download b.txt', 'upload a.txt']);
  assert.equal(p.summary.deletesLocal + p.summary.deletesRemote, 0);
});

test('resync with an empty journal merges both sides and keeps both versions of a differing file', () => {
  const p = run({
    local: [localFile('only-local'), localFile('both', 5)],
    remote: [remoteFile('only-remote'), remoteFile('both', 6)],
    options: { resync: true },
  });
  assert.deepEqual(lines(p), ['upload only-local', 'conflict both', 'download only-remote']);
});

test('a remote folder whose listing failed plans no local deletes at or under it', () => {
  const d = synced('d', 'folder');
  const x = synced('d/x');
  const p = run({ ...sides(d, x), remote: [d.remote], remoteFailures: ['d'] });
  assert.deepEqual(lines(p), []);
  assert.equal(p.summary.deletesLocal, 0);
  assert.deepEqual(
    p.summary.skipped.map((s) => `${s.reason} ${s.path}`),
    ['side-failed d/x'],
  );
});

test('a remote listing that failed at the root plans no local deletes at all', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [f.local], remoteFailures: [''] });
  assert.equal(p.summary.deletesLocal, 0);
  assert.deepEqual(lines(p), []);
});

test('a local folder whose scan failed plans no remote deletes at or under it', () => {
  const d = synced('d', 'folder');
  const x = synced('d/x');
  const p = run({ ...sides(d, x), local: [d.local], localFailures: ['d'] });
  assert.deepEqual(lines(p), []);
  assert.equal(p.summary.deletesRemote, 0);
});

test('a folder that vanished from the scan because it failed is not deleted remotely', () => {
  const d = synced('d', 'folder');
  const x = synced('d/x');
  const p = run({ ...sides(d, x), local: [], localFailures: ['d'] });
  assert.equal(p.summary.deletesRemote, 0);
});

test('an ignore rule added later never deletes the now-ignored files on either side', () => {
  const f = synced('build/out.bin');
  const d = synced('build', 'folder');
  const log = synced('x.log');
  const localGone = run({
    base: [f.base, d.base, log.base],
    local: [],
    remote: [f.remote, d.remote, log.remote],
    ignore: ['build/', '*.log'],
  });
  assert.deepEqual(lines(localGone), []);
  const remoteGone = run({
    base: [f.base, d.base, log.base],
    local: [f.local, d.local, log.local],
    remote: [],
    ignore: ['build/', '*.log'],
  });
  assert.deepEqual(lines(remoteGone), []);
});

test('an ignored remote item keeps its folder: a local folder delete re-creates the folder instead', () => {
  const d = synced('d', 'folder');
  const x = synced('d/x.txt');
  const p = run({
    base: [d.base, x.base],
    remote: [d.remote, x.remote, remoteFile('d/keep.log')],
    ignore: ['*.log'],
  });
  assert.deepEqual(lines(p), ['mkdir-local d', 'delete-remote d/x.txt']);
});

test('temp files and the marker are never synced', () => {
  const p = run({
    local: [localFile('.lineworks-sync'), localFile('.lwsync-tmp-1'), localFile('a~')],
    remote: [remoteFile('.lwsync-tmp-2')],
  });
  assert.deepEqual(lines(p), []);
});

test('two local names that differ only in case never overwrite each other', () => {
  const p = run({ local: [localFile('Readme.md'), localFile('README.md')] });
  assert.equal(lines(p).length, 1);
  assert.deepEqual(
    p.summary.skipped.map((s) => s.reason),
    ['case-clash'],
  );
});

test('a local name that differs only in case from a different remote item is skipped, not uploaded over it', () => {
  const p = run({ local: [localFile('readme.md')], remote: [remoteFile('README.md')] });
  assert.deepEqual(lines(p), ['download README.md']);
  assert.deepEqual(
    p.summary.skipped.map((s) => `${s.reason} ${s.path}`),
    ['case-clash readme.md'],
  );
});

test('folders that clash by case are skipped with everything under them', () => {
  const p = run({ local: [localFolder('A'), localFolder('a'), localFile('a/x'), localFile('A/x')] });
  assert.deepEqual(lines(p), ['mkdir-remote A', 'upload A/x']);
});

test('a case-only local rename is a move, not a clash', () => {
  const f = synced('readme.md');
  const p = run({ base: [f.base], local: [{ ...f.local, path: 'README.md' }], remote: [f.remote] });
  assert.deepEqual(lines(p), ['move-remote readme.md -> README.md']);
});

test('with a case-sensitive remote both case variants are uploaded', () => {
  const p = run({ local: [localFile('a'), localFile('A')], options: { caseInsensitiveRemote: false } });
  assert.deepEqual(lines(p).sort(), ['upload A', 'upload a']);
});

test('a local name the Drive refuses is skipped with a reason, with its contents', () => {
  const p = run({ local: [localFolder('a:b'), localFile('a:b/x'), localFile('ok')] });
  assert.deepEqual(lines(p), ['upload ok']);
  assert.deepEqual(p.summary.skipped, [
    { path: 'a:b', reason: 'rejected-name', detail: 'name contains the character :', side: 'local' },
  ]);
});

test('a remote name that would leave the root is refused', () => {
  const p = run({ remote: [{ ...remoteFolder('..'), name: '..' }, remoteFile('../evil')] });
  assert.deepEqual(lines(p), []);
  assert.deepEqual(
    p.summary.skipped.map((s) => s.reason),
    ['unsafe-remote-name'],
  );
});

test('an NFD local name and the NFC remote name are one file once the scan normalised it', () => {
  const nfc = 'caf\u00e9.txt';
  const local = { ...localFile(nfc, 4), diskPath: 'cafe\u0301.txt' };
  const p = run({ local: [local], remote: [remoteFile(nfc, 4)] });
  assert.deepEqual(lines(p), [`conflict ${nfc} (verify)`]);
});

test('a file equal on both sides after a sync stays quiet and an edit on one side is one action', () => {
  const f = synced('a');
  assert.deepEqual(lines(run({ ...sides(f), remote: [editedRemote(f)] })), ['download a']);
});

test('the summary counts deletes per side and the tracked items', () => {
  const a = synced('a');
  const b = synced('b');
  const c = synced('c');
  const p = run({ base: [a.base, b.base, c.base], local: [a.local, b.local], remote: [a.remote, c.remote] });
  assert.equal(p.summary.deletesLocal, 1);
  assert.equal(p.summary.deletesRemote, 1);
  assert.equal(p.summary.tracked, 3);
  assert.deepEqual(p.summary.counts, { 'delete-local': 1, 'delete-remote': 1 });
});

test('a local file renamed to a name the Drive refuses leaves the remote file alone', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [{ ...f.local, path: 'a:b.txt' }], remote: [f.remote] });
  assert.deepEqual(lines(p), []);
  assert.equal(p.summary.deletesRemote, 0);
  assert.deepEqual(
    p.summary.skipped.map((s) => `${s.reason} ${s.path}`),
    ['rejected-name a:b.txt'],
  );
});
