/**
 * `lineworks-sync demo` through the real command (the built bin: `npm test` builds first). The
 * demo's claims are checked on disk, and on the Drive side by restarting an emulator on the state
 * the demo left in <dir>/emulator-data.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { startEmulator } from '../../src/emulator/server.js';
import {
  CONFLICT,
  LOCAL_EDIT,
  LOCAL_SEED,
  REMOTE_ADD,
  REMOTE_FOLDER,
  REMOTE_SEED,
} from '../../src/demo/sample.js';
import { BIN, runCli } from '../helpers/cli.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

test('demo syncs both ways, keeps the conflict on both sides and exits 0', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['demo', '--dir', dir]);
  assert.equal(r.code, 0, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  assert.match(r.stdout, /todo \(conflicted copy .+\)\.txt/);
  assert.ok(r.stdout.includes(`status --config ${join(dir, 'config.toml')}`), r.stdout);

  const local = join(dir, 'LINEWORKS');
  const read = (p: string): string => readFileSync(join(local, p), 'utf8');
  assert.equal(read(REMOTE_ADD.path), REMOTE_ADD.content, 'the file added on the Drive arrived');
  assert.equal(read(LOCAL_EDIT.path), LOCAL_EDIT.content);
  assert.equal(read(CONFLICT.path), CONFLICT.remote, "the Drive's version keeps the name");
  const copies = readdirSync(local).filter((n) =>
    /^todo \(conflicted copy .+ \d{4}-\d\d-\d\d \d{6}\)\.txt$/.test(n),
  );
  assert.equal(copies.length, 1, readdirSync(local).join(', '));
  const copy = copies[0] as string;
  assert.equal(read(copy), CONFLICT.local, "this computer's version is kept as the conflicted copy");
  for (const [p, content] of Object.entries({ ...REMOTE_SEED, ...LOCAL_SEED }))
    if (p !== CONFLICT.path && p !== LOCAL_EDIT.path) assert.equal(read(p), content, p);
  assert.equal(statSync(join(dir, 'state', 'tokens.json')).mode & 0o777, 0o600);
  assert.ok(existsSync(join(dir, 'config.toml')));

  // The Drive side, as the emulator stored it.
  const emu = await startEmulator({ port: 0, storagePort: 0, dataDir: join(dir, 'emulator-data') });
  try {
    const tree = (await (await fetch(`${emu.urls.admin}/tree?drive=me`)).json()) as {
      path: string;
      sha256?: string;
    }[];
    const at = (p: string): string | undefined =>
      tree.find((i) => i.path === `/${REMOTE_FOLDER}/${p}`)?.sha256;
    assert.equal(at(LOCAL_EDIT.path), sha(LOCAL_EDIT.content), 'the local edit reached the Drive');
    assert.equal(at(copy), sha(CONFLICT.local), 'the conflicted copy was uploaded');
    assert.equal(at(CONFLICT.path), sha(CONFLICT.remote));
    assert.equal(at(REMOTE_ADD.path), sha(REMOTE_ADD.content));
  } finally {
    await emu.close();
  }
});

test('demo refuses a --dir that is not empty, with exit 2', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'precious.txt'), 'mine');
  const r = await runCli(['demo', '--dir', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not empty/);
  assert.deepEqual(readdirSync(dir), ['precious.txt']);
});

test('demo --keep leaves the emulator serving until SIGINT, then exits 0', async (t) => {
  const dir = tempDir(t);
  const child = spawn(process.execPath, [BIN, 'demo', '--dir', dir, '--keep'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('Press Ctrl-C')) resolve();
    });
    child.on('close', () => reject(new Error(`demo ended before it was ready:\n${out}`)));
  });
  const admin = /(http:\/\/127\.0\.0\.1:\d+\/_emulator)\/tree/.exec(out)?.[1];
  assert.ok(admin, out);
  const res = await fetch(`${admin}/tree?drive=me`);
  assert.equal(res.status, 200);
  const tree = (await res.json()) as { path: string }[];
  assert.ok(tree.some((i) => i.path === `/${REMOTE_FOLDER}/${REMOTE_ADD.path}`));
  child.kill('SIGINT');
  assert.equal(await exited, 0, out);
});
