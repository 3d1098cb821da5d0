import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEmu } from './util.js';

test('an unknown fileId answers 404 in each dialect of reference §7', async () => {
  const expected = {
    api2: { code: 'NOT_FOUND' },
    v2: { domain: 'drive', code: 'RESOURCE_NOT_FOUND' },
    v1: { code: '3101', message: 'Resource Not Exist' },
  } as const;
  for (const [dialect, want] of Object.entries(expected)) {
    await withEmu({ errorDialect: dialect as 'api2' }, async (e) => {
      const r = await e.call('GET', '/files/nope');
      assert.equal(r.status, 404, dialect);
      for (const [k, v] of Object.entries(want))
        assert.equal((r.body as Record<string, unknown>)[k], v, dialect);
    });
  }
});

test('the v1 dialect answers a missing token with the gateway body 028', async () => {
  await withEmu({ errorDialect: 'v1' }, async (e) => {
    const r = await e.raw(`${e.base}/files`);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { errorCode: '028', errorMessage: 'Authentication header not exists' });
  });
});

test('a clash in the v2 and v1 dialects answers 409 with their codes', async () => {
  await withEmu({ errorDialect: 'v2' }, async (e) => {
    await e.mkdir('x');
    const r = await e.call('POST', '/files/createfolder', { fileName: 'x' });
    assert.equal(r.status, 409);
    assert.equal((r.body as { domain: string }).domain, 'drive');
    await e.admin('POST', 'config', { errorDialect: 'v1' });
    const r1 = await e.call('POST', '/files/createfolder', { fileName: 'x' });
    assert.equal((r1.body as { code: string }).code, '3201');
  });
});

test('the storage host answers in the storage dialect whatever the API dialect', async () => {
  await withEmu({ errorDialect: 'v1' }, async (e) => {
    const { uploadUrl } = await e.uploadUrl('a.txt', 1);
    const r = await e.raw(uploadUrl, { method: 'PUT', body: 'a' });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { code: 2002, message: 'Invalidation Cookie' });
  });
});

test('moving a folder into its own subtree answers 400 and changes nothing', async () => {
  await withEmu({}, async (e) => {
    const a = await e.mkdir('a');
    const b = await e.mkdir('b', a.fileId);
    const before = await e.tree();
    assert.equal((await e.call('POST', `/files/${a.fileId}/move`, { toParentFileId: b.fileId })).status, 400);
    assert.equal((await e.call('POST', `/files/${a.fileId}/move`, { toParentFileId: a.fileId })).status, 400);
    assert.deepEqual(await e.tree(), before);
  });
});

test('with --no-move, move and rename answer 404 and change nothing', async () => {
  await withEmu({ noMove: true }, async (e) => {
    const a = await e.mkdir('a');
    const d = await e.mkdir('d');
    assert.equal((await e.call('POST', `/files/${a.fileId}/move`, { toParentFileId: d.fileId })).status, 404);
    assert.equal((await e.call('POST', `/files/${a.fileId}/rename`, { fileName: 'b' })).status, 404);
    assert.deepEqual(
      (await e.tree()).map((t) => t.path),
      ['/a', '/d'],
    );
  });
});

test('a name with a separator, a control character, a forbidden character or only dots answers 400 INVALID_PARAMETER', async () => {
  await withEmu({}, async (e) => {
    for (const name of [
      'a/b',
      'a\\b',
      'a\u0000b',
      'a\nb',
      'a:b',
      'a*b',
      'a?b',
      'a"b',
      'a<b',
      'a>b',
      'a|b',
      '.',
      '..',
      '...',
      '',
      'x'.repeat(201),
    ]) {
      const r = await e.call('POST', '/files/createfolder', { fileName: name });
      assert.equal(r.status, 400, JSON.stringify(name));
      assert.equal((r.body as { code: string }).code, 'INVALID_PARAMETER');
    }
    assert.equal((await e.call('POST', '/files/createfolder', { fileName: 'x'.repeat(200) })).status, 201);
  });
});
