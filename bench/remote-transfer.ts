/**
 * Transfer bench of the Drive client (src/remote) against a spawned emulator:
 *   1. a 1 GiB upload with the connection dropped twice (fault `upload`, dropAfterBytes);
 *   2. a 1 GiB download with the connection dropped twice (fault `download-content`);
 *   3. a 2 GiB upload, for its peak RSS (target < 150 MB).
 * Each phase runs in its own process so its peak RSS (process.resourceUsage().maxRSS) is its own.
 * Checks identical sha256 on both sides and prints the resumed ranges, from the client's side and
 * from the emulator's request log (status 0 = the connection was cut before an answer).
 *
 * Run (after `npm run build`, which the emulator command needs):
 *   node --import tsx bench/remote-transfer.ts [--mib 1024] [--big-mib 2048]
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import { createLogger } from '../src/log/logger.js';
import { createSession } from '../src/remote/session.js';
import type { UploadSession } from '../src/remote/types.js';

interface Urls {
  api: string;
  auth: string;
  storage: string;
  admin: string;
}

const MiB = 1 << 20;
const self = fileURLToPath(import.meta.url);

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * MiB })
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

function makeFile(path: string, mib: number): void {
  const block = randomBytes(MiB);
  const fd = openSync(path, 'w');
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
}

async function login(urls: Urls, tokenFile: string): Promise<void> {
  const session = openSession(urls, tokenFile);
  const redirect = 'http://127.0.0.1:9/callback';
  const res = await axios.get(session.authorizeUrl(redirect, 'bench'), {
    maxRedirects: 0,
    validateStatus: () => true,
  });
  const code = new URL(String(res.headers['location'])).searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${res.status} without a code`);
  await session.exchangeCode(code, redirect);
  session.close();
}

function openSession(urls: Urls, tokenFile: string, logLines?: string[]) {
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines?.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return createSession({
    apiBaseUrl: urls.api,
    authUrl: urls.auth,
    clientId: 'emulator-client',
    clientSecret: 'emulator-secret',
    scope: 'file',
    tokenFile,
    logger: createLogger({ level: 'info', destination }),
    rateLimitPerMinute: 0,
    retry: { baseMs: 50, maxMs: 500 },
  });
}

interface PhaseResult {
  phase: string;
  bytes: number;
  seconds: number;
  /** user+sys CPU seconds of this process during the transfer. */
  cpuS: number;
  maxRssMB: number;
  offsets: number[];
  /** Downloads: bytes on disk when the connection broke (the next request asks `Range: bytes=N-`). */
  resumedAt: number[];
  localSha: string;
  remoteSha: string;
  /** The emulator's request log of the transfer (`range`: the Content-Range/Range it was sent). */
  requests: { method: string; path: string; operation: string; status: number; range?: string }[];
}

/** Runs inside a child process: one transfer, then prints its result as JSON. */
async function phase(
  name: string,
  urls: Urls,
  tokenFile: string,
  file: string,
  dropAfter: number,
): Promise<void> {
  const admin = axios.create({ baseURL: urls.admin + '/', validateStatus: () => true });
  const logLines: string[] = [];
  const session = openSession(urls, tokenFile, logLines);
  const remote = session.remote({ kind: 'user', userId: 'me' });
  await admin.delete('requests');
  const offsets: number[] = [];
  let t0 = 0;
  let remoteSha = '';
  let localSha = '';
  let bytes = 0;
  let t1 = 0;
  let cpu0 = process.cpuUsage();
  let cpu = cpu0;
  if (name.startsWith('upload')) {
    if (dropAfter > 0)
      await admin.post('faults', { operation: 'upload', times: 2, dropAfterBytes: dropAfter });
    t0 = Date.now();
    cpu0 = process.cpuUsage();
    const entry = await remote.upload(file, null, name + '.bin', {
      overwrite: true,
      onSession: (s: UploadSession) => offsets.push(s.offset),
    });
    t1 = Date.now();
    cpu = process.cpuUsage(cpu0);
    bytes = entry.size;
    const tree = (await admin.get('tree', { params: { drive: 'me' } })).data as {
      path: string;
      sha256?: string;
    }[];
    remoteSha = tree.find((t) => t.path.replace(/^\//, '') === entry.path)?.sha256 ?? '';
    localSha = await sha256(file);
  } else {
    const src = await remote.resolvePath('/upload-1.bin');
    if (!src || src === 'root') throw new Error('upload-1.bin missing');
    if (dropAfter > 0)
      await admin.post('faults', { operation: 'download-content', times: 2, dropAfterBytes: dropAfter });
    t0 = Date.now();
    cpu0 = process.cpuUsage();
    const entry = await remote.download(src.resourceKey, file);
    t1 = Date.now();
    cpu = process.cpuUsage(cpu0);
    bytes = entry.size;
    const tree = (await admin.get('tree', { params: { drive: 'me' } })).data as {
      path: string;
      sha256?: string;
    }[];
    remoteSha = tree.find((t) => t.path.replace(/^\//, '') === 'upload-1.bin')?.sha256 ?? '';
    localSha = await sha256(file);
  }
  // the transfer alone (its API calls included), not the checks after it
  const seconds = (t1 - t0) / 1000;
  const requests = ((await admin.get('requests')).data as PhaseResult['requests']).filter((r) =>
    ['upload', 'upload-url', 'download', 'download-content'].includes(r.operation),
  );
  session.close();
  const resumedAt = logLines
    .map((l) => JSON.parse(l) as { msg?: string; have?: number })
    .filter((l) => l.msg === 'download: the transfer broke' && typeof l.have === 'number')
    .map((l) => l.have as number);
  const result: PhaseResult = {
    resumedAt,
    phase: name,
    bytes,
    seconds,
    cpuS: (cpu.user + cpu.system) / 1e6,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    offsets,
    localSha,
    remoteSha,
    requests,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function main(): Promise<void> {
  const mib = Number(arg('--mib', '1024'));
  const bigMib = Number(arg('--big-mib', '2048'));
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-bench-'));
  const emu = spawn(
    process.execPath,
    ['bin/lineworks-sync.js', 'emulator', '--port', '0', '--data', join(dir, 'emu'), '--rate-limit', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: emu.stdout }).once('line', resolve);
      emu.once('exit', (c) => reject(new Error(`emulator exited (${c})`)));
    });
    const urls = JSON.parse(first) as Urls;
    const tokenFile = join(dir, 'tokens.json');
    await login(urls, tokenFile);

    const up = join(dir, 'upload-1.bin');
    const big = join(dir, 'upload-2.bin');
    const down = join(dir, 'download-1.bin');
    makeFile(up, mib);
    const runs: [string, string, number][] = [
      ['upload-1', up, Math.floor((mib * MiB) / 3)],
      ['download-1', down, Math.floor((mib * MiB) / 3)],
    ];
    const results: PhaseResult[] = [];
    for (const [name, file, drop] of runs) results.push(runPhase(name, urls, tokenFile, file, drop));
    rmSync(down, { force: true });
    makeFile(big, bigMib);
    results.push(runPhase('upload-2', urls, tokenFile, big, 0));
    const plain = runPlainUpload(urls, tokenFile, big);

    for (const r of results) {
      const ok = r.localSha !== '' && r.localSha === r.remoteSha;
      console.log(
        `${r.phase}: ${(r.bytes / MiB).toFixed(0)} MiB in ${r.seconds.toFixed(1)} s ` +
          `(${(r.bytes / MiB / r.seconds).toFixed(0)} MiB/s), peak RSS ${r.maxRssMB} MB, sha256 ${ok ? 'identical' : 'DIFFERENT'}`,
      );
      if (r.offsets.length > 1) {
        const ranges = r.offsets.map((o) => `bytes ${o}-${r.bytes - 1}/${r.bytes}`);
        console.log(`  upload PUTs (server offset → Content-Range): ${ranges.join(' | ')}`);
      }
      if (r.resumedAt.length)
        console.log(`  download resumed with: ${r.resumedAt.map((n) => `Range: bytes=${n}-`).join(' | ')}`);
      for (const q of r.requests)
        console.log(
          `  ${q.status} ${q.method} ${q.operation} ${q.path.split('?')[0]}${q.range ? `  [${q.range}]` : ''}`,
        );
      if (!ok) process.exitCode = 1;
    }
    console.log(
      `upload-3 (same ${bigMib} MiB file, plain node on dist/, no tsx loader): peak RSS ${plain.maxRssMB} MB ` +
        `(an idle process of the same kind: ${plain.idleRssMB} MB)`,
    );
  } finally {
    emu.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function runPhase(name: string, urls: Urls, tokenFile: string, file: string, drop: number): PhaseResult {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', self, '--phase', name, JSON.stringify(urls), tokenFile, file, String(drop)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * MiB },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`phase ${name} failed (${r.status}): ${r.stdout}`);
  return JSON.parse(line) as PhaseResult;
}

/** The client as shipped (dist/, plain node): the 2 GiB upload's peak RSS without tsx's own memory. */
function runPlainUpload(
  urls: Urls,
  tokenFile: string,
  file: string,
): { maxRssMB: number; idleRssMB: number } {
  const script = `
    const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
    const idle = rss();
    const { createSession } = await import('./dist/remote/session.js');
    const { createLogger } = await import('./dist/log/logger.js');
    const [urls, tokenFile, file] = process.argv.slice(1);
    const u = JSON.parse(urls);
    const s = createSession({ apiBaseUrl: u.api, authUrl: u.auth, clientId: 'emulator-client',
      clientSecret: 'emulator-secret', tokenFile, logger: createLogger({ level: 'warn' }), rateLimitPerMinute: 0 });
    await s.remote({ kind: 'user', userId: 'me' }).upload(file, null, 'upload-3.bin');
    s.close();
    console.log(JSON.stringify({ maxRssMB: rss(), idleRssMB: idle }));`;
  const r = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify(urls), tokenFile, file],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`plain upload failed (${r.status}): ${r.stdout}`);
  return JSON.parse(line) as { maxRssMB: number; idleRssMB: number };
}

const pi = process.argv.indexOf('--phase');
if (pi >= 0) {
  const [name, urls, tokenFile, file, drop] = process.argv.slice(pi + 1);
  await phase(
    name as string,
    JSON.parse(urls as string) as Urls,
    tokenFile as string,
    file as string,
    Number(drop),
  );
} else {
  await main();
}
