/**
 * Daemon bench (issue 10, "Done when"): the real `lineworks-sync --config F` daemon, as a child
 * process at the client's default pacing, against `lineworks-sync emulator` with its rate limit on
 * (240 calls per minute per operation), on a tree of F folders × N files. It relies only on the
 * interfaces of contracts.md (the CLI, the config file, the emulator's API and admin API), not on
 * the engine's internals.
 *
 *   1. builds the tree locally (folders ten to a parent: d0…d9 at the top, d10…d19 in d0, …;
 *      files f0…f{N-1}.txt in every folder), starts the emulator with `--rate-limit 0`, logs in
 *      through `lineworks-sync login --no-browser`, and seeds the Drive with a `--once` whose client
 *      is not paced (`[api] rate_limit_per_minute = 0`);
 *   2. sets the emulator's rate limit (`POST admin/config`), clears its request log and starts the
 *      daemon with a config that leaves pacing at its default; waits `--warmup` seconds;
 *   3. local→remote: E edits, one every `--gap` seconds, each in a different folder; an edit has
 *      arrived when `GET admin/tree` lists the file with the new sha256 (admin calls are neither
 *      rate limited nor logged); latency = write → first poll that sees it;
 *   4. remote→local: one file overwritten through the API, as another device with its own token,
 *      in a hot folder (the last local edit's) and in a cold one (untouched), at the same moment;
 *      latency = upload answered → the local file holds the new bytes;
 *   5. idle: `--idle` seconds with nothing to do: API calls per minute from the request log, and
 *      the daemon process's RSS (/proc/PID/status VmRSS) and CPU (/proc/PID/stat utime+stime);
 *   6. with `--quiet S`: waits until `status --json` says the poller is quiet (nothing changed on
 *      either side within the hot window, 10 min), then measures S more seconds as in 5;
 *   7. stops the daemon with SIGTERM, prints the table, removes its temp folder (unless --keep).
 *   --reuse DIR: a folder an earlier run with the same --folders, --files and --folder-mtime kept:
 *   its tree, Drive, login and journal are used as they are (steps 1 and 2 skipped; the daemon
 *   starts on the journal the earlier daemon left) and the folder is kept again.
 *
 * Every wait has a deadline: what does not happen in time is reported as such.
 *
 * Run (builds dist/ first when it is missing):
 *   node --import tsx bench/daemon.ts [--folders 1000] [--files 10] [--edits 100]
 *       [--folder-mtime none|parent|ancestors] [--idle 150] [--warmup 30] [--gap 1.5]
 *       [--edit-timeout 300] [--remote-timeout 600] [--rate-limit 240] [--poll-seconds N] [--keep]
 *       [--reuse DIR] [--cpu-prof DIR]
 *       [--json]
 *   --quick: 100 folders × 5 files, 10 edits, 60 s idle, 10 s warm-up, 180 s remote timeout.
 *   --cpu-prof DIR: the daemon runs under node's --cpu-prof and writes its profile into DIR on exit
 *     (the profiler's own cost is in the CPU figure then: profile and measure in separate runs).
 *   --json: one JSON object of the figures on stdout instead of the table (bench/all.ts reads it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLIENT_ID, CLIENT_SECRET, loginTestUser } from '../test/helpers/emulator.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'lineworks-sync.js');
const PAIR = 'bench';
const REMOTE_PATH = '/bench';
/** How often the arrival of an edit is looked for, on either side (at most). */
const POLL_MS = 250;

interface Urls {
  api: string;
  auth: string;
  storage: string;
  admin: string;
}

interface TreeRow {
  path: string;
  fileId: string;
  type: string;
  size: number;
  sha256: string | null;
}

interface LogEntry {
  method: string;
  path: string;
  operation: string;
  status: number;
}

const USAGE =
  'usage: node --import tsx bench/daemon.ts [--quick] [--folders N] [--files N] [--edits N] ' +
  '[--folder-mtime none|parent|ancestors] [--idle S] [--quiet S] [--warmup S] [--gap S] [--edit-timeout S] ' +
  '[--remote-timeout S] [--rate-limit N] [--poll-seconds N] [--keep] [--reuse DIR] [--cpu-prof DIR] [--json]';

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      folders: { type: 'string' },
      files: { type: 'string' },
      edits: { type: 'string' },
      'folder-mtime': { type: 'string' },
      idle: { type: 'string' },
      quiet: { type: 'string' },
      warmup: { type: 'string' },
      gap: { type: 'string' },
      'edit-timeout': { type: 'string' },
      'remote-timeout': { type: 'string' },
      'rate-limit': { type: 'string' },
      'poll-seconds': { type: 'string' },
      keep: { type: 'boolean' },
      reuse: { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const quick = values.quick === true;
  const num = (name: keyof typeof values, dflt: number, min: number): number => {
    const raw = values[name];
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (typeof raw !== 'string' || !Number.isFinite(n) || n < min)
      throw new Error(`--${name} expects a number >= ${min}, got ${String(raw)}\n${USAGE}`);
    return n;
  };
  const mode = values['folder-mtime'] ?? 'none';
  if (!['none', 'parent', 'ancestors'].includes(mode))
    throw new Error(`--folder-mtime expects none|parent|ancestors, got ${mode}\n${USAGE}`);
  const o = {
    quick,
    folders: Math.floor(num('folders', quick ? 100 : 1000, 2)),
    files: Math.floor(num('files', quick ? 5 : 10, 1)),
    edits: Math.floor(num('edits', quick ? 10 : 100, 1)),
    folderMtime: mode,
    idleS: num('idle', quick ? 60 : 150, 10),
    quietS: num('quiet', 0, 0),
    warmupS: num('warmup', quick ? 10 : 30, 0),
    gapS: num('gap', 1.5, 0.1),
    editTimeoutS: num('edit-timeout', quick ? 180 : 300, 1),
    remoteTimeoutS: num('remote-timeout', quick ? 180 : 600, 1),
    rateLimit: Math.floor(num('rate-limit', 240, 1)),
    pollSeconds: values['poll-seconds'] === undefined ? undefined : Math.floor(num('poll-seconds', 60, 1)),
    keep: values.keep === true || values.reuse !== undefined,
    reuse: values.reuse,
    cpuProf: values['cpu-prof'],
    json: values.json === true,
  };
  if (o.edits >= o.folders)
    throw new Error(
      `--edits (${o.edits}) must be below --folders (${o.folders}): one folder each, one left cold`,
    );
  return o;
}

const started = Date.now();
function say(line: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

/** Folder i's path: d0…d9 at the top, then ten to a parent (parent of i ≥ 10 is ⌊i/10⌋ − 1). */
function folderPath(i: number): string {
  const parts: string[] = [];
  for (let j = i; ; j = Math.floor(j / 10) - 1) {
    parts.unshift(`d${j}`);
    if (j < 10) break;
  }
  return parts.join('/');
}

function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

function buildTree(local: string, folders: number, files: number): void {
  mkdirSync(local, { recursive: true });
  for (let i = 0; i < folders; i++) {
    const dir = join(local, folderPath(i));
    mkdirSync(dir);
    for (let j = 0; j < files; j++)
      writeFileSync(join(dir, `f${j}.txt`), `seed ${i}/${j} `.padEnd(20 + ((i + j) % 40), '.'));
  }
}

function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return;
  say('dist/ is missing: npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build exited ${r.status}`);
}

/** Resolves with `p`, or rejects naming `what` after `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const children = new Set<ChildProcess>();

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code and how long the exit took. */
async function stop(child: ChildProcess, graceMs: number): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  if (child.exitCode === null && child.signalCode === null) {
    const done = exited(child);
    child.kill('SIGTERM');
    const code = await Promise.race([done, sleep(graceMs).then(() => 'late' as const)]);
    if (code === 'late') {
      child.kill('SIGKILL');
      await exited(child);
      children.delete(child);
      return { code: null, ms: Date.now() - t0 };
    }
  }
  children.delete(child);
  return { code: child.exitCode, ms: Date.now() - t0 };
}

function spawnLogged(args: string[], logFile: string, cpuProf?: string): ChildProcess {
  // profiled: the bin's own shebang flags and environment, plus the profiler's
  const child =
    cpuProf === undefined
      ? spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(
          process.execPath,
          ['--max-semi-space-size=8', '--expose-gc', '--cpu-prof', `--cpu-prof-dir=${cpuProf}`, BIN, ...args],
          { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MALLOC_ARENA_MAX: '2' } },
        );
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs the CLI to its end; the exit code, or an error after `ms`. */
async function runCli(args: string[], logFile: string, ms: number): Promise<number | null> {
  const child = spawnLogged(args, logFile);
  try {
    return await within(exited(child), ms, `lineworks-sync ${args.join(' ')}`);
  } catch (e) {
    await stop(child, 2000);
    throw e;
  }
}

async function startEmulator(args: string[], logFile: string): Promise<{ child: ChildProcess; urls: Urls }> {
  const child = spawn(BIN, ['emulator', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stderr!.pipe(createWriteStream(logFile));
  const first = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}; see ${logFile}`)));
  });
  const line = await within(first, 20_000, 'the emulator start');
  child.stdout!.resume();
  return { child, urls: JSON.parse(line) as Urls };
}

/** `lineworks-sync login --no-browser`: follows the printed authorize URL; the emulator consents. */
async function login(config: string, logFile: string): Promise<void> {
  const child = spawn(BIN, ['login', '--config', config, '--no-browser', '--timeout', '30'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr!.pipe(log);
  const url = new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      log.write(`${l}\n`);
      const t = l.trim();
      if (/^https?:\/\/\S+\/authorize\?\S+$/.test(t)) resolve(t);
    });
  });
  const authorize = await within(url, 20_000, 'login printing its authorize URL');
  const res = await fetch(authorize, { redirect: 'follow' });
  await res.text();
  const code = await within(exited(child), 30_000, 'login');
  children.delete(child);
  if (code !== 0) throw new Error(`login exited ${code}; see ${logFile}`);
}

function writeConfig(
  file: string,
  urls: Urls,
  local: string,
  stateDir: string,
  extraApi: string[],
  sync: string[],
): void {
  writeFileSync(
    file,
    [
      `state_dir = ${JSON.stringify(stateDir)}`,
      '[auth]',
      `client_id = "${CLIENT_ID}"`,
      `client_secret = "${CLIENT_SECRET}"`,
      'scope = "file"',
      '[api]',
      `base_url = ${JSON.stringify(urls.api)}`,
      `auth_url = ${JSON.stringify(urls.auth)}`,
      ...extraApi,
      ...(sync.length ? ['[sync]', ...sync] : []),
      '[[pairs]]',
      `name = "${PAIR}"`,
      `local = ${JSON.stringify(local)}`,
      'drive = "me"',
      `remote_path = "${REMOTE_PATH}"`,
      '',
    ].join('\n'),
  );
}

async function adminJson<T>(urls: Urls, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${urls.admin}/${path}`, init);
  const text = await res.text();
  if (res.status >= 300) throw new Error(`admin ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function tree(urls: Urls): Promise<Map<string, TreeRow>> {
  const rows = await adminJson<TreeRow[]>(urls, 'tree?drive=me');
  return new Map(rows.map((r) => [r.path, r]));
}

/**
 * The sha256 the Drive holds at each path (undefined: nothing there), one `admin/tree?path=` call
 * each; an emulator that ignores `path` answers the whole drive, and one call then serves them all.
 */
async function remoteShas(urls: Urls, paths: string[]): Promise<Map<string, string | null | undefined>> {
  const out = new Map<string, string | null | undefined>();
  for (const p of paths) {
    if (out.has(p)) continue;
    const rows = await adminJson<TreeRow[]>(urls, `tree?drive=me&path=${encodeURIComponent(p)}`);
    const whole = rows.some((r) => r.path !== p && !r.path.startsWith(`${p}/`));
    for (const r of rows) if (whole || r.path === p) out.set(r.path, r.sha256);
    if (!out.has(p)) out.set(p, undefined);
  }
  return out;
}

const requests = (urls: Urls): Promise<LogEntry[]> => adminJson<LogEntry[]>(urls, 'requests');

/** CPU ticks (own + reaped children) of a process, from /proc/PID/stat. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // fields 14–17 of proc(5) (utime, stime, cutime, cstime); f[0] is field 3
  return (f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0);
}

/** The peak RSS of a live process (VmHWM), kB. */
function hwmKiB(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function clockTicks(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
}

/** Nearest-rank percentile; missing values (did not arrive) count as +Infinity. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

function secs(ms: number, timeoutS?: number): string {
  if (!Number.isFinite(ms)) return timeoutS === undefined ? 'n/a' : `did not arrive within ${timeoutS} s`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function byOperation(log: LogEntry[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of log) m.set(r.operation, (m.get(r.operation) ?? 0) + 1);
  return new Map([...m].sort((a, b) => b[1] - a[1]));
}

function fmtOps(m: Map<string, number>, scale: number, digits: number): string {
  if (m.size === 0) return 'none';
  return [...m].map(([k, v]) => `${k} ${(v * scale).toFixed(digits)}`).join(', ');
}

/** Another device: overwrites `path` through the Drive API with its own token (retries a 429). */
async function putRemote(
  urls: Urls,
  token: string,
  parentId: string,
  name: string,
  bytes: Buffer,
): Promise<void> {
  const auth = { Authorization: `Bearer ${token}` };
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${urls.api}/users/me/drive/files/${parentId}`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileName: name, fileSize: bytes.length, overwrite: true }),
    });
    const body = (await res.json().catch(() => ({}))) as { uploadUrl?: string };
    if (res.status === 429 && attempt < 5) {
      await sleep(1000 * Number(res.headers.get('ratelimit-reset') ?? 1));
      continue;
    }
    if (res.status !== 200 || !body.uploadUrl) throw new Error(`upload-url for ${name}: ${res.status}`);
    const put = await fetch(body.uploadUrl, { method: 'PUT', headers: auth, body: bytes });
    await put.text();
    if (put.status === 429 && attempt < 5) {
      await sleep(1000 * Number(put.headers.get('ratelimit-reset') ?? 1));
      continue;
    }
    if (put.status !== 201) throw new Error(`upload of ${name}: ${put.status}`);
    return;
  }
}

interface Edit {
  folder: number;
  path: string;
  sha: string;
  writtenAt: number;
  arrivedAt?: number;
}

/** The table's rows for the quiet window (none when it was not asked for). */
function quietRows(q: { waitS: number; window: IdleFigures } | null, budget: number): [string, string][] {
  if (q === null) return [];
  const min = q.window.ms / 60_000;
  const ops = byOperation(q.window.log);
  const lists = ops.get('list') ?? 0;
  const rss = [...q.window.rss].sort((a, b) => a - b);
  const mb = (k: number): string => (k / 1024).toFixed(0);
  return [
    [
      `(6) quiet ${(q.window.ms / 1000).toFixed(0)} s: list calls`,
      `${(lists / min).toFixed(1)}/min = ${((lists / min / budget) * 100).toFixed(1)} % of the ${budget}/min list budget (quiet reached ${q.waitS.toFixed(0)} s after the idle window; all calls by operation /min: ${fmtOps(ops, 1 / min, 1)})`,
    ],
    [
      '(6) quiet RSS (VmRSS)',
      `${mb(rss.at(-1) ?? NaN)} MB at most; ${mb(rss[0] ?? NaN)}–${mb(rss.at(-1) ?? NaN)} MB over ${rss.length} samples (target at 100,000 files ≤ 150 MB)`,
    ],
    ['(6) quiet CPU', `${q.window.cpuPct.toFixed(2)} % of a core (utime+stime; target ≤ 1 %)`],
  ];
}

interface IdleFigures {
  log: LogEntry[];
  ms: number;
  rss: number[];
  cpuPct: number;
}

/** `seconds` with nothing to do: the request log, RSS samples and CPU of process `pid`. */
async function idleWindow(urls: Urls, pid: number, seconds: number, alive: () => void): Promise<IdleFigures> {
  const logStart = (await requests(urls)).length;
  const hz = clockTicks();
  const cpu0 = cpuTicks(pid);
  const t0 = Date.now();
  const rss: number[] = [];
  while (Date.now() - t0 < seconds * 1000) {
    alive();
    rss.push(rssKiB(pid));
    await sleep(Math.min(5000, Math.max(0, seconds * 1000 - (Date.now() - t0))));
  }
  const ms = Date.now() - t0;
  const cpu1 = cpuTicks(pid);
  rss.push(rssKiB(pid));
  const log = (await requests(urls)).slice(logStart);
  return { log, ms, rss, cpuPct: ((cpu1 - cpu0) / hz / (ms / 1000)) * 100 };
}

/** What `status --json` says of the first pair's poller: quiet (nothing changed lately). */
function isQuiet(config: string): boolean {
  const r = spawnSync(BIN, ['status', '--config', config, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  const report = JSON.parse(r.stdout) as { pairs: { poller: { quiet?: boolean } }[] };
  return report.pairs[0]?.poller.quiet === true;
}

async function main(): Promise<number> {
  const o = options();
  ensureBuilt();
  const dir = o.reuse ?? mkdtempSync(join(tmpdir(), 'lwsync-bench-daemon-'));
  if (o.reuse !== undefined && !existsSync(join(o.reuse, 'emu')))
    throw new Error(`--reuse ${o.reuse}: not a folder an earlier run kept (no emu/ in it)`);
  const local = join(dir, 'local');
  const stateDir = join(dir, 'state');
  const daemonLog = join(dir, 'daemon.log');
  const cliLog = join(dir, 'cli.log');
  let daemon: ChildProcess | null = null;
  const cleanup = async (): Promise<void> => {
    for (const c of [...children]) await stop(c, 5000);
    if (o.keep) say(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const total = o.folders * o.files;
  // the whole run's bound: every phase's own deadline plus set-up and teardown
  const budgetS =
    900 +
    o.warmupS +
    o.edits * o.gapS +
    o.editTimeoutS +
    o.remoteTimeoutS +
    o.idleS +
    (o.quietS > 0 ? 1200 + o.quietS : 0) +
    total / 50;
  const watchdog = setTimeout(() => {
    say(`the whole run exceeded ${budgetS.toFixed(0)} s: stopping`);
    void cleanup().then(() => process.exit(1));
  }, budgetS * 1000);
  const out: [string, string][] = [];
  let figures: Record<string, unknown> | null = null;
  const daemonArgs = ['--config', join(dir, 'daemon.toml')];
  try {
    if (o.reuse === undefined) {
      say(`building ${o.folders} folders × ${o.files} files under ${local}`);
      buildTree(local, o.folders, o.files);
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    }
    const started0 = await startEmulator(
      ['--rate-limit', '0', '--folder-mtime', o.folderMtime, '--data', join(dir, 'emu')],
      join(dir, 'emulator.log'),
    );
    const { urls } = started0;
    const sync = o.pollSeconds === undefined ? [] : [`remote_poll_seconds = ${o.pollSeconds}`];
    const seedConfig = join(dir, 'seed.toml');
    writeConfig(seedConfig, urls, local, stateDir, ['rate_limit_per_minute = 0'], sync);
    writeConfig(join(dir, 'daemon.toml'), urls, local, stateDir, [], sync);
    let seedS = NaN;
    if (o.reuse === undefined) {
      await login(seedConfig, cliLog);
      say('seeding the Drive: --once with an unpaced client against the emulator at rate limit 0…');
      const t0 = Date.now();
      const seedCode = await runCli(
        ['--config', seedConfig, '--once'],
        cliLog,
        Math.max(600, total / 10) * 1000,
      );
      seedS = (Date.now() - t0) / 1000;
      if (seedCode !== 0) throw new Error(`seeding --once exited ${seedCode}; see ${cliLog}`);
    }
    const seeded = await tree(urls);
    const remoteFiles = [...seeded.values()].filter(
      (r) => r.type === 'file' && r.path.startsWith(`${REMOTE_PATH}/`),
    );
    say(
      `  ${o.reuse === undefined ? `seeded ${remoteFiles.length} files in ${seedS.toFixed(1)} s` : `reused ${dir}: the Drive holds ${remoteFiles.length} files`}`,
    );
    if (remoteFiles.length !== total)
      throw new Error(`the Drive holds ${remoteFiles.length} files, expected ${total}`);
    const other = await loginTestUser({ urls });

    await adminJson(urls, 'config', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rateLimit: o.rateLimit }),
    });
    await adminJson(urls, 'requests', { method: 'DELETE' });
    say(`emulator at ${o.rateLimit}/min per operation; starting the daemon (default pacing)`);
    daemon = spawnLogged(daemonArgs, daemonLog, o.cpuProf);
    const pid = daemon.pid!;
    const daemonStart = Date.now();
    const alive = (): void => {
      if (daemon!.exitCode !== null || daemon!.signalCode !== null)
        throw new Error(`the daemon exited (${daemon!.exitCode ?? daemon!.signalCode}); see ${daemonLog}`);
    };
    await sleep(o.warmupS * 1000);
    alive();
    const warmLog = await requests(urls);

    // (1) local → remote
    const editFolders = Array.from({ length: o.edits }, (_v, k) =>
      Math.floor(((k + 0.5) * o.folders) / o.edits),
    );
    const used = new Set(editFolders);
    let cold = Math.floor(o.folders / 2);
    while (used.has(cold)) cold = (cold + 1) % o.folders;
    const edits: Edit[] = [];
    const logBeforeEdits = warmLog.length;
    say(`(1) ${o.edits} local edits, one every ${o.gapS} s, in distinct folders`);
    const editsStart = Date.now();
    let issuing = true;
    const treeMs: number[] = [];
    const issue = (async () => {
      for (const [k, folder] of editFolders.entries()) {
        const path = `${folderPath(folder)}/f0.txt`;
        const bytes = Buffer.from(
          `local edit ${k} at ${new Date().toISOString()} `.padEnd(64 + (k % 50), '+'),
        );
        const e: Edit = { folder, path, sha: sha256(bytes), writtenAt: Date.now() };
        writeFileSync(join(local, path), bytes);
        edits.push(e);
        if (k < o.edits - 1) await sleep(o.gapS * 1000);
      }
    })().finally(() => {
      issuing = false;
    });
    issue.catch(() => undefined); // surfaced by the `await issue` below
    const editDeadline = (): number => (edits.at(-1)?.writtenAt ?? Date.now()) + o.editTimeoutS * 1000;
    while (issuing || (edits.some((e) => e.arrivedAt === undefined) && Date.now() < editDeadline())) {
      alive();
      const asked = Date.now();
      const waiting = edits.filter((e) => e.arrivedAt === undefined);
      const shas = await remoteShas(
        urls,
        waiting.map((e) => `${REMOTE_PATH}/${e.path}`),
      );
      const seen = Date.now();
      if (waiting.length) treeMs.push(seen - asked);
      for (const e of waiting) if (shas.get(`${REMOTE_PATH}/${e.path}`) === e.sha) e.arrivedAt = seen;
      // keep the emulator's share of a core for these look-ups near a quarter
      await sleep(Math.max(POLL_MS, 3 * (seen - asked)));
    }
    await issue;
    const editsEnd = Date.now();
    const editLog = (await requests(urls)).slice(logBeforeEdits);
    const lat = edits.map((e) => (e.arrivedAt === undefined ? Infinity : e.arrivedAt - e.writtenAt));
    const arrived = lat.filter(Number.isFinite).length;

    // (2) remote → local
    const hot = [...edits].reverse().find((e) => e.arrivedAt !== undefined) ?? (edits.at(-1) as Edit);
    const remoteName = o.files > 1 ? 'f1.txt' : 'f0.txt';
    const rows = await tree(urls);
    const targets = [
      { label: 'hot', folder: hot.folder },
      { label: 'cold', folder: cold },
    ].map((t) => {
      const id = rows.get(`${REMOTE_PATH}/${folderPath(t.folder)}`)?.fileId;
      if (!id) throw new Error(`no remote folder ${folderPath(t.folder)}`);
      const bytes = Buffer.from(`remote edit (${t.label}) at ${new Date().toISOString()} `.padEnd(90, '#'));
      return {
        ...t,
        id,
        bytes,
        path: join(local, folderPath(t.folder), remoteName),
        at: 0,
        arrived: Infinity,
      };
    });
    say(`(2) remote edits as another device: hot ${folderPath(hot.folder)}, cold ${folderPath(cold)}`);
    const logBeforeRemote = logBeforeEdits + editLog.length;
    for (const t of targets) {
      await putRemote(urls, other.accessToken, t.id, remoteName, t.bytes);
      t.at = Date.now();
    }
    const hotAge = (targets[0]!.at - hot.writtenAt) / 1000;
    const remoteDeadline = Date.now() + o.remoteTimeoutS * 1000;
    while (targets.some((t) => !Number.isFinite(t.arrived)) && Date.now() < remoteDeadline) {
      alive();
      for (const t of targets) {
        if (Number.isFinite(t.arrived)) continue;
        try {
          if (readFileSync(t.path).equals(t.bytes)) t.arrived = Date.now() - t.at;
        } catch {
          // being replaced by the daemon: look again
        }
      }
      await sleep(POLL_MS);
    }
    const remoteLog = (await requests(urls)).slice(logBeforeRemote);

    // (3)(4) idle, right after the remote phase
    say(`(3) idle for ${o.idleS} s`);
    const idle = await idleWindow(urls, pid, o.idleS, alive);
    const idleLog = idle.log;
    const idleMs = idle.ms;
    const rss = idle.rss;
    const cpuPct = idle.cpuPct;
    const lateShas = await remoteShas(
      urls,
      edits.filter((e) => e.arrivedAt === undefined).map((e) => `${REMOTE_PATH}/${e.path}`),
    );
    const late = edits.filter(
      (e) => e.arrivedAt === undefined && lateShas.get(`${REMOTE_PATH}/${e.path}`) === e.sha,
    ).length;
    const idleMin = idleMs / 60_000;
    const idleOps = byOperation(idleLog);
    const idleLists = idleOps.get('list') ?? 0;

    // (6) quiet: once nothing has changed for the hot window, the poller spends its share slower
    let quiet: { waitS: number; window: IdleFigures } | null = null;
    if (o.quietS > 0) {
      say(`(6) waiting for the daemon to be quiet (status --json poller.quiet), then idle for ${o.quietS} s`);
      const q0 = Date.now();
      while (!isQuiet(join(dir, 'daemon.toml'))) {
        alive();
        if (Date.now() - q0 > 20 * 60_000) throw new Error('the daemon was not quiet within 20 min');
        await sleep(10_000);
      }
      quiet = { waitS: (Date.now() - q0) / 1000, window: await idleWindow(urls, pid, o.quietS, alive) };
    }

    const peakKiB = hwmKiB(pid);
    const term = await stop(daemon, 15_000);
    say(`daemon stopped: exit ${term.code} after ${(term.ms / 1000).toFixed(1)} s`);

    // (5) calls per local edit: the edit window's calls, raw and net of the idle rate
    const editMin = (editsEnd - editsStart) / 60_000;
    const editOps = byOperation(editLog);
    const net = new Map<string, number>();
    for (const [op, n] of editOps) net.set(op, Math.max(0, n - ((idleOps.get(op) ?? 0) / idleMin) * editMin));
    const editedIds = new Set(edits.map((e) => rows.get(`${REMOTE_PATH}/${folderPath(e.folder)}`)?.fileId));
    const listsOfEdited = editLog.filter(
      (r) => r.operation === 'list' && [...editedIds].some((id) => id && r.path.includes(`/files/${id}/`)),
    ).length;
    const status429 = (log: LogEntry[]): number => log.filter((r) => r.status === 429).length;
    const uploadsAfter = [...remoteLog, ...idleLog].filter((r) => r.operation === 'upload-url').length;
    const mb = (k: number): string => (k / 1024).toFixed(0);
    const rssSorted = [...rss].filter(Number.isFinite).sort((a, b) => a - b);
    const budget = o.rateLimit;

    figures = {
      folders: o.folders,
      files: total,
      edits: o.edits,
      gapS: o.gapS,
      rateLimit: budget,
      seedS,
      localToRemote: {
        medianS: percentile(lat, 50) / 1000,
        p95S: percentile(lat, 95) / 1000,
        arrived,
        timeoutS: o.editTimeoutS,
      },
      remoteToLocal: {
        hotS: targets[0]!.arrived / 1000,
        coldS: targets[1]!.arrived / 1000,
        timeoutS: o.remoteTimeoutS,
      },
      idle: {
        seconds: idleMs / 1000,
        listsPerMin: idleLists / idleMin,
        callsPerMin: idleLog.length / idleMin,
        rssMB: (rssSorted.at(-1) ?? NaN) / 1024,
        cpuPct,
      },
      quiet:
        quiet === null
          ? null
          : {
              waitS: quiet.waitS,
              seconds: quiet.window.ms / 1000,
              listsPerMin: (byOperation(quiet.window.log).get('list') ?? 0) / (quiet.window.ms / 60_000),
              callsPerMin: quiet.window.log.length / (quiet.window.ms / 60_000),
              rssMB: Math.max(...quiet.window.rss) / 1024,
              cpuPct: quiet.window.cpuPct,
            },
      peakRssMB: peakKiB / 1024,
      sigterm: { code: term.code, seconds: term.ms / 1000 },
    };
    out.push(
      ['date', new Date(started).toISOString()],
      [
        'command',
        ['node', ...process.execArgv, relative(ROOT, process.argv[1] ?? ''), ...process.argv.slice(2)].join(
          ' ',
        ),
      ],
      [
        'machine',
        `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load average at start ${loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}, node ${process.version}, linux ${release()}, commit ${gitHead()}`,
      ],
      [
        'tree',
        `${o.folders} folders × ${o.files} files = ${total} files, ten folders to a parent; emulator --folder-mtime ${o.folderMtime}`,
      ],
      ['seed (--once, no rate limit)', o.reuse === undefined ? `${seedS.toFixed(1)} s` : `reused ${dir}`],
      [
        'daemon',
        `lineworks-sync --config F (default pacing${o.pollSeconds ? `, remote_poll_seconds ${o.pollSeconds}` : ''}), emulator ${budget}/min per operation; first edit ${((editsStart - daemonStart) / 1000).toFixed(0)} s after start (warm-up: ${warmLog.length} calls: ${fmtOps(byOperation(warmLog), 1, 0)})`,
      ],
      [
        `(1) local→remote, ${o.edits} edits ${o.gapS} s apart`,
        `median ${secs(percentile(lat, 50), o.editTimeoutS)}, p95 ${secs(percentile(lat, 95), o.editTimeoutS)}, min ${secs(Math.min(...lat), o.editTimeoutS)}, max ${secs(Math.max(...lat), o.editTimeoutS)}; arrived ${arrived}/${o.edits} within ${o.editTimeoutS} s (admin/tree?path= polled every ${POLL_MS} ms or 3× its answer time: ${percentile(treeMs, 50).toFixed(0)} ms median a round)${late ? `; ${late} more arrived by the end of the idle window` : ''}`,
      ],
      [
        '(2) remote→local, hot folder',
        `${secs(targets[0]!.arrived, o.remoteTimeoutS)} (${folderPath(hot.folder)}; its local edit ${hotAge.toFixed(0)} s before)`,
      ],
      [
        '(2) remote→local, cold folder',
        `${secs(targets[1]!.arrived, o.remoteTimeoutS)} (${folderPath(cold)}; hot and cold edited at the same moment)`,
      ],
      [
        `(3) idle ${(idleMs / 1000).toFixed(0)} s: list calls`,
        `${(idleLists / idleMin).toFixed(1)}/min = ${((idleLists / idleMin / budget) * 100).toFixed(1)} % of the ${budget}/min list budget (target ≤ 50 %)`,
      ],
      [
        '(3) idle: all API calls',
        `${(idleLog.length / idleMin).toFixed(1)}/min (${((idleLog.length / idleMin / budget) * 100).toFixed(1)} % of ${budget}/min); by operation /min: ${fmtOps(idleOps, 1 / idleMin, 1)}`,
      ],
      [
        '(4) idle RSS (VmRSS)',
        `${mb(rssSorted.at(-1) ?? NaN)} MB at the end; ${mb(rssSorted[0] ?? NaN)}–${mb(rssSorted.at(-1) ?? NaN)} MB over ${rssSorted.length} samples (target at 100,000 files ≤ 150 MB)`,
      ],
      ['(4) idle CPU', `${cpuPct.toFixed(2)} % of a core (utime+stime, children included; target ≤ 1 %)`],
      ...quietRows(quiet, budget),
      [
        '(5) API calls per local edit',
        `${fmtOps(editOps, 1 / o.edits, 2)} (all calls of the ${(editMin * 60).toFixed(0)} s edit window / ${o.edits})`,
      ],
      ['(5) … net of the idle rate', fmtOps(net, 1 / o.edits, 2)],
      [
        '(5) list calls in the edit window',
        `${editOps.get('list') ?? 0}: ${listsOfEdited} of the edited folders, ${(editOps.get('list') ?? 0) - listsOfEdited} of others`,
      ],
      [
        '429 answers',
        `warm-up ${status429(warmLog)}, edits ${status429(editLog)}, remote phase ${status429(remoteLog)}, idle ${status429(idleLog)}`,
      ],
      [
        'echo check',
        `${uploadsAfter - 2 - late} upload-url calls after the edit window besides the other device's 2 and the late edits' ${late}`,
      ],
      ['SIGTERM', `exit ${term.code ?? 'none (killed)'} after ${(term.ms / 1000).toFixed(1)} s`],
    );
    return 0;
  } catch (e) {
    say(`failed: ${e instanceof Error ? e.message : String(e)}`);
    for (const f of [daemonLog, cliLog])
      if (existsSync(f)) {
        const lines = readFileSync(f, 'utf8').trim().split('\n');
        say(`last lines of ${f}:\n${lines.slice(-15).join('\n')}`);
      }
    return 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
    if (o.json) {
      if (figures) console.log(JSON.stringify(figures));
    } else if (out.length) {
      const width = Math.max(...out.map(([k]) => k.length));
      console.log(`\ndaemon bench\n${out.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}`);
    }
  }
}

function gitHead(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
}
