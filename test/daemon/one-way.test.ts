/**
 * A download pair under the daemon (issue 14): the same planner as `--once`, so a local edit is
 * undone from the Drive and the Drive's changes arrive, while the Drive sees only list, get and
 * download calls. Waits poll with a generous timeout; no timing thresholds.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { setupPair, type Pair } from '../e2e/harness.js';
import { configure, DRIVE_WRITES, trashed } from '../e2e/one-way.js';

const WAIT_MS = 20_000;

const readLocal = (p: Pair, path: string): string | null => {
  try {
    return readFileSync(join(p.local, path), 'utf8');
  } catch {
    return null;
  }
};

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  out: () => string,
): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for: ${what}\n--- daemon output\n${out()}`);
}

test('daemon, download pair: a local edit is undone, a Drive change arrives, the Drive is never written', async (t) => {
  const p = await setupPair(t, { sync: 'remote_poll_seconds = 1\nlocal_quiet_ms = 200' });
  p.write('doc.txt', 'from the Drive');
  p.write('other.txt', 'v1');
  const first = await p.once();
  assert.equal(first.code, 0, first.stderr);
  configure(p, 'direction = "download"');
  await p.putRemote('other.txt', 'v2 from the Drive');
  await p.clearRequests();

  const child = spawn(process.execPath, [BIN, '--config', p.configFile], {
    env: { ...process.env, LWSYNC_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  t.after(() => {
    if (!done) child.kill('SIGKILL');
  });
  await waitUntil(
    () => out.includes('"watching"'),
    'the daemon to watch',
    () => out,
  );

  p.write('doc.txt', 'an accidental edit here');
  await waitUntil(
    () => readLocal(p, 'doc.txt') === 'from the Drive' && readLocal(p, 'other.txt') === 'v2 from the Drive',
    "doc.txt back to the Drive's version and other.txt at v2",
    () => out,
  );
  assert.equal(trashed(p).get('doc.txt'), 'an accidental edit here');
  child.kill('SIGTERM');
  assert.equal(await exited, 0, out);
  const ops = (await p.requests()).map((q) => q.operation);
  assert.deepEqual(
    ops.filter((o) => DRIVE_WRITES.has(o)),
    [],
    ops.join(','),
  );
  assert.ok(ops.includes('download'), ops.join(','));
});
