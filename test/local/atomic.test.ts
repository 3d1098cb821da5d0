import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, lstatSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { placeAtomically, tempPathFor, TargetChangedError, TEMP_PREFIX } from '../../src/local/atomic.js';
import { moveToTrash } from '../../src/local/trash.js';
import { checkRoot, createMarker } from '../../src/local/marker.js';
import { tempDir } from '../helpers/tmp.js';

const dir = () => tempDir('lwsync-local-');

test('a finished download replaces an unchanged target and carries the remote time', () => {
  const d = dir();
  const target = join(d, 'a.txt');
  writeFileSync(target, 'old');
  const s = lstatSync(target);
  const tmp = tempPathFor(target);
  assert.ok(tmp.includes(TEMP_PREFIX));
  writeFileSync(tmp, 'new bytes');
  placeAtomically(tmp, target, { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino }, 1_700_000_000_000);
  assert.equal(readFileSync(target, 'utf8'), 'new bytes');
  assert.equal(Math.trunc(lstatSync(target).mtimeMs), 1_700_000_000_000);
  assert.deepEqual(readdirSync(d), ['a.txt']);
});

test('a target edited during the download is kept and the download discarded', () => {
  const d = dir();
  const target = join(d, 'a.txt');
  writeFileSync(target, 'old');
  const s = lstatSync(target);
  writeFileSync(target, 'edited by the user meanwhile');
  const tmp = tempPathFor(target);
  writeFileSync(tmp, 'remote');
  assert.throws(
    () => placeAtomically(tmp, target, { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino }),
    TargetChangedError,
  );
  assert.equal(readFileSync(target, 'utf8'), 'edited by the user meanwhile');
  assert.deepEqual(readdirSync(d), ['a.txt']);
});

test('a file created at the target during a download of a new file is kept', () => {
  const d = dir();
  const target = join(d, 'n.txt');
  const tmp = tempPathFor(target);
  writeFileSync(tmp, 'remote');
  writeFileSync(target, 'local newcomer');
  assert.throws(() => placeAtomically(tmp, target, null), TargetChangedError);
  assert.equal(readFileSync(target, 'utf8'), 'local newcomer');
});

test('a deleted file moves into the trash with its path, and a second one with the same path is kept too', () => {
  const root = dir();
  const bin = join(dir(), 'trash');
  writeFileSync(join(root, 'x.txt'), 'one');
  const first = moveToTrash(root, 'x.txt', bin);
  writeFileSync(join(root, 'x.txt'), 'two');
  const second = moveToTrash(root, 'x.txt', bin);
  assert.notEqual(first, second);
  assert.equal(readFileSync(first, 'utf8'), 'one');
  assert.equal(readFileSync(second, 'utf8'), 'two');
  assert.ok(!existsSync(join(root, 'x.txt')));
});

test('the marker check tells a missing root from a missing marker', () => {
  const d = dir();
  const root = join(d, 'root');
  assert.equal(checkRoot(root), 'missing-root');
  createMarker(root, 'p');
  assert.equal(checkRoot(root), 'ok');
  const other = join(d, 'other');
  createMarker(other, 'p');
  writeFileSync(join(d, 'file'), '');
  assert.equal(checkRoot(join(d, 'file')), 'not-a-folder');
});
