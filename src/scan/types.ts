import type { EntryKind } from '../remote/types.js';

/** One local item as the scan saw it. `path` is relative to the pair's root, '/'-separated, NFC. */
export interface LocalEntry {
  path: string;
  kind: EntryKind;
  /** Bytes; 0 for folders. */
  size: number;
  mtimeMs: number;
  ino: number;
  /** Hex sha256, present when the scan hashed the file (see scan.ts `needsHash`). */
  sha256?: string;
  /** The name on disk when it is not NFC (e.g. NFD from macOS); the engine uses it for I/O. */
  diskPath?: string;
}

export type SkipReason =
  'symlink' | 'special-file' | 'rejected-name' | 'case-clash' | 'unsafe-remote-name' | 'vanished';

export interface SkippedItem {
  path: string;
  reason: SkipReason;
  detail?: string;
}

export interface ScanFailure {
  /** The folder ('' = root) whose contents could not be read: no deletes at or under it. */
  path: string;
  message: string;
}
