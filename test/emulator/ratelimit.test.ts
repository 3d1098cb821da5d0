import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEmu } from './util.js';

test('each operation has its own window; past the limit a call answers 429 with the rate-limit headers', async () => {
  await withEmu({ rateLimit: 3 }, async (e) => {
    for (let i = 0; i < 3; i++) {
      const r = await e.call('GET', '/files');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('ratelimit-limit'), '3');
      assert.equal(r.headers.get('ratelimit-remaining'), String(2 - i));
      assert.ok(Number(r.headers.get('ratelimit-reset')) >= 1);
    }
    const over = await e.call('GET', '/files');
    assert.equal(over.status, 429);
    assert.deepEqual(over.body, { code: 'TOO_MANY_REQUESTS', description: 'API rate limit exceeded' });
    assert.equal(over.headers.get('ratelimit-remaining'), '0');
    assert.ok(Number(over.headers.get('ratelimit-reset')) >= 1);
    assert.equal((await e.call('GET', '')).status, 200, 'drive has its own window');
  });
});

test('with --rate-limit 0 there is no limit and no rate-limit headers', async () => {
  await withEmu({ rateLimit: 0 }, async (e) => {
    for (let i = 0; i < 10; i++) {
      const r = await e.call('GET', '/files');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('ratelimit-limit'), null);
    }
  });
});

test('with --concurrency 1 a second call while one is in flight answers 429', async () => {
  await withEmu({ concurrency: 1 }, async (e) => {
    await e.admin('POST', 'faults', { operation: 'list', times: 1, delayMs: 300 });
    const slow = e.call('GET', '/files');
    await new Promise((r) => setTimeout(r, 100));
    const second = await e.call('GET', '');
    assert.equal(second.status, 429);
    assert.equal((await slow).status, 200);
  });
});

test('the request log names each call by operation and status, and admin calls are not logged', async () => {
  await withEmu({ rateLimit: 1 }, async (e) => {
    await e.admin('DELETE', 'requests');
    await e.call('GET', '/files');
    await e.call('GET', '/files');
    await e.admin('GET', 'tree?drive=me');
    const log = (await e.admin('GET', 'requests')).body as Array<Record<string, unknown>>;
    assert.deepEqual(
      log.map((r) => [r.method, r.path, r.operation, r.status]),
      [
        ['GET', '/v1.0/users/me/drive/files', 'list', 200],
        ['GET', '/v1.0/users/me/drive/files', 'list', 429],
      ],
    );
  });
});
