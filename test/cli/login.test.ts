/** `login` against a local stand-in for the auth host: loopback redirect, state check, 0600 tokens. */
import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { BIN, runCli } from '../helpers/cli.js';
import { goodConfig, tempDir, writeConfig } from './helpers.js';

function fakeAuth(): Promise<{ server: Server; url: string; forms: URLSearchParams[] }> {
  const forms: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.endsWith('/token')) {
        forms.push(new URLSearchParams(body));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: 'AT-1',
            refresh_token: 'RT-1',
            expires_in: '86400',
            token_type: 'Bearer',
            scope: 'file',
          }),
        );
        return;
      }
      res.writeHead(404).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ server, url: `http://127.0.0.1:${port}/oauth2/v2.0`, forms });
    }),
  );
}

test('login prints the authorize URL, takes the code from the loopback redirect and stores tokens 0600', async () => {
  const auth = await fakeAuth();
  const dir = tempDir();
  const file = writeConfig(
    dir,
    goodConfig(dir, `[api]\nauth_url = "${auth.url}"\nbase_url = "http://127.0.0.1:1/v1.0"\n`),
  );
  const child = spawn(process.execPath, [BIN, 'login', '--config', file, '--no-browser'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const authorizeLine = await new Promise<string>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith(`${auth.url}/authorize?`));
      if (line) resolve(line);
    });
  });
  const u = new URL(authorizeLine);
  const redirect = u.searchParams.get('redirect_uri')!;
  assert.match(redirect, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  const wrong = await fetch(`${redirect}?code=BAD&state=not-the-state`);
  assert.equal(wrong.status, 400);
  const right = await fetch(`${redirect}?code=GOOD&state=${u.searchParams.get('state')}`);
  assert.equal(right.status, 200);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  auth.server.close();
  assert.equal(code, 0, stderr);
  assert.equal(auth.forms.length, 1);
  assert.equal(auth.forms[0]!.get('code'), 'GOOD');
  assert.equal(auth.forms[0]!.get('redirect_uri'), redirect);
  const tokens = join(dir, 'state', 'tokens.json');
  assert.equal(statSync(tokens).mode & 0o777, 0o600);
  assert.match(readFileSync(tokens, 'utf8'), /RT-1/);
  for (const secret of ['GOOD', 'AT-1', 'RT-1', 'top-secret-value'])
    assert.ok(!(stdout + stderr).includes(secret), secret);
});

test('login gives up with a clear message when no redirect arrives in time', async () => {
  const dir = tempDir();
  const file = writeConfig(dir, goodConfig(dir, `[api]\nauth_url = "http://127.0.0.1:1/oauth2/v2.0"\n`));
  const r = await runCli(['login', '--config', file, '--no-browser', '--timeout', '0.3']);
  assert.equal(r.code, 78);
  assert.match(r.stderr, /no authorization arrived within/);
});

test('login with a non-numeric --timeout exits 2 naming the flag', async () => {
  const dir = tempDir();
  const r = await runCli(['login', '--config', writeConfig(dir, goodConfig(dir)), '--timeout', 'soon']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--timeout/);
});
