/**
 * The Remote of one drive (types.ts): My Drive, a shared drive or a group folder, all under one
 * `{base}` (reference §2). Calls are paced, retried and token-refreshed by the session's Transport.
 */
import { DriveApi, findByName } from './api.js';
import { download } from './download.js';
import { RemoteError } from './errors.js';
import { move, rename, type RouteSupport } from './move.js';
import type { Transport } from './transport.js';
import type { DownloadOptions, DriveRef, Quota, Remote, RemoteEntry, UploadOptions } from './types.js';
import { upload } from './upload.js';
import { walk } from './walk.js';
import { childPath, toEntry } from './wire.js';

/** `{base}` of a drive (reference §2); path segments percent-encoded (§4). */
export function driveBase(apiBaseUrl: string, drive: DriveRef): string {
  const api = apiBaseUrl.replace(/\/+$/, '');
  const e = encodeURIComponent;
  switch (drive.kind) {
    case 'user':
      return `${api}/users/${e(drive.userId)}/drive`;
    case 'sharedrive':
      return `${api}/sharedrives/${e(drive.id)}`;
    case 'group':
      return `${api}/groups/${e(drive.groupId)}/folder`;
  }
}

export interface DriveRemoteOptions {
  transport: Transport;
  base: string;
  routes: RouteSupport;
  stallMs: number;
}

export class DriveRemote implements Remote {
  readonly #api: DriveApi;
  readonly #o: DriveRemoteOptions;

  constructor(opts: DriveRemoteOptions) {
    this.#o = opts;
    this.#api = new DriveApi(opts.transport, opts.base);
  }

  /** Children of a folder; each `path` is relative to that folder (the child's name, NFC). */
  async list(folderKey: string | null): Promise<RemoteEntry[]> {
    return (await this.#api.listAll(folderKey)).map((f) => toEntry(f, childPath('', f.fileName)));
  }

  walk(
    folderKey: string | null,
    onFolderError?: (path: string, err: Error) => void,
  ): AsyncIterable<RemoteEntry> {
    return walk(this.#api, folderKey, onFolderError);
  }

  async get(key: string): Promise<RemoteEntry> {
    return toEntry(await this.#api.getFile(key));
  }

  async resolvePath(path: string): Promise<RemoteEntry | 'root' | null> {
    const parts = path
      .normalize('NFC')
      .split('/')
      .filter((p) => p !== '');
    if (parts.length === 0) return 'root';
    let parent: string | null = null;
    let found: RemoteEntry | null = null;
    let rel = '';
    for (const [i, name] of parts.entries()) {
      const f = findByName(await this.#api.listAll(parent), name);
      if (!f) return null;
      rel = childPath(rel, f.fileName);
      found = toEntry(f, rel);
      if (i < parts.length - 1 && found.kind !== 'folder') return null;
      parent = found.resourceKey;
    }
    return found;
  }

  async mkdir(parentKey: string | null, name: string): Promise<RemoteEntry> {
    try {
      return toEntry(await this.#api.createFolder(parentKey, name));
    } catch (err) {
      if (!(err instanceof RemoteError) || err.errorClass !== 'exists') throw err;
      // Any 409 on a create means "that name exists" (reference §4): use it if it is a folder.
      const f = findByName(await this.#api.listAll(parentKey), name);
      if (f && f.fileType === 'FOLDER') return toEntry(f);
      throw err;
    }
  }

  upload(
    localPath: string,
    parentKey: string | null,
    name: string,
    opts?: UploadOptions,
  ): Promise<RemoteEntry> {
    return upload(
      { api: this.#api, transport: this.#o.transport, stallMs: this.#o.stallMs },
      localPath,
      parentKey,
      name,
      opts,
    );
  }

  download(key: string, destPath: string, opts?: DownloadOptions): Promise<RemoteEntry> {
    return download(
      { api: this.#api, transport: this.#o.transport, stallMs: this.#o.stallMs },
      key,
      destPath,
      opts,
    );
  }

  delete(key: string): Promise<void> {
    return this.#api.deleteFile(key);
  }

  move(key: string, toParentKey: string | null): Promise<RemoteEntry> {
    return move({ api: this.#api, routes: this.#o.routes }, key, toParentKey);
  }

  rename(key: string, newName: string): Promise<RemoteEntry> {
    return rename({ api: this.#api, routes: this.#o.routes }, key, newName);
  }

  /** Drive properties (reference §2); zeros where the drive reports no quota. */
  async quota(): Promise<Quota> {
    const q = ((await this.#api.driveProperties()).quota ?? {}) as Record<string, unknown>;
    const n = (v: unknown): number => (Number.isFinite(Number(v)) ? Number(v) : 0);
    return { total: n(q.total), used: n(q.used), unused: n(q.unused), trash: n(q.trash) };
  }
}
