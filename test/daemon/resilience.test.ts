/**
 * What the daemon already did before it reconciled by jobs still holds (issue 10 "Done when"):
 * editors' atomic saves (incidents.md onedrive #2324) and an upload killed mid-way resumed after a
 * restart, both through the real CLI against the emulator.
 */
import assert from 'node:assert/strict';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Journal } from '../../src/journal/index.js';
import { setupPair, sha } from '../e2e/harness.js';
import { logLines, running, startDaemon, waitUntil, type Daemon } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

test('onedrive #2324: an editor saving through a temporary file and a rename, in daemon mode: the final content on both sides, same fileId, no temporary file on the Drive', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('notes/today.md', 'first draft');
  assert.equal((await p.once()).code, 0);
  const before = (await p.tree()).get('notes/today.md');
  const d = await running(t, p, 'debug');
  for (let i = 1; i <= 3; i++) {
    const tmp = join(p.local, 'notes', `.today.md.tmp-${i}`);
    writeFileSync(tmp, `draft ${i}, saved atomically`);
    renameSync(tmp, join(p.local, 'notes/today.md'));
    await new Promise((r) => setTimeout(r, 50));
  }
  await waitUntil(
    async () => (await p.tree()).get('notes/today.md')?.sha256 === sha('draft 3, saved atomically'),
    'the last save on the Drive',
    d,
  );
  const tree = await p.tree();
  assert.equal(tree.get('notes/today.md')?.fileId, before?.fileId, 'overwritten in place');
  assert.equal(p.read('notes/today.md'), 'draft 3, saved atomically');
  assert.deepEqual(
    p.localFiles().filter((f) => f.includes('.tmp')),
    [],
  );
  assert.deepEqual(
    [...tree.keys()].filter((k) => k.includes('.tmp')),
    [],
  );
  assert.equal((await d.stop()).code, 0);
});

test('a daemon killed during an upload continues that upload session after a restart', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  let d: Daemon = await running(t, p, 'info');
  const big = Buffer.alloc(16 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
  await p.fault({ operation: 'upload', times: 1, dropAfterBytes: 6 * 1024 * 1024 });
  // killed the moment it reports the broken transfer, before its own retry can finish
  const kill = (): void => {
    if (d.output().includes('the transfer broke')) d.child.kill('SIGKILL');
  };
  d.child.stdout?.on('data', kill);
  d.child.stderr?.on('data', kill);
  p.write('video.bin', big);
  const killed = await Promise.race([
    d.exited,
    new Promise<null>((r) => setTimeout(() => r(null), 60_000).unref()),
  ]);
  assert.equal(killed?.signal, 'SIGKILL', d.output());
  const j = Journal.openReadOnly(p.stateDir);
  assert.ok(j);
  const session = j.getUploadSession('docs', 'video.bin');
  j.close();
  assert.ok(session, 'the upload session was kept');
  await p.clearRequests();
  d = startDaemon(t, p.configFile, 'info');
  await waitUntil(
    async () => (await p.tree()).get('video.bin')?.sha256 === sha(big),
    'video.bin whole on the Drive',
    d,
    60_000,
  );
  const uploadPath = new URL(session.uploadUrl).pathname;
  const sends = (await p.requests()).filter((q) => q.operation === 'upload');
  assert.ok(
    sends.length > 0 && sends.every((q) => q.path.startsWith(uploadPath)),
    `every send after the restart went to the kept session: ${JSON.stringify(sends)}`,
  );
  assert.deepEqual(
    readdirSync(p.local).filter((f) => f.includes('lwsync-tmp')),
    [],
  );
  assert.equal((await d.stop()).code, 0);
});

test('out of inotify watches (ENOSPC), the daemon warns once and keeps the folder in sync by rescans', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  for (let i = 0; i < 8; i++) p.write(`d${i}/f.txt`, `file ${i}`);
  assert.equal((await p.once()).code, 0);
  // a user namespace of its own whose inotify watch limit is 3: the kernel refuses the fourth watch
  const limited = [
    'unshare',
    '-Ur',
    'sh',
    '-c',
    'echo 3 > /proc/sys/user/max_inotify_watches && exec "$0" "$@"',
  ];
  const d = startDaemon(t, p.configFile, 'debug', limited);
  await waitUntil(() => logLines(d.output(), 'watching').length > 0, 'the "watching" line', d);
  assert.deepEqual(logLines(d.output(), 'watching')[0]?.pollingOnly, ['docs']);
  p.write('d5/f.txt', 'edited without a watcher');
  p.write('d7/new.txt', 'new without a watcher');
  await waitUntil(
    async () => {
      const tree = await p.tree();
      return (
        tree.get('d5/f.txt')?.sha256 === sha('edited without a watcher') &&
        tree.get('d7/new.txt')?.sha256 === sha('new without a watcher')
      );
    },
    'both changes on the Drive through rescans',
    d,
  );
  const warnings = d
    .output()
    .split('\n')
    .filter((l) => l.includes('the inotify watch limit is reached'));
  assert.equal(warnings.length, 1, 'one clear warning');
  assert.match(warnings[0]!, /max_user_watches/);
  assert.equal((await d.stop()).code, 0);
});
