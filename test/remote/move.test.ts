import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { row, sha256, withHarness } from './harness.js';
import { RemoteError, UNSUPPORTED_CODE } from '../../src/remote/errors.js';

test('move and rename keep the fileId and change the path', async () => {
  await withHarness({}, async (h) => {
    const a = await h.remote.mkdir(null, 'a');
    const f = await h.remote.upload(h.file('f', 10), null, 'f.txt');
    const moved = await h.remote.move(f.resourceKey, a.resourceKey);
    assert.equal(moved.resourceKey, f.resourceKey);
    assert.equal(moved.parentKey, a.resourceKey);
    const renamed = await h.remote.rename(f.resourceKey, 'g.txt');
    assert.equal(renamed.resourceKey, f.resourceKey);
    assert.equal(renamed.name, 'g.txt');
    assert.equal(row(await h.tree(), 'a/g.txt')?.fileId, f.resourceKey);
    const back = await h.remote.move(f.resourceKey, null);
    assert.equal(back.parentKey, null);
    assert.ok(row(await h.tree(), 'g.txt'));
  });
});

test('a move answered 598 after it happened is detected and not repeated', async () => {
  await withHarness({}, async (h) => {
    const a = await h.remote.mkdir(null, 'a');
    const f = await h.remote.upload(h.file('f', 10), null, 'f.txt');
    await h.fault({ operation: 'move', times: 1, status: 598, apply: true });
    const moved = await h.remote.move(f.resourceKey, a.resourceKey);
    assert.equal(moved.parentKey, a.resourceKey);
    assert.deepEqual(
      (await h.requests()).filter((r) => r.operation === 'move').map((r) => r.status),
      [598],
    );
    await h.fault({ operation: 'rename', times: 1, status: 598, apply: true });
    const renamed = await h.remote.rename(f.resourceKey, 'h.txt');
    assert.equal(renamed.name, 'h.txt');
    assert.equal(row(await h.tree(), 'a/h.txt')?.fileId, f.resourceKey);
  });
});

test('without a move route, a file moves by copy and delete with the same bytes', async () => {
  await withHarness({ noMove: true }, async (h) => {
    const a = await h.remote.mkdir(null, 'a');
    const bytes = randomBytes(5000);
    const f = await h.remote.upload(h.file('f', bytes), null, 'f.txt');
    const moved = await h.remote.move(f.resourceKey, a.resourceKey);
    assert.equal(moved.parentKey, a.resourceKey);
    assert.equal(moved.name, 'f.txt');
    const tree = await h.tree();
    assert.equal(row(tree, 'a/f.txt')?.sha256, sha256(bytes));
    assert.equal(row(tree, 'f.txt'), undefined);
    assert.equal(h.session.stats().moveRoute, false);
  });
});

test('without a move route, a folder moves by re-creating it and moving its children', async () => {
  await withHarness({ noMove: true }, async (h) => {
    const dst = await h.remote.mkdir(null, 'dst');
    const src = await h.remote.mkdir(null, 'src');
    const sub = await h.remote.mkdir(src.resourceKey, 'sub');
    const bytes = randomBytes(3000);
    await h.remote.upload(h.file('x', bytes), sub.resourceKey, 'x.txt');
    const moved = await h.remote.move(src.resourceKey, dst.resourceKey);
    assert.equal(moved.name, 'src');
    assert.equal(moved.kind, 'folder');
    const tree = await h.tree();
    assert.equal(row(tree, 'dst/src/sub/x.txt')?.sha256, sha256(bytes));
    assert.equal(row(tree, 'src'), undefined);
  });
});

test('without a move route, a folder is not moved into itself', async () => {
  await withHarness({ noMove: true }, async (h) => {
    const src = await h.remote.mkdir(null, 'src');
    const inner = await h.remote.mkdir(src.resourceKey, 'inner');
    await assert.rejects(
      h.remote.move(src.resourceKey, inner.resourceKey),
      (e: unknown) => e instanceof RemoteError,
    );
    assert.ok(row(await h.tree(), 'src/inner'));
  });
});

test('without a rename route, a folder is renamed by re-creating it, and a file rename says it cannot', async () => {
  await withHarness({ noMove: true }, async (h) => {
    const d = await h.remote.mkdir(null, 'old');
    const bytes = randomBytes(100);
    const f = await h.remote.upload(h.file('y', bytes), d.resourceKey, 'y.txt');
    const renamed = await h.remote.rename(d.resourceKey, 'new');
    assert.equal(renamed.name, 'new');
    const tree = await h.tree();
    assert.equal(row(tree, 'new/y.txt')?.sha256, sha256(bytes));
    assert.equal(row(tree, 'old'), undefined);
    const y = row(tree, 'new/y.txt');
    await assert.rejects(
      h.remote.rename(y?.fileId ?? f.resourceKey, 'z.txt'),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'unknown' && e.code === UNSUPPORTED_CODE,
    );
  });
});

test('moving or renaming an item that does not exist is not-found, not a fallback', async () => {
  await withHarness({ noMove: true }, async (h) => {
    await assert.rejects(
      h.remote.move('nope', null),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'not-found',
    );
    await assert.rejects(
      h.remote.rename('nope', 'x'),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'not-found',
    );
  });
});
