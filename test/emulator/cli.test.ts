import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/lineworks-sync.js');

function newest(dir: string): number {
  let t = 0;
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

before(() => {
  const built = join(ROOT, 'dist/emulator/cli.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(ROOT, 'src/emulator'))) {
    spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
      {
        stdio: 'ignore',
      },
    );
  }
});

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'emulator', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the emulator command prints the URL line first, serves, and exits 0 on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [BIN, 'emulator', '--port', '0', '--storage-port', '0', '--rate-limit', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const first = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const urls = JSON.parse(first) as Record<string, string>;
  assert.deepEqual(Object.keys(urls), ['api', 'auth', 'storage', 'admin']);
  assert.match(urls.api ?? '', /^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
  assert.match(urls.auth ?? '', /^http:\/\/127\.0\.0\.1:\d+\/oauth2\/v2\.0$/);
  assert.match(urls.storage ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(urls.admin ?? '', /^http:\/\/127\.0\.0\.1:\d+\/_emulator$/);
  assert.notEqual(new URL(urls.storage ?? '').port, new URL(urls.api ?? '').port);
  const tree = await fetch(`${urls.admin}/tree?drive=me`);
  assert.equal(tree.status, 200);
  assert.deepEqual(await tree.json(), []);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('--help prints the usage with an example and exits 0', () => {
  const r = run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: lineworks-sync emulator/);
  assert.match(r.stdout, /Example:/);
});

test('an unknown flag, a bad knob value and a non-loopback host exit 2 naming the problem', () => {
  const unknown = run(['--teleport']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--teleport/);
  const bad = run(['--error-dialect', 'klingon']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--error-dialect/);
  const port = run(['--port', 'eighty']);
  assert.equal(port.code, 2);
  assert.match(port.stderr, /--port/);
  const host = run(['--host', '0.0.0.0']);
  assert.equal(host.code, 2);
  assert.match(host.stderr, /loopback/);
});
