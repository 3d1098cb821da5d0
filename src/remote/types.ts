/**
 * The engine's whole view of the remote side (design.md "The shape"). No raw API JSON travels past
 * src/remote/: wire Files are converted into RemoteEntry at this edge.
 *
 * Names follow the legacy API and the product's design: `resourceKey` is API 2.0's `fileId`,
 * `updateDate` is `modifiedTime` as epoch milliseconds (lineworks-drive-api.md §3, §9).
 */

export type EntryKind = 'file' | 'folder';

export interface RemoteEntry {
  /** API 2.0 `fileId`. Opaque. */
  resourceKey: string;
  /** `parentFileId`; null for items at the drive root (the root has no fileId, reference §2). */
  parentKey: string | null;
  /** The name as the server stores it (`fileName`). */
  name: string;
  /**
   * Path relative to the pair's remote folder, `/`-separated, no leading slash ("a/b.txt").
   * For `get`/`stat` results outside any walk it is the drive path without the leading slash.
   */
  path: string;
  kind: EntryKind;
  /** Bytes; 0 for folders. */
  size: number;
  /** `modifiedTime` as epoch milliseconds. */
  updateDate: number;
}

/** Which drive a pair lives in (contracts.md §2 `drive`). */
export type DriveRef =
  | { kind: 'user'; userId: string } // "me" or "user:<userId>"
  | { kind: 'sharedrive'; id: string } // "sharedrive:<id>"
  | { kind: 'group'; groupId: string }; // "group:<groupId>"

/** A persisted resumable-upload session (seed 004). The caller stores it and hands it back. */
export interface UploadSession {
  uploadUrl: string;
  /** Bytes the server held when last asked. */
  offset: number;
  size: number;
  /** Local mtime (ms) of the file when the session began; a changed file restarts the upload. */
  mtimeMs: number;
  /** Hex sha256 of the local file when the session began, if known. */
  sha256?: string;
  /** Remote parent folder key (null = drive root) and name the session was created for. */
  parentKey: string | null;
  name: string;
  createdAt: number;
}

export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface UploadOptions {
  /** Replace an existing same-named file, keeping its fileId (reference §5 `overwrite`). */
  overwrite?: boolean;
  /** Local mtime to set as the remote `modifiedTime` (ms). */
  mtimeMs?: number;
  /** A session persisted by an earlier attempt; resumed when it still matches. */
  session?: UploadSession | null;
  /** Called with every new or updated session, so the caller can persist it before bytes flow. */
  onSession?: (session: UploadSession) => void;
  onProgress?: (p: TransferProgress) => void;
  signal?: AbortSignal;
}

export interface DownloadOptions {
  /**
   * Continue from the bytes already in `destPath` (a download broken in an earlier run), with
   * `Range`; only safe when the caller knows they came from the same remote version.
   * @default false (destPath is truncated first)
   */
  resume?: boolean;
  /**
   * With `resume`: the remote version the bytes on disk came from. When the file on the Drive is
   * no longer that version (another update time or size), the download starts over.
   */
  version?: { updateDate: number; size: number };
  onProgress?: (p: TransferProgress) => void;
  signal?: AbortSignal;
}

export interface Quota {
  total: number;
  used: number;
  unused: number;
  trash: number;
}

/**
 * One implementation serves My Drive, shared drives and group folders. Every method is paced,
 * retried and token-refreshed inside; failures surface as RemoteError (see errors.ts).
 * `folderKey` null means the drive root.
 */
export interface Remote {
  /** Every child of a folder (all pages). */
  list(folderKey: string | null): Promise<RemoteEntry[]>;
  /**
   * Every item below a folder, yielded as listings arrive (parents before children).
   * `path` of each entry is relative to `folderKey`. A folder whose listing failed is reported
   * through `onFolderError` and the walk goes on, so callers can refuse deletes below it.
   */
  walk(
    folderKey: string | null,
    onFolderError?: (path: string, err: Error) => void,
  ): AsyncIterable<RemoteEntry>;
  get(key: string): Promise<RemoteEntry>;
  /** Resolve a drive path ("/a/b" or "/") to an entry; null when missing; root → null key. */
  resolvePath(path: string): Promise<RemoteEntry | 'root' | null>;
  /** Creates a folder; an existing same-named folder is returned instead (409 → look up). */
  mkdir(parentKey: string | null, name: string): Promise<RemoteEntry>;
  /** Uploads a local file as `name` under `parentKey`; resumable, streaming. */
  upload(
    localPath: string,
    parentKey: string | null,
    name: string,
    opts?: UploadOptions,
  ): Promise<RemoteEntry>;
  /** Downloads to `destPath` (written in place: the caller passes a temporary name). */
  download(key: string, destPath: string, opts?: DownloadOptions): Promise<RemoteEntry>;
  /** Moves to the drive trash; an already-missing item counts as deleted. */
  delete(key: string): Promise<void>;
  move(key: string, toParentKey: string | null): Promise<RemoteEntry>;
  rename(key: string, newName: string): Promise<RemoteEntry>;
  quota(): Promise<Quota>;
}
