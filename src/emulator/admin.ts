/** Admin API of contracts §3 (loopback only, no token, never logged). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyKnobs, type Knobs } from './config.js';
import { requestLog, type Env } from './env.js';
import { parseFault } from './faults.js';
import { readSmallBody } from './http.js';
import { rfc3339 } from './fileobj.js';
import { MY_DRIVE } from './store.js';
import { parseBase } from './drives.js';
import { itemsUnder } from './treepath.js';

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

async function json(req: IncomingMessage): Promise<unknown> {
  const text = (await readSmallBody(req)).toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
}

/** `drive=me|user:<id>|sharedrive:<id>|group:<id>` (the config file's drive syntax) to a store key. */
export function driveKey(spec: string): string | null {
  if (spec === 'me' || spec === 'user:me') return MY_DRIVE;
  const m = /^(user|sharedrive|group):(.+)$/.exec(spec);
  if (!m) return null;
  if (m[1] === 'user') return parseBase(['users', m[2] as string, 'drive'])?.drive ?? null;
  return `${m[1]}:${m[2]}`;
}

export interface AdminHooks {
  reset(): void;
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  env: Env,
  rest: string[],
  hooks: AdminHooks,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${rest.join('/')}`;
  try {
    switch (route) {
      case 'GET tree': {
        const url = new URL(req.url ?? '/', 'http://x');
        const key = driveKey(url.searchParams.get('drive') ?? 'me');
        if (!key || !env.store.hasDrive(key)) return send(res, 404, { error: 'unknown drive' });
        const paths = new Map<string, string>();
        const under = url.searchParams.get('path');
        const items = under === null ? env.store.driveItems(key) : itemsUnder(env, key, under);
        const rows = items.map((it) => ({
          path: env.store.path(it, paths),
          fileId: it.id,
          type: it.folder ? 'folder' : 'file',
          size: it.folder ? 0 : it.size,
          modifiedTime: rfc3339(it.modified, env.knobs.timePrecision),
          sha256: it.folder ? null : it.sha256,
        }));
        rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        return send(res, 200, rows);
      }
      case 'GET requests':
        return send(res, 200, requestLog(env));
      case 'DELETE requests':
        env.requests.length = 0;
        return send(res, 204);
      case 'GET faults':
        return send(res, 200, env.faults.list());
      case 'DELETE faults':
        env.faults.clear();
        return send(res, 204);
      case 'POST faults': {
        const body = await json(req);
        const list = Array.isArray(body) ? body : [body];
        const faults = list.map(parseFault);
        faults.forEach((f) => env.faults.add(f));
        return send(res, 200, faults);
      }
      case 'GET config':
        return send(res, 200, env.knobs);
      case 'POST config': {
        const body = await json(req);
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          throw new Error('config must be a JSON object');
        applyKnobs(env.knobs, body as Partial<Knobs>);
        return send(res, 200, env.knobs);
      }
      case 'POST reset':
        hooks.reset();
        return send(res, 200, { ok: true });
      case 'POST drives': {
        const body = (await json(req)) as Record<string, unknown>;
        const sd = body?.sharedrive;
        const g = body?.group;
        if (typeof sd === 'string' && sd !== '') {
          env.store.ensureDrive(`sharedrive:${sd}`, 'sharedrive');
          return send(res, 201, { sharedrive: sd });
        }
        if (typeof g === 'string' && g !== '') {
          env.store.ensureDrive(`group:${g}`, 'group');
          return send(res, 201, { group: g });
        }
        throw new Error('give {"sharedrive":"@…"} or {"group":"…"}');
      }
    }
    return send(res, 404, { error: `no admin route ${route}` });
  } catch (e) {
    return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
  }
}
