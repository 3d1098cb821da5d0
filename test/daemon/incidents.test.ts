/**
 * The rows of incidents.md that happened in a daemon and are not played elsewhere (onedrive #2324's
 * atomic save is in resilience.test.ts), through the real CLI against the emulator. test/INCIDENTS.md
 * maps every row to its test.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, sha } from '../e2e/harness.js';
import { running, waitUntil } from './helpers.js';

test('onedrive #1974: a file deleted, then restored before the daemon acts on the delete, stays on both sides', async (t) => {
  const p = await setupPair(t, { sync: 'remote_poll_seconds = 1\nlocal_quiet_ms = 1500' });
  p.write('thesis.docx', 'chapter 1 to 9');
  p.write('other.txt', 'o');
  const first = await p.once();
  assert.equal(first.code, 0, first.stderr);
  const before = (await p.tree()).get('thesis.docx');
  const d = await running(t, p);
  await p.clearRequests();
  const bytes = readFileSync(join(p.local, 'thesis.docx'));
  rmSync(join(p.local, 'thesis.docx'));
  await new Promise((r) => setTimeout(r, 300));
  writeFileSync(join(p.local, 'thesis.docx'), bytes); // restored from a backup, within the quiet time
  p.write('later.txt', 'a change after the restore'); // settles with the same quiet time
  await waitUntil(
    async () => (await p.tree()).get('later.txt')?.sha256 === sha('a change after the restore'),
    'the later change on the Drive',
    d,
  );
  await new Promise((r) => setTimeout(r, 2000)); // a poll or two later
  const after = (await p.tree()).get('thesis.docx');
  assert.equal(after?.fileId, before?.fileId, 'the same Drive file, never deleted');
  assert.equal(after?.sha256, sha('chapter 1 to 9'));
  assert.equal(p.read('thesis.docx'), 'chapter 1 to 9');
  const deletes = (await p.requests()).filter((q) => q.operation === 'delete');
  assert.deepEqual(deletes, []);
  assert.equal((await d.stop()).code, 0);
});
