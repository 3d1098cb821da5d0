/**
 * The per-path three-way decision (design.md "The three-way decision"), one row per comment.
 * Returns the actions for one path (a kind change on one side yields a delete plus a create).
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import type { LocalEntry } from '../scan/types.js';
import { localState, present, remoteState, unchanged } from './state.js';
import type { Action } from './types.js';

export interface Triple {
  path: string;
  base?: BaseRow | undefined;
  local?: LocalEntry | undefined;
  remote?: RemoteEntry | undefined;
}

/** `conflictPathFor` names the local copy when both sides changed differently. */
export function decide(t: Triple, conflictPathFor: (path: string) => string): Action[] {
  const { path, base: b, local: l, remote: r } = t;
  const ls = localState(l, b);
  const rs = remoteState(r, b);
  const localMoved = ls === 'changed' || ls === 'new';
  const remoteMoved = rs === 'changed' || rs === 'new';

  // same | same → nothing (refresh the base when only local metadata moved)
  if (unchanged(ls) && unchanged(rs))
    return ls === 'same-content' ? [{ kind: 'record', path, local: l!, remote: r! }] : [];
  // deleted | deleted → forget
  if (!present(ls) && !present(rs)) return b ? [{ kind: 'forget', path }] : [];
  // changed | changed → record when equal folders, otherwise conflict (verify content when sizes match)
  if (localMoved && remoteMoved) {
    if (l!.kind === 'folder' && r!.kind === 'folder')
      return [{ kind: 'record', path, local: l!, remote: r! }];
    const verify = l!.kind === 'file' && r!.kind === 'file' && l!.size === r!.size;
    return [{ kind: 'conflict', path, local: l!, remote: r!, conflictPath: conflictPathFor(path), verify }];
  }
  // changed/new | same/absent/deleted → upload (a change beats a delete)
  if (localMoved) return toRemote(path, l!, r);
  // same/absent/deleted | changed/new → download (a change beats a delete)
  if (remoteMoved) return toLocal(path, r!, l);
  // deleted | same → delete remote
  if (ls === 'deleted') return [{ kind: 'delete-remote', path, remote: r! }];
  // same | deleted → delete local
  return [{ kind: 'delete-local', path, local: l! }];
}

function toRemote(path: string, l: LocalEntry, r: RemoteEntry | undefined): Action[] {
  if (r && r.kind === l.kind && l.kind === 'folder') return [{ kind: 'record', path, local: l, remote: r }];
  const out: Action[] = [];
  if (r && r.kind !== l.kind) out.push({ kind: 'delete-remote', path, remote: r, replaced: true });
  const keep = r && r.kind === l.kind ? r : undefined;
  if (l.kind === 'folder') out.push({ kind: 'mkdir-remote', path, local: l });
  else out.push(keep ? { kind: 'upload', path, local: l, remote: keep } : { kind: 'upload', path, local: l });
  return out;
}

function toLocal(path: string, r: RemoteEntry, l: LocalEntry | undefined): Action[] {
  if (l && l.kind === r.kind && r.kind === 'folder') return [{ kind: 'record', path, local: l, remote: r }];
  const out: Action[] = [];
  if (l && l.kind !== r.kind) out.push({ kind: 'delete-local', path, local: l, replaced: true });
  const keep = l && l.kind === r.kind ? l : undefined;
  if (r.kind === 'folder') out.push({ kind: 'mkdir-local', path, remote: r });
  else
    out.push(
      keep ? { kind: 'download', path, remote: r, local: keep } : { kind: 'download', path, remote: r },
    );
  return out;
}
