// Runs every test file under test/ with node's test runner (through tsx).
// Node 20 does not discover .ts files by itself and exits 0 with no test run, so the list is built
// here and an empty list is a failure. Usage: node test/run.mjs [substring-filter ...]
//
// Temp-directory contract (issue 13 item 4): the test processes run with TMPDIR set to a fresh
// folder made here under the system temp directory, so that os.tmpdir(), mkdtemp and every child
// (CLI, daemon, emulator) that inherits the environment write there. After the run that folder must
// hold nothing but what this script put in it; anything else is a leftover: it is named and the run
// fails. A private folder, rather than a before/after listing of the shared temp directory, because
// other engineers' runs on the same machine create and remove `lwsync-*` entries there at the same
// time, and because it catches leftovers under any name, not only the prefixes we know of.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('.', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = walk(root)
  .map((f) => relative(process.cwd(), f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(
    'test/run.mjs: no test files found' + (filters.length ? ` matching ${filters.join(', ')}` : ''),
  );
  process.exit(1);
}

const systemTmp = tmpdir();
const testTmp = mkdtempSync(join(systemTmp, 'lwsync-testrun-'));
// tsx keeps its transpile cache in `${os.tmpdir()}/tsx-<euid>`: point that name at the shared cache
// so the private folder does not make every run transpile from scratch. It is ours, not a leftover.
const tsxCache = `tsx-${process.geteuid ? process.geteuid() : 'user'}`;
mkdirSync(join(systemTmp, tsxCache), { recursive: true });
symlinkSync(join(systemTmp, tsxCache), join(testTmp, tsxCache));
const ours = new Set([tsxCache]);

const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, TMPDIR: testTmp } },
);

function describe(name) {
  const p = join(testTmp, name);
  try {
    const st = lstatSync(p);
    if (st.isDirectory()) return `${name}/ (folder, ${readdirSync(p).length} entries)`;
    return `${name} (${st.isSymbolicLink() ? 'symlink' : `file, ${st.size} bytes`})`;
  } catch {
    return name;
  }
}

const leftovers = readdirSync(testTmp)
  .filter((n) => !ours.has(n))
  .sort()
  .map(describe);
rmSync(testTmp, { recursive: true, force: true });
if (leftovers.length > 0) {
  console.error(
    `\ntest/run.mjs: the tests left ${leftovers.length} entr${leftovers.length === 1 ? 'y' : 'ies'} ` +
      `in the temp directory (TMPDIR=${testTmp}); each test must remove what it creates:\n` +
      leftovers.map((d) => `  ${d}`).join('\n'),
  );
  process.exit(r.status === 0 || r.status === null ? 1 : r.status);
}
process.exit(r.status ?? 1);
