/**
 * Faults end to end in daemon mode (issue 13 item 2): the daemon rides out what the emulator injects
 * and converges, never exiting for a transient fault, and no version is lost.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, sha, type Pair } from '../e2e/harness.js';
import { running, waitUntil } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

async function sameBothSides(p: Pair): Promise<boolean> {
  const remote: Record<string, string> = {};
  for (const [path, item] of await p.tree()) if (item.sha256) remote[path] = item.sha256;
  const local: Record<string, string> = {};
  for (const f of p.localFiles()) local[f] = sha(readFileSync(join(p.local, f)));
  return JSON.stringify(Object.entries(local).sort()) === JSON.stringify(Object.entries(remote).sort());
}

test('the daemon rides out 429s, 500/503/598 answers, dropped transfers and a token expiring, and converges', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true, knobs: { tokenTtl: 3 } });
  const d = await running(t, p);
  await p.fault({ operation: 'list', times: 3, status: 429, resetSeconds: 1 });
  await p.fault({ operation: 'upload-url', times: 1, status: 598, apply: false });
  await p.fault({ operation: 'upload', times: 1, dropAfterBytes: 256 * 1024 });
  await p.fault({ operation: 'get', times: 1, status: 503 });
  await p.fault({ operation: 'download-content', times: 1, dropAfterBytes: 128 * 1024 });
  await p.fault({ operation: 'createfolder', times: 1, status: 500, apply: true });
  const up = Buffer.alloc(1024 * 1024, 3);
  const down = Buffer.alloc(512 * 1024, 4);
  p.write('dir/up.bin', up);
  p.write('note.txt', 'local note');
  await p.putRemote('down.bin', down);
  await waitUntil(
    async () =>
      (await p.tree()).get('dir/up.bin')?.sha256 === sha(up) &&
      p.localFiles().includes('down.bin') &&
      (await sameBothSides(p)),
    'both sides converged after the faults',
    d,
    60_000,
  );
  assert.equal(sha(readFileSync(join(p.local, 'down.bin'))), sha(down));
  const left = (await (await fetch(`${p.emu.urls.admin}/faults`)).json()) as unknown[];
  assert.deepEqual(left, [], 'every injected fault was met');
  assert.equal(d.child.exitCode, null, 'the daemon is still running');
  assert.equal((await d.stop()).code, 0);
});
