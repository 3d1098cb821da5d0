/** A run killed with SIGKILL at any moment converges on the next run (issue 5, incidents.md). */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Journal } from '../../src/journal/index.js';
import { runCli } from '../helpers/cli.js';
import { expectExit, setupPair, sha } from './harness.js';

function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.lwsync-tmp-'));
}

test('a run killed mid-way through many transfers converges on the next run, without duplicates or temp files', async (t) => {
  const p = await setupPair(t, { knobs: { latency: 40 } });
  for (let i = 0; i < 15; i++) p.write(`up/u${i}.txt`, `local ${i}`);
  for (let i = 0; i < 15; i++) await p.putRemote(`down/d${i}.txt`, `remote ${i}`);
  // Killed once the first transfer has finished: 29 more are queued or in flight behind it.
  const killed = await runCli(['--config', p.configFile, '--once'], {
    env: { LWSYNC_LOG_LEVEL: 'info' },
    killWhen: 'loaded"',
  });
  assert.equal(killed.signal, 'SIGKILL');
  const r = await p.once();
  expectExit(r, 0);
  const tree = await p.tree();
  for (let i = 0; i < 15; i++) {
    assert.equal(tree.get(`up/u${i}.txt`)?.sha256, sha(`local ${i}`));
    assert.equal(p.read(`down/d${i}.txt`), `remote ${i}`);
  }
  const expected = (f: string): boolean => /^(up\/u|down\/d)\d+\.txt$/.test(f);
  const remoteFiles = [...tree].filter(([, v]) => v.type === 'file').map(([k]) => k);
  assert.deepEqual(
    remoteFiles.filter((f) => !expected(f)),
    [],
  );
  assert.deepEqual(
    p.localFiles().filter((f) => !expected(f)),
    [],
  );
  assert.equal(p.localFiles().length, 30);
  assert.deepEqual(leftovers(p.local), []);
  await p.knobs({ latency: 0 });
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.deepEqual(
    (await p.requests()).filter((q) => q.operation !== 'list').map((q) => q.operation),
    [],
  );
});

test('an upload killed after the server kept part of it continues its persisted session on the next run', async (t) => {
  const p = await setupPair(t);
  const big = Buffer.alloc(24 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big[i] = i % 253;
  p.write('big.bin', big);
  await p.fault({ operation: 'upload', times: 1, dropAfterBytes: 8 * 1024 * 1024 });
  const killed = await runCli(['--config', p.configFile, '--once'], {
    env: { LWSYNC_LOG_LEVEL: 'info' },
    killWhen: 'the transfer broke',
  });
  assert.equal(killed.signal, 'SIGKILL');
  const j = Journal.openReadOnly(p.stateDir);
  assert.ok(j);
  const session = j.getUploadSession('docs', 'big.bin');
  j.close();
  assert.ok(session, 'the upload session was persisted before the bytes flowed');
  const status = await p.cli(['status', '--config', p.configFile, '--json']);
  expectExit(status, 0);
  const report = JSON.parse(status.stdout) as {
    pairs: { uploadSessions: { path: string; sizeBytes: number }[] }[];
  };
  assert.deepEqual(
    report.pairs[0]?.uploadSessions.map((u) => [u.path, u.sizeBytes]),
    [['big.bin', big.length]],
  );
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).get('big.bin')?.sha256, sha(big));
  const uploadPath = new URL(session.uploadUrl).pathname;
  const sends = (await p.requests()).filter((q) => q.operation === 'upload');
  assert.ok(sends.length > 0 && sends.every((q) => q.path.startsWith(uploadPath)), JSON.stringify(sends));
});

test('rclone #7332: a download killed part-way leaves its bytes under a temporary name, never at the target, and continues from them on the next run', async (t) => {
  const p = await setupPair(t);
  const big = Buffer.alloc(6 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 512) big[i] = (i / 512) % 251;
  await p.putRemote('big.bin', big);
  await p.fault({ operation: 'download-content', times: 1, dropAfterBytes: 2 * 1024 * 1024 });
  const killed = await runCli(['--config', p.configFile, '--once'], {
    env: { LWSYNC_LOG_LEVEL: 'info' },
    killWhen: 'download: the transfer broke',
  });
  assert.equal(killed.signal, 'SIGKILL');
  const left = leftovers(p.local);
  assert.equal(left.length, 1, 'the bytes that arrived are kept under their temporary name');
  assert.equal(existsSync(join(p.local, 'big.bin')), false, 'nothing half-written at the target name');
  const kept = statSync(join(p.local, left[0]!)).size;
  assert.ok(kept > 0 && kept <= 2 * 1024 * 1024, `${kept} bytes kept`);

  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.equal(sha(readFileSync(join(p.local, 'big.bin'))), sha(big));
  const ranges = (await p.requests())
    .filter((q) => q.operation === 'download-content')
    .map((q) => (q as { range?: string }).range);
  assert.deepEqual(ranges, [`bytes=${kept}-`], 'only the missing bytes were fetched');
  assert.deepEqual(leftovers(p.local), []);
});

test('a partial download of a version the Drive no longer has is removed, not continued', async (t) => {
  const p = await setupPair(t);
  const first = Buffer.alloc(4 * 1024 * 1024, 1);
  await p.putRemote('doc.bin', first);
  await p.fault({ operation: 'download-content', times: 1, dropAfterBytes: 1024 * 1024 });
  const killed = await runCli(['--config', p.configFile, '--once'], {
    env: { LWSYNC_LOG_LEVEL: 'info' },
    killWhen: 'download: the transfer broke',
  });
  assert.equal(killed.signal, 'SIGKILL');
  assert.equal(leftovers(p.local).length, 1);
  const second = Buffer.alloc(4 * 1024 * 1024 + 10, 2);
  await p.putRemote('doc.bin', second);
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.equal(sha(readFileSync(join(p.local, 'doc.bin'))), sha(second));
  assert.deepEqual(leftovers(p.local), []);
  const ranges = (await p.requests())
    .filter((q) => q.operation === 'download-content')
    .map((q) => (q as { range?: string }).range ?? null);
  assert.deepEqual(ranges, [null], 'fetched whole');
});
