/**
 * Daemon mode through the real CLI (contracts.md §1 `lineworks-sync --config FILE`): a child
 * process against the in-process emulator over real HTTP. No timing thresholds: every wait polls
 * with a generous timeout and fails with what it was waiting for; the only clock in an assertion
 * is the contract's own "exit 0 within 10 s of SIGTERM".
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { setupPair, sha, type Pair } from '../e2e/harness.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';
const WAIT_MS = 20_000;

interface Daemon {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM; resolves with the exit and the time it took. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

function startDaemon(t: TestContext, configFile: string, level = 'info'): Daemon {
  const child = spawn(process.execPath, [BIN, '--config', configFile], {
    env: { ...process.env, LWSYNC_LOG_LEVEL: level },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  t.after(() => {
    if (!done) child.kill('SIGKILL');
  });
  return {
    child,
    output: () => out,
    exited,
    async stop() {
      const start = Date.now();
      child.kill('SIGTERM');
      const r = await withTimeout(
        exited,
        10_000,
        () => `the daemon did not exit within 10 s of SIGTERM\n${out}`,
      );
      return { ...r, ms: Date.now() - start };
    },
  };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns true; fails after `ms` with `what` and the daemon's output. */
async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  d?: Daemon,
  ms = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out after ${ms} ms waiting for: ${what}${d ? `\n--- daemon output\n${d.output()}` : ''}`,
  );
}

/** Log lines (JSON, one per line) whose msg is `msg`. */
function logLines(text: string, msg: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o.msg === msg) out.push(o);
    } catch {
      // not a log line
    }
  }
  return out;
}

async function running(t: TestContext, p: Pair, level?: string): Promise<Daemon> {
  const d = startDaemon(t, p.configFile, level);
  await waitUntil(() => logLines(d.output(), 'watching').length > 0, 'the "watching" log line', d);
  return d;
}

const readLocal = (p: Pair, path: string): string | null => {
  try {
    return readFileSync(join(p.local, path), 'utf8');
  } catch {
    return null;
  }
};

test('a new local file appears on the Drive', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p);
  const line = logLines(d.output(), 'watching')[0];
  assert.deepEqual(line?.pairs, ['docs']);
  p.write('hello.txt', 'hello from the disk');
  p.write('dir/sub/deep.txt', 'deep');
  await waitUntil(
    async () => {
      const tree = await p.tree();
      return (
        tree.get('hello.txt')?.sha256 === sha('hello from the disk') &&
        tree.get('dir/sub/deep.txt')?.sha256 === sha('deep')
      );
    },
    'hello.txt and dir/sub/deep.txt on the Drive with their content',
    d,
  );
  assert.equal((await d.stop()).code, 0);
});

test('a remote change appears locally', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p);
  await p.putRemote('from-drive.txt', 'version 1');
  await waitUntil(() => readLocal(p, 'from-drive.txt') === 'version 1', 'from-drive.txt v1 locally', d);
  await p.putRemote('from-drive.txt', 'version 2, longer');
  await waitUntil(
    () => readLocal(p, 'from-drive.txt') === 'version 2, longer',
    'from-drive.txt v2 locally',
    d,
  );
  assert.equal((await d.stop()).code, 0);
});

test('a local delete goes to the Drive trash', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('doomed.txt', 'short-lived');
  p.write('kept.txt', 'stays');
  const r = await p.once();
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await p.tree()).has('doomed.txt'));
  const d = await running(t, p);
  unlinkSync(join(p.local, 'doomed.txt'));
  await waitUntil(async () => !(await p.tree()).has('doomed.txt'), 'doomed.txt gone from the Drive', d);
  assert.ok((await p.tree()).has('kept.txt'));
  const ops = (await p.requests()).map((q) => q.operation);
  assert.ok(ops.includes('delete'), `a delete request was made: ${ops.join(', ')}`);
  assert.equal((await d.stop()).code, 0);
});

test('SIGTERM stops an idle daemon with exit code 0 within 10 s', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p);
  const r = await d.stop();
  assert.equal(r.signal, null);
  assert.equal(r.code, 0, d.output());
});

test('SIGTERM during a slow pass still exits 0 within 10 s', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p, 'debug');
  // every request now takes 3 s: the next pass is still running when the signal arrives
  await p.knobs({ latency: 3000 });
  p.write('slow.txt', 'uploaded slowly');
  const before = d.output().length;
  await waitUntil(
    () => logLines(d.output().slice(before), 'pass starting').length > 0,
    'a pass to start against the slow Drive',
    d,
  );
  const r = await d.stop();
  assert.equal(r.code, 0, d.output());
});

test('a missing marker at start stops the daemon with exit code 3', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  p.write('a.txt', 'must not be deleted remotely');
  rmSync(join(p.local, '.lineworks-sync'));
  const d = startDaemon(t, p.configFile);
  const r = await withTimeout(d.exited, WAIT_MS, () => `the daemon did not stop\n${d.output()}`);
  assert.equal(r.code, 3, d.output());
  assert.match(d.output(), /marker/);
});

test('no token file stops the daemon with exit code 78 and the login hint', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  rmSync(join(p.stateDir, 'tokens.json'));
  const d = startDaemon(t, p.configFile);
  const r = await withTimeout(d.exited, WAIT_MS, () => `the daemon did not stop\n${d.output()}`);
  assert.equal(r.code, 78, d.output());
  assert.match(d.output(), /lineworks-sync login --config/);
});

test("the daemon's own downloads are not uploaded back", async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const d = await running(t, p, 'debug');
  await p.putRemote('echo/a.txt', 'downloaded once');
  await p.putRemote('echo/b.bin', Buffer.alloc(4096, 1));
  await waitUntil(
    () => readLocal(p, 'echo/a.txt') === 'downloaded once' && readLocal(p, 'echo/b.bin')?.length === 4096,
    'both remote files downloaded',
    d,
  );
  await p.clearRequests();
  // quiet: wait for two more passes to finish after the download (remote polls every second)
  const mark = d.output().length;
  await waitUntil(
    () => logLines(d.output().slice(mark), 'pass finished').length >= 2,
    'two passes after the download',
    d,
  );
  const writes = (await p.requests()).filter((q) => q.operation === 'upload' || q.operation === 'upload-url');
  assert.deepEqual(writes, [], 'no upload after the download');
  assert.equal((await d.stop()).code, 0);
});

test('an unreachable Drive is waited out, not an exit; SIGTERM still exits 0', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  const port = await freePort();
  const config = readFileSync(p.configFile, 'utf8').replace(
    /base_url = "http:\/\/127\.0\.0\.1:\d+/,
    `base_url = "http://127.0.0.1:${port}`,
  );
  writeFileSync(p.configFile, config);
  const d = startDaemon(t, p.configFile);
  await waitUntil(
    () => logLines(d.output(), 'LINE WORKS could not be reached; waiting before the next try').length > 0,
    'the daemon to report the unreachable Drive',
    d,
    60_000,
  );
  assert.equal(d.child.exitCode, null, 'still running');
  const r = await d.stop();
  assert.equal(r.code, 0, d.output());
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
