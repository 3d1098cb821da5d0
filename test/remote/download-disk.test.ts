/**
 * What a download leaves on disk (filesink.ts): the bytes received before a cut are written before
 * the next request, so that request continues right after them (reference §6 `Range: bytes=N-`);
 * a file that cannot be written fails the download at once with the disk's error, not retried.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256, withHarness } from './harness.js';

const MiB = 1024 * 1024;

test('a download cut after 1.5 MiB continues with a Range at exactly the bytes it had received', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(4 * MiB);
    const up = await h.remote.upload(h.file('src', bytes), null, 'cut.bin');
    await h.clearRequests();
    const cut = 1.5 * MiB;
    await h.fault({ operation: 'download-content', times: 1, dropAfterBytes: cut });
    const dest = join(h.dir, 'cut.part');
    await h.remote.download(up.resourceKey, dest);
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    const contents = (await h.requests()).filter((r) => r.operation === 'download-content');
    assert.deepEqual(
      contents.map((r) => (r as { range?: string }).range ?? 'whole'),
      ['whole', `bytes=${cut}-`],
    );
  });
});

test('a download into a full disk (/dev/full) fails with ENOSPC after one request', async () => {
  await withHarness({}, async (h) => {
    const up = await h.remote.upload(h.file('src', 3 * MiB), null, 'full.bin');
    await h.clearRequests();
    await assert.rejects(h.remote.download(up.resourceKey, '/dev/full'), (e: { code?: string }) => {
      assert.equal(e.code, 'ENOSPC');
      return true;
    });
    const sent = h.session.stats().operations['download-content'];
    assert.deepEqual([sent?.requests, sent?.retries], [1, 0]);
  });
});
