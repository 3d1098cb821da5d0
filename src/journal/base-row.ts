/**
 * The base row the engine writes after an action succeeded (or for `record`): what the scan saw
 * locally and what the Drive answered, so the next run compares against both.
 */
import type { RemoteEntry } from '../remote/types.js';
import type { BaseRow } from './types.js';

export interface LocalFacts {
  kind: 'file' | 'folder';
  size: number;
  mtimeMs: number;
  ino: number;
  sha256?: string | undefined;
}

export function toBaseRow(
  path: string,
  local: LocalFacts,
  remote: RemoteEntry,
  sha256?: string | null,
): BaseRow {
  return {
    path,
    kind: local.kind,
    localSize: local.kind === 'file' ? local.size : 0,
    localMtimeMs: Math.trunc(local.mtimeMs),
    localIno: local.ino,
    localSha256: local.kind === 'file' ? (sha256 ?? local.sha256 ?? null) : null,
    remoteKey: remote.resourceKey,
    remoteUpdateMs: remote.updateDate,
    remoteSize: remote.kind === 'file' ? remote.size : 0,
    remoteParentKey: remote.parentKey,
  };
}
