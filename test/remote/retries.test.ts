import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withHarness } from './harness.js';
import { RemoteError, UnreachableError } from '../../src/remote/errors.js';
import { createSession } from '../../src/remote/session.js';
import { createLogger } from '../../src/log/logger.js';

test('a storm of 429 answers is waited out and does not count as a failure', async () => {
  await withHarness({}, async (h) => {
    await h.remote.mkdir(null, 'x');
    await h.clearRequests();
    await h.fault({ operation: 'list', times: 4, status: 429, resetSeconds: 0 });
    const listed = await h.remote.list(null);
    assert.deepEqual(
      listed.map((e) => e.name),
      ['x'],
    );
    const lists = (await h.requests()).filter((r) => r.operation === 'list').map((r) => r.status);
    assert.deepEqual(lists, [429, 429, 429, 429, 200]);
    const stats = h.session.stats();
    assert.equal(stats.operations.list?.rateLimited, 4);
    assert.equal(stats.operations.list?.failures, 0);
    assert.ok(stats.last429At !== undefined);
  });
});

test('a 429 with rateLimit-reset waits the time the server named', async () => {
  await withHarness({}, async (h) => {
    await h.fault({ operation: 'list', times: 1, status: 429, resetSeconds: 1 });
    await h.remote.list(null);
    const waits = h.logLines
      .map((l) => JSON.parse(l) as { msg?: string; waitMs?: number; op?: string })
      .filter((l) => l.msg?.startsWith('rate limited'));
    assert.deepEqual(
      waits.map((w) => [w.op, w.waitMs]),
      [['list', 1000]],
    );
  });
});

for (const status of [500, 502, 503]) {
  test(`a ${status} answer is retried with backoff until the call succeeds`, async () => {
    await withHarness({}, async (h) => {
      await h.fault({ operation: 'list', times: 2, status });
      await h.remote.list(null);
      const lists = (await h.requests()).filter((r) => r.operation === 'list').map((r) => r.status);
      assert.deepEqual(lists, [status, status, 200]);
    });
  });
}

test('a transient failure that outlasts the attempts surfaces as a transient RemoteError', async () => {
  await withHarness({}, async (h) => {
    await h.fault({ operation: 'list', times: 20, status: 503 });
    await assert.rejects(
      h.remote.list(null),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'transient',
    );
    assert.equal(h.session.stats().operations.list?.failures, 1);
  });
});

const dialectCases: [dialect: string, status: number, expected: string][] = [
  ['api2', 404, 'not-found'],
  ['v2', 404, 'not-found'],
  ['v1', 404, 'not-found'],
  ['api2', 403, 'permission'],
  ['v2', 403, 'permission'],
  ['v1', 403, 'permission'],
  ['api2', 409, 'exists'],
  ['v1', 409, 'exists'],
  ['storage', 409, 'exists'],
  ['storage', 404, 'not-found'],
];
for (const [dialect, status, expected] of dialectCases) {
  test(`a ${status} in the ${dialect} dialect is classified as ${expected}`, async () => {
    await withHarness({}, async (h) => {
      await h.fault({ operation: 'get', times: 1, status, dialect });
      const d = await h.remote.mkdir(null, 'd');
      await assert.rejects(
        h.remote.get(d.resourceKey),
        (e: unknown) => e instanceof RemoteError && e.errorClass === expected,
      );
    });
  });
}

for (const dialect of ['api2', 'v2', 'v1']) {
  test(`with the API host speaking ${dialect}, a missing item and a taken name are classified`, async () => {
    await withHarness({ errorDialect: dialect }, async (h) => {
      await assert.rejects(
        h.remote.get('nope'),
        (e: unknown) => e instanceof RemoteError && e.errorClass === 'not-found',
      );
      await h.remote.upload(h.file('f', 3), null, 'f.txt');
      await assert.rejects(
        h.remote.upload(h.file('g', 3), null, 'f.txt'),
        (e: unknown) => e instanceof RemoteError && e.errorClass === 'exists',
      );
    });
  });
}

test('a host that refuses connections is UnreachableError after the attempts', async () => {
  const s = createSession({
    apiBaseUrl: 'http://127.0.0.1:9/v1.0',
    authUrl: 'http://127.0.0.1:9/oauth2/v2.0',
    clientId: 'c',
    clientSecret: 's',
    tokenFile: '/nonexistent-dir-lwsync/tokens.json',
    logger: createLogger({ level: 'silent' }),
    retry: { baseMs: 1, maxMs: 2, maxAttempts: 2 },
  });
  try {
    const code = s.exchangeCode('x', 'http://127.0.0.1:1/cb');
    await assert.rejects(code, (e: unknown) => e instanceof UnreachableError);
  } finally {
    s.close();
  }
});

test('the per-host concurrency cap keeps parallel calls within the server limit on concurrent requests', async () => {
  await withHarness(
    { concurrency: 2, latency: 20 },
    async (h) => {
      await Promise.all(Array.from({ length: 8 }, () => h.remote.list(null)));
      const lists = (await h.requests()).filter((r) => r.operation === 'list').map((r) => r.status);
      assert.deepEqual(lists, Array(8).fill(200));
    },
    { session: { concurrency: 2 } },
  );
});

test('two remotes of one session share the pacer and the host slots', async () => {
  await withHarness(
    { concurrency: 1, latency: 20 },
    async (h) => {
      const other = h.session.remote({ kind: 'user', userId: 'me' });
      await Promise.all([h.remote.list(null), other.list(null), h.remote.list(null), other.list(null)]);
      const lists = (await h.requests()).filter((r) => r.operation === 'list').map((r) => r.status);
      assert.deepEqual(lists, [200, 200, 200, 200]);
      assert.equal(h.session.stats().requests.list, 4);
    },
    { session: { concurrency: 1 } },
  );
});

test('parallel calls beyond the server limit on concurrent requests are answered 429 and waited out', async () => {
  await withHarness(
    { concurrency: 1, latency: 20 },
    async (h) => {
      const got = await Promise.all(Array.from({ length: 3 }, () => h.remote.list(null)));
      assert.equal(got.length, 3);
      const lists = (await h.requests()).filter((r) => r.operation === 'list').map((r) => r.status);
      assert.ok(lists.includes(429), lists.join(','));
      assert.equal(lists.filter((s) => s === 200).length, 3);
    },
    { session: { concurrency: 3 } },
  );
});
