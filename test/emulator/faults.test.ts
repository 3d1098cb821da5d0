import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sendPartial, sha256, withEmu } from './util.js';

test('a fault without apply answers its status for the next N calls and changes nothing', async () => {
  await withEmu({}, async (e) => {
    await e.admin('POST', 'faults', { operation: 'createfolder', times: 2, status: 503 });
    for (let i = 0; i < 2; i++) {
      const r = await e.call('POST', '/files/createfolder', { fileName: 'x' });
      assert.equal(r.status, 503);
      assert.equal((r.body as { code: string }).code, 'SERVICE_MAINTENANCE');
    }
    assert.deepEqual(await e.tree(), []);
    assert.equal((await e.call('POST', '/files/createfolder', { fileName: 'x' })).status, 201);
  });
});

test('a fault with apply performs the operation and still answers 598', async () => {
  await withEmu({}, async (e) => {
    await e.admin('POST', 'faults', { operation: 'createfolder', times: 1, status: 598, apply: true });
    const r = await e.call('POST', '/files/createfolder', { fileName: 'made' });
    assert.equal(r.status, 598);
    assert.equal((r.body as { code: string }).code, 'LONG_RUNNING_TRANSACTION');
    assert.deepEqual(
      (await e.tree()).map((t) => t.path),
      ['/made'],
    );
  });
});

test('an applied upload fault stores the file and answers the fault status', async () => {
  await withEmu({}, async (e) => {
    await e.admin('POST', 'faults', { operation: 'upload', times: 1, status: 500, apply: true });
    const r = await e.upload('a.txt', 'abc');
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { code: 10000, message: 'System Error' });
    assert.equal((await e.tree())[0]?.sha256, sha256('abc'));
  });
});

test('an injected 429 carries rateLimit-reset 1 unless resetSeconds says otherwise', async () => {
  await withEmu({}, async (e) => {
    await e.admin('POST', 'faults', { operation: 'get', times: 1, status: 429 });
    await e.admin('POST', 'faults', { operation: 'list', times: 1, status: 429, resetSeconds: 7 });
    const g = await e.call('GET', '/files/x');
    assert.equal(g.status, 429);
    assert.equal(g.headers.get('ratelimit-reset'), '1');
    const l = await e.call('GET', '/files');
    assert.equal(l.headers.get('ratelimit-reset'), '7');
  });
});

test('a fault dialect overrides the active dialect', async () => {
  await withEmu({}, async (e) => {
    await e.admin('POST', 'faults', { operation: 'list', times: 1, status: 404, dialect: 'v1' });
    const r = await e.call('GET', '/files');
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { code: '3101', message: 'Resource Not Exist', result: null });
  });
});

test('an upload fault with dropAfterBytes cuts the request after K bytes and the session keeps them', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(500_000);
    await e.admin('POST', 'faults', { operation: 'upload', times: 1, dropAfterBytes: 123_456 });
    const s = await e.uploadUrl('cut.bin', bytes.length, undefined, { resume: true });
    await sendPartial(s.uploadUrl, e.token, bytes.length, bytes);
    const again = await e.uploadUrl('cut.bin', bytes.length, undefined, { resume: true });
    assert.equal(again.offset, 123_456);
    const r = await e.raw(again.uploadUrl, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${e.token}`,
        'Content-Range': `bytes 123456-${bytes.length - 1}/${bytes.length}`,
      },
      body: bytes.subarray(123_456),
    });
    assert.equal(r.status, 201);
    assert.equal((await e.tree())[0]?.sha256, sha256(bytes));
    const log = (await e.admin('GET', 'requests')).body as Array<{ operation: string; status: number }>;
    assert.deepEqual(
      log.filter((x) => x.operation === 'upload').map((x) => x.status),
      [0, 201],
    );
  });
});

test('a cut after the last byte completes the file and loses only the answer', async () => {
  await withEmu({}, async (e) => {
    const bytes = randomBytes(200_000);
    // Raw PUT, then a resumed PUT whose cut also falls on its last byte.
    await e.admin('POST', 'faults', { operation: 'upload', times: 1, dropAfterBytes: bytes.length });
    const s = await e.uploadUrl('whole.bin', bytes.length, undefined, { resume: true });
    await sendPartial(s.uploadUrl, e.token, bytes.length, bytes);
    let tree = await e.tree();
    for (let i = 0; i < 100 && tree.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      tree = await e.tree();
    }
    assert.deepEqual(
      tree.map((t) => [t.path, t.size, t.sha256]),
      [['/whole.bin', bytes.length, sha256(bytes)]],
    );
    const again = await e.call('POST', '/files', {
      fileName: 'whole.bin',
      fileSize: bytes.length,
      resume: true,
    });
    assert.equal(again.status, 409, 'the file exists: no pending session is left to resume');

    await e.admin('POST', 'faults', { operation: 'upload', times: 2, dropAfterBytes: 50_000 });
    const r = await e.uploadUrl('second.bin', 100_000, undefined, { resume: true });
    await sendPartial(r.uploadUrl, e.token, 100_000, bytes.subarray(0, 100_000));
    assert.equal((await e.uploadUrl('second.bin', 100_000, undefined, { resume: true })).offset, 50_000);
    await sendPartial(r.uploadUrl, e.token, 50_000, bytes.subarray(50_000, 100_000), {
      'Content-Range': 'bytes 50000-99999/100000',
    });
    // The server finishes (re-hashing the resumed file) after the client saw the cut.
    let second;
    for (let i = 0; i < 100 && !second; i++) {
      second = (await e.tree()).find((t) => t.path === '/second.bin');
      if (!second) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(second?.sha256, sha256(bytes.subarray(0, 100_000)));
    const log = (await e.admin('GET', 'requests')).body as Array<{ operation: string; status: number }>;
    assert.deepEqual(
      log.filter((x) => x.operation === 'upload').map((x) => x.status),
      [0, 0, 0],
      'no answer was sent for any of the three',
    );
  });
});

test('a dropAfterBytes larger than the body lets the call complete and uses the fault up', async () => {
  await withEmu({}, async (e) => {
    await e.admin('POST', 'faults', { operation: 'upload', times: 1, dropAfterBytes: 1_000_000 });
    assert.equal((await e.upload('small.txt', 'abc')).status, 201);
    assert.deepEqual((await e.admin('GET', 'faults')).body, []);
  });
});

test('a fault on the token endpoint answers in the OAuth exchange and the next try succeeds', async () => {
  await withEmu({}, async (e) => {
    await e.admin('POST', 'faults', { operation: 'token', times: 1, status: 503 });
    const form = {
      grant_type: 'refresh_token',
      refresh_token: e.refresh,
      client_id: 'emulator-client',
      client_secret: 'emulator-secret',
    };
    const post = () =>
      e.raw(`${e.emu.urls.auth}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
    assert.equal((await post()).status, 503);
    assert.equal((await post()).status, 200);
  });
});

test('a malformed fault is refused with 400 naming the field', async () => {
  await withEmu({}, async (e) => {
    const bad = await e.admin('POST', 'faults', { operation: 'teleport', status: 500 });
    assert.equal(bad.status, 400);
    assert.match(String((bad.body as { error: string }).error), /operation/);
    const times = await e.admin('POST', 'faults', { operation: 'list', times: -1, status: 500 });
    assert.match(String((times.body as { error: string }).error), /times/);
  });
});

test('--latency and config changes at run time are reported by GET config', async () => {
  await withEmu({ latency: 1 }, async (e) => {
    const r = await e.admin('POST', 'config', {
      rateLimit: 5,
      errorDialect: 'v2',
      blockedExtensions: 'exe,bat',
    });
    assert.equal(r.status, 200);
    const c = (await e.admin('GET', 'config')).body as Record<string, unknown>;
    assert.equal(c.latency, 1);
    assert.equal(c.rateLimit, 5);
    assert.equal(c.errorDialect, 'v2');
    assert.deepEqual(c.blockedExtensions, ['exe', 'bat']);
    const bad = await e.admin('POST', 'config', { errorDialect: 'klingon' });
    assert.equal(bad.status, 400);
    assert.equal(((await e.admin('GET', 'config')).body as Record<string, unknown>).errorDialect, 'v2');
  });
});

test('reset empties the drive, the request log and the faults', async () => {
  await withEmu({}, async (e) => {
    await e.mkdir('x');
    await e.admin('POST', 'faults', { operation: 'list', status: 500 });
    assert.equal((await e.admin('POST', 'reset')).status, 200);
    assert.deepEqual(await e.tree(), []);
    assert.deepEqual((await e.admin('GET', 'requests')).body, []);
    assert.deepEqual((await e.admin('GET', 'faults')).body, []);
  });
});

test('a fault with pathContains is taken only by calls whose URL path contains that text', async () => {
  await withEmu({}, async (e) => {
    const a = (await e.mkdir('a')).fileId;
    const b = (await e.mkdir('b')).fileId;
    await e.admin('POST', 'faults', { operation: 'list', times: 2, status: 500, pathContains: a });
    assert.equal((await e.call('GET', `/files/${b}/children`)).status, 200);
    assert.equal((await e.call('GET', `/files/${a}/children`)).status, 500);
    assert.equal((await e.call('GET', `/files/${b}/children`)).status, 200);
    assert.equal((await e.call('GET', `/files/${a}/children`)).status, 500);
    assert.equal((await e.call('GET', `/files/${a}/children`)).status, 200);
    const bad = await e.admin('POST', 'faults', { operation: 'list', status: 500, pathContains: '' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /pathContains/);
  });
});
