/**
 * The Drive client (src/remote) next to curl, against ONE spawned emulator, alternating runs:
 * round i = client upload, curl upload, client download, curl download, of one file of --mib MiB.
 *
 *   - the client: one `bench/remote-transfer.ts --phase` child per transfer (no fault injected);
 *     its time is the transfer alone with its API calls (upload URL + PUT; 302 + GET), its peak RSS
 *     the child's process.resourceUsage().maxRSS (under tsx);
 *   - curl: the commands of bench/emulator-throughput.sh (PUT -T with `Expect:` dropped; GET of the
 *     302's Location), under /usr/bin/time for its peak RSS; its time is curl's time_total plus the
 *     one API call the script makes before it (upload URL; the download's 302), timed here;
 *   - every transfer's bytes are checked (sha256 on both sides) outside the timed window.
 *
 * Run (after `npm run build`; needs curl and /usr/bin/time):
 *   node --import tsx bench/transfer-vs-curl.ts [--mib 1024] [--runs 3] [--json]
 * --json prints one JSON object on stdout (bench/all.ts reads it); otherwise a short table.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loginTestUser } from '../test/helpers/emulator.js';

interface Urls {
  api: string;
  auth: string;
  storage: string;
  admin: string;
}

interface Transfer {
  mibps: number;
  seconds: number;
  /** user+sys CPU seconds the transferring process spent (the client: during the transfer; curl: all). */
  cpuS: number;
  rssMB: number;
}

export interface VsCurlResult {
  mib: number;
  runs: number;
  upload: { client: Transfer[]; curl: Transfer[] };
  download: { client: Transfer[]; curl: Transfer[] };
  emulatorPeakRssMB: number;
}

const MiB = 1 << 20;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'lineworks-sync.js');
const CLIENT = join(ROOT, 'bench', 'remote-transfer.ts');

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

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function startEmulator(dataDir: string): Promise<{ child: ChildProcess; urls: Urls }> {
  const child = spawn(
    process.execPath,
    [BIN, 'emulator', '--port', '0', '--data', dataDir, '--rate-limit', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`emulator exited (${c})`)));
  });
  child.stdout!.resume();
  return { child, urls: JSON.parse(first) as Urls };
}

interface TreeRow {
  path: string;
  fileId: string;
  sha256?: string | null;
}

async function remoteRow(urls: Urls, path: string): Promise<TreeRow> {
  const rows = JSON.parse((await timedFetch(`${urls.admin}/tree?drive=me`, {})).body) as TreeRow[];
  const row = rows.find((r) => r.path === path);
  if (!row) throw new Error(`the emulator holds no ${path}`);
  return row;
}

/**
 * fetch, timed; once more when a kept-alive socket turned out closed by the emulator while a child
 * ran (undici does not retry a POST on its own). The time is the answered attempt's.
 */
async function timedFetch(
  url: string,
  init: RequestInit,
): Promise<{ res: Response; body: string; s: number }> {
  for (let attempt = 1; ; attempt++) {
    const t0 = performance.now();
    try {
      const res = await fetch(url, init);
      const body = await res.text();
      return { res, body, s: (performance.now() - t0) / 1000 };
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/** One client transfer in its own process (bench/remote-transfer.ts --phase, no fault). */
function client(name: 'upload-1' | 'download-1', urls: Urls, tokenFile: string, file: string): Transfer {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', CLIENT, '--phase', name, JSON.stringify(urls), tokenFile, file, '0'],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * MiB },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`client ${name} failed (${r.status}): ${r.stdout}`);
  const p = JSON.parse(line) as {
    bytes: number;
    seconds: number;
    cpuS: number;
    maxRssMB: number;
    localSha: string;
    remoteSha: string;
  };
  if (!p.localSha || p.localSha !== p.remoteSha) throw new Error(`client ${name}: sha256 differs`);
  return { seconds: p.seconds, mibps: p.bytes / MiB / p.seconds, cpuS: p.cpuS, rssMB: p.maxRssMB };
}

/** curl under /usr/bin/time: its `-w` line, its peak RSS (MB) and CPU seconds. */
function curl(args: string[], timeFile: string): { out: string; rssMB: number; cpuS: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, 'curl', '-s', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`curl exited ${r.status}: ${r.stdout}`);
  const [kib, user, sys] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '')
    .split(' ')
    .map(Number);
  return { out: r.stdout.trim(), rssMB: Math.round(kib! / 1024), cpuS: user! + sys! };
}

async function curlUpload(
  urls: Urls,
  token: string,
  file: string,
  bytes: number,
  dir: string,
): Promise<Transfer> {
  const auth = `Authorization: Bearer ${token}`;
  const post = await timedFetch(`${urls.api}/users/me/drive/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ fileName: 'curl.bin', fileSize: bytes, overwrite: true }),
  });
  const res = post.res;
  const body = JSON.parse(post.body) as { uploadUrl?: string };
  const apiS = post.s;
  if (res.status !== 200 || !body.uploadUrl) throw new Error(`upload URL answered ${res.status}`);
  const c = curl(
    [
      '-o',
      join(dir, 'curl-up.json'),
      '-w',
      '%{http_code} %{time_total}',
      '-X',
      'PUT',
      '-T',
      file,
      '-H',
      auth,
      '-H',
      'Content-Type: application/octet-stream',
      '-H',
      'Expect:',
      body.uploadUrl,
    ],
    join(dir, 'curl.time'),
  );
  const [status, secs] = c.out.split(' ');
  if (status !== '201')
    throw new Error(`curl upload answered ${status}: ${readFileSync(join(dir, 'curl-up.json'), 'utf8')}`);
  const seconds = apiS + Number(secs);
  if ((await remoteRow(urls, '/curl.bin')).sha256 !== (await sha256(file)))
    throw new Error('curl upload: sha256 differs');
  return { seconds, mibps: bytes / MiB / seconds, cpuS: c.cpuS, rssMB: c.rssMB };
}

async function curlDownload(urls: Urls, token: string, src: string, dir: string): Promise<Transfer> {
  const row = await remoteRow(urls, '/upload-1.bin');
  const dst = join(dir, 'curl-down.bin');
  const get = await timedFetch(`${urls.api}/users/me/drive/files/${row.fileId}/download`, {
    headers: { Authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
  const res = get.res;
  const apiS = get.s;
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`download answered ${res.status}`);
  const c = curl(
    [
      '-o',
      dst,
      '-w',
      '%{http_code} %{time_total} %{size_download}',
      '-H',
      `Authorization: Bearer ${token}`,
      location,
    ],
    join(dir, 'curl.time'),
  );
  const [status, secs, size] = c.out.split(' ');
  if (status !== '200') throw new Error(`curl download answered ${status}`);
  const seconds = apiS + Number(secs);
  if ((await sha256(dst)) !== (await sha256(src))) throw new Error('curl download: sha256 differs');
  rmSync(dst, { force: true });
  return { seconds, mibps: Number(size) / MiB / seconds, cpuS: c.cpuS, rssMB: c.rssMB };
}

function vmHwmMB(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mib: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  const mib = Number(values.mib ?? 1024);
  const runs = Number(values.runs ?? 3);
  if (!Number.isInteger(mib) || mib < 1 || !Number.isInteger(runs) || runs < 1) {
    console.error('usage: node --import tsx bench/transfer-vs-curl.ts [--mib N] [--runs N] [--json]');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-bench-vs-curl-'));
  let emu: ChildProcess | null = null;
  const onSignal = (): void => {
    emu?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const started = await startEmulator(join(dir, 'emu'));
    emu = started.child;
    const { urls } = started;
    const tok = await loginTestUser({ urls });
    const tokenFile = join(dir, 'tokens.json');
    const now = Date.now();
    writeFileSync(
      tokenFile,
      JSON.stringify({ ...tok, expiresAt: now + 86_400_000, obtainedAt: now, scope: 'file' }),
      {
        mode: 0o600,
      },
    );
    const src = join(dir, 'upload-1.bin');
    const down = join(dir, 'download-1.bin');
    say(`transfer: a ${mib} MiB file, ${runs} rounds of client/curl upload then client/curl download`);
    makeFile(src, mib);
    const result: VsCurlResult = {
      mib,
      runs,
      upload: { client: [], curl: [] },
      download: { client: [], curl: [] },
      emulatorPeakRssMB: NaN,
    };
    for (let i = 0; i < runs; i++) {
      result.upload.client.push(client('upload-1', urls, tokenFile, src));
      result.upload.curl.push(await curlUpload(urls, tok.accessToken, src, mib * MiB, dir));
      result.download.client.push(client('download-1', urls, tokenFile, down));
      rmSync(down, { force: true });
      result.download.curl.push(await curlDownload(urls, tok.accessToken, src, dir));
      const last = (xs: Transfer[]): string => (xs.at(-1) as Transfer).mibps.toFixed(0);
      say(
        `  round ${i + 1}: upload client ${last(result.upload.client)} / curl ${last(result.upload.curl)} MiB/s, ` +
          `download client ${last(result.download.client)} / curl ${last(result.download.curl)} MiB/s`,
      );
    }
    result.emulatorPeakRssMB = vmHwmMB(emu.pid!);
    if (values.json) console.log(JSON.stringify(result));
    else
      for (const way of ['upload', 'download'] as const)
        for (const who of ['client', 'curl'] as const)
          console.log(
            `${way} ${who}: ${result[way][who].map((t) => t.mibps.toFixed(0)).join(', ')} MiB/s; peak RSS ` +
              `${result[way][who].map((t) => t.rssMB).join(', ')} MB`,
          );
  } finally {
    if (emu && emu.exitCode === null) {
      const exited = new Promise((r) => emu!.once('exit', r));
      emu.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
