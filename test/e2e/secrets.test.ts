/** Tokens and the client secret never reach a log line, even at debug level (README "Security"). */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { CLIENT_SECRET } from '../helpers/emulator.js';
import { expectExit, setupPair } from './harness.js';

test('a debug-level run with a token refresh and a fault logs no token and no secret', async (t) => {
  const p = await setupPair(t, { knobs: { tokenTtl: 1 } });
  p.write('a.txt', 'a');
  await p.putRemote('b.txt', 'b');
  const tokenFile = join(p.stateDir, 'tokens.json');
  const before = JSON.parse(readFileSync(tokenFile, 'utf8')) as { accessToken: string; refreshToken: string };
  await new Promise((r) => setTimeout(r, 1100));
  await p.fault({ operation: 'list', times: 1, status: 401 });
  const r = await runCli(['--config', p.configFile, '--once'], { env: { LWSYNC_LOG_LEVEL: 'debug' } });
  expectExit(r, 0);
  const after = JSON.parse(readFileSync(tokenFile, 'utf8')) as { accessToken: string; refreshToken: string };
  assert.notEqual(after.accessToken, before.accessToken, 'the run refreshed its token');
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  const output = r.stdout + r.stderr;
  assert.ok(output.split('\n').length > 5, 'debug logging produced lines to check');
  for (const secret of [
    before.accessToken,
    before.refreshToken,
    after.accessToken,
    after.refreshToken,
    CLIENT_SECRET,
  ]) {
    assert.equal(output.includes(secret), false, `a secret appeared in the output`);
  }
});
