import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINIMAL, ok, paths, problems, withPair } from './helpers.js';

function one(text: string, path: string): string {
  const ps = problems(text);
  assert.deepEqual(paths(ps), [path]);
  return ps[0]!.message;
}

test('an unknown drive form names pairs[0].drive and lists the accepted forms', () => {
  assert.equal(
    one(withPair('drive', '"mydrive"'), 'pairs[0].drive'),
    'expected "me", "user:<id>", "sharedrive:<id>" or "group:<groupId>", got "mydrive"',
  );
  one(withPair('drive', '"user:"'), 'pairs[0].drive');
  one(withPair('drive', '"group:a b"'), 'pairs[0].drive');
});

test('a relative local path is refused at pairs[0].local', () => {
  assert.match(one(withPair('local', '"docs"'), 'pairs[0].local'), /absolute/);
});

test('a remote_path without a leading slash or with ".." is refused', () => {
  one(withPair('remote_path', '"docs"'), 'pairs[0].remote_path');
  one(withPair('remote_path', '"/a/../b"'), 'pairs[0].remote_path');
});

test('unknown keys are errors at every level, so typos never pass silently', () => {
  assert.equal(one(`stat_dir = "/x"\n${MINIMAL}`, 'stat_dir'), 'unknown key');
  one(MINIMAL.replace('client_id', 'clientid = "x"\nclient_id'), 'auth.clientid');
  one(`${MINIMAL}\n[sync]\nmax_deletes = 3\n`, 'sync.max_deletes');
  one(`${MINIMAL}\n[api]\nbaseurl = "https://x"\n`, 'api.baseurl');
  one(withPair('remotepath', '"/"'), 'pairs[0].remotepath');
});

test('a missing required key is named', () => {
  assert.equal(one(MINIMAL.replace(/^client_id = .*$/m, ''), 'auth.client_id'), 'required key is missing');
  one(MINIMAL.replace(/^name = .*$/m, ''), 'pairs[0].name');
  one(MINIMAL.replace(/^drive = .*$/m, ''), 'pairs[0].drive');
  one(MINIMAL.replace(/^remote_path = .*$/m, ''), 'pairs[0].remote_path');
  one(`[auth]\nclient_id = "c"\nclient_secret = "s"\n`, 'pairs');
});

test('a missing secret names auth.client_secret and the environment variable', () => {
  const msg = one(MINIMAL.replace(/^client_secret = .*$/m, ''), 'auth.client_secret');
  assert.match(msg, /LINEWORKS_CLIENT_SECRET/);
});

test('a value of the wrong type is named with its key', () => {
  assert.equal(
    one(`${MINIMAL}\n[sync]\nmax_delete_count = "many"\n`, 'sync.max_delete_count'),
    'expected a whole number >= 0, got "many"',
  );
  one(`${MINIMAL}\n[sync]\nignore = "*.tmp"\n`, 'sync.ignore');
  one(`state_dir = 5\n${MINIMAL}`, 'state_dir');
  one(withPair('local_quiet_ms', '-1'), 'pairs[0].local_quiet_ms');
  one(`${MINIMAL}\n[sync]\nmax_delete_percent = 150\n`, 'sync.max_delete_percent');
  one(`${MINIMAL}\n[api]\nconcurrency = 0\n`, 'api.concurrency');
});

test('plain http to a non-loopback host is refused: TLS is never turned off for the service', () => {
  assert.match(
    one(`${MINIMAL}\n[api]\nbase_url = "http://www.worksapis.com/v1.0"\n`, 'api.base_url'),
    /https/,
  );
  one(`${MINIMAL}\n[api]\nauth_url = "not a url"\n`, 'api.auth_url');
});

const TWO_PAIRS = (aName: string, aLocal: string, bName: string, bLocal: string): string => `
[auth]
client_id = "c"
client_secret = "s"
[[pairs]]
name = "${aName}"
local = "${aLocal}"
drive = "me"
remote_path = "/a"
[[pairs]]
name = "${bName}"
local = "${bLocal}"
drive = "me"
remote_path = "/b"
`;

test('two pairs with the same name are refused at the second one', () => {
  assert.match(one(TWO_PAIRS('x', '/srv/a', 'x', '/srv/b'), 'pairs[1].name'), /duplicate/);
});

test('two pairs with the same or nested local roots are refused', () => {
  one(TWO_PAIRS('a', '/srv/a', 'b', '/srv/a'), 'pairs[1].local');
  one(TWO_PAIRS('a', '/srv/a', 'b', '/srv/a/sub'), 'pairs[1].local');
  one(TWO_PAIRS('a', '/srv/a/sub', 'b', '/srv/a/'), 'pairs[1].local');
  assert.equal(ok(TWO_PAIRS('a', '/srv/a', 'b', '/srv/ab')).pairs.length, 2);
});

test('every problem in a file is reported at once, not just the first', () => {
  const ps = problems(`
typo = 1
[auth]
client_id = "c"
[sync]
max_delete_count = -1
[[pairs]]
name = "a"
local = "rel"
drive = "mydrive"
remote_path = "x"
[[pairs]]
name = "a"
local = "/srv/a"
drive = "me"
remote_path = "/"
`);
  assert.deepEqual(paths(ps), [
    'auth.client_secret',
    'pairs[0].drive',
    'pairs[0].local',
    'pairs[0].remote_path',
    'pairs[1].name',
    'sync.max_delete_count',
    'typo',
  ]);
});

test('broken TOML is reported with its line', () => {
  const ps = problems('[auth\nclient_id = 1\n');
  assert.equal(ps.length, 1);
  assert.match(ps[0]!.message, /not valid TOML at line 1/);
});

test('the client secret never appears in an error message', () => {
  const ps = problems(
    MINIMAL.replace('drive = "me"', 'drive = "s3cret-value"').replace('client_id = "cid"', 'client_id = ""'),
  );
  for (const p of ps) assert.ok(!p.message.includes('s3cret-value') || p.path === 'pairs[0].drive');
  const ps2 = problems(`${MINIMAL.replace(/^client_secret = .*$/m, 'client_secret = 42')}`);
  assert.deepEqual(paths(ps2), ['auth.client_secret']);
  assert.ok(!ps2[0]!.message.includes('42'));
});

test('remote_list_share is a share of the budget, and process-wide: refused in a [[pairs]] entry', () => {
  assert.equal(
    one(`${MINIMAL}\n[sync]\nremote_list_share = 2\n`, 'sync.remote_list_share'),
    'expected a number from 0.01 to 1, got 2',
  );
  one(`${MINIMAL}\n[sync]\nremote_list_share = 0\n`, 'sync.remote_list_share');
  assert.equal(
    one(withPair('remote_list_share', '0.5'), 'pairs[0].remote_list_share'),
    'applies to the whole process: set it in [sync], not in a [[pairs]] entry',
  );
});
