/**
 * Faults end to end with `--once` (issue 13 item 2), beyond failures.test.ts and crash.test.ts: each
 * run ends converged, or stopped in a reported safe state, and no version is lost.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha, type Pair } from './harness.js';

async function converged(p: Pair): Promise<void> {
  const remote: Record<string, string> = {};
  for (const [path, item] of await p.tree()) if (item.sha256) remote[path] = item.sha256;
  const local: Record<string, string> = {};
  for (const f of p.localFiles()) local[f] = sha(readFileSync(join(p.local, f)));
  assert.deepEqual(local, remote, 'both sides hold the same files and bytes');
}

const pendingFaults = async (p: Pair): Promise<number> =>
  ((await (await fetch(`${p.emu.urls.admin}/faults`)).json()) as unknown[]).length;

/** Waits until the emulator has taken every queued fault (the faulted request is in flight). */
async function waitFaultTaken(p: Pair): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if ((await pendingFaults(p)) === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the queued fault was never taken');
}

/** `size` bytes that differ with `seed` at every offset, so a mix of two versions shows in the hash. */
function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + seed * 13) % 251;
  return b;
}

test('598 without apply, 503 and a 500 whose write happened are retried; every file arrives once', async (t) => {
  const p = await setupPair(t);
  p.write('old.txt', 'old');
  for (let i = 0; i < 3; i++) p.write(`keep${i}.txt`, `keep ${i}`);
  expectExit(await p.once(), 0);
  p.write('dir/a.txt', 'a');
  p.write('b.txt', 'b');
  rmSync(join(p.local, 'old.txt'));
  await p.fault({ operation: 'upload-url', times: 1, status: 598, apply: false });
  await p.fault({ operation: 'createfolder', times: 1, status: 503 });
  await p.fault({ operation: 'upload', times: 1, status: 500, apply: true });
  await p.fault({ operation: 'delete', times: 1, status: 500, apply: true });
  expectExit(await p.once(), 0);
  assert.equal(await pendingFaults(p), 0, 'every fault was met');
  await converged(p);
  assert.deepEqual([...(await p.tree()).keys()].sort(), [
    'b.txt',
    'dir',
    'dir/a.txt',
    'keep0.txt',
    'keep1.txt',
    'keep2.txt',
  ]);
});

test('a 429 storm on listings and uploads is waited out; the run converges', async (t) => {
  const p = await setupPair(t);
  for (let i = 0; i < 5; i++) p.write(`f${i}.txt`, `file ${i}`);
  await p.putRemote('r.txt', 'remote');
  await p.fault({ operation: 'list', times: 4, status: 429, resetSeconds: 1 });
  await p.fault({ operation: 'upload-url', times: 4, status: 429, resetSeconds: 1 });
  expectExit(await p.once(), 0);
  assert.equal(await pendingFaults(p), 0);
  await converged(p);
  assert.equal((await p.tree()).size, 6);
});

test('an access token that expires during the run is refreshed; the run converges', async (t) => {
  const p = await setupPair(t, { knobs: { tokenTtl: 2 } });
  for (let i = 0; i < 6; i++) p.write(`f${i}.txt`, `file ${i}`);
  await p.knobs({ latency: 300 });
  expectExit(await p.once(), 0);
  const tokenCalls = (await p.requests()).filter((q) => q.operation === 'token');
  assert.ok(tokenCalls.length >= 1, 'the token was refreshed');
  await converged(p);
});

test('a full Drive quota: the upload is reported (exit 1), nothing is lost, and it goes up once there is room', async (t) => {
  const p = await setupPair(t, { knobs: { quota: 20_000 } });
  p.write('small.txt', 'small');
  p.write('big.bin', Buffer.alloc(30_000, 7));
  const r = await p.once();
  expectExit(r, 1);
  assert.equal((await p.tree()).get('small.txt')?.sha256, sha('small'));
  assert.equal((await p.tree()).has('big.bin'), false);
  assert.equal(sha(readFileSync(join(p.local, 'big.bin'))), sha(Buffer.alloc(30_000, 7)), 'kept locally');
  const status = await p.cli(['status', '--config', p.configFile]);
  assert.match(status.stdout, /big\.bin/);
  await p.knobs({ quota: 1_000_000 });
  p.write('big.bin', Buffer.alloc(30_000, 8)); // a changed file is tried again at once
  expectExit(await p.once(), 0);
  await converged(p);
});

test('a file rewritten while it uploads: one run ends with the last save on both sides, no conflicted copy', async (t) => {
  const p = await setupPair(t, { firstSync: true });
  // big enough that the client is still reading the file when the rewrite lands
  const v1 = pattern(6 * 1024 * 1024, 1);
  const v2 = pattern(6 * 1024 * 1024 + 5, 2);
  p.write('video.bin', v1);
  await p.fault({ operation: 'upload', times: 1, delayMs: 1500 });
  const run = p.once();
  await waitFaultTaken(p);
  writeFileSync(join(p.local, 'video.bin'), v2); // the editor saves again during the upload
  expectExit(await run, 0);
  assert.deepEqual(p.localFiles(), ['video.bin'], 'no conflicted copy locally');
  assert.deepEqual([...(await p.tree()).keys()], ['video.bin'], 'no conflicted copy on the Drive');
  assert.equal((await p.tree()).get('video.bin')?.sha256, sha(v2), 'the last save on the Drive');
  assert.equal(sha(readFileSync(join(p.local, 'video.bin'))), sha(v2), 'the last save kept locally');
  expectExit(await p.once(), 0);
  await converged(p);
});

test('a folder replaced by a file of the same name: the file reaches the Drive and both sides converge', async (t) => {
  const p = await setupPair(t);
  p.write('report/part1.txt', 'p1');
  p.write('report/part2.txt', 'p2');
  for (let i = 0; i < 4; i++) p.write(`keep${i}.txt`, `keep ${i}`);
  expectExit(await p.once(), 0);
  rmSync(join(p.local, 'report'), { recursive: true });
  p.write('report', 'the whole report in one file');
  const r = await p.once();
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}\n${r.stderr}`);
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('report')?.sha256, sha('the whole report in one file'));
  assert.equal(p.read('report'), 'the whole report in one file');
  await converged(p);
});
