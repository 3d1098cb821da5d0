import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIgnore } from '../../src/scan/ignore.js';
import type { LocalEntry, ScanFailure, SkippedItem } from '../../src/scan/types.js';
import { walkLocal } from '../../src/scan/walk.js';
import {
  walkLocalParallel,
  type ParallelWalkOptions,
  type ParallelWalkReport,
} from '../../src/scan/walk-parallel.js';

const asRoot = process.getuid?.() === 0;
const PATTERNS = ['*.log', 'build/'];
const NFD_FOLDER = 'cafe\u0301';
const NFD_FILE = 'n\u0303.txt';

interface Walked {
  entries: LocalEntry[];
  skips: SkippedItem[];
  failures: ScanFailure[];
}

function tempRoot(t: { after(fn: () => void): void }): string {
  const r = mkdtempSync(join(tmpdir(), 'lwsync-walkp-'));
  t.after(() => {
    chmodAll(r);
    rmSync(r, { recursive: true, force: true });
  });
  return r;
}

/** Gives back read access to the folders the tests lock, so the tree can be removed. */
const locked: string[] = [];
function chmodAll(r: string): void {
  for (const p of locked.filter((p) => p.startsWith(r)).reverse()) chmodSync(p, 0o755);
}
/** Takes away the right to list `path` (0o311 keeps the files inside it reachable by name). */
function lock(path: string, mode = 0o000): void {
  locked.push(path);
  chmodSync(path, mode);
}

/**
 * `folders` top folders, each holding NFD names, two names equal after NFC, symlinks (one
 * ignored), a fifo, folders and files ignored by PATTERNS and by .lwsyncignore, and `files` files.
 */
function makeTree(r: string, folders: number, files: number): void {
  writeFileSync(join(r, '.lwsyncignore'), 'secret/\n*.tmp\n');
  writeFileSync(join(r, 'top.txt'), 'top');
  symlinkSync('top.txt', join(r, 'rootlink'));
  for (let i = 0; i < folders; i++) {
    const d = join(r, `d${i}`);
    mkdirSync(join(d, 'sub/deeper'), { recursive: true });
    for (const ignored of ['build', 'secret', 'sub/build']) {
      mkdirSync(join(d, ignored));
      writeFileSync(join(d, ignored, 'x'), '1');
    }
    mkdirSync(join(d, NFD_FOLDER));
    writeFileSync(join(d, NFD_FOLDER, NFD_FILE), 'nfd');
    writeFileSync(join(d, '\u00e9.txt'), 'nfc');
    writeFileSync(join(d, 'e\u0301.txt'), 'nfd');
    writeFileSync(join(d, 'a.log'), '');
    writeFileSync(join(d, 'sub/a.tmp'), '');
    symlinkSync('sub', join(d, 'link'));
    symlinkSync('sub', join(d, 'link.log'));
    spawnSync('mkfifo', [join(d, 'fifo')]);
    for (let f = 0; f < files; f++) writeFileSync(join(d, 'sub', `f${f}.txt`), 'x'.repeat(f % 7));
    writeFileSync(join(d, 'sub/deeper/z'), 'z');
  }
}

function walkSerial(r: string, patterns: readonly string[]): Walked {
  const w: Walked = { entries: [], skips: [], failures: [] };
  const sinks = {
    onSkip: (s: SkippedItem) => w.skips.push(s),
    onFailure: (f: ScanFailure) => w.failures.push(f),
  };
  w.entries = [...walkLocal(r, loadIgnore(r, patterns), sinks)];
  return w;
}

async function walkParallel(
  r: string,
  patterns: readonly string[],
  opts: ParallelWalkOptions = {},
): Promise<Walked & { report: ParallelWalkReport }> {
  const w: Walked = { entries: [], skips: [], failures: [] };
  let report: ParallelWalkReport | undefined;
  await walkLocalParallel(
    r,
    patterns,
    {
      onEntry: (e) => w.entries.push(e),
      onSkip: (s) => w.skips.push(s),
      onFailure: (f) => w.failures.push(f),
    },
    { ...opts, onReport: (rep) => (report = rep) },
  );
  assert.ok(report, 'the walk reports how it split the tree');
  return { ...w, report };
}

const sorted = <T>(xs: T[]): string[] => xs.map((x) => JSON.stringify(x)).sort();

function assertSameWalk(got: Walked, want: Walked): void {
  const byPath = (es: LocalEntry[]) => new Map(es.map((e) => [e.path, e]));
  assert.equal(got.entries.length, byPath(got.entries).size, 'no path is reported twice');
  assert.deepEqual(byPath(got.entries), byPath(want.entries));
  assert.deepEqual(sorted(got.skips), sorted(want.skips));
  assert.deepEqual(sorted(got.failures), sorted(want.failures));
}

function assertParentsFirst(entries: LocalEntry[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    const parent = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : '';
    assert.ok(parent === '' || seen.has(parent), `${e.path} comes after its folder`);
    seen.add(e.path);
  }
}

test('a big tree is split with a worker and reports what walkLocal reports', async (t) => {
  const r = tempRoot(t);
  makeTree(r, 20, 200);
  const want = walkSerial(r, PATTERNS);
  const got = await walkParallel(r, PATTERNS);
  assert.deepEqual(got.report, { splitFolders: 20, workerFolders: 10, worker: 'ran' });
  assertSameWalk(got, want);
  assert.ok(got.entries.length > 4096);

  const paths = new Set(got.entries.map((e) => e.path));
  for (let i = 0; i < 20; i++) {
    const nfc = `d${i}/caf\u00e9/\u00f1.txt`;
    const e = got.entries.find((x) => x.path === nfc);
    assert.equal(e?.diskPath, `d${i}/${NFD_FOLDER}/${NFD_FILE}`, `${nfc} keeps its disk path`);
    assert.equal(got.entries.find((x) => x.path === `d${i}/caf\u00e9`)?.diskPath, `d${i}/${NFD_FOLDER}`);
    assert.ok(paths.has(`d${i}/\u00e9.txt`));
    const clash = got.skips.filter((s) => s.reason === 'rejected-name' && s.path.startsWith(`d${i}/`));
    assert.equal(clash.length, 1, `one of the two names equal after NFC in d${i} is rejected`);
    assert.ok(got.skips.some((s) => s.path === `d${i}/link` && s.reason === 'symlink'));
    assert.ok(!got.skips.some((s) => s.path === `d${i}/link.log`), 'an ignored symlink is not reported');
    for (const ignored of ['build', 'secret', 'a.log', 'sub/a.tmp', 'sub/build'])
      assert.ok(!paths.has(`d${i}/${ignored}`), `d${i}/${ignored} is ignored`);
    assert.ok(paths.has(`d${i}/sub/deeper/z`));
  }
  assert.ok(got.skips.some((s) => s.path === 'rootlink' && s.reason === 'symlink'));
  assert.ok(paths.has('.lwsyncignore') && paths.has('top.txt'));
});

test('parents come before their children and the order is the same on every run', async (t) => {
  const r = tempRoot(t);
  makeTree(r, 18, 20);
  const a = await walkParallel(r, PATTERNS);
  const b = await walkParallel(r, PATTERNS);
  assert.equal(a.report.worker, 'ran');
  assertParentsFirst(a.entries);
  assert.deepEqual(
    a.entries.map((e) => e.path),
    b.entries.map((e) => e.path),
  );
  assert.deepEqual(a.skips, b.skips);
});

test('a tree with few top folders is split one level deeper', async (t) => {
  const r = tempRoot(t);
  for (const top of ['a', 'b', 'c']) {
    for (let i = 0; i < 6; i++) {
      mkdirSync(join(r, top, `m${i}`, 'n'), { recursive: true });
      writeFileSync(join(r, top, `m${i}`, 'n', 'f'), top);
    }
    writeFileSync(join(r, top, 'file'), top);
  }
  const got = await walkParallel(r, []);
  assert.deepEqual(got.report, { splitFolders: 18, workerFolders: 9, worker: 'ran' });
  assertSameWalk(got, walkSerial(r, []));
  assertParentsFirst(got.entries);
});

test('a tree too small to split is walked without a worker', async (t) => {
  const r = tempRoot(t);
  makeTree(r, 3, 5);
  const got = await walkParallel(r, PATTERNS);
  assert.deepEqual(got.report, { splitFolders: 0, workerFolders: 0, worker: 'none' });
  assertSameWalk(got, walkSerial(r, PATTERNS));
  assertParentsFirst(got.entries);
});

test('minFolders lowers the threshold: two folders are enough for a worker', async (t) => {
  const r = tempRoot(t);
  makeTree(r, 2, 5);
  const got = await walkParallel(r, PATTERNS, { minFolders: 1 });
  assert.deepEqual(got.report, { splitFolders: 2, workerFolders: 1, worker: 'ran' });
  assertSameWalk(got, walkSerial(r, PATTERNS));
});

test('unreadable folders are failures with their rel path, in either thread', async (t) => {
  const r = tempRoot(t);
  makeTree(r, 20, 3);
  for (let i = 0; i < 20; i++) lock(join(r, `d${i}`, 'sub'));
  lock(join(r, 'd5'));
  const want = walkSerial(r, PATTERNS);
  const got = await walkParallel(r, PATTERNS);
  assert.equal(got.report.worker, 'ran');
  assertSameWalk(got, want);
  if (asRoot) return t.diagnostic('running as root: locked folders stay readable, not asserted');
  const failed = got.failures.map((f) => f.path).sort();
  const expected = ['d5', ...Array.from({ length: 20 }, (_, i) => `d${i}/sub`).filter((p) => p !== 'd5/sub')];
  assert.deepEqual(failed, expected.sort());
});

test('an unreadable root is one failure at the root', { skip: asRoot && 'root can read it' }, async (t) => {
  const r = tempRoot(t);
  makeTree(r, 20, 1);
  lock(r, 0o311);
  const got = await walkParallel(r, []);
  assert.deepEqual(got.report, { splitFolders: 0, workerFolders: 0, worker: 'none' });
  assert.deepEqual(got.entries, []);
  assert.deepEqual(
    got.failures.map((f) => f.path),
    [''],
  );
});

test('the event loop turns during a long walk on the main thread', async (t) => {
  const r = tempRoot(t);
  makeTree(r, 3, 1400);
  let turned = false;
  let entriesBeforeTurn = 0;
  setImmediate(() => (turned = true));
  await walkLocalParallel(r, [], {
    onEntry: () => {
      if (!turned) entriesBeforeTurn++;
    },
    onSkip: () => {},
    onFailure: () => {},
  });
  assert.ok(turned && entriesBeforeTurn <= 4096, `${entriesBeforeTurn} entries before the first turn`);
});

const failingWorkers: [string, URL, RegExp][] = [
  ['cannot be loaded', new URL('./no-such-walk-worker.js', import.meta.url), /Cannot find module/],
  ['exits without a result', new URL('data:text/javascript,process.exit(3)'), /exited \(code 3\)/],
  [
    'answers a malformed result',
    new URL(
      'data:text/javascript,' +
        encodeURIComponent(
          "import { parentPort } from 'node:worker_threads';" +
            "parentPort.postMessage({ count: 2, paths: 'x', nums: new Float64Array(10), skips: [], failures: [] });",
        ),
    ),
    /1 paths for 2/,
  ],
  ['throws', new URL('data:text/javascript,throw new Error("boom")'), /boom/],
];

for (const [what, workerUrl, why] of failingWorkers) {
  test(`a worker that ${what} leaves its part to the main thread`, async (t) => {
    const r = tempRoot(t);
    makeTree(r, 16, 10);
    const got = await walkParallel(r, PATTERNS, { workerUrl });
    assert.equal(got.report.worker, 'failed');
    assert.match(got.report.error ?? '', why);
    assertSameWalk(got, walkSerial(r, PATTERNS));
    assertParentsFirst(got.entries);
  });
}
