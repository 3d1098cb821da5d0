/** Per-item failures, transient faults, and the run-ending errors (contracts.md §1 exit codes). */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';

test('a file type the Drive refuses is reported, the rest syncs, exit 1, and it is not retried while unchanged', async (t) => {
  const p = await setupPair(t, { knobs: { blockedExtensions: ['exe'] } });
  p.write('tool.exe', 'MZ');
  p.write('fine.txt', 'ok');
  const r = await p.once();
  expectExit(r, 1);
  const tree = await p.tree();
  assert.equal(tree.get('fine.txt')?.sha256, sha('ok'));
  assert.equal(tree.has('tool.exe'), false);
  const status = await p.cli(['status', '--config', p.configFile]);
  expectExit(status, 0);
  assert.match(status.stdout, /tool\.exe/);
  await p.clearRequests();
  expectExit(await p.once(), 1);
  const ops = (await p.requests()).map((q) => q.operation);
  assert.ok(!ops.includes('upload-url') && !ops.includes('upload'), ops.join(','));
});

test('429, 500 and 598 answers and a dropped upload are retried within the run; the bytes arrive once', async (t) => {
  const p = await setupPair(t);
  const big = Buffer.alloc(3 * 1024 * 1024, 'z');
  p.write('big.bin', big);
  p.write('small.txt', 'small');
  await p.fault({ operation: 'upload-url', times: 1, status: 429 });
  await p.fault({ operation: 'createfolder', times: 1, status: 598, apply: true });
  await p.fault({ operation: 'list', times: 1, status: 500 });
  await p.fault({ operation: 'upload', times: 1, dropAfterBytes: 1024 * 1024 });
  const r = await p.once();
  expectExit(r, 0);
  const tree = await p.tree();
  assert.equal(tree.get('big.bin')?.sha256, sha(big));
  assert.equal(tree.get('small.txt')?.sha256, sha('small'));
});

test('a download cut twice resumes and lands whole', async (t) => {
  const p = await setupPair(t);
  const content = Buffer.alloc(2 * 1024 * 1024);
  for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 251;
  await p.putRemote('data.bin', content);
  await p.fault({ operation: 'download-content', times: 2, dropAfterBytes: 700 * 1024 });
  expectExit(await p.once(), 0);
  assert.equal(sha(readFileSync(join(p.local, 'data.bin'))), sha(content));
});

test('a refused refresh token ends the run with exit 78 and the login hint', async (t) => {
  const p = await setupPair(t, { knobs: { tokenTtl: 1 } });
  p.write('a.txt', 'a');
  const tokens = join(p.stateDir, 'tokens.json');
  const stored = JSON.parse(readFileSync(tokens, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    tokens,
    JSON.stringify({ ...stored, refreshToken: 'revoked', expiresAt: Date.now() - 1000 }),
    {
      mode: 0o600,
    },
  );
  const r = await p.once();
  expectExit(r, 78);
  assert.match(r.stderr, /lineworks-sync login/);
  assert.equal((await p.tree()).size, 0);
});

test('no token file: exit 78 naming the login command', async (t) => {
  const p = await setupPair(t);
  rmSync(join(p.stateDir, 'tokens.json'));
  const r = await p.once();
  expectExit(r, 78);
  assert.match(r.stderr, /not logged in/);
});

test('an unreachable Drive ends the run with exit 75 and changes nothing locally', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'a');
  expectExit(await p.once(), 0);
  await p.emu.close();
  const r = await p.once();
  expectExit(r, 75);
  assert.deepEqual(p.localFiles(), ['a.txt']);
});

test('a file larger than the Drive accepts is reported and skipped until it changes', async (t) => {
  const p = await setupPair(t, { knobs: { maxFileSize: 1000 } });
  p.write('big.bin', Buffer.alloc(2000, 1));
  p.write('small.txt', 's');
  expectExit(await p.once(), 1);
  assert.deepEqual([...(await p.tree()).keys()], ['small.txt']);
  const status = await p.cli(['status', '--config', p.configFile]);
  assert.match(status.stdout, /larger than the Drive accepts/);
  await p.clearRequests();
  expectExit(await p.once(), 1);
  assert.ok(!(await p.requests()).some((q) => q.operation.startsWith('upload')));
  p.write('big.bin', Buffer.alloc(900, 2));
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).get('big.bin')?.size, 900);
});
