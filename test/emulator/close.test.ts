/**
 * close() while requests are in flight: it stops accepting, cuts the open connections, waits for
 * the handlers, then closes the database — no "database connection is not open", no uncaught error,
 * and an upload cut by the close keeps the bytes it received (with a data dir).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loginTestUser, startTestEmulator } from '../helpers/emulator.js';
import { setup, sha256 } from './util.js';

const MiB = 1024 * 1024;

/** Collects what the emulator would print to stderr and every uncaught error while `fn` runs. */
async function quietly(fn: () => Promise<void>, settleMs = 200): Promise<string[]> {
  const noise: string[] = [];
  const original = console.error;
  const onError = (e: unknown): void => {
    noise.push(`uncaught: ${String(e)}`);
  };
  console.error = (...args: unknown[]) => {
    noise.push(args.map(String).join(' '));
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    await fn();
    // Give a handler that would touch the closed database the time to do it.
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    console.error = original;
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
  return noise;
}

/** Starts a PUT of `total` bytes and keeps writing `body` (a prefix of them); never ends it. */
function startPut(url: string, token: string, total: number, body: Buffer): ClientRequest {
  const req = request(url, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Length': String(total) },
  });
  req.on('error', () => {});
  req.write(body);
  return req;
}

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('close() during an in-flight upload: no noise, no crash, and the received bytes survive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-emu-close-'));
  try {
    const total = 32 * MiB;
    const bytes = randomBytes(total);
    const sent = 8 * MiB;
    let emu = await startTestEmulator({ dataDir: dir, rateLimit: 0 });
    const { accessToken } = await loginTestUser(emu);
    const H = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
    const create = async (): Promise<{ uploadUrl: string; offset: number }> => {
      const r = await fetch(`${emu.urls.api}/users/me/drive/files`, {
        method: 'POST',
        headers: H,
        body: JSON.stringify({ fileName: 'cut.bin', fileSize: total, resume: true }),
      });
      assert.equal(r.status, 200);
      return (await r.json()) as { uploadUrl: string; offset: number };
    };
    const { uploadUrl } = await create();
    const sessionFile = join(dir, 'blobs', 'sessions', new URL(uploadUrl).pathname.split('/').pop() ?? '');
    let clientError: Error | undefined;
    const put = startPut(uploadUrl, accessToken, total, bytes.subarray(0, sent));
    put.on('error', (e) => (clientError = e));
    // The handler is mid-body: some bytes are on disk, the request has not ended.
    await until(() => existsSync(sessionFile) && statSync(sessionFile).size >= MiB, 'bytes on disk');

    const noise = await quietly(async () => {
      const t0 = Date.now();
      const [a, b] = [emu.close(), emu.close()];
      await Promise.all([a, b]);
      assert.ok(Date.now() - t0 < 5000, `close() took ${Date.now() - t0} ms`);
    });
    assert.deepEqual(noise, [], 'nothing on stderr, nothing uncaught');
    await until(() => clientError !== undefined || put.destroyed, 'the client to see the cut');

    emu = await startTestEmulator({ dataDir: dir, rateLimit: 0 });
    const again = await create();
    assert.equal(again.uploadUrl.split('/').pop(), uploadUrl.split('/').pop(), 'the same session');
    assert.ok(again.offset > 0 && again.offset <= sent, `offset ${again.offset} of ${sent} sent`);
    const rest = await fetch(again.uploadUrl, {
      method: 'PUT',
      headers: {
        Authorization: H.Authorization,
        'Content-Range': `bytes ${again.offset}-${total - 1}/${total}`,
      },
      body: bytes.subarray(again.offset),
    });
    assert.equal(rest.status, 201);
    const tree = (await (await fetch(`${emu.urls.admin}/tree?drive=me`)).json()) as {
      path: string;
      sha256: string;
    }[];
    assert.deepEqual(
      tree.map((t) => [t.path, t.sha256]),
      [['/cut.bin', sha256(bytes)]],
    );
    await emu.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('close() cuts waiting requests (latency, a delayed fault, a stalled download) at once', async () => {
  const e = await setup({ latency: 0 });
  const big = randomBytes(16 * MiB);
  const up = await e.upload('big.bin', big);
  assert.equal(up.status, 201);
  const fileId = (up.body as { fileId: string }).fileId;
  const loc = await e.call('GET', `/files/${fileId}/download`);
  assert.equal(loc.status, 302);
  // A download whose reader never reads: the server waits on backpressure.
  let downloadStatus = 0;
  const dl = request(loc.headers.get('location') ?? '', {
    headers: { Authorization: `Bearer ${e.token}` },
  });
  dl.on('response', (res) => {
    downloadStatus = res.statusCode ?? 0;
    res.pause();
    res.on('error', () => {});
  });
  dl.on('error', () => {});
  dl.end();
  await until(() => downloadStatus === 200, 'the download to start');
  // A fault that holds a listing for 1.5 s, and 1.5 s of latency for a get: close() must not wait
  // for them, and they must not wake up afterwards against a closed database.
  const hold = 1500;
  assert.equal((await e.admin('POST', 'faults', { operation: 'list', times: 1, delayMs: hold })).status, 200);
  const waiting = [e.call('GET', '/files').catch((err: Error) => err)];
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await e.admin('POST', 'config', { latency: hold })).status, 200);
  waiting.push(e.call('GET', `/files/${fileId}`).catch((err: Error) => err));
  await new Promise((r) => setTimeout(r, 50));

  const noise = await quietly(async () => {
    const t0 = Date.now();
    await e.close();
    assert.ok(Date.now() - t0 < hold / 3, `close() took ${Date.now() - t0} ms`);
  }, hold + 300);
  assert.deepEqual(noise, []);
  for (const w of await Promise.all(waiting)) assert.ok(w instanceof Error, 'the waiting call was cut');
  // Nothing listens any more.
  await assert.rejects(fetch(`${e.emu.urls.admin}/config`));
});

test('a client that leaves while its request waits in latency does not hold the handler: close() still ends', async () => {
  const e = await setup({ latency: 0 });
  const up = await e.upload('f.bin', randomBytes(2 * MiB));
  const fileId = (up.body as { fileId: string }).fileId;
  const loc = await e.call('GET', `/files/${fileId}/download`);
  await e.admin('POST', 'config', { latency: 300 });
  const gone: Promise<void>[] = [];
  for (const url of [loc.headers.get('location') ?? '', `${e.base}/files/${fileId}`]) {
    const req = request(url, { headers: { Authorization: `Bearer ${e.token}` } });
    req.on('error', () => {});
    req.end();
    gone.push(new Promise<void>((r) => setTimeout(() => (req.destroy(), r()), 100)));
  }
  await Promise.all(gone);
  await new Promise((r) => setTimeout(r, 400));
  const noise = await quietly(async () => {
    const t0 = Date.now();
    // A handler stuck on a closed response would keep close() pending with nothing left to wake it.
    const closed = await Promise.race([
      e.close().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 3000)),
    ]);
    assert.ok(closed, `close() still pending after ${Date.now() - t0} ms`);
  });
  assert.deepEqual(noise, []);
});
