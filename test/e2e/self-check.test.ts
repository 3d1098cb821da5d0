/**
 * `--once` checks its own claim (issue 11): when the sides it saw still differ after its last pass,
 * it exits 1 and `status` lists the differing paths, instead of reporting "in sync".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Journal } from '../../src/journal/index.js';
import { expectExit, setupPair } from './harness.js';

test('a journal that pairs two different files: --once exits 1 and status lists the path', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'hello');
  p.write('b.txt', 'fine');
  expectExit(await p.once(), 0);
  // Another device writes a longer version; the journal is made to claim that version is the
  // one this computer's file was synced with, so the planner sees nothing to do.
  const changed = await p.putRemote('a.txt', 'hello, world');
  const journal = Journal.open(p.stateDir);
  const row = journal.getBaseRow('docs', 'a.txt')!;
  journal.putBase('docs', {
    ...row,
    remoteKey: changed.resourceKey,
    remoteUpdateMs: changed.updateDate,
    remoteSize: changed.kind === 'file' ? changed.size : 0,
  });
  journal.close();

  const r = await p.once();
  expectExit(r, 1);
  assert.match(r.stderr, /differ at a\.txt/);
  const status = await p.cli(['status', '--config', p.configFile, '--json']);
  const doc = JSON.parse(status.stdout) as { pairs: { errors: { path: string; reason: string }[] }[] };
  assert.deepEqual(
    doc.pairs[0]!.errors.map((e) => e.path),
    ['a.txt'],
  );
  assert.match(doc.pairs[0]!.errors[0]!.reason, /still differ/);

  // once the sides agree again, the next run reports success and the problem is gone
  p.write('a.txt', 'hello, world');
  expectExit(await p.once(), 0);
  const after = await p.cli(['status', '--config', p.configFile, '--json']);
  assert.deepEqual((JSON.parse(after.stdout) as typeof doc).pairs[0]!.errors, []);
});
