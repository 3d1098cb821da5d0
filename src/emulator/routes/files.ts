/** File operations of reference §4 under any drive base. */
import { copyFileSync } from 'node:fs';
import { ApiError, exists, invalid, notFound } from '../errors/api-error.js';
import { readJsonObject, sendJson, type Ctx } from '../http.js';
import type { Env } from '../env.js';
import { fileObject } from '../fileobj.js';
import { touchFolders } from '../foldertime.js';
import { checkName, fileTypeOf, nameKey, suffixed } from '../names.js';
import { newId, type Item, type Store } from '../store.js';
import type { Route } from '../drives.js';

const ORDER_FIELDS = [
  'createdTime',
  'modifiedTime',
  'accessedTime',
  'fileExtension',
  'fileName',
  'filePath',
  'fileSize',
  'fileType',
];

/** A live item of `drive`, else 404. */
export function itemIn(env: Env, drive: string, id: string): Item {
  const it = env.store.item(id);
  if (!it || it.drive !== drive) throw notFound(`fileId ${id} was not found.`);
  return it;
}

/** The parent folder id a request names (undefined = root); a file there is 400. */
function folderIn(env: Env, drive: string, id: string | undefined): string | null {
  if (id === undefined) return null;
  const it = itemIn(env, drive, id);
  if (!it.folder) throw invalid(`fileId ${id} is not a folder.`);
  return it.id;
}

/** `toParentFileId`: absent, null or "" is the root **[chosen]**. */
function targetParent(env: Env, drive: string, body: Record<string, unknown>): string | null {
  const t = body.toParentFileId;
  if (t === undefined || t === null || t === '') return null;
  if (typeof t !== 'string') throw invalid('toParentFileId must be a string');
  return folderIn(env, drive, t);
}

export function clash(
  env: Env,
  drive: string,
  parent: string | null,
  name: string,
  except?: string,
): Item | undefined {
  const key = nameKey(name, env.knobs.caseSensitive);
  const cs = env.knobs.caseSensitive;
  // `nkey` is the NFC, lower-cased name: a case-sensitive match has the same `nkey` too.
  return env.store
    .childrenByKey(drive, parent, cs ? key.toLowerCase() : key)
    .find((c) => c.id !== except && (cs ? c.name.normalize('NFC') === key : c.nkey === key));
}

function newItem(env: Env, drive: string, parent: string | null, name: string, folder: boolean): Item {
  const now = Date.now();
  return {
    id: newId(),
    drive,
    parent,
    name,
    nkey: name.normalize('NFC').toLowerCase(),
    folder: folder ? 1 : 0,
    size: 0,
    created: now,
    modified: now,
    accessed: now,
    blob: null,
    sha256: null,
    trashed: 0,
  };
}

function nameFrom(body: Record<string, unknown>): string {
  const r = checkName(body.fileName);
  if ('error' in r) throw invalid(r.error);
  return r.name;
}

function sortKey(env: Env, it: Item, field: string, paths: Map<string, string>): string | number {
  switch (field) {
    case 'createdTime':
      return it.created;
    case 'modifiedTime':
      return it.modified;
    case 'accessedTime':
      return it.accessed;
    case 'fileSize':
      return it.folder ? 0 : it.size;
    case 'fileType':
      return it.folder ? 'FOLDER' : fileTypeOf(it.name);
    case 'fileExtension': {
      const i = it.name.lastIndexOf('.');
      return i > 0 ? it.name.slice(i + 1).toLowerCase() : '';
    }
    case 'filePath':
      return env.store.path(it, paths);
    default:
      return it.name;
  }
}

/** Sorted listings of more than one page, by drive, parent and order, for the pages after the first. */
const listings = new WeakMap<Store, Map<string, { changes: number; items: Item[] }>>();
const LISTINGS_KEPT = 4;

/**
 * The live children of `parent` in the listing's order. Reading and sorting every child is most of
 * a page's cost, which made paging through a folder quadratic in its size; so a listing longer than
 * a page is kept, and reused while no table has changed since (`Store.changes`).
 */
function sortedChildren(
  env: Env,
  drive: string,
  parent: string | null,
  field: string,
  dir: number,
  count: number,
  paths: Map<string, string>,
): Item[] {
  let kept = listings.get(env.store);
  if (!kept) listings.set(env.store, (kept = new Map()));
  const key = JSON.stringify([drive, parent, field, dir]);
  const changes = env.store.changes();
  const hit = kept.get(key);
  kept.delete(key);
  if (hit && hit.changes === changes) {
    kept.set(key, hit);
    return hit.items;
  }
  const keyed = env.store.children(drive, parent).map((it) => ({ it, k: sortKey(env, it, field, paths) }));
  keyed.sort((a, b) => {
    const c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
    return c !== 0 ? c * dir : a.it.id < b.it.id ? -1 : 1;
  });
  const items = keyed.map((x) => x.it);
  if (items.length > count) {
    kept.set(key, { changes, items });
    for (const old of kept.keys()) if (kept.size > LISTINGS_KEPT) kept.delete(old);
  }
  return items;
}

function list(ctx: Ctx, env: Env, drive: string, route: Route): void {
  const q = ctx.url.searchParams;
  const parent = folderIn(env, drive, route.fileId);
  const countRaw = q.get('count');
  let count = 20;
  if (countRaw !== null) {
    if (!/^\d{1,4}$/.test(countRaw)) throw invalid('count must be an integer in 1..200');
    count = Number(countRaw);
    if (count < 1 || count > 200) throw invalid('count must be an integer in 1..200');
  }
  const orderRaw = (q.get('orderBy') ?? 'fileName asc').trim();
  const m = /^(\w+)(?:\s+(asc|desc))?$/i.exec(orderRaw);
  if (!m || !ORDER_FIELDS.includes(m[1] as string)) throw invalid('orderBy must be "<field> asc|desc"');
  const field = m[1] as string;
  const dir = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  let start = 0;
  const cursor = q.get('cursor');
  if (cursor !== null && cursor !== '') {
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!/^o:\d{1,9}$/.test(decoded)) throw invalid('cursor is not valid');
    start = Number(decoded.slice(2));
  }
  const paths = new Map<string, string>();
  const sorted = sortedChildren(env, drive, parent, field, dir, count, paths);
  const page = sorted.slice(start, start + count).map((it) => fileObject(env.store, it, env.knobs, paths));
  const meta: Record<string, unknown> = {};
  if (start + count < sorted.length)
    meta.nextCursor = Buffer.from(`o:${start + count}`).toString('base64url');
  else if (env.knobs.endCursor === 'null') meta.nextCursor = null;
  else if (env.knobs.endCursor === 'empty') meta.nextCursor = '';
  sendJson(ctx, 200, { files: page, responseMetaData: meta });
}

function driveProps(ctx: Ctx, env: Env, drive: string): void {
  const { used, trash } = env.store.usage(drive);
  const total = env.knobs.quota;
  sendJson(ctx, 200, {
    quota: { total, used, unused: Math.max(0, total - used), trash },
    trashEmptyCycle: 30,
  });
}

async function createFolder(ctx: Ctx, env: Env, drive: string, route: Route): Promise<void> {
  const body = await readJsonObject(ctx.req);
  const name = nameFrom(body);
  const parent = folderIn(env, drive, route.fileId);
  if (clash(env, drive, parent, name)) throw exists(`${name} already exists.`);
  const it = newItem(env, drive, parent, name, true);
  env.store.db.transaction(() => {
    env.store.insert(it);
    touchFolders(env, parent, it.created);
  })();
  sendJson(ctx, 201, fileObject(env.store, it, env.knobs));
}

function copyTree(env: Env, src: Item, parent: string | null, name: string): Item {
  const it = newItem(env, src.drive, parent, name, src.folder === 1);
  it.size = src.size;
  it.modified = src.modified;
  it.sha256 = src.sha256;
  if (!src.folder && src.blob) {
    it.blob = newId('b');
    copyFileSync(env.store.blobPath(src.blob), env.store.blobPath(it.blob));
  }
  env.store.insert(it);
  if (src.folder) for (const c of env.store.children(src.drive, src.id)) copyTree(env, c, it.id, c.name);
  return it;
}

function isInside(env: Env, folderId: string, target: string | null): boolean {
  for (let p = target, guard = 0; p !== null && guard < 100000; guard++) {
    if (p === folderId) return true;
    p = env.store.item(p)?.parent ?? null;
  }
  return false;
}

async function copy(ctx: Ctx, env: Env, drive: string, route: Route): Promise<void> {
  const body = await readJsonObject(ctx.req);
  const src = itemIn(env, drive, route.fileId as string);
  const parent = targetParent(env, drive, body);
  if (src.folder && isInside(env, src.id, parent))
    throw new ApiError(400, 'BAD_REQUEST', 'Cannot copy a folder into itself.');
  if (clash(env, drive, parent, src.name)) throw exists(`${src.name} already exists in the target folder.`);
  const bytes = env.store.subtree(src.id).reduce((n, i) => n + (i.folder ? 0 : i.size), 0);
  if (env.store.usage(drive).used + bytes > env.knobs.quota)
    throw new ApiError(403, 'LIMIT_EXCEEDED', 'Drive capacity exceeded.');
  const copyItem = env.store.db.transaction(() => {
    const made = copyTree(env, src, parent, src.name);
    touchFolders(env, parent, made.created);
    return made;
  })();
  sendJson(ctx, 201, fileObject(env.store, copyItem, env.knobs));
}

async function move(ctx: Ctx, env: Env, drive: string, route: Route): Promise<void> {
  const body = await readJsonObject(ctx.req);
  if (env.knobs.noMove) throw notFound('move is not available.');
  const src = itemIn(env, drive, route.fileId as string);
  const parent = targetParent(env, drive, body);
  if (src.folder && isInside(env, src.id, parent))
    throw new ApiError(400, 'BAD_REQUEST', 'Cannot move a folder into its own subtree.');
  if (clash(env, drive, parent, src.name, src.id))
    throw exists(`${src.name} already exists in the target folder.`);
  const now = Date.now();
  env.store.db.transaction(() => {
    env.store.update(src.id, { parent });
    if (src.parent !== parent) {
      touchFolders(env, src.parent, now);
      touchFolders(env, parent, now);
    }
  })();
  sendJson(ctx, 200, fileObject(env.store, env.store.item(src.id) as Item, env.knobs));
}

async function rename(ctx: Ctx, env: Env, drive: string, route: Route): Promise<void> {
  const body = await readJsonObject(ctx.req);
  if (env.knobs.noMove) throw notFound('rename is not available.');
  const name = nameFrom(body);
  const src = itemIn(env, drive, route.fileId as string);
  if (clash(env, drive, src.parent, name, src.id)) throw exists(`${name} already exists.`);
  env.store.db.transaction(() => {
    env.store.update(src.id, { name, nkey: name.toLowerCase() });
    touchFolders(env, src.parent);
  })();
  sendJson(ctx, 200, fileObject(env.store, env.store.item(src.id) as Item, env.knobs));
}

function remove(ctx: Ctx, env: Env, drive: string, route: Route): void {
  const it = itemIn(env, drive, route.fileId as string);
  env.store.db.transaction(() => {
    env.store.trash(it.id);
    touchFolders(env, it.parent);
  })();
  sendJson(ctx, 204, undefined);
}

function download(ctx: Ctx, env: Env, drive: string, route: Route): void {
  const it = itemIn(env, drive, route.fileId as string);
  if (it.folder) throw new ApiError(400, 'BAD_REQUEST', 'A folder cannot be downloaded.');
  sendJson(ctx, 302, undefined, { Location: `${env.urls.storage}/download/${encodeURIComponent(it.id)}` });
}

export { suffixed, nameFrom, folderIn };

export async function handleFiles(
  ctx: Ctx,
  env: Env,
  drive: string,
  route: Route,
  uploadUrl: (ctx: Ctx, env: Env, drive: string, parent: string | null) => Promise<void>,
): Promise<void> {
  switch (route.action) {
    case 'drive':
      return driveProps(ctx, env, drive);
    case 'list':
      return list(ctx, env, drive, route);
    case 'get': {
      const it = itemIn(env, drive, route.fileId as string);
      return sendJson(ctx, 200, fileObject(env.store, it, env.knobs));
    }
    case 'createfolder':
      return createFolder(ctx, env, drive, route);
    case 'upload-url': {
      const parent = folderIn(env, drive, route.fileId);
      return uploadUrl(ctx, env, drive, parent);
    }
    case 'download':
      return download(ctx, env, drive, route);
    case 'delete':
      return remove(ctx, env, drive, route);
    case 'copy':
      return copy(ctx, env, drive, route);
    case 'move':
      return move(ctx, env, drive, route);
    case 'rename':
      return rename(ctx, env, drive, route);
  }
  throw notFound();
}
