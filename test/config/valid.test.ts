import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE, MINIMAL, ok } from './helpers.js';

test('a minimal file resolves with every documented default', () => {
  const c = ok(MINIMAL);
  assert.equal(c.file, FILE);
  assert.equal(c.stateDir, '/home/u/.local/state/lineworks-sync');
  assert.deepEqual(c.auth, { clientId: 'cid', clientSecret: 's3cret-value', scope: 'file' });
  assert.deepEqual(c.api, {
    baseUrl: 'https://www.worksapis.com/v1.0',
    authUrl: 'https://auth.worksmobile.com/oauth2/v2.0',
    rateLimitPerMinute: 240,
    concurrency: 5,
  });
  assert.deepEqual(c.sync, {
    maxDeletePercent: 50,
    maxDeleteCount: 1000,
    remotePollSeconds: 60,
    localQuietMs: 500,
    ignore: [],
  });
  assert.deepEqual(c.pairs[0], {
    ...c.sync,
    name: 'docs',
    local: '/srv/docs',
    driveSpec: 'me',
    drive: { kind: 'user', userId: 'me' },
    remotePath: '/',
    direction: 'both',
    cleanupLocal: false,
    cleanupRemote: false,
  });
});

test('the state dir defaults to $XDG_STATE_HOME/lineworks-sync when that is set', () => {
  assert.equal(
    ok(MINIMAL, { XDG_STATE_HOME: '/x/state', HOME: '/home/u' }).stateDir,
    '/x/state/lineworks-sync',
  );
});

test('a relative state_dir is resolved against the config file folder', () => {
  assert.equal(ok(`state_dir = "st/a"\n${MINIMAL}`).stateDir, '/etc/lineworks-sync/st/a');
  assert.equal(ok(`state_dir = "/var/lib/lw"\n${MINIMAL}`).stateDir, '/var/lib/lw');
});

test('the client secret may come from LINEWORKS_CLIENT_SECRET instead of the file', () => {
  const text = MINIMAL.replace(/^client_secret = .*$/m, '');
  const c = ok(text, { HOME: '/h', LINEWORKS_CLIENT_SECRET: 'from-env' });
  assert.equal(c.auth.clientSecret, 'from-env');
});

test('a secret in the file wins over the environment variable', () => {
  assert.equal(ok(MINIMAL, { HOME: '/h', LINEWORKS_CLIENT_SECRET: 'env' }).auth.clientSecret, 's3cret-value');
});

test('every drive form becomes the matching DriveRef', () => {
  const cases: [string, unknown][] = [
    ['me', { kind: 'user', userId: 'me' }],
    ['user:u-42@example.com', { kind: 'user', userId: 'u-42@example.com' }],
    ['sharedrive:@abc', { kind: 'sharedrive', id: '@abc' }],
    ['group:g1', { kind: 'group', groupId: 'g1' }],
  ];
  for (const [spec, ref] of cases) {
    const p = ok(MINIMAL.replace('drive = "me"', `drive = "${spec}"`)).pairs[0]!;
    assert.deepEqual(p.drive, ref);
    assert.equal(p.driveSpec, spec);
  }
});

test('remote_path is normalised: repeated and trailing slashes and dot segments go', () => {
  const rp = (v: string): string =>
    ok(MINIMAL.replace('remote_path = "/"', `remote_path = "${v}"`)).pairs[0]!.remotePath;
  assert.equal(rp('/a//b/'), '/a/b');
  assert.equal(rp('/./a/./'), '/a');
  assert.equal(rp('//'), '/');
});

test('[sync] sets the defaults of every pair and a pair may override any of them', () => {
  const c = ok(`
[auth]
client_id = "cid"
client_secret = "x"
[sync]
max_delete_percent = 20
max_delete_count = 10
remote_poll_seconds = 300
local_quiet_ms = 2000
ignore = ["*.tmp"]
[[pairs]]
name = "a"
local = "/srv/a"
drive = "me"
remote_path = "/a"
[[pairs]]
name = "b"
local = "/srv/b"
drive = "me"
remote_path = "/b"
max_delete_count = 5
ignore = ["build/"]
local_quiet_ms = 0
`);
  assert.deepEqual(c.sync, {
    maxDeletePercent: 20,
    maxDeleteCount: 10,
    remotePollSeconds: 300,
    localQuietMs: 2000,
    ignore: ['*.tmp'],
  });
  const [a, b] = c.pairs;
  assert.equal(a!.maxDeleteCount, 10);
  assert.deepEqual(a!.ignore, ['*.tmp']);
  assert.equal(b!.maxDeleteCount, 5);
  assert.equal(b!.maxDeletePercent, 20);
  assert.equal(b!.localQuietMs, 0);
  assert.deepEqual(b!.ignore, ['build/']);
});

test('http is accepted for a loopback API host such as the emulator', () => {
  const c = ok(
    `${MINIMAL}\n[api]\nbase_url = "http://127.0.0.1:8080/v1.0"\nauth_url = "http://localhost:8080/oauth2/v2.0"\nrate_limit_per_minute = 0\nconcurrency = 2\n`,
  );
  assert.equal(c.api.baseUrl, 'http://127.0.0.1:8080/v1.0');
  assert.equal(c.api.authUrl, 'http://localhost:8080/oauth2/v2.0');
  assert.equal(c.api.rateLimitPerMinute, 0);
  assert.equal(c.api.concurrency, 2);
});
