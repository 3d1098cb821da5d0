/**
 * How each side stands against the base (design.md "The three-way decision"). Local "changed" =
 * different size or mtime, confirmed by sha256 when only mtime/inode moved; remote "changed" = another
 * resource key, update date or size.
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import type { LocalEntry } from '../scan/types.js';

/** `same-content`: metadata moved but the bytes are the base's (the base row should be refreshed). */
export type SideState = 'absent' | 'new' | 'same' | 'same-content' | 'changed' | 'deleted';

export function localState(l: LocalEntry | undefined, b: BaseRow | undefined): SideState {
  if (!b) return l ? 'new' : 'absent';
  if (!l) return 'deleted';
  if (l.kind !== b.kind) return 'changed';
  if (l.kind === 'folder') return 'same';
  if (l.size !== b.localSize) return 'changed';
  if (l.mtimeMs === b.localMtimeMs && l.ino === b.localIno) return 'same';
  if (l.sha256 !== undefined && b.localSha256 !== null)
    return l.sha256 === b.localSha256 ? 'same-content' : 'changed';
  return 'changed';
}

export function remoteState(r: RemoteEntry | undefined, b: BaseRow | undefined): SideState {
  if (!b) return r ? 'new' : 'absent';
  if (!r) return 'deleted';
  if (r.kind !== b.kind) return 'changed';
  if (r.resourceKey !== b.remoteKey) return 'changed';
  if (r.kind === 'folder') return 'same';
  return r.updateDate === b.remoteUpdateMs && r.size === b.remoteSize ? 'same' : 'changed';
}

export const unchanged = (s: SideState) => s === 'same' || s === 'same-content';
export const present = (s: SideState) => s !== 'absent' && s !== 'deleted';
