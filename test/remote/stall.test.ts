/**
 * The stall watchdog of uploads and downloads (watchdog.ts; design.md: no `timeout`, which would
 * cut a long transfer): a transfer that moves no byte for `stallMs` is cut and continued by a new
 * request, and one that takes longer than `stallMs` while its bytes keep moving is never cut.
 * The emulator holds a request with a `delayMs` fault; a bandwidth limit makes a transfer last.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { row, sha256, withHarness, type Harness } from './harness.js';

const MiB = 1024 * 1024;

/** The client's log lines saying a transfer broke, with whether the watchdog cut it. */
function breaks(h: Harness): { msg: string; stalled: boolean }[] {
  return h.logLines
    .map((l) => JSON.parse(l) as { msg?: string; stalled?: boolean })
    .filter((l) => /the transfer broke/.test(l.msg ?? ''))
    .map((l) => ({ msg: l.msg ?? '', stalled: l.stalled === true }));
}

test('an upload and a download held without a byte for stallMs are cut, sent again, and arrive whole', async () => {
  await withHarness({}, async (h) => {
    const remote = h.newSession({ stallMs: 1000 }).remote({ kind: 'user', userId: 'me' });
    const bytes = randomBytes(2 * MiB);
    const stored = await remote.upload(h.file('src', bytes), null, 'held-down.bin');
    await h.clearRequests();
    // Each storage request is held for 5 s the first time: the watchdog cuts it after 1 s.
    await h.fault({ operation: 'upload', times: 1, delayMs: 5000 });
    await h.fault({ operation: 'download-content', times: 1, delayMs: 5000 });
    const dest = join(h.dir, 'held-down.part');
    await Promise.all([
      remote.upload(h.file('up', bytes), null, 'held-up.bin'),
      remote.download(stored.resourceKey, dest),
    ]);
    assert.equal(row(await h.tree(), 'held-up.bin')?.sha256, sha256(bytes));
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    assert.deepEqual(
      breaks(h)
        .map((b) => `${b.msg.split(':')[0]} stalled=${b.stalled}`)
        .sort(),
      ['download stalled=true', 'upload stalled=true'],
    );
    // The held requests are still held (the emulator logs them when they end): the ones that
    // answered are the second of each.
    const answered = (await h.requests())
      .filter((r) => (r.operation === 'upload' || r.operation === 'download-content') && r.status > 0)
      .map((r) => `${r.operation} ${r.status}`);
    assert.deepEqual(answered.sort(), ['download-content 200', 'upload 201']);
  });
});

test('an upload and a download that outlast stallMs while their bytes keep moving are never cut', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(2 * MiB);
    const stored = await h.remote.upload(h.file('src', bytes), null, 'slow-down.bin');
    await h.clearRequests();
    // 2 MiB at 1 MiB/s take about 2 s each way, twice the watchdog's second.
    const slow = h.newSession({ stallMs: 1000, bwlimitUp: MiB, bwlimitDown: MiB });
    const remote = slow.remote({ kind: 'user', userId: 'me' });
    const dest = join(h.dir, 'slow-down.part');
    await Promise.all([
      remote.upload(h.file('up', bytes), null, 'slow-up.bin'),
      remote.download(stored.resourceKey, dest),
    ]);
    assert.equal(row(await h.tree(), 'slow-up.bin')?.sha256, sha256(bytes));
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    assert.deepEqual(breaks(h), []);
    const sent = (await h.requests())
      .filter((r) => r.operation === 'upload' || r.operation === 'download-content')
      .map((r) => `${r.operation} ${r.status}`);
    assert.deepEqual(sent.sort(), ['download-content 200', 'upload 201']);
  });
});
