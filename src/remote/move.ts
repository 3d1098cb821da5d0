/**
 * move and rename (reference §4, routes marked [chosen]) with fallbacks for a server that has no
 * such route (it answers 404 for the route while the item exists, or 405/501):
 *
 * - move, file: copy into the target folder, then delete the original. The copy is a new item:
 *   its fileId differs, and the original goes to the drive's trash.
 * - move, folder: create the same-named folder in the target, move every child into it (recursively,
 *   by the same rules), then delete the emptied original. Refused for a target inside the folder.
 * - rename, folder: create the new-named folder beside it, move the children, delete the original.
 * - rename, file: not possible without the bytes (copy keeps the name; copying into the same
 *   folder clashes). Throws RemoteError 'unknown' with code UNSUPPORTED_CODE: the engine, which
 *   has the local file, uploads it under the new name and deletes the old one.
 *
 * The first failed route is remembered for the session, so later calls go straight to the fallback.
 */
import { findByName, type DriveApi } from './api.js';
import { RemoteError, UNSUPPORTED_CODE } from './errors.js';
import type { RemoteEntry } from './types.js';
import { toEntry, type WireFile } from './wire.js';

/** Which routes the server lacks; shared by every Remote of a session. */
export interface RouteSupport {
  move: boolean;
  rename: boolean;
}

export interface MoveContext {
  api: DriveApi;
  routes: RouteSupport;
}

async function routeMissing(api: DriveApi, err: unknown, key: string): Promise<boolean> {
  if (!(err instanceof RemoteError)) return false;
  if (err.status === 405 || err.status === 501) return true;
  if (err.status !== 404) return false;
  return (await api.findFile(key)) !== null;
}

async function assertNotInside(api: DriveApi, folderKey: string, target: string | null): Promise<void> {
  let cur = target;
  for (let depth = 0; cur !== null && depth < 1000; depth++) {
    if (cur === folderKey) throw new RemoteError('bad-request', 'cannot move a folder into itself', 400);
    cur = (await api.getFile(cur)).parentFileId || null;
  }
}

async function createFresh(api: DriveApi, parentKey: string | null, name: string): Promise<WireFile> {
  const existing = findByName(await api.listAll(parentKey), name);
  if (existing) throw new RemoteError('exists', `an item named ${name} already exists in the target`, 409);
  return api.createFolder(parentKey, name);
}

async function moveChildren(ctx: MoveContext, from: WireFile, to: WireFile): Promise<void> {
  for (const child of await ctx.api.listAll(from.fileId)) await moveItem(ctx, child, to.fileId);
  const left = await ctx.api.listAll(from.fileId);
  if (left.length > 0) {
    throw new RemoteError('unknown', `move: ${left.length} items could not be moved out of ${from.fileName}`);
  }
  await ctx.api.deleteFile(from.fileId);
}

async function moveItem(ctx: MoveContext, f: WireFile, toParentKey: string | null): Promise<WireFile> {
  const { api, routes } = ctx;
  if (routes.move) {
    try {
      return await api.move(f.fileId, toParentKey);
    } catch (err) {
      if (!(await routeMissing(api, err, f.fileId))) throw err;
      routes.move = false;
    }
  }
  if (f.fileType !== 'FOLDER') {
    const copy = await api.copy(f.fileId, toParentKey, { name: f.fileName, size: Number(f.fileSize ?? 0) });
    await api.deleteFile(f.fileId);
    return copy;
  }
  await assertNotInside(api, f.fileId, toParentKey);
  const dest = await createFresh(api, toParentKey, f.fileName);
  await moveChildren(ctx, f, dest);
  return api.getFile(dest.fileId);
}

export async function move(ctx: MoveContext, key: string, toParentKey: string | null): Promise<RemoteEntry> {
  const { api, routes } = ctx;
  if (routes.move) {
    try {
      return toEntry(await api.move(key, toParentKey));
    } catch (err) {
      if (!(await routeMissing(api, err, key))) throw err;
      routes.move = false;
    }
  }
  return toEntry(await moveItem(ctx, await api.getFile(key), toParentKey));
}

export async function rename(ctx: MoveContext, key: string, newName: string): Promise<RemoteEntry> {
  const { api, routes } = ctx;
  if (routes.rename) {
    try {
      return toEntry(await api.rename(key, newName));
    } catch (err) {
      if (!(await routeMissing(api, err, key))) throw err;
      routes.rename = false;
    }
  }
  const f = await api.getFile(key);
  if (f.fileType !== 'FOLDER') {
    throw new RemoteError(
      'unknown',
      'the server cannot rename files: upload the file under the new name, then delete the old one',
      undefined,
      UNSUPPORTED_CODE,
    );
  }
  const parentKey = f.parentFileId || null;
  const dest = await createFresh(api, parentKey, newName);
  await moveChildren(ctx, f, dest);
  return toEntry(await api.getFile(dest.fileId));
}
