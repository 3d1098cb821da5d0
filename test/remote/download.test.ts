import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import { sha256, withHarness } from './harness.js';
import { RemoteError } from '../../src/remote/errors.js';

test('a download follows the redirect itself, sends the token to the storage host and writes every byte', async () => {
  await withHarness({ storageAuth: 'required' }, async (h) => {
    const bytes = randomBytes(200_000);
    const up = await h.remote.upload(h.file('src', bytes), null, 'd.bin');
    const dest = join(h.dir, 'd.part');
    const progress: number[] = [];
    const e = await h.remote.download(up.resourceKey, dest, {
      onProgress: (p) => progress.push(p.bytesDone),
    });
    assert.equal(e.resourceKey, up.resourceKey);
    assert.equal(e.size, bytes.length);
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    assert.equal(progress.at(-1), bytes.length);
    const ops = (await h.requests())
      .filter((r) => r.operation.startsWith('download'))
      .map((r) => `${r.operation} ${r.status}`);
    assert.deepEqual(ops, ['download 302', 'download-content 200']);
  });
});

test('the storage host refuses a download URL fetched without the token', async () => {
  await withHarness({ storageAuth: 'required' }, async (h) => {
    const up = await h.remote.upload(h.file('src', 100), null, 'n.bin');
    const dl = await axios.get(
      `${h.urls.api}/users/me/drive/files/${encodeURIComponent(up.resourceKey)}/download`,
      {
        maxRedirects: 0,
        validateStatus: () => true,
        headers: {
          Authorization: `Bearer ${(JSON.parse(readFileSync(h.tokenFile, 'utf8')) as { accessToken: string }).accessToken}`,
        },
      },
    );
    assert.equal(dl.status, 302);
    const bare = await axios.get(String(dl.headers['location']), { validateStatus: () => true });
    assert.equal(bare.status, 401);
  });
});

test('a dropped download resumes with a Range request and the bytes are identical', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(3 * 1024 * 1024);
    const up = await h.remote.upload(h.file('src', bytes), null, 'r.bin');
    await h.clearRequests();
    await h.fault({ operation: 'download-content', times: 2, dropAfterBytes: 1024 * 1024 });
    const dest = join(h.dir, 'r.part');
    await h.remote.download(up.resourceKey, dest);
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    const contents = (await h.requests()).filter((r) => r.operation === 'download-content');
    assert.equal(contents.length, 3);
    assert.equal(contents.at(-1)?.status, 206, 'the last request continued a partial file');
  });
});

test('a download can continue a partial file left by an earlier run', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(300_000);
    const up = await h.remote.upload(h.file('src', bytes), null, 'c.bin');
    const dest = join(h.dir, 'c.part');
    writeFileSync(dest, bytes.subarray(0, 100_000));
    await h.clearRequests();
    await h.remote.download(up.resourceKey, dest, { resume: true });
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    const content = (await h.requests()).filter((r) => r.operation === 'download-content');
    assert.deepEqual(
      content.map((r) => r.status),
      [206],
    );
  });
});

test('a partial file of another version of the remote file is not continued: the download starts over', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(300_000);
    const up = await h.remote.upload(h.file('src', bytes), null, 'v.bin');
    const dest = join(h.dir, 'v.part');
    writeFileSync(dest, randomBytes(100_000)); // bytes of an older version
    await h.clearRequests();
    await h.remote.download(up.resourceKey, dest, {
      resume: true,
      version: { updateDate: up.updateDate - 1000, size: up.size },
    });
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    const content = (await h.requests()).filter((r) => r.operation === 'download-content');
    assert.deepEqual(
      content.map((r) => r.status),
      [200],
    );
    writeFileSync(dest, bytes.subarray(0, 100_000));
    await h.clearRequests();
    await h.remote.download(up.resourceKey, dest, {
      resume: true,
      version: { updateDate: up.updateDate, size: up.size },
    });
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    const resumed = (await h.requests()).filter((r) => r.operation === 'download-content');
    assert.deepEqual(
      resumed.map((r) => r.status),
      [206],
    );
  });
});

test('without resume a leftover file is replaced, and an empty remote file downloads as empty', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(1000);
    const up = await h.remote.upload(h.file('src', bytes), null, 'o.bin');
    const dest = join(h.dir, 'o.part');
    writeFileSync(dest, randomBytes(5000));
    await h.remote.download(up.resourceKey, dest);
    assert.equal(sha256(readFileSync(dest)), sha256(bytes));
    const empty = await h.remote.upload(h.file('e', 0), null, 'e.bin');
    const dest2 = join(h.dir, 'e.part');
    await h.remote.download(empty.resourceKey, dest2);
    assert.equal(readFileSync(dest2).length, 0);
  });
});

test('downloading a folder is refused', async () => {
  await withHarness({}, async (h) => {
    const d = await h.remote.mkdir(null, 'dir');
    await assert.rejects(
      h.remote.download(d.resourceKey, join(h.dir, 'x')),
      (e: unknown) => e instanceof RemoteError,
    );
  });
});
