/**
 * A base big enough for the journal to keep a snapshot of it (schema/003_base_snapshot.sql): runs
 * read it instead of the rows, and a change on either side after it was written is still seen and
 * synced (issue 5, "a second --once … transfers nothing").
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { expectExit, setupPair, sha } from './harness.js';

const FOLDERS = 21;
const FILES = 2_100;

function snapshots(stateDir: string): { rows: number }[] {
  const db = new Database(join(stateDir, 'journal.db'), { readonly: true });
  try {
    return db.prepare('SELECT rows FROM base_snapshot').all() as { rows: number }[];
  } finally {
    db.close();
  }
}

test('with a snapshot of a 2,100-file base, later edits on both sides still sync and a no-op writes nothing', async (t) => {
  const p = await setupPair(t);
  for (let i = 0; i < FILES; i++) p.write(`d${i % FOLDERS}/f${i}.txt`, `file ${i}`);
  expectExit(await p.once(), 0);
  assert.deepEqual(snapshots(p.stateDir), [], 'the first run changed the base: nothing to keep');

  expectExit(await p.once('--dry-run'), 0);
  assert.deepEqual(snapshots(p.stateDir), [], 'a dry run writes nothing, not even a snapshot');

  expectExit(await p.once(), 0);
  assert.deepEqual(snapshots(p.stateDir), [{ rows: FILES + FOLDERS }], 'the no-op run kept a snapshot');

  p.write('d3/f3.txt', 'edited here, longer than before');
  await p.putRemote('d4/f4.txt', 'edited on the drive');
  await p.clearRequests();
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('d3/f3.txt')?.sha256, sha('edited here, longer than before'));
  assert.equal(p.read('d4/f4.txt'), 'edited on the drive');
  assert.equal(tree.get('d5/f5.txt')?.sha256, sha('file 5'));
  assert.deepEqual(snapshots(p.stateDir), [], 'the base changed: the snapshot is gone');

  await p.clearRequests();
  expectExit(await p.once(), 0);
  const ops = new Set((await p.requests()).map((r) => r.operation));
  assert.deepEqual([...ops], ['list'], 'the run after converged makes listings only');
  assert.equal(p.localFiles().length, FILES);
});
