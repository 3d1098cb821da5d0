/** Names, ignore rules and what is not synced (issue 5 "Names and what is not synced"). */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Journal } from '../../src/journal/index.js';
import { expectExit, setupPair, sha } from './harness.js';

test('unicode, spaces and deep trees travel both ways', async (t) => {
  const p = await setupPair(t);
  p.write('資料/会議 メモ.txt', '議事録');
  p.write('a b/c d/e f/g h/i j/k l/deep file.txt', 'deep');
  await p.putRemote('写真/Ünïcödé näme.txt', 'ü');
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('資料/会議 メモ.txt')?.sha256, sha('議事録'));
  assert.equal(tree.get('a b/c d/e f/g h/i j/k l/deep file.txt')?.sha256, sha('deep'));
  assert.equal(p.read('写真/Ünïcödé näme.txt'), 'ü');
});

test('a file saved with an NFD name is the same file as its NFC twin on the Drive', async (t) => {
  const p = await setupPair(t);
  const nfc = 'café.txt';
  await p.putRemote(nfc, 'same');
  mkdirSync(p.local, { recursive: true });
  writeFileSync(join(p.local, nfc.normalize('NFD')), 'same');
  expectExit(await p.once(), 0);
  assert.deepEqual([...(await p.tree()).keys()], [nfc]);
  assert.deepEqual(p.localFiles(), [nfc.normalize('NFD')]);
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.deepEqual(
    (await p.requests()).filter((q) => q.operation !== 'list').map((q) => q.operation),
    [],
  );
});

test('two local names that differ only in case never overwrite each other on the Drive', async (t) => {
  const p = await setupPair(t);
  p.write('Readme.txt', 'upper');
  p.write('readme.txt', 'lower');
  p.write('other.txt', 'o');
  const r = await p.once();
  expectExit(r, 1);
  const tree = await p.tree();
  assert.equal(tree.get('other.txt')?.sha256, sha('o'));
  const clash = [...tree.keys()].filter((k) => k.toLowerCase() === 'readme.txt');
  assert.ok(clash.length <= 1);
  assert.equal(p.read('Readme.txt'), 'upper');
  assert.equal(p.read('readme.txt'), 'lower');
});

test('a name the Drive refuses is skipped with a reason and exit 1; the rest syncs', async (t) => {
  const p = await setupPair(t);
  p.write('bad\\name.txt', 'b');
  p.write('ok.txt', 'ok');
  const r = await p.once();
  expectExit(r, 1);
  assert.deepEqual([...(await p.tree()).keys()], ['ok.txt']);
  const status = await p.cli(['status', '--config', p.configFile, '--json']);
  assert.match(status.stdout, /bad\\\\name\.txt/);
});

test('symlinks are not followed: reported, skipped, exit 0', async (t) => {
  const p = await setupPair(t);
  p.write('real.txt', 'r');
  symlinkSync('/etc', join(p.local, 'etc-link'));
  symlinkSync(join(p.local, 'real.txt'), join(p.local, 'link.txt'));
  const r = await p.once();
  expectExit(r, 0);
  assert.deepEqual([...(await p.tree()).keys()], ['real.txt']);
});

test('ignore rules: defaults, .lwsyncignore and the config keep files local on both sides', async (t) => {
  const p = await setupPair(t, { sync: 'ignore = ["*.log", "build/"]' });
  p.write('.lwsyncignore', 'secret/\n');
  p.write('doc.txt', 'd');
  p.write('doc.txt~', 'editor backup');
  p.write('.doc.txt.swp', 'swap');
  p.write('app.log', 'log');
  p.write('build/out.o', 'o');
  p.write('secret/key.pem', 'k');
  await p.putRemote('remote.log', 'stays remote');
  expectExit(await p.once(), 0);
  assert.deepEqual([...(await p.tree()).keys()].sort(), ['.lwsyncignore', 'doc.txt', 'remote.log']);
  assert.equal(p.localFiles().includes('remote.log'), false);

  // the ignored folders find met are kept as hints for the next walk, which does not enter them
  const j = Journal.openReadOnly(p.stateDir)!;
  const hints = JSON.parse(j.getMeta('docs', 'find_prune') ?? '[]') as string[];
  j.close();
  assert.deepEqual(hints.sort(), ['build', 'secret']);
  await p.clearRequests();
  expectExit(await p.once(), 0);
  assert.deepEqual([...new Set((await p.requests()).map((q) => q.operation))], ['list']);

  // a folder no longer ignored is walked again, hint or not
  p.write('.lwsyncignore', '# nothing ignored here any more\n');
  expectExit(await p.once(), 0);
  assert.equal((await p.tree()).get('secret/key.pem')?.sha256, sha('k'));
});

test('0-byte files and a multi-GiB sparse file travel and compare equal', async (t) => {
  const p = await setupPair(t);
  p.write('empty.txt', '');
  const { openSync, ftruncateSync, writeSync, closeSync } = await import('node:fs');
  mkdirSync(p.local, { recursive: true });
  const fd = openSync(join(p.local, 'sparse.img'), 'w');
  ftruncateSync(fd, 2 * 1024 ** 3 + 5);
  writeSync(fd, Buffer.from('tail'), 0, 4, 2 * 1024 ** 3);
  closeSync(fd);
  expectExit(await p.once(), 0);
  const tree = await p.tree();
  assert.equal(tree.get('empty.txt')?.size, 0);
  assert.equal(tree.get('sparse.img')?.size, 2 * 1024 ** 3 + 5);
  const { sha256File } = await import('../../src/scan/hash.js');
  assert.equal(tree.get('sparse.img')?.sha256, await sha256File(join(p.local, 'sparse.img')));
});

test('a remote rename of a file whose local name is NFD renames the local file', async (t) => {
  const p = await setupPair(t);
  mkdirSync(p.local, { recursive: true });
  writeFileSync(join(p.local, 'résumé.txt'.normalize('NFD')), 'cv');
  expectExit(await p.once(), 0);
  await p.other.rename((await p.remoteAt('résumé.txt')).resourceKey, 'cv.txt');
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), ['cv.txt']);
  assert.equal(p.read('cv.txt'), 'cv');
});
