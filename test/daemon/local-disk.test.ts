/**
 * Faults end to end in daemon mode, the local disk (issue 13 item 2; test/INCIDENTS.md "Faults end
 * to end"): the disk filling up during downloads, and the local root unmounted or emptied while the
 * daemon runs. The local root is a small tmpfs (mounting needs root, as the tests run in CI).
 *
 * A full disk fails the items (retried on their backoff, contracts.md §1 "Retries") and the daemon
 * goes on; a root without its marker is a safety guard (README "Exit codes": 3), and nothing is
 * deleted on the Drive (design.md "Safety guards").
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { remoteShas, setupPair, sha, type Pair } from '../e2e/harness.js';
import { running, waitUntil, withTimeout, WAIT_MS } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';
/** The mass-delete guard out of the way: the marker's guard alone must stop the daemon. */
const NO_MASS_GUARD = `${SYNC}\nmax_delete_percent = 100\nmax_delete_count = 100000`;

/**
 * Runs `body` with the pair's local root on a tmpfs of `size`; unmounts it (if still mounted) before
 * the harness removes the test's folder.
 */
async function onTmpfs(p: Pair, size: string, body: () => Promise<void>): Promise<void> {
  mkdirSync(p.local);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', p.local]);
  try {
    await body();
  } finally {
    if (readFileSync('/proc/mounts', 'utf8').includes(` ${p.local} `))
      execFileSync('umount', ['-l', p.local]);
  }
}

/** Requests that change the Drive (from the emulator's request log). */
async function writeCalls(p: Pair): Promise<string[]> {
  const reads = new Set(['list', 'get', 'download', 'download-content', 'token', 'drive']);
  return (await p.requests()).filter((q) => !reads.has(q.operation)).map((q) => `${q.method} ${q.path}`);
}

/** Requests that delete, move or rename on the Drive (the other device only uploads). */
async function destructiveCalls(p: Pair): Promise<string[]> {
  const destructive = new Set(['delete', 'move', 'rename']);
  return (await p.requests()).filter((q) => destructive.has(q.operation)).map((q) => `${q.method} ${q.path}`);
}

interface Failing {
  path: string;
  lastError: string | null;
}

test('daemon: the local disk fills up during downloads: reported, the daemon keeps running, no partial file in place, and it completes once there is room', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  await onTmpfs(p, '1m', async () => {
    p.write('a.txt', 'a');
    assert.equal((await p.once()).code, 0);
    const d = await running(t, p);
    const big = (i: number): Buffer => Buffer.alloc(400 * 1024, i);
    for (let i = 1; i <= 4; i++) await p.putRemote(`photo${i}.jpg`, big(i));
    await p.clearRequests();
    const before = await remoteShas(p);

    const failingNow = async (): Promise<Failing[]> => {
      const s = await p.cli(['status', '--config', p.configFile, '--json']);
      return (JSON.parse(s.stdout) as { pairs: { failing: Failing[] }[] }).pairs[0]!.failing;
    };
    await waitUntil(async () => (await failingNow()).length > 0, 'a download reported failing', d);
    const failing = await failingNow();
    assert.ok(
      failing.every((f) => /^photo\d\.jpg$/.test(f.path) && /ENOSPC|no space/i.test(f.lastError ?? '')),
      `the failing downloads name the full disk: ${JSON.stringify(failing)}`,
    );
    assert.equal(d.child.exitCode, null, 'the daemon keeps running');
    for (const f of p.localFiles()) {
      if (f === 'a.txt' || f.startsWith('.lwsync-tmp-')) continue; // a partial download keeps its temp name
      assert.equal(sha(readFileSync(join(p.local, f))), before[f], `${f} is whole or absent`);
    }
    assert.deepEqual(await writeCalls(p), [], 'no write reached the Drive, no delete above all');
    assert.deepEqual(await remoteShas(p), before, 'the Drive unchanged');

    // room again: the daemon finishes on its own (the items' first retry is a minute away)
    execFileSync('mount', ['-o', 'remount,size=4m', p.local]);
    await waitUntil(
      () =>
        [1, 2, 3, 4].every((i) => {
          try {
            return sha(readFileSync(join(p.local, `photo${i}.jpg`))) === sha(big(i));
          } catch {
            return false;
          }
        }),
      'every photo whole on the local disk',
      d,
      90_000,
    );
    assert.deepEqual(
      readdirSync(p.local).filter((f) => f.startsWith('.lwsync-tmp-')),
      [],
      'no temporary download left',
    );
    await waitUntil(async () => (await failingNow()).length === 0, 'nothing failing any more', d);
    assert.deepEqual(await remoteShas(p), before);
    assert.equal((await d.stop()).code, 0);
  });
});

test('daemon: the local root unmounted while it runs: it stops with exit 3 naming the marker, and nothing is deleted on the Drive', async (t) => {
  const p = await setupPair(t, { sync: NO_MASS_GUARD });
  await onTmpfs(p, '1m', async () => {
    p.write('a.txt', 'a');
    p.write('dir/b.txt', 'b');
    assert.equal((await p.once()).code, 0);
    const before = await remoteShas(p);
    const d = await running(t, p);
    await p.clearRequests();
    execFileSync('umount', [p.local]);
    // the Drive changes meanwhile: the poll finds work for a root that is now an empty folder
    await p.putRemote('dir/b.txt', 'b, edited on the Drive');
    const r = await withTimeout(d.exited, WAIT_MS, () => `the daemon did not stop\n${d.output()}`);
    assert.equal(r.code, 3, d.output());
    assert.match(d.output(), /marker/);
    assert.deepEqual(await destructiveCalls(p), [], 'no delete, move or rename reached the Drive');
    assert.deepEqual(await remoteShas(p), { ...before, 'dir/b.txt': sha('b, edited on the Drive') });
    assert.deepEqual(readdirSync(p.local), [], 'nothing written into the empty mount point');
  });
});

test('daemon: the local root emptied of everything, marker included, while it runs: exit 3, nothing deleted on the Drive', async (t) => {
  const p = await setupPair(t, { sync: NO_MASS_GUARD });
  p.write('a.txt', 'a');
  p.write('dir/b.txt', 'b');
  assert.equal((await p.once()).code, 0);
  const before = await remoteShas(p);
  const d = await running(t, p);
  await p.clearRequests();
  for (const name of readdirSync(p.local)) rmSync(join(p.local, name), { recursive: true });
  const r = await withTimeout(d.exited, WAIT_MS, () => `the daemon did not stop\n${d.output()}`);
  assert.equal(r.code, 3, d.output());
  assert.match(d.output(), /marker/);
  assert.deepEqual(await writeCalls(p), [], 'no write reached the Drive, no delete above all');
  assert.deepEqual(await remoteShas(p), before);
});
