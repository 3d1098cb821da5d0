// The walk through GNU find (walk-find.ts) must see what walkLocal sees, on real trees with every
// kind of awkward item; whenever it cannot, the scan walks with walkLocal instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { loadIgnore, scanLocal, type LocalScan } from '../../src/scan/index.js';
import type { LocalEntry, SkippedItem } from '../../src/scan/types.js';
import { walkWithFind } from '../../src/scan/walk-find.js';
import { walkLocal } from '../../src/scan/walk.js';
import type { BaseRow } from '../../src/journal/types.js';
import { tempDir } from '../helpers/tmp.js';

const root = () => tempDir('lwsync-find-');
const NFD = 'cafe\u0301';
const NFC = 'caf\u00e9';

/** A tree with names and items the walk treats specially. */
function awkwardTree(): string {
  const r = root();
  const w = (p: string, c = p) => {
    mkdirSync(join(r, p, '..'), { recursive: true });
    writeFileSync(join(r, p), c);
  };
  w('plain.txt');
  w('with space/and more.txt');
  w('line\nbreak.txt');
  w('deep/a/b/c/d/e/f.txt');
  w('empty.txt', '');
  mkdirSync(join(r, 'empty folder'));
  w(`${NFD}/inside.txt`); // an NFD folder: its contents have disk paths that differ from rel
  w(`${NFD}.txt`);
  w('ignored~');
  w('.~lock.doc#');
  w('build/out.bin');
  w('build/deeper/more.bin');
  w('keep/build/not-root-anchored.bin');
  w('sub/.lwsyncignore-not-root.txt');
  writeFileSync(join(r, '.lwsyncignore'), 'secret*\n!secret-ok.txt\n');
  w('secret.key');
  w('secret-ok.txt');
  symlinkSync('plain.txt', join(r, 'link-to-file'));
  symlinkSync('deep', join(r, 'link-to-folder'));
  symlinkSync('nowhere', join(r, 'dangling'));
  symlinkSync('plain.txt', join(r, 'ignored-link~'));
  execFileSync('mkfifo', [join(r, 'a-fifo')]);
  linkSync(join(r, 'plain.txt'), join(r, 'hard-link.txt'));
  // mtimes with sub-millisecond parts, and one right below a whole millisecond
  utimesSync(join(r, 'plain.txt'), 1_700_000_000.123456, 1_700_000_000.123456);
  const almost = 1_700_000_001 - 1e-7;
  utimesSync(join(r, 'empty.txt'), almost, almost);
  return r;
}

const byPath = (entries: Iterable<LocalEntry>) =>
  new Map([...entries].map((e) => [e.path, e] as const).sort(([a], [b]) => (a < b ? -1 : 1)));
const sortedSkips = (s: SkippedItem[]) => [...s].sort((a, b) => (a.path < b.path ? -1 : 1));

async function both(r: string, base: ReadonlyMap<string, BaseRow> = new Map()) {
  const rules = loadIgnore(r, ['/build/']);
  const find = await scanLocal(r, { rules, base, walker: 'find' });
  const node = await scanLocal(r, { rules, base, walker: 'node' });
  return { find, node };
}

function assertSame(find: LocalScan, node: LocalScan): void {
  assert.equal(find.walker, 'find');
  assert.equal(node.walker, 'node');
  assert.deepEqual(byPath(find.entries.values()), byPath(node.entries.values()));
  assert.deepEqual(sortedSkips(find.skipped), sortedSkips(node.skipped));
  assert.deepEqual(find.failures, node.failures);
  assert.equal(find.hashed, node.hashed);
}

test('find sees what walkLocal sees: names, NFD, ignores, links, a fifo, odd mtimes', async () => {
  const r = awkwardTree();
  const { find, node } = await both(r);
  assertSame(find, node);
  // the tree really holds what the comparison is about
  const paths = [...find.entries.keys()];
  assert.ok(paths.includes(`${NFC}/inside.txt`));
  assert.equal(find.entries.get(`${NFC}/inside.txt`)?.diskPath, `${NFD}/inside.txt`);
  assert.ok(paths.includes('line\nbreak.txt'));
  assert.ok(paths.includes('secret-ok.txt') && !paths.includes('secret.key'));
  assert.ok(!paths.some((p) => p.startsWith('build')) && paths.includes('keep/build/not-root-anchored.bin'));
  assert.equal(find.entries.get(`${NFC}.txt`)?.diskPath, `${NFD}.txt`);
  const reasons = new Set(find.skipped.map((s) => s.reason));
  assert.deepEqual([...reasons].sort(), ['special-file', 'symlink']);
  assert.equal(find.entries.get('plain.txt')?.mtimeMs, Math.trunc(lstatSync(join(r, 'plain.txt')).mtimeMs));
  assert.equal(find.entries.get('empty.txt')?.mtimeMs, Math.trunc(lstatSync(join(r, 'empty.txt')).mtimeMs));
  assert.equal(find.entries.get('hard-link.txt')?.ino, find.entries.get('plain.txt')?.ino);
});

test('find reports every folder before what lies in it', async () => {
  const r = awkwardTree();
  const { find } = await both(r);
  const keys = [...find.entries.keys()];
  for (const [i, p] of keys.entries()) {
    const parent = p.slice(0, Math.max(0, p.lastIndexOf('/')));
    if (parent !== '') assert.ok(keys.indexOf(parent) < i, `${parent} before ${p}`);
  }
});

test('against a base, find and walkLocal hash and keep the same entries', async () => {
  const r = awkwardTree();
  const first = await scanLocal(r, { rules: loadIgnore(r, ['/build/']), base: new Map(), walker: 'node' });
  const base = new Map<string, BaseRow>();
  for (const e of first.entries.values()) {
    base.set(e.path, {
      path: e.path,
      kind: e.kind,
      localSize: e.size,
      localMtimeMs: e.mtimeMs,
      localIno: e.ino,
      localSha256: e.kind === 'file' ? 'a'.repeat(64) : null,
      remoteKey: `k-${e.path}`,
      remoteUpdateMs: 1,
      remoteSize: e.size,
      remoteParentKey: null,
    });
  }
  // one file touched with the same size: both walks must hash it, and only it
  utimesSync(join(r, 'deep/a/b/c/d/e/f.txt'), 1_600_000_000, 1_600_000_000);
  const { find, node } = await both(r, base);
  assertSame(find, node);
  assert.equal(find.hashed, 1);
  assert.equal(find.entries.ownCount, node.entries.ownCount);
});

test('a root that is a symbolic link to a folder is walked like the folder', async () => {
  const r = awkwardTree();
  const link = join(root(), 'root-link');
  symlinkSync(r, link);
  const { find, node } = await both(link);
  assertSame(find, node);
  assert.ok(find.entries.size > 10);
});

test('two names of a folder that are one after NFC are left to walkLocal, which keeps one', async () => {
  const r = awkwardTree();
  writeFileSync(join(r, `${NFC}.txt`), 'the NFC twin');
  mkdirSync(join(r, `twin-${NFC}`));
  mkdirSync(join(r, `twin-${NFD}`));
  writeFileSync(join(r, `twin-${NFD}`, 'inside.txt'), 'x');
  const { find, node } = await both(r);
  assert.equal(find.walker, 'node');
  assert.deepEqual(byPath(find.entries.values()), byPath(node.entries.values()));
  assert.deepEqual(sortedSkips(find.skipped), sortedSkips(node.skipped));
  assert.equal(find.skipped.filter((s) => s.reason === 'rejected-name').length, 2);
});

test('when find cannot walk the tree, the scan walks with walkLocal and reports the failure', async () => {
  const gone = join(root(), 'missing');
  const { find, node } = await both(gone);
  assert.equal(find.walker, 'node');
  assert.deepEqual(find.failures, node.failures);
  assert.equal(find.failures[0]?.path, '');
});

test('a find that fails, prints on stderr or prints what is not its format is not believed', async () => {
  const r = awkwardTree();
  const rules = loadIgnore(r, []);
  const dir = root();
  const script = (name: string, body: string) => {
    const f = join(dir, name);
    writeFileSync(f, `#!/bin/sh\n${body}\n`);
    chmodSync(f, 0o755);
    return f;
  };
  const sinks = () => {
    const seen = new Set<string>();
    return {
      onEntry: (e: LocalEntry) => seen.add(e.path),
      onSkip: () => {},
      has: (p: string) => seen.has(p),
    };
  };
  const cases = [
    script('exits-after', 'find "$@"; exit 1'),
    script('stderr', 'find "$@"; echo "find: something" >&2'),
    script('garbage', 'printf "not a record\\0"'),
    script('cut', 'printf "f 3 1700000000.5 42 a.txt"'),
    script('busybox', 'echo "find: unrecognized: -printf" >&2; exit 1'),
    join(dir, 'not-there'),
  ];
  for (const command of cases) {
    assert.equal(await walkWithFind(r, rules, sinks(), { command }), false, command);
  }
  assert.equal(await walkWithFind(r, rules, sinks(), { command: script('real', 'exec find "$@"') }), true);
});

test('walkLocal and find agree on a tree of many folders and files', async () => {
  const r = root();
  for (let f = 0; f < 30; f++) {
    mkdirSync(join(r, `f${f}`, `g${f % 3}`), { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(r, `f${f}`, `g${f % 3}`, `file ${i}.txt`), `${f}/${i}`);
  }
  const rules = loadIgnore(r, []);
  const viaWalk = [...walkLocal(r, rules, { onSkip: () => {}, onFailure: () => {} })];
  const { find } = await both(r);
  assert.deepEqual(byPath(find.entries.values()), byPath(viaWalk));
  assert.equal(find.entries.size, 30 * 2 + 30 * 20);
});

test('without a writable temporary folder for find, the scan walks with walkLocal', async () => {
  const r = awkwardTree();
  const before = process.env.TMPDIR;
  process.env.TMPDIR = join(root(), 'not-there');
  try {
    const { find, node } = await both(r);
    assert.equal(find.walker, 'node');
    assert.deepEqual(byPath(find.entries.values()), byPath(node.entries.values()));
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
});

test('ignored folders a walk reports are not entered by the next one, which sees the same', async () => {
  const r = awkwardTree();
  for (let i = 0; i < 50; i++) {
    mkdirSync(join(r, 'node_modules', `pkg${i}`), { recursive: true });
    writeFileSync(join(r, 'node_modules', `pkg${i}`, 'index.js'), `${i}`);
  }
  mkdirSync(join(r, 'keep', 'cache[1]*'), { recursive: true });
  writeFileSync(join(r, 'keep', 'cache[1]*', 'blob'), 'b');
  const patterns = ['/build/', 'node_modules/', 'cache*/'];
  const rules = loadIgnore(r, patterns);
  const first = await scanLocal(r, { rules, base: new Map(), walker: 'find' });
  assert.deepEqual([...first.ignoredFolders].sort(), ['build', 'keep/cache[1]*', 'node_modules']);

  // a find that writes down its arguments: the hinted folders are pruned, names taken literally
  const dir = root();
  const argsFile = join(dir, 'args');
  const logging = join(dir, 'find-logging');
  writeFileSync(logging, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexec find "$@"\n`);
  chmodSync(logging, 0o755);
  const seen: LocalEntry[] = [];
  const ignored: string[] = [];
  const ok = await walkWithFind(
    r,
    rules,
    {
      onEntry: (e) => seen.push(e),
      onSkip: () => {},
      onIgnoredFolder: (d) => ignored.push(d),
      has: (p) => seen.some((e) => e.path === p),
    },
    { command: logging, prune: first.ignoredFolders },
  );
  assert.equal(ok, true);
  const args = readFileSync(argsFile, 'utf8').split('\n');
  assert.ok(args.includes('-prune'));
  assert.ok(args.includes(join(r, 'node_modules')));
  assert.ok(args.includes(join(r, 'keep', 'cache\\[1\\]\\*')), 'fnmatch characters escaped');
  assert.deepEqual(byPath(seen), byPath(first.entries.values()));
  assert.deepEqual([...ignored].sort(), [...first.ignoredFolders].sort(), 'the hints stay hints');

  // under other rules a hint that is no longer ignored is walked into
  const fewer = loadIgnore(r, ['/build/']);
  const viaWalk = [...walkLocal(r, fewer, { onSkip: () => {}, onFailure: () => {} })];
  const again = await scanLocal(r, {
    rules: fewer,
    base: new Map(),
    walker: 'find',
    findPrune: first.ignoredFolders,
  });
  assert.equal(again.walker, 'find');
  assert.deepEqual(byPath(again.entries.values()), byPath(viaWalk));
  assert.ok(again.entries.has('node_modules/pkg7/index.js'));
});
