import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fetchCut, withEmu } from './util.js';

type File = Record<string, unknown> & { fileId: string };

test('download answers exactly 302 to the storage origin without rate-limit headers', async () => {
  await withEmu({ rateLimit: 240 }, async (e) => {
    const f = (await e.upload('a.txt', 'abc')).body as File;
    const r = await e.call('GET', `/files/${f.fileId}/download`);
    assert.equal(r.status, 302);
    const loc = new URL(r.headers.get('location') ?? '');
    assert.equal(loc.origin, e.emu.urls.storage);
    assert.equal(r.headers.get('ratelimit-limit'), null);
    assert.equal(r.headers.get('ratelimit-reset'), null);
  });
});

test('the storage GET answers the bytes with Content-Length and an RFC 5987 Content-Disposition', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(50_000);
    const f = (await e.upload('résumé 1.pdf', bytes)).body as File;
    const loc = (await e.call('GET', `/files/${f.fileId}/download`)).headers.get('location') ?? '';
    const res = await fetch(loc, { headers: { Authorization: `Bearer ${e.token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(bytes.length));
    assert.equal(
      res.headers.get('content-disposition'),
      `attachment; filename*=UTF-8''${encodeURIComponent('résumé 1.pdf')}`,
    );
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
  });
});

test('Range requests answer 206 with the asked bytes, and an unsatisfiable range 416', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(1000);
    const f = (await e.upload('r.bin', bytes)).body as File;
    const loc = (await e.call('GET', `/files/${f.fileId}/download`)).headers.get('location') ?? '';
    const get = (range: string) =>
      fetch(loc, { headers: { Authorization: `Bearer ${e.token}`, Range: range } });
    const mid = await get('bytes=100-199');
    assert.equal(mid.status, 206);
    assert.equal(mid.headers.get('content-range'), 'bytes 100-199/1000');
    assert.deepEqual(Buffer.from(await mid.arrayBuffer()), bytes.subarray(100, 200));
    const tail = await get('bytes=900-');
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(900));
    const suffix = await get('bytes=-10');
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), bytes.subarray(990));
    const bad = await get('bytes=1000-');
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get('content-range'), 'bytes */1000');
  });
});

test('the storage host answers 401 with code 2002 to a download without the token', async () => {
  await withEmu({}, async (e) => {
    const f = (await e.upload('a.txt', 'abc')).body as File;
    const loc = (await e.call('GET', `/files/${f.fileId}/download`)).headers.get('location') ?? '';
    const r = await e.raw(loc);
    assert.equal(r.status, 401);
    assert.equal((r.body as { code: number }).code, 2002);
  });
});

test('downloading a folder answers 400 and an unknown fileId 404', async () => {
  await withEmu({}, async (e) => {
    const d = await e.mkdir('d');
    assert.equal((await e.call('GET', `/files/${d.fileId}/download`)).status, 400);
    const r = await e.call('GET', '/files/nope/download');
    assert.equal(r.status, 404);
    assert.equal((r.body as { code: string }).code, 'NOT_FOUND');
  });
});

test('a download-content fault with dropAfterBytes cuts the body after that many bytes, then downloads resume', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(300_000);
    const f = (await e.upload('d.bin', bytes)).body as File;
    await e.admin('POST', 'faults', { operation: 'download-content', times: 1, dropAfterBytes: 100_000 });
    const loc = (await e.call('GET', `/files/${f.fileId}/download`)).headers.get('location') ?? '';
    const cut = await fetchCut(loc, { Authorization: `Bearer ${e.token}` });
    assert.equal(cut.complete, false);
    assert.equal(cut.bytes.length, 100_000);
    assert.deepEqual(cut.bytes, bytes.subarray(0, 100_000));
    const rest = await fetchCut(loc, {
      Authorization: `Bearer ${e.token}`,
      Range: `bytes=${cut.bytes.length}-`,
    });
    assert.equal(rest.status, 206);
    assert.deepEqual(Buffer.concat([cut.bytes, rest.bytes]), bytes);
  });
});

test('HEAD on the storage URL answers the GET headers without a body; other methods 405', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(1000);
    const f = (await e.upload('h.bin', bytes)).body as File;
    const loc = (await e.call('GET', `/files/${f.fileId}/download`)).headers.get('location') ?? '';
    const auth = { Authorization: `Bearer ${e.token}` };
    const head = await fetch(loc, { method: 'HEAD', headers: auth });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '1000');
    assert.equal(head.headers.get('accept-ranges'), 'bytes');
    assert.equal(head.headers.get('content-disposition'), "attachment; filename*=UTF-8''h.bin");
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const part = await fetch(loc, { method: 'HEAD', headers: { ...auth, Range: 'bytes=10-' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 10-999/1000');
    assert.equal(part.headers.get('content-length'), '990');
    assert.equal((await fetch(loc, { method: 'HEAD' })).status, 401, 'HEAD wants the token too');
    const del = await e.raw(loc, { method: 'DELETE', headers: auth });
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'GET, HEAD');
    assert.deepEqual(del.body, { code: 10000, message: 'Not Supported Operation' });
    const { uploadUrl } = await e.uploadUrl('u.bin', 3);
    const get = await e.raw(uploadUrl, { headers: auth });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'PUT, POST');
    // The API host has no HEAD: 405, as for any other method a route does not take.
    assert.equal((await fetch(`${e.base}/files/${f.fileId}`, { method: 'HEAD', headers: auth })).status, 405);
  });
});

test('the request log carries the Content-Range of a resumed upload and the Range of a download', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(10_000);
    const { uploadUrl } = await e.uploadUrl('log.bin', bytes.length, undefined, { resume: true });
    const auth = { Authorization: `Bearer ${e.token}` };
    await e.admin('POST', 'faults', { operation: 'upload', times: 1, dropAfterBytes: 4000 });
    await e.raw(uploadUrl, { method: 'PUT', headers: auth, body: bytes }).catch(() => undefined);
    const { offset } = await e.uploadUrl('log.bin', bytes.length, undefined, { resume: true });
    assert.equal(offset, 4000);
    const done = await e.raw(uploadUrl, {
      method: 'PUT',
      headers: { ...auth, 'Content-Range': `bytes 4000-9999/10000` },
      body: bytes.subarray(4000),
    });
    assert.equal(done.status, 201);
    const f = done.body as File;
    const loc = (await e.call('GET', `/files/${f.fileId}/download`)).headers.get('location') ?? '';
    assert.equal((await fetch(loc, { headers: { ...auth, Range: 'bytes=5000-' } })).status, 206);
    const log = (await e.admin('GET', 'requests')).body as Array<Record<string, unknown>>;
    const storage = log
      .filter((r) => r.operation === 'upload' || r.operation === 'download-content')
      .map((r) => [r.operation, r.status, r.range]);
    assert.deepEqual(storage, [
      ['upload', 0, undefined],
      ['upload', 201, 'bytes 4000-9999/10000'],
      ['download-content', 206, 'bytes=5000-'],
    ]);
  });
});
