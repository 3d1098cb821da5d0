/**
 * A file saved again while the daemon uploads it (issue 13 item 2, "a file rewritten during its
 * upload"; the `--once` side is in test/e2e/faults.test.ts): the last save ends up on both sides,
 * with no conflicted copy and nothing reported failing. The emulator holds the upload's body for a
 * while (fault `delayMs`), so the save lands while the client is still sending.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, sha, type Pair } from '../e2e/harness.js';
import { running, waitUntil } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

/** `size` bytes that differ with `seed` at every offset, so a mix of two versions shows in the hash. */
function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + seed * 13) % 251;
  return b;
}

const pendingFaults = async (p: Pair): Promise<number> =>
  ((await (await fetch(`${p.emu.urls.admin}/faults`)).json()) as unknown[]).length;

test('daemon: a file saved again during its upload ends as the last save on both sides, no conflicted copy', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p);
  const v1 = pattern(6 * 1024 * 1024, 1);
  const v2 = pattern(6 * 1024 * 1024 + 5, 2);
  await p.fault({ operation: 'upload', times: 1, delayMs: 1500 });
  p.write('video.bin', v1);
  await waitUntil(async () => (await pendingFaults(p)) === 0, 'the upload of the first save under way', d);
  writeFileSync(join(p.local, 'video.bin'), v2); // the editor saves again during the upload
  await waitUntil(
    async () => (await p.tree()).get('video.bin')?.sha256 === sha(v2),
    'the last save on the Drive',
    d,
    60_000,
  );
  // a little longer: a conflicted copy would be made by the work that follows
  await new Promise((r) => setTimeout(r, 3_000));
  assert.deepEqual(p.localFiles(), ['video.bin'], 'no conflicted copy locally');
  assert.deepEqual([...(await p.tree()).keys()], ['video.bin'], 'no conflicted copy on the Drive');
  assert.equal((await p.tree()).get('video.bin')?.sha256, sha(v2));
  assert.equal(sha(readFileSync(join(p.local, 'video.bin'))), sha(v2), 'the last save kept locally');
  const status = await p.cli(['status', '--config', p.configFile, '--json']);
  const pair = (JSON.parse(status.stdout) as { pairs: { failing: unknown[]; conflicts: unknown[] }[] })
    .pairs[0]!;
  assert.deepEqual(pair.failing, [], 'nothing failing');
  assert.deepEqual(pair.conflicts, [], 'no conflict reported');
  assert.equal((await d.stop()).code, 0);
});
