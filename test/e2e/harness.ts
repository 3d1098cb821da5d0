/**
 * End-to-end harness: a real emulator over loopback HTTP, a real local folder and state dir in a
 * temporary folder, the real `lineworks-sync` command as a child process. The remote side is
 * changed through the product's Drive client (a second session with its own token file, as another
 * device would) and checked through the emulator's admin tree (sha256 of the stored bytes).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import { createSession, type DriveSession } from '../../src/remote/index.js';
import type { Remote, RemoteEntry } from '../../src/remote/types.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  loginTestUser,
  startTestEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../helpers/emulator.js';

export interface TreeItem {
  path: string;
  fileId: string;
  type: string;
  size: number;
  modifiedTime: string;
  sha256?: string;
}

export interface RequestLogItem {
  method: string;
  path: string;
  operation: string;
  status: number;
}

export interface Pair {
  emu: Emulator;
  dir: string;
  local: string;
  stateDir: string;
  configFile: string;
  /** The pair's folder inside "me", e.g. "/sync". */
  remotePath: string;
  /** `lineworks-sync --config F --once …` */
  once(...args: string[]): Promise<CliResult>;
  cli(args: string[]): Promise<CliResult>;
  /** Another device on the same Drive. */
  other: Remote;
  /** Path → item below the pair's remote folder, from the emulator's own view. */
  tree(): Promise<Map<string, TreeItem>>;
  requests(): Promise<RequestLogItem[]>;
  clearRequests(): Promise<void>;
  knobs(k: Partial<EmulatorOptions> & Record<string, unknown>): Promise<void>;
  fault(f: Record<string, unknown>): Promise<void>;
  /** The remote entry at a path below the pair's folder (through the other device). */
  remoteAt(path: string): Promise<RemoteEntry>;
  /** Writes a remote file at a path below the pair's folder (or at a drive path starting with "/"), creating folders (other device). */
  putRemote(path: string, content: string | Buffer): Promise<RemoteEntry>;
  write(path: string, content: string | Buffer): void;
  read(path: string): string;
  /** Local files (not folders) below the root, relative, sorted; the marker is left out. */
  localFiles(): string[];
}

export function sha(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export interface PairOptions {
  remotePath?: string;
  knobs?: Partial<EmulatorOptions>;
  /** Extra TOML lines for the [sync] table. */
  sync?: string;
  /** Run the first --once (creates marker and remote folder) before returning. @default false */
  firstSync?: boolean;
}

export async function setupPair(t: TestContext, opts: PairOptions = {}): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-e2e-'));
  const emu = await startTestEmulator({ rateLimit: 0, ...opts.knobs });
  const sessions: DriveSession[] = [];
  t.after(async () => {
    for (const s of sessions) s.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const local = join(dir, 'local');
  const stateDir = join(dir, 'state');
  const otherDir = join(dir, 'other');
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(otherDir, { recursive: true });
  const remotePath = opts.remotePath ?? '/sync';
  for (const d of [stateDir, otherDir]) {
    const tok = await loginTestUser(emu);
    const now = Date.now();
    writeFileSync(
      join(d, 'tokens.json'),
      JSON.stringify({ ...tok, expiresAt: now + 3600_000, obtainedAt: now, scope: 'file' }),
      { mode: 0o600 },
    );
  }
  const configFile = join(dir, 'config.toml');
  writeFileSync(
    configFile,
    [
      `state_dir = ${JSON.stringify(stateDir)}`,
      '[auth]',
      `client_id = "${CLIENT_ID}"`,
      `client_secret = "${CLIENT_SECRET}"`,
      '[api]',
      `base_url = ${JSON.stringify(emu.urls.api)}`,
      `auth_url = ${JSON.stringify(emu.urls.auth)}`,
      'rate_limit_per_minute = 0',
      '[sync]',
      opts.sync ?? '',
      '[[pairs]]',
      'name = "docs"',
      `local = ${JSON.stringify(local)}`,
      'drive = "me"',
      `remote_path = ${JSON.stringify(remotePath)}`,
      '',
    ].join('\n'),
  );
  const session = createSession({
    apiBaseUrl: emu.urls.api,
    authUrl: emu.urls.auth,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tokenFile: join(otherDir, 'tokens.json'),
    logger: createLogger({ level: 'silent' }),
    rateLimitPerMinute: 0,
  });
  sessions.push(session);
  const other = session.remote({ kind: 'user', userId: 'me' });
  const admin = emu.urls.admin;
  const prefix = remotePath === '/' ? '/' : `${remotePath}/`;

  const pair: Pair = {
    emu,
    dir,
    local,
    stateDir,
    configFile,
    remotePath,
    other,
    once: (...args) =>
      runCli(['--config', configFile, '--once', ...args], { env: { LWSYNC_LOG_LEVEL: 'warn' } }),
    cli: (args) => runCli(args, { env: { LWSYNC_LOG_LEVEL: 'warn' } }),
    async tree() {
      const res = await fetch(`${admin}/tree?drive=me`);
      const items = (await res.json()) as TreeItem[];
      const out = new Map<string, TreeItem>();
      for (const it of items) if (it.path.startsWith(prefix)) out.set(it.path.slice(prefix.length), it);
      return out;
    },
    async requests() {
      return (await (await fetch(`${admin}/requests`)).json()) as RequestLogItem[];
    },
    async clearRequests() {
      await fetch(`${admin}/requests`, { method: 'DELETE' });
    },
    async knobs(k) {
      const res = await fetch(`${admin}/config`, {
        method: 'POST',
        body: JSON.stringify(k),
        headers: { 'content-type': 'application/json' },
      });
      if (!res.ok) throw new Error(`admin/config answered ${res.status}: ${await res.text()}`);
    },
    async fault(f) {
      const res = await fetch(`${admin}/faults`, {
        method: 'POST',
        body: JSON.stringify(f),
        headers: { 'content-type': 'application/json' },
      });
      if (!res.ok) throw new Error(`admin/faults answered ${res.status}: ${await res.text()}`);
    },
    async remoteAt(path) {
      const found = await other.resolvePath(`${prefix}${path}`);
      if (!found || found === 'root') throw new Error(`no remote item at ${path}`);
      return found;
    },
    async putRemote(path, content) {
      const parts = (path.startsWith('/') ? path : `${prefix}${path}`).split('/').filter(Boolean);
      const name = parts.pop() as string;
      let parent: string | null = null;
      for (const seg of parts) parent = (await other.mkdir(parent, seg)).resourceKey;
      const tmp = join(otherDir, `upload-${Math.random().toString(36).slice(2)}`);
      writeFileSync(tmp, content);
      const existing = (await other.list(parent)).find((e) => e.name === name);
      return other.upload(tmp, parent, name, { overwrite: existing !== undefined });
    },
    write(path, content) {
      const abs = join(local, path);
      mkdirSync(join(abs, '..'), { recursive: true });
      writeFileSync(abs, content);
    },
    read(path) {
      return readFileSync(join(local, path), 'utf8');
    },
    localFiles() {
      const out: string[] = [];
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const abs = join(d, e.name);
          if (e.isDirectory()) walk(abs);
          else if (e.name !== '.lineworks-sync') out.push(relative(local, abs));
        }
      };
      if (statSync(local, { throwIfNoEntry: false })) walk(local);
      return out.sort();
    },
  };
  if (opts.firstSync) {
    const r = await pair.once();
    if (r.code !== 0) throw new Error(`first sync exited ${r.code}: ${r.stderr}`);
  }
  return pair;
}

/** Fails with the command's output when the exit code is not the expected one. */
export function expectExit(r: CliResult, code: number): void {
  if (r.code !== code) {
    throw new Error(`expected exit ${code}, got ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
}

/** Path → sha256 of every remote file below the pair's folder. */
export async function remoteShas(p: Pair): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [path, item] of await p.tree()) if (item.sha256) out[path] = item.sha256;
  return out;
}

/** Path → sha256 of every local file of the pair. */
export function localShas(p: Pair): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of p.localFiles()) out[f] = sha(readFileSync(join(p.local, f)));
  return out;
}
