// walkLocal against walkLocalParallel (and `find`) over one tree, on the built dist/.
// Usage: npm run build && node bench/walk-parallel.mjs DIR [runs=5]
// The runs alternate so that both walks see the same cache and load; each line is one run.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadIgnore } from '../dist/scan/ignore.js';
import { walkLocal } from '../dist/scan/walk.js';
import { walkLocalParallel } from '../dist/scan/walk-parallel.js';

const dir = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!dir) {
  console.error('usage: node bench/walk-parallel.mjs DIR [runs]');
  process.exit(2);
}

const sinks = (counts) => ({
  onEntry: () => counts.entries++,
  onSkip: () => counts.skips++,
  onFailure: () => counts.failures++,
});

function timeSerial() {
  const counts = { entries: 0, skips: 0, failures: 0 };
  const t = performance.now();
  for (const _ of walkLocal(dir, loadIgnore(dir, []), sinks(counts))) counts.entries++;
  return { ms: performance.now() - t, counts };
}

async function timeParallel() {
  const counts = { entries: 0, skips: 0, failures: 0 };
  let report;
  const t = performance.now();
  await walkLocalParallel(dir, [], sinks(counts), { onReport: (r) => (report = r) });
  return { ms: performance.now() - t, counts, report };
}

function timeFind() {
  const t = performance.now();
  const r = spawnSync('find', [dir, '-printf', '%s %T@\\n'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return r.status === 0 ? performance.now() - t : NaN;
}

const all = { walkLocal: [], walkLocalParallel: [], find: [] };
for (let i = 0; i < runs; i++) {
  const s = timeSerial();
  const p = await timeParallel();
  const f = timeFind();
  all.walkLocal.push(s.ms);
  all.walkLocalParallel.push(p.ms);
  all.find.push(f);
  const same = JSON.stringify(s.counts) === JSON.stringify(p.counts) ? '' : '  COUNTS DIFFER';
  console.log(
    `run ${i + 1}: walkLocal ${s.ms.toFixed(0)} ms, walkLocalParallel ${p.ms.toFixed(0)} ms ` +
      `(worker ${p.report.worker}, ${p.report.workerFolders}/${p.report.splitFolders} folders), ` +
      `find ${f.toFixed(0)} ms; ${s.counts.entries} entries${same}`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(all)) {
  console.log(`${name}: median ${median(xs).toFixed(0)} ms, best ${Math.min(...xs).toFixed(0)} ms`);
}
