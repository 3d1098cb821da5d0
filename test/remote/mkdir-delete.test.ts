import { test } from 'node:test';
import assert from 'node:assert/strict';
import { row, withHarness } from './harness.js';
import { RemoteError } from '../../src/remote/errors.js';

test('mkdir creates a folder and returns the existing one when the name is taken', async () => {
  await withHarness({}, async (h) => {
    const a = await h.remote.mkdir(null, 'docs');
    assert.equal(a.kind, 'folder');
    assert.equal(a.name, 'docs');
    assert.equal(a.parentKey, null);
    const again = await h.remote.mkdir(null, 'docs');
    assert.equal(again.resourceKey, a.resourceKey);
    const inner = await h.remote.mkdir(a.resourceKey, 'inner');
    assert.equal(inner.parentKey, a.resourceKey);
    const tree = await h.tree();
    assert.equal(row(tree, 'docs')?.type.toLowerCase(), 'folder');
    assert.ok(row(tree, 'docs/inner'));
  });
});

test('mkdir where a file holds the name fails as "exists"', async () => {
  await withHarness({}, async (h) => {
    await h.remote.upload(h.file('f', 4), null, 'taken');
    await assert.rejects(
      h.remote.mkdir(null, 'taken'),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'exists',
    );
  });
});

test('mkdir answered 598 after the folder was made returns that folder and makes no second one', async () => {
  await withHarness({}, async (h) => {
    await h.fault({ operation: 'createfolder', times: 1, status: 598, apply: true });
    const a = await h.remote.mkdir(null, 'slow');
    const tree = await h.tree();
    assert.equal(row(tree, 'slow')?.fileId, a.resourceKey);
    assert.equal(tree.filter((t) => t.path.replace(/^\//, '').startsWith('slow')).length, 1);
  });
});

test('mkdir answered 598 before anything happened is retried and succeeds', async () => {
  await withHarness({}, async (h) => {
    await h.fault({ operation: 'createfolder', times: 2, status: 598, apply: false });
    const a = await h.remote.mkdir(null, 'later');
    assert.equal(row(await h.tree(), 'later')?.fileId, a.resourceKey);
    const creates = (await h.requests()).filter((r) => r.operation === 'createfolder');
    assert.deepEqual(
      creates.map((r) => r.status),
      [598, 598, 201],
    );
  });
});

test('a name the server refuses is a rejected-name error and is not retried', async () => {
  await withHarness({}, async (h) => {
    await assert.rejects(
      h.remote.mkdir(null, 'a:b'),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'rejected-name',
    );
    assert.equal((await h.requests()).filter((r) => r.operation === 'createfolder').length, 1);
  });
});

test('delete moves an item to the trash, and an item already gone counts as deleted', async () => {
  await withHarness({}, async (h) => {
    const f = await h.remote.upload(h.file('f', 8), null, 'bye.txt');
    await h.remote.delete(f.resourceKey);
    assert.equal(row(await h.tree(), 'bye.txt'), undefined);
    await h.remote.delete(f.resourceKey);
  });
});

test('delete answered 598 after it happened is a success without a second delete taking effect', async () => {
  await withHarness({}, async (h) => {
    const f = await h.remote.upload(h.file('f', 8), null, 'slow.txt');
    await h.fault({ operation: 'delete', times: 1, status: 598, apply: true });
    await h.remote.delete(f.resourceKey);
    assert.equal(row(await h.tree(), 'slow.txt'), undefined);
  });
});

test('delete answered 598 before it happened is retried until the item is gone', async () => {
  await withHarness({}, async (h) => {
    const f = await h.remote.upload(h.file('f', 8), null, 'stays.txt');
    await h.fault({ operation: 'delete', times: 1, status: 598, apply: false });
    await h.remote.delete(f.resourceKey);
    assert.equal(row(await h.tree(), 'stays.txt'), undefined);
    const deletes = (await h.requests()).filter((r) => r.operation === 'delete').map((r) => r.status);
    assert.equal(deletes[0], 598);
    assert.equal(deletes.at(-1), 204);
  });
});
