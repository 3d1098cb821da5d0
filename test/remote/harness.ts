/**
 * A Drive client wired to an in-process emulator over real HTTP, with the emulator's admin API,
 * a temp folder and every log line the client wrote.
 */
import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import axios, { type AxiosInstance } from 'axios';
import { startTestEmulator } from '../helpers/emulator.js';
import { createLogger } from '../../src/log/logger.js';
import { createSession, type DriveSession, type SessionOptions } from '../../src/remote/session.js';
import type { Remote } from '../../src/remote/types.js';

export interface RequestLogRow {
  method: string;
  path: string;
  operation: string;
  status: number;
}

export interface TreeRow {
  path: string;
  fileId: string;
  type: string;
  size: number;
  modifiedTime: string;
  sha256?: string;
}

export interface Harness {
  urls: { api: string; auth: string; storage: string; admin: string };
  admin: AxiosInstance;
  session: DriveSession;
  remote: Remote;
  dir: string;
  tokenFile: string;
  logLines: string[];
  /** A fresh session on the same token file (as after a restart). */
  newSession(extra?: Partial<SessionOptions>): DriveSession;
  login(session?: DriveSession): Promise<void>;
  fault(f: Record<string, unknown>): Promise<void>;
  config(c: Record<string, unknown>): Promise<void>;
  requests(): Promise<RequestLogRow[]>;
  clearRequests(): Promise<void>;
  tree(): Promise<TreeRow[]>;
  file(name: string, bytes: number | Buffer): string;
  close(): Promise<void>;
}

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const CLIENT_ID = 'emulator-client';
export const CLIENT_SECRET = 'emulator-secret';

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

export async function harness(
  knobs: Record<string, unknown> = {},
  opts: { login?: boolean; session?: Partial<SessionOptions> } = {},
): Promise<Harness> {
  const emu = await startTestEmulator({ rateLimit: 0, ...knobs } as Parameters<typeof startTestEmulator>[0]);
  const urls = emu.urls;
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-remote-'));
  const tokenFile = join(dir, 'state', 'tokens.json');
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger({ destination, level: 'debug' });
  const admin = axios.create({ baseURL: urls.admin.replace(/\/?$/, '/'), validateStatus: () => true });
  const check = (what: string, r: { status: number; data: unknown }): void => {
    if (r.status >= 300) throw new Error(`admin ${what}: ${r.status} ${JSON.stringify(r.data)}`);
  };
  const sessions: DriveSession[] = [];
  const newSession = (extra: Partial<SessionOptions> = {}): DriveSession => {
    const s = createSession({
      apiBaseUrl: urls.api,
      authUrl: urls.auth,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scope: 'file',
      tokenFile,
      logger,
      rateLimitPerMinute: 0,
      retry: { baseMs: 5, maxMs: 50, maxAttempts: 5 },
      stallMs: 10_000,
      ...opts.session,
      ...extra,
    });
    sessions.push(s);
    return s;
  };
  const session = newSession();
  const login = async (s: DriveSession = session): Promise<void> => {
    const res = await axios.get(s.authorizeUrl(REDIRECT_URI, 'st'), {
      maxRedirects: 0,
      validateStatus: () => true,
    });
    const loc = new URL(String(res.headers['location']));
    const code = loc.searchParams.get('code');
    if (res.status !== 302 || !code) throw new Error(`authorize: ${res.status}`);
    await s.exchangeCode(code, REDIRECT_URI);
  };
  if (opts.login !== false) await login();
  return {
    urls,
    admin,
    session,
    remote: session.remote({ kind: 'user', userId: 'me' }),
    dir,
    tokenFile,
    logLines,
    newSession,
    login,
    async fault(f) {
      check('faults', await admin.post('faults', f));
    },
    async config(c) {
      check('config', await admin.post('config', c));
    },
    async requests() {
      const r = await admin.get('requests');
      check('requests', r);
      return r.data as RequestLogRow[];
    },
    async clearRequests() {
      check('requests', await admin.delete('requests'));
    },
    async tree() {
      const r = await admin.get('tree', { params: { drive: 'me' } });
      check('tree', r);
      return r.data as TreeRow[];
    },
    file(name, bytes) {
      const p = join(dir, name);
      writeFileSync(p, typeof bytes === 'number' ? randomBytes(bytes) : bytes);
      return p;
    },
    async close() {
      for (const s of sessions) s.close();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The tree row of a drive path ("a/b.txt" or "/a/b.txt"). */
export function row(tree: TreeRow[], path: string): TreeRow | undefined {
  const p = path.replace(/^\/+/, '');
  return tree.find((t) => t.path.replace(/^\/+/, '').replace(/\/+$/, '') === p);
}

/** Runs `fn` with a fresh emulator and client, closed afterwards. */
export async function withHarness(
  knobs: Record<string, unknown>,
  fn: (h: Harness) => Promise<void>,
  opts: { login?: boolean; session?: Partial<SessionOptions> } = {},
): Promise<void> {
  const h = await harness(knobs, opts);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}
