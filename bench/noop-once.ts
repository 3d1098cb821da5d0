/**
 * No-op `--once` bench (issue 5, "Done when"): an already-synced tree of 10,000 files in 1,000
 * folders (100,000 with --100k), and what a `--once` that has nothing to do costs — wall time, peak
 * RSS and API calls — next to a plain `find -printf '%s %T@\n'` over the same tree and next to the
 * minimum number of list calls for that tree.
 *
 *   1. builds the tree in a temporary folder (folders three levels deep: 10 × 9 × 10, files spread
 *      evenly over all 1,000 folders, 10–100 bytes each, every one different);
 *   2. starts `lineworks-sync emulator --rate-limit 0 --data …` as a child, logs in through its OAuth
 *      (authorization code) and writes <state>/tokens.json and the config;
 *   3. runs the real first sync (uploads everything; timed, informative) and checks that a second
 *      `--once` exits 0;
 *   4. counts the API calls of one no-op run (emulator request log, per operation) and the minimum
 *      list calls (one per remote folder including the pair's own folder, more where a folder has
 *      more children than one page holds);
 *   5. times, A B C D A B C D … after one warm-up each, with `/usr/bin/time` (wall, peak RSS):
 *      A the no-op `--once` run as installed (the bin's #! line and its V8 flag), B `find LOCAL
 *      -printf '%s %T@\n' >/dev/null`, C the local side alone (journal base + local scan,
 *      bench/noop-once-local.mjs), D A again under a plain `node BIN` — and prints the table.
 *
 * Targets (reported, not asserted): local side within 2× of find, list calls within 1.05× of the
 * minimum, under 150 MB RSS at 100,000 files.
 *
 * Run (builds dist/ first when it is missing; needs /usr/bin/time and GNU find):
 *   node --import tsx bench/noop-once.ts [--files N | --100k] [--runs 5] [--keep] [--reuse DIR] [--json]
 *
 * `--json` prints one JSON object on stdout instead of the table (bench/all.ts reads it).
 * `--reuse DIR` times again a tree an earlier `--keep` run left in DIR (no build, no first sync).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PAGE_SIZE } from '../src/remote/api.js';
import { CLIENT_ID, CLIENT_SECRET, loginTestUser } from '../test/helpers/emulator.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'lineworks-sync.js');
const LOCAL_SIDE = join(ROOT, 'bench', 'noop-once-local.mjs');
const PAIR = 'bench';
const REMOTE_PATH = '/bench';
/** Folder shape: TOP folders, MID in each, LEAF in each mid = 10 + 90 + 900 = 1,000 folders. */
const TOP = 10;
const MID = 9;
const LEAF = 10;

interface Urls {
  api: string;
  auth: string;
  storage: string;
  admin: string;
}

interface Timed {
  code: number;
  wallS: number;
  rssKiB: number;
  userS: number;
  sysS: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const files = process.argv.includes('--100k') ? 100_000 : Number(arg('--files') ?? 10_000);
const runs = Number(arg('--runs') ?? 5);
const reuse = arg('--reuse');
const keep = process.argv.includes('--keep') || reuse !== undefined;
const json = process.argv.includes('--json');
if (!Number.isInteger(files) || files < 1 || !Number.isInteger(runs) || runs < 1) {
  console.error(
    'usage: node --import tsx bench/noop-once.ts [--files N | --100k] [--runs 5] [--keep] [--reuse DIR] [--json]',
  );
  process.exit(2);
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Every folder of the tree, relative, parents before children. */
function folderList(): string[] {
  const out: string[] = [];
  for (let t = 0; t < TOP; t++) {
    const top = `t${t}`;
    out.push(top);
    for (let m = 0; m < MID; m++) {
      const mid = `${top}/m${m}`;
      out.push(mid);
      for (let l = 0; l < LEAF; l++) out.push(`${mid}/l${l}`);
    }
  }
  return out;
}

function buildTree(local: string): void {
  const folders = folderList();
  mkdirSync(local, { recursive: true });
  for (const f of folders) mkdirSync(join(local, f));
  const noise = randomBytes(64).toString('hex');
  for (let i = 0; i < files; i++) {
    const folder = folders[i % folders.length] as string;
    const len = 10 + ((i * 37) % 91);
    const head = `${i}:`;
    writeFileSync(join(local, folder, `f${i}.txt`), (head + noise).slice(0, len).padEnd(len, '.'));
  }
}

function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return;
  say('dist/ is missing: npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build exited ${r.status}`);
}

async function startEmulator(dataDir: string, errFile: string): Promise<{ child: ChildProcess; urls: Urls }> {
  const child = spawn(
    process.execPath,
    [BIN, 'emulator', '--port', '0', '--rate-limit', '0', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr!.pipe(createWriteStream(errFile));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}; see ${errFile}`)));
  });
  child.stdout!.resume();
  return { child, urls: JSON.parse(first) as Urls };
}

function writeConfig(dir: string, urls: Urls, local: string, stateDir: string): string {
  const file = join(dir, 'config.toml');
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
      'rate_limit_per_minute = 0',
      '[[pairs]]',
      `name = "${PAIR}"`,
      `local = ${JSON.stringify(local)}`,
      'drive = "me"',
      `remote_path = "${REMOTE_PATH}"`,
      '',
    ].join('\n'),
  );
  return file;
}

/** The timed runs under way (bench's own signal handler stops them and removes their time file). */
const running = new Map<ChildProcess, string>();

/** Runs cmd under /usr/bin/time; stdout to /dev/null, stderr to errFile (appended) when given. */
function timed(cmd: string[], errFile?: string, env?: NodeJS.ProcessEnv): Promise<Timed> {
  const out = join(tmpdir(), `lwsync-noop-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const err = errFile ? createWriteStream(errFile, { flags: 'a' }) : null;
    const child = spawn('/usr/bin/time', ['-f', '%e %M %U %S', '-o', out, ...cmd], {
      stdio: ['ignore', 'ignore', err ? 'pipe' : 'ignore'],
      env: { ...process.env, ...env },
      // its own process group, so that a signal to this bench stops the timed command too
      detached: true,
    });
    if (err) child.stderr!.pipe(err);
    running.set(child, out);
    child.once('error', reject);
    child.once('close', (code) => {
      running.delete(child);
      try {
        const lines = readFileSync(out, 'utf8').trim().split('\n');
        rmSync(out, { force: true });
        const [wall, rss, user, sys] = (lines[lines.length - 1] as string).split(' ').map(Number);
        resolve({ code: code ?? -1, wallS: wall!, rssKiB: rss!, userS: user!, sysS: sys! });
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { min: s[0] as number, median, max: s[s.length - 1] as number };
}

function fmt3(xs: number[], digits: number, scale = 1): string {
  const { min, median, max } = stats(xs.map((x) => x * scale));
  return `${median.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}

interface TreeItem {
  path: string;
  type: string;
}

/** Minimum list calls: every folder below and including the pair's folder, ceil(children/page) ≥ 1. */
async function minimumLists(admin: string): Promise<{ folders: number; items: number; min: number }> {
  const items = (await (await fetch(`${admin}/tree?drive=me`)).json()) as TreeItem[];
  const prefix = `${REMOTE_PATH}/`;
  const children = new Map<string, number>([[REMOTE_PATH, 0]]);
  let count = 0;
  for (const it of items) {
    if (!it.path.startsWith(prefix)) continue;
    count++;
    if (it.type === 'folder') children.set(it.path, children.get(it.path) ?? 0);
    const parent = it.path.slice(0, it.path.lastIndexOf('/'));
    children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  let min = 0;
  for (const n of children.values()) min += Math.max(1, Math.ceil(n / PAGE_SIZE));
  return { folders: children.size, items: count, min };
}

async function main(): Promise<void> {
  ensureBuilt();
  if (reuse !== undefined && !existsSync(join(reuse, 'local')))
    throw new Error(`${reuse} holds no kept tree`);
  const dir = reuse ?? mkdtempSync(join(tmpdir(), 'lwsync-noop-'));
  const local = join(dir, 'local');
  const stateDir = join(dir, 'state');
  const emuErr = join(dir, 'emulator.err');
  const syncErr = join(dir, 'sync.err');
  let emu: ChildProcess | null = null;
  let failed = true;
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    const gone = emu && emu.exitCode === null ? new Promise((r) => emu!.once('exit', r)) : Promise.resolve();
    emu?.kill('SIGTERM');
    for (const [child, out] of running) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      rmSync(out, { force: true });
    }
    void Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]).then(() => {
      if (keep) say(`interrupted; left ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    if (reuse === undefined) {
      say(`building ${files} files in ${folderList().length} folders under ${local}`);
      const t0 = Date.now();
      buildTree(local);
      say(`  tree built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }

    const started = await startEmulator(join(dir, 'emu'), emuErr);
    emu = started.child;
    const { urls } = started;
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const tok = await loginTestUser({ urls });
    const now = Date.now();
    writeFileSync(
      join(stateDir, 'tokens.json'),
      JSON.stringify({ ...tok, expiresAt: now + 86_400_000, obtainedAt: now, scope: 'file' }),
      { mode: 0o600 },
    );
    const config = writeConfig(dir, urls, local, stateDir);
    // the command as installed runs through its #! line, which sets a V8 flag (bin/lineworks-sync.js);
    // the same run under a plain `node BIN` is timed too
    const once = [BIN, '--config', config, '--once'];
    const onceViaNode = [process.execPath, BIN, '--config', config, '--once'];
    const quiet = { LWSYNC_LOG_LEVEL: 'warn' };

    say(reuse === undefined ? 'first sync (uploads everything)…' : 'sync of the kept tree…');
    const first = await timed(once, syncErr, quiet);
    say(`  exit ${first.code}, ${first.wallS.toFixed(1)} s, peak RSS ${(first.rssKiB / 1024).toFixed(0)} MB`);
    if (first.code !== 0) throw new Error(`first sync exited ${first.code}; see ${syncErr}`);
    const second = await timed(once, syncErr, quiet);
    say(`second --once: exit ${second.code}, ${second.wallS.toFixed(2)} s`);
    if (second.code !== 0) throw new Error(`second --once exited ${second.code}; see ${syncErr}`);

    await fetch(`${urls.admin}/requests`, { method: 'DELETE' });
    const counted = await timed(once, syncErr, quiet);
    const log = (await (await fetch(`${urls.admin}/requests`)).json()) as {
      operation: string;
      path: string;
      status: number;
    }[];
    if (counted.code !== 0) throw new Error(`counted no-op run exited ${counted.code}; see ${syncErr}`);
    const byOp = new Map<string, number>();
    for (const r of log)
      byOp.set(`${r.operation} ${r.status}`, (byOp.get(`${r.operation} ${r.status}`) ?? 0) + 1);
    const lists = log.filter((r) => r.operation === 'list').length;
    // The drive root is listed only to resolve remote_path (/bench), not as part of the pair's walk.
    const rootLists = log.filter((r) => r.operation === 'list' && /\/drive\/files(\?|$)/.test(r.path)).length;
    const others = log.length - lists;
    const minimum = await minimumLists(urls.admin);

    const find = ['find', local, '-printf', '%s %T@\n'];
    const localSide = [process.execPath, LOCAL_SIDE, local, stateDir, PAIR];
    const noop: Timed[] = [];
    const finds: Timed[] = [];
    const locals: Timed[] = [];
    const viaNode: Timed[] = [];
    say(
      `timing: 1 warm-up + ${runs} runs each of the no-op --once, find, the local side alone, and --once under node`,
    );
    for (let i = 0; i <= runs; i++) {
      const a = await timed(once, syncErr, quiet);
      const b = await timed(find);
      const c = await timed(localSide);
      const d = await timed(onceViaNode, syncErr, quiet);
      if (a.code !== 0 || b.code !== 0 || c.code !== 0 || d.code !== 0)
        throw new Error(
          `a timed run failed: --once ${a.code}, find ${b.code}, local side ${c.code}, under node ${d.code}`,
        );
      if (i === 0) continue;
      noop.push(a);
      finds.push(b);
      locals.push(c);
      viaNode.push(d);
    }
    const wall = (xs: Timed[]): number[] => xs.map((x) => x.wallS);
    const rss = (xs: Timed[]): number[] => xs.map((x) => x.rssKiB);
    const ratio = (xs: Timed[], ys: Timed[]): number[] => xs.map((x, i) => x.wallS / (ys[i] as Timed).wallS);
    const MB = 1 / 1024;

    const rows: [string, string][] = [
      [
        'tree',
        `${reuse === undefined ? files : 'kept'} files, ${minimum.folders - 1} folders (${minimum.items} remote items)`,
      ],
      [
        reuse === undefined ? 'first sync (uploads all), wall' : 'sync of the kept tree, wall',
        `${first.wallS.toFixed(1)} s, peak RSS ${(first.rssKiB * MB).toFixed(0)} MB`,
      ],
      ['no-op --once wall, median (min–max)', `${fmt3(wall(noop), 3)} s`],
      ['no-op --once peak RSS', `${fmt3(rss(noop), 0, MB)} MB`],
      [
        'the same under `node BIN` (no #! flag)',
        `${fmt3(wall(viaNode), 3)} s, peak RSS ${fmt3(rss(viaNode), 0, MB)} MB`,
      ],
      [
        'no-op --once user+sys CPU, median',
        `${stats(noop.map((x) => x.userS + x.sysS)).median.toFixed(2)} s`,
      ],
      [
        'list calls / minimum',
        `${lists} / ${minimum.min} = ${(lists / minimum.min).toFixed(3)}× (of them ${rootLists} on the drive root, resolving ${REMOTE_PATH})`,
      ],
      [
        'other calls',
        others === 0
          ? '0'
          : [...byOp]
              .filter(([k]) => !k.startsWith('list '))
              .map(([k, v]) => `${k}: ${v}`)
              .join(', '),
      ],
      ['find -printf wall / peak RSS', `${fmt3(wall(finds), 3)} s / ${fmt3(rss(finds), 1, MB)} MB`],
      [
        'local side alone (base + scan) wall / RSS',
        `${fmt3(wall(locals), 3)} s / ${fmt3(rss(locals), 0, MB)} MB`,
      ],
      ['local side / find (pairwise)', `${fmt3(ratio(locals, finds), 2)}×`],
      ['whole no-op --once / find (pairwise)', `${fmt3(ratio(noop, finds), 1)}×`],
    ];
    if (json) {
      const med = (xs: number[]): number => stats(xs).median;
      console.log(
        JSON.stringify({
          files: reuse === undefined ? files : null,
          folders: minimum.folders - 1,
          runs,
          firstSync: { wallS: first.wallS, rssMB: first.rssKiB * MB, reused: reuse !== undefined },
          noop: {
            wallS: med(wall(noop)),
            rssMB: med(rss(noop)) * MB,
            cpuS: med(noop.map((x) => x.userS + x.sysS)),
          },
          noopViaNode: { wallS: med(wall(viaNode)), rssMB: med(rss(viaNode)) * MB },
          find: { wallS: med(wall(finds)), rssMB: med(rss(finds)) * MB },
          localSide: { wallS: med(wall(locals)), rssMB: med(rss(locals)) * MB },
          localOverFind: med(ratio(locals, finds)),
          noopOverFind: med(ratio(noop, finds)),
          lists,
          rootLists,
          minimumLists: minimum.min,
          otherCalls: others,
        }),
      );
      failed = false;
      return;
    }
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nno-op --once bench (${runs} runs after 1 warm-up; API calls: by operation and status)`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    console.log(
      `${'API calls of one no-op run'.padEnd(width)}  ${[...byOp].map(([k, v]) => `${k}: ${v}`).join(', ')}`,
    );
    failed = false;
  } finally {
    if (emu && emu.exitCode === null) {
      const exited = new Promise((r) => emu!.once('exit', r));
      emu.kill('SIGTERM');
      await exited;
    }
    // interrupted: the signal handler removes the folder (unless --keep)
    if (!interrupted) {
      if (keep || failed) say(`kept ${dir}${failed ? ' (the run failed: its logs are there)' : ''}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
