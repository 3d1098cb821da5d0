/**
 * Daemon mode through the real CLI (contracts.md §1 `lineworks-sync --config FILE`): a child
 * process against the in-process emulator over real HTTP. No timing thresholds: every wait polls
 * with a generous timeout and fails with what it was waiting for; the only clock in an assertion
 * is the contract's own "exit 0 within 10 s of SIGTERM".
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, sha } from '../e2e/harness.js';
import { logLines, readLocal, running, startDaemon, waitUntil, withTimeout, WAIT_MS } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

test('a new local file appears on the Drive', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p);
  const line = logLines(d.output(), 'watching')[0];
  assert.deepEqual(line?.pairs, ['docs']);
  p.write('hello.txt', 'hello from the disk');
  p.write('dir/sub/deep.txt', 'deep');
  await waitUntil(
    async () => {
      const tree = await p.tree();
      return (
        tree.get('hello.txt')?.sha256 === sha('hello from the disk') &&
        tree.get('dir/sub/deep.txt')?.sha256 === sha('deep')
      );
    },
    'hello.txt and dir/sub/deep.txt on the Drive with their content',
    d,
  );
  assert.equal((await d.stop()).code, 0);
});

test('a remote change appears locally', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p);
  await p.putRemote('from-drive.txt', 'version 1');
  await waitUntil(() => readLocal(p, 'from-drive.txt') === 'version 1', 'from-drive.txt v1 locally', d);
  await p.putRemote('from-drive.txt', 'version 2, longer');
  await waitUntil(
    () => readLocal(p, 'from-drive.txt') === 'version 2, longer',
    'from-drive.txt v2 locally',
    d,
  );
  assert.equal((await d.stop()).code, 0);
});

test('a local delete goes to the Drive trash', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('doomed.txt', 'short-lived');
  p.write('kept.txt', 'stays');
  const r = await p.once();
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await p.tree()).has('doomed.txt'));
  const d = await running(t, p);
  unlinkSync(join(p.local, 'doomed.txt'));
  await waitUntil(async () => !(await p.tree()).has('doomed.txt'), 'doomed.txt gone from the Drive', d);
  assert.ok((await p.tree()).has('kept.txt'));
  const ops = (await p.requests()).map((q) => q.operation);
  assert.ok(ops.includes('delete'), `a delete request was made: ${ops.join(', ')}`);
  assert.equal((await d.stop()).code, 0);
});

test('SIGTERM stops an idle daemon with exit code 0 within 10 s', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p);
  const r = await d.stop();
  assert.equal(r.signal, null);
  assert.equal(r.code, 0, d.output());
});

test('SIGTERM during a slow pass still exits 0 within 10 s', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p, 'debug');
  // every request now takes 3 s: the next pass is still running when the signal arrives
  await p.knobs({ latency: 3000 });
  p.write('slow.txt', 'uploaded slowly');
  const before = d.output().length;
  await waitUntil(
    () => logLines(d.output().slice(before), 'work starting').some((l) => l.work === 'local'),
    'a local job to start against the slow Drive',
    d,
  );
  const r = await d.stop();
  assert.equal(r.code, 0, d.output());
});

test('a missing marker at start stops the daemon with exit code 3', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  p.write('a.txt', 'must not be deleted remotely');
  rmSync(join(p.local, '.lineworks-sync'));
  const d = startDaemon(t, p.configFile);
  const r = await withTimeout(d.exited, WAIT_MS, () => `the daemon did not stop\n${d.output()}`);
  assert.equal(r.code, 3, d.output());
  assert.match(d.output(), /marker/);
});

test('no token file stops the daemon with exit code 78 and the login hint', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  rmSync(join(p.stateDir, 'tokens.json'));
  const d = startDaemon(t, p.configFile);
  const r = await withTimeout(d.exited, WAIT_MS, () => `the daemon did not stop\n${d.output()}`);
  assert.equal(r.code, 78, d.output());
  assert.match(d.output(), /lineworks-sync login --config/);
});

test("the daemon's own downloads are not uploaded back", async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p, 'debug');
  await p.putRemote('echo/a.txt', 'downloaded once');
  await p.putRemote('echo/b.bin', Buffer.alloc(4096, 1));
  await waitUntil(
    () => readLocal(p, 'echo/a.txt') === 'downloaded once' && readLocal(p, 'echo/b.bin')?.length === 4096,
    'both remote files downloaded',
    d,
  );
  await p.clearRequests();
  // quiet: wait for two more pieces of work to finish after the download (a folder polled every second)
  const mark = d.output().length;
  await waitUntil(
    () => logLines(d.output().slice(mark), 'work finished').length >= 2,
    'two more pieces of work after the download',
    d,
  );
  const writes = (await p.requests()).filter((q) => q.operation === 'upload' || q.operation === 'upload-url');
  assert.deepEqual(writes, [], 'no upload after the download');
  assert.equal((await d.stop()).code, 0);
});

test('an unreachable Drive is waited out, not an exit; SIGTERM still exits 0', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const port = await freePort();
  const config = readFileSync(p.configFile, 'utf8').replace(
    /base_url = "http:\/\/127\.0\.0\.1:\d+/,
    `base_url = "http://127.0.0.1:${port}`,
  );
  writeFileSync(p.configFile, config);
  const d = startDaemon(t, p.configFile);
  await waitUntil(
    () => logLines(d.output(), 'LINE WORKS could not be reached; waiting before the next try').length > 0,
    'the daemon to report the unreachable Drive',
    d,
    60_000,
  );
  assert.equal(d.child.exitCode, null, 'still running');
  const r = await d.stop();
  assert.equal(r.code, 0, d.output());
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
