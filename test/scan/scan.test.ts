import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, readdirSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIgnore, makeIgnore, scanLocal } from '../../src/scan/index.js';
import type { BaseRow } from '../../src/journal/types.js';
import { tempDir } from '../helpers/tmp.js';

const root = () => tempDir('lwsync-scan-');
const rules = makeIgnore([]);

function baseOf(r: string, path: string, sha: string): BaseRow {
  const st = lstatSync(join(r, path));
  return {
    path,
    kind: 'file',
    localSize: st.size,
    localMtimeMs: Math.trunc(st.mtimeMs),
    localIno: st.ino,
    localSha256: sha,
    remoteKey: 'k',
    remoteUpdateMs: 0,
    remoteSize: st.size,
    remoteParentKey: null,
  };
}

test('the scan lists files and folders with relative paths, parents before children', async () => {
  const r = root();
  mkdirSync(join(r, 'a/b'), { recursive: true });
  writeFileSync(join(r, 'a/b/c.txt'), 'hello');
  writeFileSync(join(r, 'top.txt'), 'x');
  const s = await scanLocal(r, { rules, base: new Map() });
  assert.deepEqual([...s.entries.keys()].sort(), ['a', 'a/b', 'a/b/c.txt', 'top.txt']);
  const keys = [...s.entries.keys()];
  assert.ok(keys.indexOf('a') < keys.indexOf('a/b') && keys.indexOf('a/b') < keys.indexOf('a/b/c.txt'));
  assert.equal(s.entries.get('a/b/c.txt')!.size, 5);
  assert.equal(s.entries.get('a')!.kind, 'folder');
  assert.deepEqual(s.skipped, []);
  assert.deepEqual(s.failures, []);
});

test('a no-op scan hashes nothing', async () => {
  const r = root();
  writeFileSync(join(r, 'f.txt'), 'same');
  const base = new Map([['f.txt', baseOf(r, 'f.txt', 'whatever')]]);
  const s = await scanLocal(r, { rules, base });
  assert.equal(s.hashed, 0);
  assert.equal(s.entries.get('f.txt')!.sha256, undefined);
});

test('a file whose mtime moved but size did not is hashed', async () => {
  const r = root();
  writeFileSync(join(r, 'f.txt'), 'abc');
  const b = { ...baseOf(r, 'f.txt', 'old'), localMtimeMs: 1 };
  const s = await scanLocal(r, { rules, base: new Map([['f.txt', b]]) });
  assert.equal(s.hashed, 1);
  assert.equal(
    s.entries.get('f.txt')!.sha256,
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('symlinks are skipped once with a reason and not followed', async () => {
  const r = root();
  mkdirSync(join(r, 'real'));
  writeFileSync(join(r, 'real/x'), '1');
  symlinkSync(join(r, 'real'), join(r, 'link'));
  const s = await scanLocal(r, { rules, base: new Map() });
  assert.deepEqual([...s.entries.keys()].sort(), ['real', 'real/x']);
  assert.deepEqual(s.skipped, [{ path: 'link', reason: 'symlink' }]);
});

test('an unreadable folder is reported as a scan failure and the walk goes on', async () => {
  const r = root();
  mkdirSync(join(r, 'locked'));
  mkdirSync(join(r, 'open'));
  writeFileSync(join(r, 'locked/x'), '1');
  writeFileSync(join(r, 'open/y'), '1');
  const fs = {
    readdirSync: (p: string, o: { withFileTypes: true }) => {
      if (p.endsWith('locked'))
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${p}'`), { code: 'EACCES' });
      return readdirSync(p, o);
    },
    lstatSync,
  };
  const s = await scanLocal(r, { rules, base: new Map(), fs });
  assert.deepEqual([...s.entries.keys()].sort(), ['locked', 'open', 'open/y']);
  assert.deepEqual(
    s.failures.map((f) => f.path),
    ['locked'],
  );
});

test('default, file and configured ignore rules hide paths', async () => {
  const r = root();
  mkdirSync(join(r, 'build'));
  for (const f of [
    '.lineworks-sync',
    '.lwsync-tmp-abc',
    'a~',
    '.a.swp',
    '.~lock.x#',
    'x.partial',
    'build/out',
    'keep.txt',
    'notes.log',
  ]) {
    writeFileSync(join(r, f), '1');
  }
  writeFileSync(join(r, '.lwsyncignore'), '# comment\n*.log\n');
  const s = await scanLocal(r, { rules: loadIgnore(r, ['build/']), base: new Map() });
  assert.deepEqual([...s.entries.keys()].sort(), ['.lwsyncignore', 'keep.txt']);
});

test('NFD names on disk are reported in NFC with their disk path', async () => {
  const r = root();
  const nfd = 'cafe\u0301.txt';
  writeFileSync(join(r, nfd), '1');
  const s = await scanLocal(r, { rules, base: new Map() });
  const e = s.entries.get('caf\u00e9.txt');
  assert.ok(e);
  assert.equal(e.diskPath, nfd);
});
