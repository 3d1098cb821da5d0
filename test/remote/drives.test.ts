import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { withHarness } from './harness.js';

test('a shared drive and a group folder are reached under their own base paths', async () => {
  await withHarness({}, async (h) => {
    const a = await h.admin.post('drives', { sharedrive: '@2101000000000008' });
    const b = await h.admin.post('drives', { group: 'team-1' });
    assert.ok(a.status < 300 && b.status < 300, `${a.status} ${b.status}`);
    const shared = h.session.remote({ kind: 'sharedrive', id: '@2101000000000008' });
    const group = h.session.remote({ kind: 'group', groupId: 'team-1' });
    await shared.mkdir(null, 'in-shared');
    await group.upload(h.file('g', 7), null, 'in-group.txt');
    assert.deepEqual(
      (await shared.list(null)).map((e) => e.name),
      ['in-shared'],
    );
    assert.deepEqual(
      (await group.list(null)).map((e) => e.name),
      ['in-group.txt'],
    );
    assert.deepEqual(await h.remote.list(null), []);
    const paths = (await h.requests()).map((r) => r.path.split('?')[0]);
    assert.ok(paths.includes('/v1.0/sharedrives/%402101000000000008/files/createfolder'), paths.join('\n'));
    assert.ok(paths.includes('/v1.0/groups/team-1/folder/files'), paths.join('\n'));
  });
});

test('quota reports the drive usage in bytes', async () => {
  await withHarness({ quota: 1_000_000 }, async (h) => {
    await h.remote.upload(h.file('q', 1234), null, 'q.bin');
    const q = await h.remote.quota();
    assert.equal(q.total, 1_000_000);
    assert.equal(q.used, 1234);
    assert.equal(q.unused, 1_000_000 - 1234);
  });
});

test('an upload over the quota fails as "quota" and is not retried', async () => {
  await withHarness({ quota: 1000 }, async (h) => {
    await assert.rejects(
      h.remote.upload(h.file('big', 5000), null, 'big.bin'),
      (e: { errorClass?: string }) => e.errorClass === 'quota',
    );
  });
});

test('an aborted upload stops with the abort, without retries', async () => {
  await withHarness({}, async (h) => {
    const ac = new AbortController();
    await assert.rejects(
      h.remote.upload(h.file('a', randomBytes(4 * 1024 * 1024)), null, 'a.bin', {
        signal: ac.signal,
        onProgress: () => ac.abort(),
      }),
      (e: Error) => e.name === 'AbortError',
    );
    assert.equal(h.session.stats().operations.upload?.retries ?? 0, 0);
  });
});
