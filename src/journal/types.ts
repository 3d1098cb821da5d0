/** Rows of the journal as the rest of the program sees them (schema/001_init.sql). */
import type { EntryKind, RemoteEntry } from '../remote/types.js';

/** One row of the remote view (schema/004_remote_view.sql): `entry` null = the Drive lacks `path`. */
export interface RemoteDelta {
  path: string;
  entry: RemoteEntry | null;
}

export interface PairRecord {
  name: string;
  localRoot: string;
  driveSpec: string;
  remotePath: string;
  /** null = the drive root. */
  remoteFolderKey: string | null;
  createdMs: number;
}

/** The identity a pair's journal rows belong to; a change means the rows are another tree's. */
export type PairIdentity = Pick<PairRecord, 'name' | 'localRoot' | 'driveSpec' | 'remotePath'>;

/** What both sides agreed on for one path after the last successful action (design.md "base"). */
export interface BaseRow {
  path: string;
  kind: EntryKind;
  localSize: number;
  localMtimeMs: number;
  localIno: number;
  /** Hex sha256 of the local bytes; null for folders or when not known. */
  localSha256: string | null;
  remoteKey: string;
  remoteUpdateMs: number;
  remoteSize: number;
  remoteParentKey: string | null;
}

export interface PendingAction {
  pair: string;
  path: string;
  action: string;
  attempts: number;
  nextTryMs: number;
  lastError: string | null;
  errorClass: string | null;
  /** The remote refused it for good (name, size, type): not retried by a new `--once` run. */
  permanent: boolean;
  /** What the item looked like when it failed (caller-defined); a permanent refusal holds only while it matches. */
  fingerprint: string | null;
}

export type FileProblemKind = 'error' | 'conflict' | 'skipped';

export interface FileProblem {
  pair: string;
  path: string;
  kind: FileProblemKind;
  reason: string;
  atMs: number;
}

export interface StoredUploadSession {
  path: string;
  uploadUrl: string;
  offset: number;
  size: number;
  mtimeMs: number;
  sha256: string | null;
  parentKey: string | null;
  name: string;
  createdMs: number;
}
