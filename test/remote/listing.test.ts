import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness } from './harness.js';
import type { RemoteEntry } from '../../src/remote/types.js';

for (const endCursor of ['absent', 'null', 'empty']) {
  test(`a folder of 205 children is listed in full over two pages when the last page's cursor is ${endCursor}`, async () => {
    await withHarness({ endCursor }, async (h) => {
      const parent = await h.remote.mkdir(null, 'many');
      const names = Array.from({ length: 205 }, (_, i) => `f${String(i).padStart(3, '0')}`);
      for (const n of names) await h.remote.mkdir(parent.resourceKey, n);
      await h.clearRequests();
      const listed = await h.remote.list(parent.resourceKey);
      assert.deepEqual(listed.map((e) => e.name).sort(), names);
      assert.ok(listed.every((e) => e.kind === 'folder' && e.parentKey === parent.resourceKey));
      const lists = (await h.requests()).filter((r) => r.operation === 'list');
      assert.deepEqual(
        lists.map((r) => r.status),
        [200, 200],
        'pages of 200: 200 + 5',
      );
    });
  });
}

test('walk yields every item below a folder with paths relative to it, parents before children', async () => {
  await withHarness({}, async (h) => {
    const top = await h.remote.mkdir(null, 'top');
    const a = await h.remote.mkdir(top.resourceKey, 'a');
    const b = await h.remote.mkdir(a.resourceKey, 'b');
    await h.remote.upload(h.file('x.bin', 10), b.resourceKey, 'x.txt');
    await h.remote.upload(h.file('y.bin', 3), top.resourceKey, 'Cafe\u0301.txt');
    const seen: RemoteEntry[] = [];
    for await (const e of h.remote.walk(top.resourceKey)) seen.push(e);
    const paths = seen.map((e) => e.path);
    assert.deepEqual([...paths].sort(), ['Café.txt', 'a', 'a/b', 'a/b/x.txt'].sort());
    assert.ok(paths.indexOf('a') < paths.indexOf('a/b'));
    assert.ok(paths.indexOf('a/b') < paths.indexOf('a/b/x.txt'));
    const x = seen.find((e) => e.path === 'a/b/x.txt');
    assert.equal(x?.size, 10);
    assert.equal(x?.kind, 'file');
    assert.ok(Number.isFinite(x?.updateDate));
  });
});

test('walk reports a folder whose listing failed and still yields the rest', async () => {
  await withHarness({}, async (h) => {
    const a = await h.remote.mkdir(null, 'a');
    const b = await h.remote.mkdir(a.resourceKey, 'b');
    const c = await h.remote.mkdir(a.resourceKey, 'c');
    await h.remote.mkdir(b.resourceKey, 'b-child');
    await h.remote.mkdir(c.resourceKey, 'c-child');
    const failed: string[] = [];
    const seen: string[] = [];
    for await (const e of h.remote.walk(null, (path) => failed.push(path))) {
      seen.push(e.path);
      // Listings of "a/b" and "a/c" start after both are yielded: the first of them is refused.
      if (e.path === 'a/c') await h.fault({ operation: 'list', times: 1, status: 403 });
    }
    assert.equal(failed.length, 1);
    const ok = failed[0] === 'a/b' ? 'a/c' : 'a/b';
    assert.ok(['a/b', 'a/c'].includes(failed[0] as string));
    assert.deepEqual(seen.sort(), ['a', 'a/b', 'a/c', `${ok}/${ok.slice(2)}-child`].sort());
  });
});

test('walk ends with LoginRequiredError instead of reporting every folder when the login is gone', async () => {
  await withHarness({}, async (h) => {
    await h.remote.mkdir(null, 'a');
    const s = h.newSession();
    const r = s.remote({ kind: 'user', userId: 'me' });
    await h.admin.post('reset');
    const failed: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const _e of r.walk(null, (p) => failed.push(p))) void _e;
      })(),
      (e: Error) => e.name === 'LoginRequiredError',
    );
    assert.deepEqual(failed, []);
  });
});

test('resolvePath finds nested items, the root, and reports missing ones as null', async () => {
  await withHarness({}, async (h) => {
    const a = await h.remote.mkdir(null, 'a');
    const b = await h.remote.mkdir(a.resourceKey, 'b');
    assert.equal(await h.remote.resolvePath('/'), 'root');
    const got = await h.remote.resolvePath('/a/b');
    assert.ok(got && got !== 'root');
    assert.equal(got.resourceKey, b.resourceKey);
    assert.equal(got.path, 'a/b');
    assert.equal(await h.remote.resolvePath('/a/missing'), null);
    assert.equal(await h.remote.resolvePath('/a/b/c'), null);
  });
});

test('get returns the entry with its drive path, and a missing key is a not-found RemoteError', async () => {
  await withHarness({}, async (h) => {
    const a = await h.remote.mkdir(null, 'a');
    const f = await h.remote.upload(h.file('f', 5), a.resourceKey, 'f.txt');
    const got = await h.remote.get(f.resourceKey);
    assert.equal(got.path, 'a/f.txt');
    assert.equal(got.parentKey, a.resourceKey);
    await assert.rejects(
      h.remote.get('no-such-id'),
      (e: { errorClass?: string }) => e.errorClass === 'not-found',
    );
  });
});
