import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sendPartial, sha256, withEmu } from './util.js';

type File = Record<string, unknown> & { fileId: string };

test('a raw PUT of the bytes answers 201 with the File, and the tree holds the same bytes', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(70_000);
    const r = await e.upload('data.bin', bytes, undefined, { modifiedTime: '2020-01-02T03:04:05Z' });
    assert.equal(r.status, 201);
    const f = r.body as File;
    assert.equal(f.fileSize, bytes.length);
    assert.equal(f.modifiedTime, '2020-01-02T12:04:05+09:00');
    const row = (await e.tree())[0];
    assert.equal(row?.sha256, sha256(bytes));
    assert.equal(row?.size, bytes.length);
  });
});

test('a multipart POST stores the Filedata part, ignores other parts and keeps the step-1 name', async () => {
  await withEmu({}, async (e) => {
    const { uploadUrl } = await e.uploadUrl('real.txt', 11);
    const fd = new FormData();
    fd.append('meta', 'ignored');
    fd.append('Filedata', new Blob(['hello world']), 'other-name.txt');
    const r = await e.raw(uploadUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${e.token}` },
      body: fd,
    });
    assert.equal(r.status, 201);
    assert.equal((r.body as File).fileName, 'real.txt');
    assert.equal((await e.tree())[0]?.sha256, sha256('hello world'));
  });
});

test('a connection cut mid-body keeps the bytes received, resume reports them, and the rest completes the file', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(200_000);
    const first = await e.uploadUrl('r.bin', bytes.length, undefined, { resume: true });
    assert.equal(first.offset, 0);
    await sendPartial(first.uploadUrl, e.token, bytes.length, bytes.subarray(0, 80_000));
    const again = await e.uploadUrl('r.bin', bytes.length, undefined, { resume: true });
    assert.equal(again.uploadUrl, first.uploadUrl);
    assert.equal(again.offset, 80_000);
    const rest = bytes.subarray(again.offset);
    const r = await e.raw(again.uploadUrl, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${e.token}`,
        'Content-Range': `bytes ${again.offset}-${bytes.length - 1}/${bytes.length}`,
      },
      body: rest,
    });
    assert.equal(r.status, 201);
    assert.equal((await e.tree())[0]?.sha256, sha256(bytes));
  });
});

test('without resume a new session starts at offset 0', async () => {
  await withEmu({}, async (e) => {
    const first = await e.uploadUrl('r.bin', 10, undefined, { resume: true });
    await sendPartial(first.uploadUrl, e.token, 10, Buffer.alloc(4));
    const fresh = await e.uploadUrl('r.bin', 10);
    assert.equal(fresh.offset, 0);
    assert.notEqual(fresh.uploadUrl, first.uploadUrl);
  });
});

test('Content-Range not starting at the server offset answers 416, a wrong total 400, a malformed one 400', async () => {
  await withEmu({}, async (e) => {
    const { uploadUrl } = await e.uploadUrl('x.bin', 10);
    const put = (range: string, body: Buffer) =>
      e.raw(uploadUrl, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${e.token}`, 'Content-Range': range },
        body,
      });
    const r416 = await put('bytes 5-9/10', Buffer.alloc(5));
    assert.equal(r416.status, 416);
    assert.equal(typeof (r416.body as { code: number }).code, 'number');
    const r400 = await put('bytes 0-9/11', Buffer.alloc(10));
    assert.equal(r400.status, 400);
    const bad = await put('bytes=0-9/10', Buffer.alloc(10));
    assert.equal(bad.status, 400);
    assert.deepEqual(await e.tree(), []);
    assert.equal((await put('bytes 0-9/10', Buffer.alloc(10))).status, 201);
  });
});

test('an upload URL past its lifetime answers 404 and a fresh one starts over', async () => {
  await withEmu({ uploadUrlTtl: 0 }, async (e) => {
    const { uploadUrl } = await e.uploadUrl('x.bin', 3);
    await new Promise((r) => setTimeout(r, 5));
    const r = await e.raw(uploadUrl, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${e.token}` },
      body: 'abc',
    });
    assert.equal(r.status, 404);
    assert.equal((r.body as { code: number }).code, 1011);
    assert.deepEqual(await e.tree(), []);
  });
});

test('a same-named item created between the two steps answers 409 code 1009 at the last byte', async () => {
  await withEmu({}, async (e) => {
    const { uploadUrl } = await e.uploadUrl('late.txt', 3);
    await e.mkdir('LATE.txt');
    const r = await e.raw(uploadUrl, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${e.token}` },
      body: 'abc',
    });
    assert.equal(r.status, 409);
    assert.deepEqual(r.body, { code: 1009, message: 'Duplicated File Exist' });
    assert.deepEqual(
      (await e.tree()).map((t) => t.type),
      ['folder'],
    );
  });
});

test('overwrite replaces the contents and keeps the fileId', async () => {
  await withEmu({}, async (e) => {
    const v1 = (await e.upload('doc.txt', 'one')).body as File;
    const v2 = await e.upload('doc.txt', 'two!', undefined, { overwrite: true });
    assert.equal(v2.status, 201);
    assert.equal((v2.body as File).fileId, v1.fileId);
    const tree = await e.tree();
    assert.equal(tree.length, 1);
    assert.equal(tree[0]?.sha256, sha256('two!'));
  });
});

test('suffixOnDuplicate names the new file name (1).ext, then name (2).ext', async () => {
  await withEmu({}, async (e) => {
    await e.upload('a.txt', '0');
    const one = await e.upload('a.txt', '1', undefined, { suffixOnDuplicate: true });
    const two = await e.upload('a.txt', '2', undefined, { suffixOnDuplicate: true });
    assert.equal((one.body as File).fileName, 'a (1).txt');
    assert.equal((two.body as File).fileName, 'a (2).txt');
    assert.deepEqual(
      (await e.tree()).map((t) => t.path),
      ['/a (1).txt', '/a (2).txt', '/a.txt'],
    );
  });
});

test('an upload past the quota answers storage code 1003 and stores nothing', async () => {
  await withEmu({ quota: 100 }, async (e) => {
    const r = await e.upload('big.bin', Buffer.alloc(101));
    assert.equal(r.status, 403);
    assert.equal((r.body as { code: number }).code, 1003);
    assert.deepEqual(await e.tree(), []);
  });
});

test('a blocked extension answers storage code 1076 and stores nothing', async () => {
  await withEmu({ blockedExtensions: ['exe', 'bat'] }, async (e) => {
    const r = await e.upload('setup.EXE', 'MZ');
    assert.equal(r.status, 400);
    assert.equal((r.body as { code: number }).code, 1076);
    assert.deepEqual(await e.tree(), []);
  });
});

test('the storage host wants the token by default and answers 2002 without it; --storage-auth none lifts that', async () => {
  await withEmu({}, async (e) => {
    const { uploadUrl } = await e.uploadUrl('a.txt', 1);
    const r = await e.raw(uploadUrl, { method: 'PUT', body: 'a' });
    assert.equal(r.status, 401);
    assert.equal((r.body as { code: number }).code, 2002);
    await e.admin('POST', 'config', { storageAuth: 'none' });
    assert.equal((await e.raw(uploadUrl, { method: 'PUT', body: 'a' })).status, 201);
  });
});

test('an empty file uploads with an empty body', async () => {
  await withEmu({}, async (e) => {
    const r = await e.upload('empty.txt', '');
    assert.equal(r.status, 201);
    assert.equal((await e.tree())[0]?.sha256, sha256(''));
  });
});

test('a body longer than the declared size answers 400 and stores nothing', async () => {
  await withEmu({}, async (e) => {
    const { uploadUrl } = await e.uploadUrl('a.txt', 2);
    const r = await e.raw(uploadUrl, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${e.token}` },
      body: 'abc',
    });
    assert.equal(r.status, 400);
    assert.deepEqual(await e.tree(), []);
  });
});

test('a large multipart body whose delimiter straddles network chunks stores exactly the Filedata bytes', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(1_500_000);
    bytes.write('\r\n--', 700_000, 'latin1');
    const { uploadUrl } = await e.uploadUrl('mp.bin', bytes.length);
    const fd = new FormData();
    fd.append('Filedata', new Blob([bytes]), 'mp.bin');
    fd.append('after', 'tail part');
    const r = await e.raw(uploadUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${e.token}` },
      body: fd,
    });
    assert.equal(r.status, 201);
    assert.equal((await e.tree())[0]?.sha256, sha256(bytes));
  });
});

test('a resumed multipart upload honours Content-Range like a raw one', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(100_000);
    const s = await e.uploadUrl('m.bin', bytes.length, undefined, { resume: true });
    await sendPartial(s.uploadUrl, e.token, bytes.length, bytes.subarray(0, 40_000));
    const again = await e.uploadUrl('m.bin', bytes.length, undefined, { resume: true });
    assert.equal(again.offset, 40_000);
    const fd = new FormData();
    fd.append('Filedata', new Blob([bytes.subarray(40_000)]), 'm.bin');
    const r = await e.raw(again.uploadUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${e.token}`, 'Content-Range': `bytes 40000-99999/100000` },
      body: fd,
    });
    assert.equal(r.status, 201);
    assert.equal((await e.tree())[0]?.sha256, sha256(bytes));
  });
});
