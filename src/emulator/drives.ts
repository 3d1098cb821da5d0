/** Drive bases of reference §2: My Drive (`me`, email, `externalKey:user1`), shared drives, group folders. */
import { USER } from './env.js';
import { MY_DRIVE } from './store.js';

export interface Base {
  /** Store key of the drive: `user:…`, `sharedrive:…`, `group:…`. */
  drive: string;
  /** Segments after the base. */
  rest: string[];
}

const USER_ALIASES = new Set(['me', USER, 'externalKey:user1', 'user1']);

/** Splits `segments` into a base and the rest; null when no base shape matches. */
export function parseBase(segments: string[]): (Base & { known: boolean }) | null {
  const [a, b, c] = segments;
  if (a === 'users' && b !== undefined && c === 'drive') {
    const known = USER_ALIASES.has(b) || b.toLowerCase() === USER;
    return { drive: known ? MY_DRIVE : `user:${b}`, rest: segments.slice(3), known };
  }
  if (a === 'sharedrives' && b !== undefined)
    return { drive: `sharedrive:${b}`, rest: segments.slice(2), known: true };
  if (a === 'groups' && b !== undefined && c === 'folder')
    return { drive: `group:${b}`, rest: segments.slice(3), known: true };
  return null;
}

export interface Route {
  operation: string;
  action: string;
  fileId?: string;
  write: boolean;
}

const WRITE = new Set(['createfolder', 'upload-url', 'delete', 'copy', 'move', 'rename']);

/** The operation of a request under a base (reference §4), or an error status for the shape. */
export function routeOf(method: string, rest: string[]): Route | { status: 404 | 405 } {
  const r = (operation: string, action: string, fileId?: string): Route => ({
    operation,
    action,
    fileId,
    write: WRITE.has(operation),
  });
  const m = method.toUpperCase();
  if (rest.length === 0) return m === 'GET' ? r('drive', 'drive') : { status: 405 };
  if (rest[0] !== 'files') return { status: 404 };
  if (rest.length === 1) {
    if (m === 'GET') return r('list', 'list');
    if (m === 'POST') return r('upload-url', 'upload-url');
    return { status: 405 };
  }
  const id = rest[1] as string;
  if (rest.length === 2) {
    if (id === 'createfolder' && m === 'POST') return r('createfolder', 'createfolder');
    if (m === 'GET') return r('get', 'get', id);
    if (m === 'POST') return r('upload-url', 'upload-url', id);
    if (m === 'DELETE') return r('delete', 'delete', id);
    return { status: 405 };
  }
  if (rest.length === 3) {
    const verb = rest[2] as string;
    if (verb === 'children') return m === 'GET' ? r('list', 'list', id) : { status: 405 };
    if (verb === 'download') return m === 'GET' ? r('download', 'download', id) : { status: 405 };
    if (['createfolder', 'copy', 'move', 'rename'].includes(verb))
      return m === 'POST' ? r(verb, verb, id) : { status: 405 };
  }
  return { status: 404 };
}
