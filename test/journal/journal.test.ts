import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Journal, JournalLockedError, LOCK_NAME, toBaseRow } from '../../src/journal/index.js';
import { migrations, schemaDir } from '../../src/journal/migrate.js';
import Database from 'better-sqlite3';
import type { BaseRow } from '../../src/journal/index.js';
import { tempDir } from '../helpers/tmp.js';

const stateDir = () => tempDir('lwsync-journal-');
const pair = {
  name: 'docs',
  localRoot: '/home/me/LW',
  driveSpec: 'me',
  remotePath: '/',
  remoteFolderKey: null,
  createdMs: 1,
};
const row = (path: string, over: Partial<BaseRow> = {}): BaseRow => ({
  path,
  kind: 'file',
  localSize: 3,
  localMtimeMs: 1000,
  localIno: 42,
  localSha256: 'ab',
  remoteKey: `k-${path}`,
  remoteUpdateMs: 2000,
  remoteSize: 3,
  remoteParentKey: null,
  ...over,
});

test('a new journal is created in WAL mode with the schema applied', () => {
  const d = stateDir();
  const j = Journal.open(d);
  j.putPair(pair);
  j.close();
  const r = Journal.openReadOnly(d)!;
  assert.deepEqual(r.listPairs(), [pair]);
  r.close();
  assert.ok(existsSync(join(d, 'journal.db')));
});

test('base rows round-trip and deletes remove a whole subtree', () => {
  const j = Journal.open(stateDir());
  j.putPair(pair);
  j.transaction(() => {
    j.putBase('docs', row('a', { kind: 'folder', localSha256: null }));
    j.putBase('docs', row('a/b.txt'));
    j.putBase('docs', row('ab.txt'));
  });
  assert.deepEqual(j.getBaseRow('docs', 'a/b.txt'), row('a/b.txt'));
  j.deleteBaseTree('docs', 'a');
  assert.deepEqual([...j.baseTable('docs').keys()], ['ab.txt']);
  j.close();
});

test('a folder move rewrites the folder and its descendants only', () => {
  const j = Journal.open(stateDir());
  j.putPair(pair);
  for (const p of ['a', 'a/x', 'a/y/z', 'ab']) j.putBase('docs', row(p));
  j.moveBaseTree('docs', 'a', 'c/d');
  assert.deepEqual([...j.baseTable('docs').keys()].sort(), ['ab', 'c/d', 'c/d/x', 'c/d/y/z']);
  j.close();
});

test('a failed transaction leaves no rows behind', () => {
  const j = Journal.open(stateDir());
  j.putPair(pair);
  assert.throws(() =>
    j.transaction(() => {
      j.putBase('docs', row('a'));
      throw new Error('boom');
    }),
  );
  assert.equal(j.countBase('docs'), 0);
  j.close();
});

test('a pair re-pointed at another folder is reported as changed', () => {
  const j = Journal.open(stateDir());
  assert.deepEqual(j.checkPair(pair), { status: 'new' });
  j.putPair(pair);
  assert.equal(j.checkPair(pair).status, 'same');
  const c = j.checkPair({ ...pair, localRoot: '/mnt/other' });
  assert.equal(c.status, 'changed');
  assert.deepEqual(c.status === 'changed' && c.fields, ['localRoot']);
  j.close();
});

test('resync forgets every row of the pair', () => {
  const j = Journal.open(stateDir());
  j.putPair(pair);
  j.putBase('docs', row('a'));
  j.recordProblem({ pair: 'docs', path: 'a', kind: 'conflict', reason: 'both changed', atMs: 5 });
  j.setLastSync('docs', 9);
  j.resetPair('docs');
  assert.equal(j.countBase('docs'), 0);
  assert.deepEqual(j.problems('docs'), []);
  assert.equal(j.lastSync('docs'), null);
  j.close();
});

test('failures count attempts and pending work is listed soonest first', () => {
  const j = Journal.open(stateDir());
  j.putPair(pair);
  j.recordFailure(
    { pair: 'docs', path: 'b', action: 'upload' },
    { message: 'x', errorClass: 'transient', nextTryMs: 50, permanent: false },
  );
  const a = j.recordFailure(
    { pair: 'docs', path: 'b', action: 'upload' },
    { message: 'y', errorClass: 'transient', nextTryMs: 70, permanent: false },
  );
  j.recordFailure(
    { pair: 'docs', path: 'c', action: 'upload' },
    { message: 'bad name', errorClass: 'refused', nextTryMs: 10, permanent: true, fingerprint: '7:100' },
  );
  assert.equal(a.attempts, 2);
  assert.equal(a.fingerprint, null);
  const refused = j.getAction('docs', 'c', 'upload')!;
  assert.equal(refused.permanent, true);
  assert.equal(refused.fingerprint, '7:100');
  assert.equal(a.lastError, 'y');
  assert.deepEqual(
    j.pendingActions('docs').map((p) => p.path),
    ['c', 'b'],
  );
  assert.deepEqual(
    j.pendingActions('docs', 60).map((p) => p.path),
    ['c'],
  );
  assert.equal(j.nextRetryMs('docs'), 70);
  j.clearActions('docs', 'b');
  assert.deepEqual(
    j.pendingActions('docs').map((p) => p.path),
    ['c'],
  );
  j.close();
});

test('upload sessions, hints and meta survive a reopen', () => {
  const d = stateDir();
  let j = Journal.open(d);
  j.putPair(pair);
  const s = {
    path: 'big.bin',
    uploadUrl: 'http://s/u/1',
    offset: 10,
    size: 100,
    mtimeMs: 5,
    sha256: null,
    parentKey: 'p',
    name: 'big.bin',
    createdMs: 1,
  };
  j.saveUploadSession('docs', s);
  j.addEvent('docs', 'x', 3);
  j.setLast429(77);
  j.close();
  j = Journal.open(d);
  assert.deepEqual(j.getUploadSession('docs', 'big.bin'), s);
  assert.deepEqual(j.takeEvents('docs'), [{ path: 'x', atMs: 3 }]);
  assert.deepEqual(j.takeEvents('docs'), []);
  assert.equal(j.last429(), 77);
  j.deleteUploadSession('docs', 'big.bin');
  assert.equal(j.getUploadSession('docs', 'big.bin'), null);
  j.close();
});

test('a second writer on the same state directory is refused with the holder pid', () => {
  const d = stateDir();
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('${new URL('../../src/journal/index.ts', import.meta.url).href}').then(m => { m.Journal.open(${JSON.stringify(d)}); process.stdout.write(String(process.pid)); process.exit(0); })`,
    ],
    { encoding: 'utf8' },
  );
  // the child exited without releasing: its lock is stale and is taken over
  assert.equal(child.status, 0, child.stderr);
  const j = Journal.open(d);
  assert.throws(
    () => Journal.open(d),
    (e: unknown) =>
      e instanceof JournalLockedError && e.message.includes(d) && e.message.includes(`pid ${process.pid}`),
  );
  j.close();
});

test('a lock held by a live process is refused and a reader still works', () => {
  const d = stateDir();
  const j = Journal.open(d);
  j.putPair(pair);
  j.close();
  writeFileSync(join(d, LOCK_NAME), `${process.ppid}\n`);
  assert.throws(() => Journal.open(d), JournalLockedError);
  const r = Journal.openReadOnly(d)!;
  assert.equal(r.listPairs().length, 1);
  r.close();
});

test('a read-only open of a missing journal answers null', () => {
  assert.equal(Journal.openReadOnly(stateDir()), null);
});

test('a reader sees committed rows while the writer stays open', () => {
  const d = stateDir();
  const j = Journal.open(d);
  j.putPair(pair);
  j.putBase('docs', row('a'));
  const r = Journal.openReadOnly(d)!;
  assert.equal(r.countBase('docs'), 1);
  j.putBase('docs', row('b'));
  assert.equal(r.countBase('docs'), 2);
  r.close();
  j.close();
});

test('a base row is built from the local facts and the Drive answer', () => {
  const b = toBaseRow(
    'x.txt',
    { kind: 'file', size: 3, mtimeMs: 10.7, ino: 9 },
    { resourceKey: 'k', parentKey: 'p', name: 'x.txt', path: 'x.txt', kind: 'file', size: 3, updateDate: 20 },
    'abc',
  );
  assert.deepEqual(
    b,
    row('x.txt', {
      localMtimeMs: 10,
      localIno: 9,
      localSha256: 'abc',
      remoteKey: 'k',
      remoteUpdateMs: 20,
      remoteParentKey: 'p',
    }),
  );
});

test('the schema is found next to the module or under the package root', () => {
  assert.ok(existsSync(join(schemaDir(), '001_init.sql')));
});

test('migrations are applied in order once and the version is recorded', () => {
  const d = stateDir();
  Journal.open(d).close();
  const db = new Database(join(d, 'journal.db'), { readonly: true });
  assert.equal(db.pragma('user_version', { simple: true }), migrations().at(-1)!.version);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  Journal.open(d).close();
});
