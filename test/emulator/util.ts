/** Shared helpers of the emulator suite: a started emulator with a logged-in user, raw HTTP calls. */
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import {
  loginTestUser,
  startTestEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../helpers/emulator.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface Env {
  emu: Emulator;
  token: string;
  refresh: string;
  base: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  raw(url: string, init?: RequestInit): Promise<Reply>;
  admin(method: string, path: string, body?: unknown): Promise<Reply>;
  tree(drive?: string): Promise<TreeRow[]>;
  mkdir(name: string, parent?: string): Promise<Record<string, string> & { fileId: string }>;
  upload(
    name: string,
    bytes: Buffer | string,
    parent?: string,
    extra?: Record<string, unknown>,
  ): Promise<Reply>;
  uploadUrl(
    name: string,
    size: number,
    parent?: string,
    extra?: Record<string, unknown>,
  ): Promise<{ uploadUrl: string; offset: number }>;
  close(): Promise<void>;
}

export interface TreeRow {
  path: string;
  fileId: string;
  type: string;
  size: number;
  modifiedTime: string;
  sha256: string | null;
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export async function setup(knobs: Partial<EmulatorOptions> = {}): Promise<Env> {
  const emu = await startTestEmulator({ rateLimit: 0, ...knobs });
  const { accessToken, refreshToken } = await loginTestUser(emu);
  const base = `${emu.urls.api}/users/me/drive`;
  const auth = { Authorization: `Bearer ${accessToken}` };
  const env: Env = {
    emu,
    token: accessToken,
    refresh: refreshToken,
    base,
    async call(method, path, body, headers = {}) {
      const url = path.startsWith('http') ? path : `${base}${path}`;
      const res = await fetch(url, {
        method,
        redirect: 'manual',
        headers: {
          ...auth,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return reply(res);
    },
    async raw(url, init = {}) {
      return reply(await fetch(url, { redirect: 'manual', ...init }));
    },
    async admin(method, path, body) {
      const res = await fetch(`${emu.urls.admin}/${path}`, {
        method,
        headers: body !== undefined ? { 'Content-Type': 'application/json' } : {},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return reply(res);
    },
    async tree(drive = 'me') {
      const r = await env.admin('GET', `tree?drive=${encodeURIComponent(drive)}`);
      if (r.status !== 200) throw new Error(`tree: ${r.status} ${r.text}`);
      return r.body as TreeRow[];
    },
    async mkdir(name, parent) {
      const r = await env.call('POST', parent ? `/files/${parent}/createfolder` : '/files/createfolder', {
        fileName: name,
      });
      if (r.status !== 201) throw new Error(`mkdir ${name}: ${r.status} ${r.text}`);
      return r.body as Record<string, string> & { fileId: string };
    },
    async uploadUrl(name, size, parent, extra = {}) {
      const r = await env.call('POST', parent ? `/files/${parent}` : '/files', {
        fileName: name,
        fileSize: size,
        ...extra,
      });
      if (r.status !== 200) throw new Error(`upload-url ${name}: ${r.status} ${r.text}`);
      return r.body as { uploadUrl: string; offset: number };
    },
    async upload(name, bytes, parent, extra = {}) {
      const buf = Buffer.from(bytes);
      const { uploadUrl } = await env.uploadUrl(name, buf.length, parent, extra);
      return reply(await fetch(uploadUrl, { method: 'PUT', headers: auth, body: buf }));
    },
    close: () => emu.close(),
  };
  return env;
}

/** Runs `fn` against a fresh emulator, closed afterwards. */
export async function withEmu(knobs: Partial<EmulatorOptions>, fn: (e: Env) => Promise<void>): Promise<void> {
  const e = await setup(knobs);
  try {
    await fn(e);
  } finally {
    await e.close();
  }
}

/** Sends `head` of a body that claims `total` bytes, then cuts the connection. */
export function sendPartial(
  url: string,
  token: string,
  total: number,
  head: Buffer,
  headers: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Length': String(total), ...headers },
    });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      resolve();
    });
    req.write(head, () => {
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
  });
}

/** Reads a response body through node:http until the server ends or cuts it. */
export function fetchCut(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), complete: true }),
      );
      res.on('error', () =>
        resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), complete: false }),
      );
      res.on('aborted', () =>
        resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), complete: false }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
