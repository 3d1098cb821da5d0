import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import axios from 'axios';
import { CLIENT_ID, CLIENT_SECRET, withHarness } from './harness.js';
import { LoginRequiredError } from '../../src/remote/errors.js';

interface TokenFile {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

const readTokens = (p: string): TokenFile => JSON.parse(readFileSync(p, 'utf8')) as TokenFile;

test('login stores the tokens in a file of mode 0600', async () => {
  await withHarness(
    {},
    async (h) => {
      assert.equal(h.session.hasTokens(), false);
      await h.login();
      assert.equal(h.session.hasTokens(), true);
      assert.equal(statSync(h.tokenFile).mode & 0o777, 0o600);
      const t = readTokens(h.tokenFile);
      assert.ok(t.accessToken && t.refreshToken && t.expiresAt > Date.now());
    },
    { login: false },
  );
});

test('the authorize URL carries client, redirect, scope, state and response type', async () => {
  await withHarness(
    {},
    async (h) => {
      const u = new URL(h.session.authorizeUrl('http://127.0.0.1:5000/callback', 'xyz'));
      assert.equal(u.origin + u.pathname, `${h.urls.auth}/authorize`);
      assert.equal(u.searchParams.get('client_id'), CLIENT_ID);
      assert.equal(u.searchParams.get('redirect_uri'), 'http://127.0.0.1:5000/callback');
      assert.equal(u.searchParams.get('scope'), 'file');
      assert.equal(u.searchParams.get('response_type'), 'code');
      assert.equal(u.searchParams.get('state'), 'xyz');
    },
    { login: false },
  );
});

test('an access token past its lifetime is refreshed before the call, keeping the refresh token', async () => {
  await withHarness({ tokenTtl: 1 }, async (h) => {
    const before = readTokens(h.tokenFile);
    await new Promise((r) => setTimeout(r, 1100));
    await h.remote.list(null);
    const after = readTokens(h.tokenFile);
    assert.notEqual(after.accessToken, before.accessToken);
    assert.equal(after.refreshToken, before.refreshToken);
    assert.equal(statSync(h.tokenFile).mode & 0o777, 0o600);
    const ops = (await h.requests()).map((r) => `${r.operation} ${r.status}`);
    assert.ok(!ops.includes('list 401'), `no call was sent with the stale token: ${ops.join(', ')}`);
  });
});

test('a 401 on a call refreshes the token once and retries the call', async () => {
  await withHarness({}, async (h) => {
    const t = readTokens(h.tokenFile);
    writeFileSync(
      h.tokenFile,
      JSON.stringify({ ...t, accessToken: 'not-a-token', expiresAt: Date.now() + 3_600_000 }),
    );
    const s = h.newSession();
    await s.remote({ kind: 'user', userId: 'me' }).list(null);
    const ops = (await h.requests()).map((r) => `${r.operation} ${r.status}`);
    assert.deepEqual(ops.slice(-3), ['list 401', 'token 200', 'list 200']);
  });
});

test('a revoked refresh token ends in LoginRequiredError', async () => {
  await withHarness({}, async (h) => {
    const t = readTokens(h.tokenFile);
    const r = await axios.post(
      `${h.urls.auth}/revoke`,
      new URLSearchParams({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        token: t.refreshToken,
      }).toString(),
      { validateStatus: () => true },
    );
    assert.ok(r.status < 300, `revoke: ${r.status}`);
    writeFileSync(h.tokenFile, JSON.stringify({ ...t, accessToken: 'expired', expiresAt: 0 }));
    const s = h.newSession();
    await assert.rejects(s.remote({ kind: 'user', userId: 'me' }).list(null), LoginRequiredError);
  });
});

test('an invalid refresh token ends in LoginRequiredError, and no tokens at all asks for a login too', async () => {
  await withHarness({}, async (h) => {
    const t = readTokens(h.tokenFile);
    writeFileSync(
      h.tokenFile,
      JSON.stringify({ ...t, accessToken: 'x', refreshToken: 'bogus', expiresAt: 0 }),
    );
    await assert.rejects(
      h.newSession().remote({ kind: 'user', userId: 'me' }).list(null),
      LoginRequiredError,
    );
  });
  await withHarness(
    {},
    async (h) => {
      await assert.rejects(h.remote.list(null), LoginRequiredError);
    },
    { login: false },
  );
});

test('with storage auth off, transfers still work', async () => {
  await withHarness({ storageAuth: 'none' }, async (h) => {
    const up = await h.remote.upload(h.file('s', 1234), null, 's.bin');
    await h.remote.download(up.resourceKey, `${h.dir}/s.out`);
    assert.equal(readFileSync(`${h.dir}/s.out`).length, 1234);
  });
});
