/**
 * The Drive API 2.0 calls of reference §4, one method each, under one drive's `{base}` (§2).
 * Calls that are not idempotent carry their "look before retrying" check (§7 long-running).
 * Answers are read into WireFile/WireList here; callers turn them into RemoteEntry.
 */
import { RemoteError } from './errors.js';
import type { HttpResponse, Transport } from './transport.js';
import { readFile, readList, type WireFile, type WireList } from './wire.js';

/** Largest page the API serves (§4). */
export const PAGE_SIZE = 200;

/** Same name as the server sees it: NFC, compared without case (the default, §4 "Names"). */
export function sameName(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

/** The child named `name`: an exact (NFC) match first, else a case-insensitive one. */
export function findByName(files: WireFile[], name: string): WireFile | undefined {
  const n = name.normalize('NFC');
  return files.find((f) => f.fileName.normalize('NFC') === n) ?? files.find((f) => sameName(f.fileName, n));
}

const seen = (data: unknown): HttpResponse => ({ status: 200, headers: {}, data });

export interface UploadUrlRequest {
  fileName: string;
  fileSize: number;
  modifiedTime: string;
  overwrite: boolean;
  resume: boolean;
}

export class DriveApi {
  constructor(
    readonly transport: Transport,
    /** `{base}` of §2, no trailing slash. */
    readonly base: string,
  ) {}

  #files(key: string | null, suffix = ''): string {
    return `${this.base}/files${key === null ? '' : `/${encodeURIComponent(key)}`}${suffix}`;
  }

  async listPage(folderKey: string | null, cursor: string | null, signal?: AbortSignal): Promise<WireList> {
    const q = new URLSearchParams({ count: String(PAGE_SIZE) });
    if (cursor !== null) q.set('cursor', cursor);
    const url = `${folderKey === null ? this.#files(null) : this.#files(folderKey, '/children')}?${q}`;
    const res = await this.transport.call({
      op: 'list',
      method: 'GET',
      url,
      expect: [200],
      ...(signal ? { signal } : {}),
    });
    return readList(res.data);
  }

  /** Every child, all pages; the list ends when nextCursor is absent, null or "" (§4). */
  async listAll(folderKey: string | null): Promise<WireFile[]> {
    const out: WireFile[] = [];
    let cursor: string | null = null;
    do {
      const page: WireList = await this.listPage(folderKey, cursor);
      out.push(...page.files);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }

  async getFile(key: string): Promise<WireFile> {
    const res = await this.transport.call({ op: 'get', method: 'GET', url: this.#files(key), expect: [200] });
    return readFile(res.data);
  }

  /** The File, or null when the server says it does not exist. */
  async findFile(key: string): Promise<WireFile | null> {
    try {
      return await this.getFile(key);
    } catch (err) {
      if (err instanceof RemoteError && err.errorClass === 'not-found') return null;
      throw err;
    }
  }

  /** 201 File. A 598 or lost answer looks for the folder in the parent before trying again. */
  async createFolder(parentKey: string | null, name: string): Promise<WireFile> {
    const res = await this.transport.call(
      {
        op: 'createfolder',
        method: 'POST',
        url: this.#files(parentKey, '/createfolder'),
        data: { fileName: name },
        expect: [201, 200],
        nameInRequest: true,
      },
      async () => {
        const f = findByName(await this.listAll(parentKey), name);
        return f && f.fileType === 'FOLDER' ? seen(f) : undefined;
      },
    );
    return readFile(res.data);
  }

  /** Step 1 of an upload (§5, seed 004): `{uploadUrl, offset}`. */
  async createUploadUrl(
    parentKey: string | null,
    body: UploadUrlRequest,
    signal?: AbortSignal,
  ): Promise<{ uploadUrl: string; offset: number }> {
    const res = await this.transport.call({
      op: 'upload-url',
      method: 'POST',
      url: this.#files(parentKey),
      data: body,
      expect: [200, 201],
      nameInRequest: true,
      ...(signal ? { signal } : {}),
    });
    const o = (res.data ?? {}) as { uploadUrl?: unknown; offset?: unknown };
    if (typeof o.uploadUrl !== 'string' || o.uploadUrl === '') {
      throw new RemoteError('unknown', 'upload-url: answer without uploadUrl');
    }
    const offset = Number(o.offset ?? 0);
    return { uploadUrl: o.uploadUrl, offset: Number.isFinite(offset) && offset > 0 ? offset : 0 };
  }

  /** 204. An item already gone counts as deleted; a 598 or lost answer looks first. */
  async deleteFile(key: string): Promise<void> {
    try {
      await this.transport.call(
        { op: 'delete', method: 'DELETE', url: this.#files(key), expect: [204, 200] },
        async () => ((await this.findFile(key)) === null ? seen(null) : undefined),
      );
    } catch (err) {
      if (err instanceof RemoteError && err.errorClass === 'not-found') return;
      throw err;
    }
  }

  /** 201 File (a new fileId). A 598 or lost answer looks for the copy in the target folder. */
  async copy(
    key: string,
    toParentKey: string | null,
    expect: { name: string; size: number },
  ): Promise<WireFile> {
    const res = await this.transport.call(
      {
        op: 'copy',
        method: 'POST',
        url: this.#files(key, '/copy'),
        data: toParentKey === null ? {} : { toParentFileId: toParentKey },
        expect: [201, 200],
        nameInRequest: true,
      },
      async () => {
        const f = findByName(await this.listAll(toParentKey), expect.name);
        return f && f.fileId !== key && Number(f.fileSize ?? 0) === expect.size ? seen(f) : undefined;
      },
    );
    return readFile(res.data);
  }

  /** 200 File. A 598 or lost answer checks whether the item already sits in the target. */
  async move(key: string, toParentKey: string | null): Promise<WireFile> {
    const res = await this.transport.call(
      {
        op: 'move',
        method: 'POST',
        url: this.#files(key, '/move'),
        data: toParentKey === null ? {} : { toParentFileId: toParentKey },
        expect: [200, 201],
        nameInRequest: true,
      },
      async () => {
        const f = await this.findFile(key);
        return f && (f.parentFileId || null) === toParentKey ? seen(f) : undefined;
      },
    );
    return readFile(res.data);
  }

  /** 200 File. A 598 or lost answer checks whether the item already has the new name. */
  async rename(key: string, name: string): Promise<WireFile> {
    const res = await this.transport.call(
      {
        op: 'rename',
        method: 'POST',
        url: this.#files(key, '/rename'),
        data: { fileName: name },
        expect: [200, 201],
        nameInRequest: true,
      },
      async () => {
        const f = await this.findFile(key);
        return f && f.fileName.normalize('NFC') === name.normalize('NFC') ? seen(f) : undefined;
      },
    );
    return readFile(res.data);
  }

  /** The storage URL of a download (§6: a 302 whose Location the client follows itself). */
  async downloadLocation(key: string, signal?: AbortSignal): Promise<string> {
    const url = this.#files(key, '/download');
    const res = await this.transport.call({
      op: 'download',
      method: 'GET',
      url,
      expect: [302, 301, 303, 307],
      ...(signal ? { signal } : {}),
    });
    const loc = res.headers['location'];
    if (typeof loc !== 'string' || loc === '')
      throw new RemoteError('unknown', 'download: redirect without Location');
    return new URL(loc, url).toString();
  }

  /** `GET {base}`: drive properties (§2). */
  async driveProperties(): Promise<Record<string, unknown>> {
    const res = await this.transport.call({ op: 'drive', method: 'GET', url: this.base, expect: [200] });
    return (res.data && typeof res.data === 'object' ? res.data : {}) as Record<string, unknown>;
  }
}
