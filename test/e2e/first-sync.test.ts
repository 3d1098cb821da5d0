/** First sync in each direction through the real CLI (issue 5 "End-to-end tests"). */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectExit, setupPair, sha } from './harness.js';

test('a first --once uploads a local tree, creates the marker and the remote folder', async (t) => {
  const p = await setupPair(t);
  p.write('a.txt', 'alpha');
  p.write('dir/b.txt', 'beta');
  p.write('dir/sub/c.txt', '');
  const r = await p.once();
  expectExit(r, 0);
  assert.ok(existsSync(join(p.local, '.lineworks-sync')));
  const tree = await p.tree();
  assert.equal(tree.get('a.txt')?.sha256, sha('alpha'));
  assert.equal(tree.get('dir/b.txt')?.sha256, sha('beta'));
  assert.equal(tree.get('dir/sub/c.txt')?.size, 0);
  assert.equal(tree.has('.lineworks-sync'), false);
});

test('a first --once downloads a remote tree into a folder that does not exist yet', async (t) => {
  const p = await setupPair(t);
  await p.putRemote('x.txt', 'from the drive');
  await p.putRemote('deep/er/y.bin', Buffer.alloc(1000, 7));
  const r = await p.once();
  expectExit(r, 0);
  assert.equal(p.read('x.txt'), 'from the drive');
  assert.deepEqual(p.localFiles(), ['deep/er/y.bin', 'x.txt']);
});

test('a second --once right after a converged one makes no write call', async (t) => {
  const p = await setupPair(t);
  p.write('one.txt', '1');
  p.write('f/two.txt', '2');
  await p.putRemote('g/three.txt', '3');
  expectExit(await p.once(), 0);
  await p.clearRequests();
  expectExit(await p.once(), 0);
  const ops = new Set((await p.requests()).map((r) => r.operation));
  assert.deepEqual(
    [...ops].filter((o) => o !== 'list' && o !== 'get'),
    [],
  );
  assert.deepEqual(p.localFiles(), ['f/two.txt', 'g/three.txt', 'one.txt']);
});
