/**
 * `npm run bench` (issue 13, item 3): every benchmark of bench/ in one process tree on this machine,
 * one after the other, and ONE markdown table: each figure next to its yardstick and their ratio.
 *
 *   - transfers: bench/transfer-vs-curl.ts (the Drive client and curl against one emulator,
 *     alternating runs);
 *   - no-op `--once` next to `find` and the minimum list calls, and the first sync of the same tree:
 *     bench/noop-once.ts;
 *   - daemon propagation and idle cost: bench/daemon.ts.
 * Each runs as a child with `--json`; its progress goes to stderr, its figures to stdout.
 *
 * Run (builds first): npm run bench [-- --quick | --full]
 *   --quick (the default): 256 MiB × 3 rounds (a smaller file measures start-up, not throughput);
 *     no-op at 10,000 files (3 timed runs; its first sync is the first-sync row); daemon --quick.
 *     A few minutes.
 *   --full (the issue's sizes): 1 GiB × 5 rounds; no-op at 10,000 and 100,000 files (5 runs each);
 *     the daemon at its full size (1,000 folders × 10 files, 100 edits, 150 s idle). About an hour.
 * Every child has a deadline; on expiry or on SIGINT/SIGTERM its process group gets SIGTERM (each
 * bench removes its own temporary folder), then SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { VsCurlResult } from './transfer-vs-curl.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: npm run bench [-- --quick | --full]';

/** The API budget of the Drive (lineworks-drive-api.md): calls per minute, per operation. */
const BUDGET_PER_MIN = 240;
/** The daemon's targets (issue 10): local→remote median and p95, idle list share, RSS, CPU. */
const TARGET = { medianS: 1.5, p95S: 3, idleListShare: 0.5, rssMB: 150, cpuPct: 1, transfer: 0.9 };
/** Default `[sync] remote_poll_seconds` (contracts.md). */
const REMOTE_POLL_S = 60;

interface NoopResult {
  files: number;
  folders: number;
  runs: number;
  firstSync: { wallS: number; rssMB: number };
  noop: { wallS: number; rssMB: number; cpuS: number };
  find: { wallS: number; rssMB: number };
  localSide: { wallS: number; rssMB: number };
  localOverFind: number;
  noopOverFind: number;
  lists: number;
  rootLists: number;
  minimumLists: number;
  otherCalls: number;
}

interface DaemonResult {
  folders: number;
  files: number;
  edits: number;
  rateLimit: number;
  localToRemote: { medianS: number | null; p95S: number | null; arrived: number; timeoutS: number };
  remoteToLocal: { hotS: number | null; coldS: number | null; timeoutS: number };
  idle: { seconds: number; listsPerMin: number; callsPerMin: number; rssMB: number; cpuPct: number };
  peakRssMB: number;
}

const live = new Set<ChildProcess>();

/** Runs `node --import tsx bench/<script> args` in its own process group; its last stdout line as JSON. */
function bench<T>(script: string, args: string[], deadlineS: number): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const timer = setTimeout(() => {
    process.stderr.write(`bench: ${script} passed its ${deadlineS} s deadline: stopping it\n`);
    stopGroup(child);
  }, deadlineS * 1000);
  return new Promise<T>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`${script} ${args.join(' ')} exited ${code ?? signal}${line ? `: ${line}` : ''}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

/** SIGTERM to the child's process group, SIGKILL 20 s later if it is still there. */
function stopGroup(child: ChildProcess): void {
  const kill = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  setTimeout(() => kill('SIGKILL'), 20_000).unref();
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const f = (x: number | null | undefined, d: number): string =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d);
const ratio = (a: number | null, b: number, d = 2): string =>
  a === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? 'n/a' : `${(a / b).toFixed(d)}×`;
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

type Row = [figure: string, measured: string, yardstick: string, ratio: string, target: string, rss: string];

function transferRows(t: VsCurlResult): Row[] {
  return (['upload', 'download'] as const).map((way) => {
    const c = t[way].client.map((x) => x.mibps);
    const u = t[way].curl.map((x) => x.mibps);
    const pairs = c.map((x, i) => x / (u[i] as number));
    const gib = t.mib / 1024;
    const cpu = (xs: { cpuS: number }[]): string => f(median(xs.map((x) => x.cpuS / gib)), 1);
    return [
      `${way} of ${t.mib} MiB, Drive client vs curl, one emulator, ${t.runs} alternating rounds (median MiB/s)`,
      `${f(median(c), 0)} MiB/s (${f(Math.min(...c), 0)}–${f(Math.max(...c), 0)}); CPU ${cpu(t[way].client)} s/GiB`,
      `curl ${f(median(u), 0)} MiB/s (${f(Math.min(...u), 0)}–${f(Math.max(...u), 0)}); CPU ${cpu(t[way].curl)} s/GiB`,
      `${ratio(median(c), median(u))} (pairwise ${f(Math.min(...pairs), 2)}–${f(Math.max(...pairs), 2)})`,
      `≥ ${TARGET.transfer}×`,
      `client ${f(Math.max(...t[way].client.map((x) => x.rssMB)), 0)} MB (under tsx), curl ${f(Math.max(...t[way].curl.map((x) => x.rssMB)), 0)} MB, emulator ${f(t.emulatorPeakRssMB, 0)} MB`,
    ];
  });
}

function noopRows(n: NoopResult): Row[] {
  const k = n.files.toLocaleString('en');
  const filesPerS = n.files / n.firstSync.wallS;
  const floor = BUDGET_PER_MIN / 60;
  return [
    [
      `no-op \`--once\`, ${k} files in ${n.folders.toLocaleString('en')} folders (median of ${n.runs})`,
      `${f(n.noop.wallS, 3)} s`,
      `\`find -printf\` ${f(n.find.wallS, 3)} s`,
      ratio(n.noop.wallS, n.find.wallS, 1),
      '—',
      `${f(n.noop.rssMB, 0)} MB; find ${f(n.find.rssMB, 1)} MB`,
    ],
    [
      `… its local side alone (journal base + scan)`,
      `${f(n.localSide.wallS, 3)} s`,
      `\`find -printf\` ${f(n.find.wallS, 3)} s`,
      `${f(n.localOverFind, 2)}× (pairwise median)`,
      '≤ 2×',
      `${f(n.localSide.rssMB, 0)} MB`,
    ],
    [
      `… its list calls (${n.rootLists} on the drive root); other calls: ${n.otherCalls}`,
      `${n.lists}`,
      `minimum ${n.minimumLists} (one per folder and page)`,
      ratio(n.lists, n.minimumLists, 3),
      '≤ 1.05×',
      '',
    ],
    [
      `first sync of the same ${k} small files (unpaced client, emulator rate limit off)`,
      `${f(filesPerS, 1)} files/s (${f(n.firstSync.wallS, 1)} s)`,
      `API budget floor ${f(floor, 0)} files/s`,
      ratio(filesPerS, floor, 1),
      '≥ 1×',
      `${f(n.firstSync.rssMB, 0)} MB`,
    ],
  ];
}

function daemonRows(d: DaemonResult): Row[] {
  const l2r = d.localToRemote;
  const r2l = d.remoteToLocal;
  const listShare = d.rateLimit * TARGET.idleListShare;
  // one rolling cycle of the poller: every folder plus the pair's own, at half the list budget
  const cycleS = ((d.folders + 1) / listShare) * 60;
  const secs = (x: number | null, timeoutS: number): string =>
    x === null ? `did not arrive within ${timeoutS} s` : `${f(x, 2)} s`;
  const size = `${d.folders} folders × ${d.files / d.folders} files`;
  return [
    [
      `daemon local→remote, ${d.edits} edits (${size}; arrived ${l2r.arrived}/${d.edits}), median`,
      secs(l2r.medianS, l2r.timeoutS),
      `target ${TARGET.medianS} s`,
      ratio(l2r.medianS, TARGET.medianS),
      '≤ 1×',
      `daemon peak ${f(d.peakRssMB, 0)} MB`,
    ],
    [
      '… p95',
      secs(l2r.p95S, l2r.timeoutS),
      `target ${TARGET.p95S} s`,
      ratio(l2r.p95S, TARGET.p95S),
      '≤ 1×',
      '',
    ],
    [
      'daemon remote→local, hot folder (just edited locally)',
      secs(r2l.hotS, r2l.timeoutS),
      `\`remote_poll_seconds\` ${REMOTE_POLL_S} s`,
      ratio(r2l.hotS, REMOTE_POLL_S),
      '≤ 1×',
      '',
    ],
    [
      'daemon remote→local, cold folder',
      secs(r2l.coldS, r2l.timeoutS),
      `one poll cycle ${f(cycleS, 0)} s (${d.folders + 1} folders at ${listShare} lists/min)`,
      ratio(r2l.coldS, cycleS),
      '≤ 1×',
      '',
    ],
    [
      `daemon idle (${f(d.idle.seconds, 0)} s): list calls per minute (all calls ${f(d.idle.callsPerMin, 1)}/min)`,
      f(d.idle.listsPerMin, 1),
      `50 % of ${d.rateLimit}/min = ${listShare}`,
      ratio(d.idle.listsPerMin, listShare),
      '≤ 1×',
      '',
    ],
    [
      'daemon idle RSS (VmRSS at the end)',
      `${f(d.idle.rssMB, 0)} MB`,
      `${TARGET.rssMB} MB (target at 100,000 files)`,
      ratio(d.idle.rssMB, TARGET.rssMB),
      '≤ 1×',
      `${f(d.idle.rssMB, 0)} MB`,
    ],
    [
      'daemon idle CPU (utime+stime)',
      `${f(d.idle.cpuPct, 2)} % of a core`,
      `${TARGET.cpuPct} %`,
      ratio(d.idle.cpuPct, TARGET.cpuPct),
      '≤ 1×',
      '',
    ],
  ];
}

async function main(): Promise<number> {
  let values: { quick?: boolean; full?: boolean };
  try {
    ({ values } = parseArgs({
      options: { quick: { type: 'boolean' }, full: { type: 'boolean' } },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.quick && values.full) {
    console.error(`--quick and --full exclude each other\n${USAGE}`);
    return 2;
  }
  const full = values.full === true;
  const startedAt = new Date();
  const loadStart = load();
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    for (const c of live) stopGroup(c);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);

  const rows: Row[] = [];
  const failures: string[] = [];
  const step = async <T>(what: string, run: () => Promise<T>, toRows: (r: T) => Row[]): Promise<void> => {
    process.stderr.write(`\n== bench: ${what}\n`);
    try {
      rows.push(...toRows(await run()));
    } catch (e) {
      failures.push(`${what}: ${(e as Error).message}`);
      rows.push([what, 'FAILED', '', '', '', '']);
    }
  };

  const mib = full ? 1024 : 256;
  const rounds = full ? 5 : 3;
  await step(
    'transfers',
    () =>
      bench<VsCurlResult>(
        'transfer-vs-curl.ts',
        ['--mib', String(mib), '--runs', String(rounds), '--json'],
        full ? 3600 : 600,
      ),
    transferRows,
  );
  for (const files of full ? [10_000, 100_000] : [10_000]) {
    if (interrupted) break;
    await step(
      `no-op --once at ${files} files`,
      () =>
        bench<NoopResult>(
          'noop-once.ts',
          ['--files', String(files), '--runs', full ? '5' : '3', '--json'],
          files >= 100_000 ? 3600 : 900,
        ),
      noopRows,
    );
  }
  if (!interrupted)
    await step(
      'daemon',
      () => bench<DaemonResult>('daemon.ts', [...(full ? [] : ['--quick']), '--json'], full ? 3600 : 900),
      daemonRows,
    );

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const cmd = full ? 'npm run bench -- --full' : 'npm run bench';
  console.log(`\n${cmd} (${full ? 'full' : 'quick'} sizes), ${startedAt.toISOString()}`);
  console.log(
    `machine: ${availableParallelism()} cores (${cpu}), node ${process.version}, linux ${release()}; ` +
      `load average at start ${loadStart}, at the end ${load()}\n`,
  );
  console.log('| figure | measured | yardstick | ratio | target | peak RSS |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    `\nAPI budget floor: ${BUDGET_PER_MIN} calls a minute per operation; a new file takes one \`upload-url\` ` +
      `and one \`upload\` call, each in its own budget, so at most ${BUDGET_PER_MIN}/60 = ${BUDGET_PER_MIN / 60} files/s ` +
      '(folders take `createfolder` calls from a third budget). The first sync runs unpaced, so its ratio says how far ' +
      'the client stays above what the Drive would let it do.',
  );
  for (const m of failures) console.log(`FAILED: ${m}`);
  return interrupted ? 130 : failures.length ? 1 : 0;
}

process.exitCode = await main();
