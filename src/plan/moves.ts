/**
 * Renames (design.md: "a local rename keeps the inode; a remote rename keeps the fileId; both become
 * moves"). A folder rename is one move: descendants that kept their place inside it are implied.
 * Accepted moves rewrite the base and the moved side's entries to the new paths, so the per-path
 * decision that follows sees the world as it will be after the moves.
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import { caseKey, isAtOrUnder } from '../scan/names.js';
import type { LocalEntry } from '../scan/types.js';
import { byDepth } from './paths.js';
import { localState, remoteState } from './state.js';

export interface Move {
  /** 'remote': the local side moved, replay it on the remote (move-remote); 'local': the reverse. */
  apply: 'remote' | 'local';
  /** Source path in the world after the earlier moves of the list. */
  from: string;
  to: string;
  base: BaseRow;
}

/** The moves and the world after them; the inputs themselves when there are no moves. */
export interface Moved {
  moves: Move[];
  base: ReadonlyMap<string, BaseRow>;
  local: ReadonlyMap<string, LocalEntry>;
  remote: ReadonlyMap<string, RemoteEntry>;
}

function rewrite<T extends { path: string }>(
  map: ReadonlyMap<string, T>,
  from: string,
  to: string,
): Map<string, T> {
  const out = new Map<string, T>();
  for (const [p, v] of map) {
    if (isAtOrUnder(p, from) && from !== '') {
      const np = to + p.slice(from.length);
      const moved: T & { diskPath?: string } = { ...v, path: np };
      delete moved.diskPath; // after the move the item sits at its NFC path
      out.set(np, moved);
    } else out.set(p, v);
  }
  return out;
}

/**
 * Answers whether `path` is taken by another item (by case-fold key when `ci`). `asked`: the only
 * paths that will be asked about, so that only their case keys are indexed.
 */
function occupancy(
  map: ReadonlyMap<string, unknown>,
  ci: boolean,
  asked: Iterable<string> = [],
): (path: string, self: string) => boolean {
  const byCase = new Map<string, string[]>();
  if (ci) {
    for (const p of asked) byCase.set(caseKey(p), []);
    for (const p of map.keys()) byCase.get(caseKey(p))?.push(p);
  }
  return (path, self) => {
    if (map.has(path) && path !== self) return true;
    return ci && (byCase.get(caseKey(path)) ?? []).some((p) => p !== self);
  };
}

/**
 * A move needs a base row that a new local item points at by inode, or that a remote item under
 * another path (or with another key) points at by key. Those items are few (none when nothing was
 * renamed), so only the base rows they point at are looked at, and when none is the world is
 * returned as it came.
 */
export function findMoves(
  base: ReadonlyMap<string, BaseRow>,
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
  ci: boolean,
): Moved {
  const unmoved: Moved = { moves: [], base, local, remote };
  const localByIno = new Map<number, LocalEntry>();
  for (const l of local.values()) if (!base.has(l.path)) localByIno.set(l.ino, l);
  const remoteByKey = new Map<string, RemoteEntry>();
  for (const r of remote.values())
    if (base.get(r.path)?.remoteKey !== r.resourceKey) remoteByKey.set(r.resourceKey, r);
  if (localByIno.size === 0 && remoteByKey.size === 0) return unmoved;
  const pointedAt: BaseRow[] = [];
  for (const b of base.values())
    if (remoteByKey.has(b.remoteKey) || localByIno.has(b.localIno)) pointedAt.push(b);
  if (pointedAt.length === 0) return unmoved;

  const localTaken = occupancy(local, false);
  let remoteTaken: ReturnType<typeof occupancy> | undefined;
  const candidates: Omit<Move, 'from'>[] = [];
  const claimed = new Set<string>();
  pointedAt.sort((a, b) => byDepth(a.path, b.path));
  for (const b of pointedAt) {
    const r = remoteByKey.get(b.remoteKey);
    if (r && !remote.has(b.path) && r.kind === b.kind && local.has(b.path) && !claimed.has(r.path)) {
      if (localState(local.get(b.path), b) !== 'deleted' && !localTaken(r.path, b.path)) {
        candidates.push({ apply: 'local', to: r.path, base: b });
        claimed.add(r.path);
        continue;
      }
    }
    const l = localByIno.get(b.localIno);
    if (!l || local.has(b.path) || l.kind !== b.kind || claimed.has(l.path)) continue;
    if (l.kind === 'file' && (l.size !== b.localSize || l.mtimeMs !== b.localMtimeMs)) continue;
    if (remoteState(remote.get(b.path), b) === 'deleted') continue;
    remoteTaken ??= occupancy(
      remote,
      ci,
      [...localByIno.values()].map((x) => x.path),
    );
    if (remoteTaken(l.path, b.path)) continue;
    candidates.push({ apply: 'remote', to: l.path, base: b });
    claimed.add(l.path);
  }

  let vBase = base;
  let vLocal = local;
  let vRemote = remote;
  const moves: Move[] = [];
  const done: { from: string; to: string }[] = [];
  for (const c of candidates) {
    let from = c.base.path;
    for (const d of done) if (isAtOrUnder(from, d.from)) from = d.to + from.slice(d.from.length);
    if (from === c.to) continue;
    moves.push({ ...c, from });
    done.push({ from: c.base.path, to: c.to });
    vBase = rewrite(vBase, from, c.to);
    if (c.apply === 'remote') vRemote = rewrite(vRemote, from, c.to);
    else vLocal = rewrite(vLocal, from, c.to);
  }
  return { moves, base: vBase, local: vLocal, remote: vRemote };
}
