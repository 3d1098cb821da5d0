/** `login` end to end against the emulator's OAuth, then a --once with the tokens it stored. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { expectExit, setupPair, sha } from './harness.js';

test('login --no-browser: the printed URL, the emulator consents, the loopback listener stores 0600 tokens that sync', async (t) => {
  const p = await setupPair(t);
  const tokenFile = join(p.stateDir, 'tokens.json');
  rmSync(tokenFile);
  const child = spawn(process.execPath, [BIN, 'login', '--config', p.configFile, '--no-browser'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LWSYNC_LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith(`${p.emu.urls.auth}/authorize?`));
      if (line) resolve(line.trim());
    });
  });
  // The browser's part: the emulator consents at once and redirects to the loopback listener.
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.equal(await closed, 0, stderr);
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  const stored = JSON.parse(readFileSync(tokenFile, 'utf8')) as { accessToken: string; refreshToken: string };
  for (const secret of [stored.accessToken, stored.refreshToken])
    assert.equal((stdout + stderr).includes(secret), false);
  p.write('hello.txt', 'logged in');
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).get('hello.txt')?.sha256, sha('logged in'));
});
