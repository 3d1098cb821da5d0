// Rows of src/plan/direction.ts that the end-to-end tests do not reach: kinds that differ, folders
// holding items left alone, equal files without a base, --resync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  editedLocal,
  lines,
  localFile,
  localFolder,
  remoteFile,
  remoteFolder,
  run,
  synced,
} from './fixtures.js';

const down = { direction: 'download' as const };
const up = { direction: 'upload' as const };

test('download: a local folder of new items where the Drive has a file is left, unless cleanup_local', () => {
  const w = { local: [localFolder('x'), localFile('x/n.txt')], remote: [remoteFile('x')] };
  const left = run({ ...w, options: down });
  assert.deepEqual(lines(left), []);
  assert.deepEqual(
    left.summary.skipped.map((s) => [s.path, s.reason, s.detail]),
    [['x', 'local-only', 'the Drive has a file here']],
  );
  const cleaned = run({ ...w, options: { ...down, cleanupLocal: true } });
  assert.deepEqual(lines(cleaned), ['delete-local x', 'download x', 'delete-local x/n.txt']);
});

test('download: a folder deleted on the Drive stays while it holds an item only this computer has', () => {
  const d = synced('d', 'folder');
  const f = synced('d/f.txt');
  const p = run({
    base: [d.base, f.base],
    local: [d.local, f.local, localFile('d/mine.txt')],
    options: down,
  });
  assert.deepEqual(lines(p), ['delete-local d/f.txt']);
  assert.deepEqual(
    p.summary.skipped.map((s) => s.path),
    ['d/mine.txt'],
  );
  assert.equal(p.summary.deletesLocal, 1);
});

test('download: a file changed here and deleted on the Drive goes to the trash (a delete the guard counts)', () => {
  const f = synced('a.txt');
  const p = run({ base: [f.base], local: [editedLocal(f)], options: down });
  assert.deepEqual(lines(p), ['delete-local a.txt']);
  assert.equal(p.summary.deletesLocal, 1);
});

test('upload: new files on both sides of one size and second are equal; others are replaced', () => {
  const l = { ...localFile('same.txt', 7), mtimeMs: 12_345 };
  const r = { ...remoteFile('same.txt', 7), updateDate: 12_000 };
  const l2 = { ...localFile('other.txt', 7), mtimeMs: 12_345 };
  const r2 = { ...remoteFile('other.txt', 7), updateDate: 13_000 };
  const p = run({ local: [l, l2], remote: [r, r2], options: up });
  assert.deepEqual(lines(p).sort(), ['record same.txt', 'replace-remote other.txt']);
});

test('upload: a Drive folder where the local folder has a file is left, unless cleanup_remote', () => {
  const w = { local: [localFile('x')], remote: [remoteFolder('x'), remoteFile('x/n.txt')] };
  assert.deepEqual(lines(run({ ...w, options: up })), []);
  assert.deepEqual(lines(run({ ...w, options: { ...up, cleanupRemote: true } })), [
    'delete-remote x',
    'upload x',
    'delete-remote x/n.txt',
  ]);
});

test('--resync in a one-way pair deletes nothing, cleanup or not', () => {
  const f = synced('gone-on-drive.txt');
  for (const options of [
    { ...down, cleanupLocal: true, resync: true },
    { ...up, cleanupRemote: true, resync: true },
  ]) {
    const p = run({
      base: [f.base],
      local: [f.local, localFile('mine.txt'), localFile('x')],
      remote: [remoteFile('theirs.txt'), remoteFolder('x')],
      options,
    });
    assert.equal(p.summary.deletesLocal + p.summary.deletesRemote, 0, lines(p).join(', '));
  }
});

test('download: a local name the Drive refuses is only local, not refused', () => {
  const p = run({ local: [localFile('a:b.txt')], options: down });
  assert.deepEqual(
    p.summary.skipped.map((s) => [s.path, s.reason, s.detail]),
    [['a:b.txt', 'local-only', 'rejected-name: name contains the character :']],
  );
  assert.equal(run({ local: [localFile('a:b.txt')] }).summary.skipped[0]?.reason, 'rejected-name');
});
