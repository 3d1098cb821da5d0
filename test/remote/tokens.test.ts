import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TokenStore } from '../../src/remote/tokens.js';
import { LoginRequiredError, RemoteError } from '../../src/remote/errors.js';
import { tempDir } from '../helpers/tmp.js';

function setup(answers: ((form: Record<string, string>) => unknown)[], now = { t: 1_000_000 }) {
  const dir = tempDir('lwsync-tokens-');
  const file = join(dir, 'state', 'tokens.json');
  const forms: Record<string, string>[] = [];
  const store = () =>
    new TokenStore({
      file,
      clientId: 'cid',
      clientSecret: 'csecret',
      now: () => now.t,
      request: async (form) => {
        forms.push(form);
        const next = answers.shift();
        if (!next) throw new Error('no answer left');
        return next(form);
      },
    });
  return { dir, file, forms, store, now };
}

test('a code exchange stores the tokens in a 0600 file and reads expires_in given as a string', async () => {
  const s = setup([
    () => ({ access_token: 'A1', refresh_token: 'R1', expires_in: '3600', token_type: 'Bearer' }),
  ]);
  const store = s.store();
  assert.equal(store.hasTokens(), false);
  await store.exchangeCode('the-code', 'http://127.0.0.1:9/callback');
  assert.equal(store.hasTokens(), true);
  assert.equal(statSync(s.file).mode & 0o777, 0o600);
  assert.deepEqual(s.forms[0], {
    grant_type: 'authorization_code',
    code: 'the-code',
    client_id: 'cid',
    client_secret: 'csecret',
    redirect_uri: 'http://127.0.0.1:9/callback',
  });
  assert.equal(await s.store().accessToken(), 'A1');
  assert.deepEqual(
    readdirSync(join(s.dir, 'state')).filter((n) => n.endsWith('.tmp')),
    [],
    'no temporary file is left behind',
  );
});

test('a token near expiry is refreshed first, and a refresh without a new refresh_token keeps the old one', async () => {
  const s = setup([
    () => ({ access_token: 'A1', refresh_token: 'R1', expires_in: 3600 }),
    () => ({ access_token: 'A2', expires_in: 3600 }),
    () => ({ access_token: 'A3', expires_in: '3600' }),
  ]);
  const store = s.store();
  await store.exchangeCode('c', 'http://localhost/cb');
  s.now.t += 3_500_000; // 100 s left of 3600 s: inside the refresh margin
  assert.equal(await store.accessToken(), 'A2');
  assert.deepEqual(s.forms[1], {
    grant_type: 'refresh_token',
    refresh_token: 'R1',
    client_id: 'cid',
    client_secret: 'csecret',
  });
  const saved = JSON.parse(readFileSync(s.file, 'utf8')) as { refreshToken: string };
  assert.equal(saved.refreshToken, 'R1');
  assert.equal(statSync(s.file).mode & 0o777, 0o600);
  assert.equal(await store.afterUnauthorized('A2'), 'A3');
  assert.equal(s.forms[2]?.refresh_token, 'R1');
});

test('concurrent 401s refresh only once', async () => {
  const s = setup([
    () => ({ access_token: 'A1', refresh_token: 'R1', expires_in: 3600 }),
    () => ({ access_token: 'A2', expires_in: 3600 }),
  ]);
  const store = s.store();
  await store.exchangeCode('c', 'http://localhost/cb');
  const got = await Promise.all([store.afterUnauthorized('A1'), store.afterUnauthorized('A1')]);
  assert.deepEqual(got, ['A2', 'A2']);
  assert.equal(
    await store.afterUnauthorized('A1'),
    'A2',
    'a 401 for an already replaced token does not refresh again',
  );
  assert.equal(s.forms.length, 2);
});

test('a refused refresh asks for a new login, a refresh that could not reach the server does not', async () => {
  const s = setup([
    () => ({ access_token: 'A1', refresh_token: 'R1', expires_in: 3600 }),
    () => {
      throw new RemoteError('transient', 'token: network error', undefined, 'ECONNRESET');
    },
    () => {
      throw new RemoteError('auth', 'token: invalid_grant', 400, 'invalid_grant');
    },
  ]);
  const store = s.store();
  await store.exchangeCode('c', 'http://localhost/cb');
  await assert.rejects(
    store.afterUnauthorized('A1'),
    (e: unknown) => e instanceof RemoteError && e.errorClass === 'transient',
  );
  await assert.rejects(store.afterUnauthorized('A1'), LoginRequiredError);
});

test('without a token file every call asks for a login', async () => {
  const s = setup([]);
  await assert.rejects(s.store().accessToken(), LoginRequiredError);
});
