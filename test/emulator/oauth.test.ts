import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CLIENT_ID, CLIENT_SECRET, loginTestUser } from '../helpers/emulator.js';
import { withEmu } from './util.js';

const REDIRECT = 'http://127.0.0.1:53682/callback';

function authorizeUrl(auth: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: 'file',
    response_type: 'code',
    ...extra,
  });
  return `${auth}/authorize?${q}`;
}

function tokenForm(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields }),
  };
}

test('authorize consents at once and redirects to the loopback URI with a code and the state untouched', async () => {
  await withEmu({}, async (e) => {
    const r = await e.raw(authorizeUrl(e.emu.urls.auth, { state: 'a b+c' }));
    assert.equal(r.status, 302);
    const loc = new URL(r.headers.get('location') ?? '');
    assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT);
    assert.ok(loc.searchParams.get('code'));
    assert.equal(loc.searchParams.get('state'), 'a b+c');
  });
});

test('authorize without a state redirects without one, and any loopback host and port is accepted', async () => {
  await withEmu({}, async (e) => {
    for (const uri of ['http://localhost:1/cb', 'http://[::1]:65000/x', 'http://127.0.0.1:8080/']) {
      const r = await e.raw(authorizeUrl(e.emu.urls.auth, { redirect_uri: uri }));
      assert.equal(r.status, 302, uri);
      assert.equal(new URL(r.headers.get('location') ?? '').searchParams.has('state'), false);
    }
  });
});

test('authorize refuses a redirect URI that is not loopback without redirecting', async () => {
  await withEmu({}, async (e) => {
    const r = await e.raw(authorizeUrl(e.emu.urls.auth, { redirect_uri: 'https://evil.example/cb' }));
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('location'), null);
    assert.equal((r.body as { error: string }).error, 'invalid_request');
  });
});

test('a code is exchanged once for tokens whose expires_in is a string, and a second use is invalid_grant', async () => {
  await withEmu({ tokenTtl: 3600 }, async (e) => {
    const r = await e.raw(authorizeUrl(e.emu.urls.auth));
    const code = new URL(r.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const t1 = await e.raw(
      `${e.emu.urls.auth}/token`,
      tokenForm({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
    );
    assert.equal(t1.status, 200);
    const body = t1.body as Record<string, unknown>;
    assert.equal(body.expires_in, '3600');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.refresh_token, 'string');
    assert.equal(body.scope, 'file');
    const t2 = await e.raw(
      `${e.emu.urls.auth}/token`,
      tokenForm({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
    );
    assert.equal(t2.status, 400);
    assert.equal((t2.body as { error: string }).error, 'invalid_grant');
  });
});

test('the token request must repeat the redirect URI of the authorize request', async () => {
  await withEmu({}, async (e) => {
    const r = await e.raw(authorizeUrl(e.emu.urls.auth));
    const code = new URL(r.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const t = await e.raw(
      `${e.emu.urls.auth}/token`,
      tokenForm({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1/other' }),
    );
    assert.equal(t.status, 400);
    assert.equal((t.body as { error: string }).error, 'invalid_grant');
  });
});

test('a wrong client secret is invalid_client with status 401', async () => {
  await withEmu({}, async (e) => {
    const t = await e.raw(
      `${e.emu.urls.auth}/token`,
      tokenForm({ grant_type: 'refresh_token', refresh_token: e.refresh, client_secret: 'nope' }),
    );
    assert.equal(t.status, 401);
    assert.equal((t.body as { error: string }).error, 'invalid_client');
  });
});

test('a refresh answers a new working access token and no new refresh token', async () => {
  await withEmu({}, async (e) => {
    const t = await e.raw(
      `${e.emu.urls.auth}/token`,
      tokenForm({ grant_type: 'refresh_token', refresh_token: e.refresh }),
    );
    assert.equal(t.status, 200);
    const body = t.body as Record<string, unknown>;
    assert.equal(body.refresh_token, undefined);
    assert.notEqual(body.access_token, e.token);
    const r = await e.call('GET', '/files', undefined, {
      Authorization: `Bearer ${String(body.access_token)}`,
    });
    assert.equal(r.status, 200);
  });
});

test('a call without a token or with an unknown token answers 401 UNAUTHORIZED', async () => {
  await withEmu({}, async (e) => {
    const none = await e.raw(`${e.base}/files`);
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { code: 'UNAUTHORIZED', description: 'Authentication failed.' });
    const bad = await e.call('GET', '/files', undefined, { Authorization: 'Bearer nope' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { code: 'UNAUTHORIZED', description: 'Authentication failed.' });
  });
});

test('an access token past its lifetime answers 401', async () => {
  await withEmu({ tokenTtl: 0 }, async (e) => {
    await new Promise((r) => setTimeout(r, 5));
    const r = await e.call('GET', '/files');
    assert.equal(r.status, 401);
  });
});

test('a revoked refresh token can no longer be used', async () => {
  await withEmu({}, async (e) => {
    const rv = await e.raw(`${e.emu.urls.auth}/revoke`, tokenForm({ token: e.refresh }));
    assert.equal(rv.status, 200);
    const t = await e.raw(
      `${e.emu.urls.auth}/token`,
      tokenForm({ grant_type: 'refresh_token', refresh_token: e.refresh }),
    );
    assert.equal(t.status, 400);
    assert.equal((t.body as { error: string }).error, 'invalid_grant');
  });
});

test('a file.read token reads but is refused writes with 403 FORBIDDEN', async () => {
  await withEmu({}, async (e) => {
    const ro = await loginTestUser(e.emu, 'openid file.read');
    const h = { Authorization: `Bearer ${ro.accessToken}` };
    assert.equal((await e.call('GET', '/files', undefined, h)).status, 200);
    const w = await e.call('POST', '/files/createfolder', { fileName: 'x' }, h);
    assert.equal(w.status, 403);
    assert.equal((w.body as { code: string }).code, 'FORBIDDEN');
    assert.deepEqual(await e.tree(), []);
  });
});

function jwt(privateKey: KeyObject, claims: Record<string, unknown>): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${data}.${sign('RSA-SHA256', Buffer.from(data), privateKey).toString('base64url')}`;
}

test('a service account gets a token with an RS256 assertion, and that token is refused on Drive routes', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await withEmu({ jwtPublicKey: pem }, async (e) => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = jwt(privateKey, { iss: CLIENT_ID, sub: 'svc@example', iat: now, exp: now + 600 });
    const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    const t = await e.raw(
      `${e.emu.urls.auth}/token`,
      tokenForm({ grant_type: grant, assertion, scope: 'file' }),
    );
    assert.equal(t.status, 200);
    const access = String((t.body as Record<string, unknown>).access_token);
    const r = await e.call('GET', '/files', undefined, { Authorization: `Bearer ${access}` });
    assert.equal(r.status, 403);
    assert.equal((r.body as { code: string }).code, 'SERVICE_ACCOUNT_NOT_ALLOWED');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = jwt(other, { iss: CLIENT_ID, sub: 'svc@example', iat: now, exp: now + 600 });
    const bad = await e.raw(`${e.emu.urls.auth}/token`, tokenForm({ grant_type: grant, assertion: forged }));
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: string }).error, 'invalid_grant');
    const long = jwt(privateKey, { iss: CLIENT_ID, sub: 'svc@example', iat: now, exp: now + 7200 });
    assert.equal(
      (await e.raw(`${e.emu.urls.auth}/token`, tokenForm({ grant_type: grant, assertion: long }))).status,
      400,
    );
  });
});
