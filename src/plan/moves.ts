/**
 * Renames (design.md: "a local rename keeps the inode; a remote rename keeps the fileId; both become
 * moves"). A folder rename is one move: descendants that kept their place inside it are implied.
 * Accepted moves rewrite the base and the moved side's entries to the new paths, so the per-path
 * decision that follows sees the world as it will be after the moves.
 *
 * Each side's paths are in its own coordinates: a local move's target names local folders, a remote
 * move's target remote ones. Where the other side renamed a folder on that target's way, the target
 * is carried into the renamed folder (issue 11), so every move ends at one path both sides agree on.
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import { baseName, caseKey, isAtOrUnder, joinRel, parentOf } from '../scan/names.js';
import type { LocalEntry } from '../scan/types.js';
import { byDepth, depth } from './paths.js';
import { localState } from './state.js';

export interface Move {
  /** 'remote': the local side moved, replay it on the remote (move-remote); 'local': the reverse. */
  apply: 'remote' | 'local';
  /** The base rows' path when this move runs (after the earlier moves of the list). */
  from: string;
  /** Where the item is, then, on the side the move is replayed on (`from` unless the other side moved a folder above it). */
  sideFrom: string;
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

type Side = 'local' | 'remote';

interface Candidate {
  apply: 'remote' | 'local';
  /** The moved item's path in the moved side's own coordinates. */
  sideTo: string;
  base: BaseRow;
}

const movedSide = (c: Candidate): Side => (c.apply === 'remote' ? 'local' : 'remote');

/** `path` with its nearest ancestor (not itself) found in `moved` replaced by where it went. */
function underMoved(path: string, moved: ReadonlyMap<string, string>): string {
  for (let p = parentOf(path); p !== ''; p = parentOf(p)) {
    const to = moved.get(p);
    if (to !== undefined) return to + path.slice(p.length);
  }
  return path;
}

/** `path` carried through the moves made so far, in their order (each `from` as it was then). */
function carried(path: string, done: readonly { from: string; to: string }[]): string {
  let p = path;
  for (const d of done) if (isAtOrUnder(p, d.from)) p = d.to + p.slice(d.from.length);
  return p;
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
  pointedAt.sort((a, b) => byDepth(a.path, b.path));
  return movesAmong(pointedAt, { base, local, remote, localByIno, remoteByKey }, ci);
}

export interface MoveWorld {
  base: ReadonlyMap<string, BaseRow>;
  local: ReadonlyMap<string, LocalEntry>;
  remote: ReadonlyMap<string, RemoteEntry>;
  /** Local items at paths the base does not hold, by inode. */
  localByIno: ReadonlyMap<number, LocalEntry>;
  /** Remote items whose path's base row has another key, by key. */
  remoteByKey: ReadonlyMap<string, RemoteEntry>;
}

/**
 * The moves of the base rows `rows` (shallowest first). A move that does not compose with the others
 * (lands on a taken path, or its item would not end where it puts it) is left out and the rest
 * worked out again without it; its rows are then new on one side and gone on the other.
 */
export function movesAmong(rows: readonly BaseRow[], w: MoveWorld, ci: boolean): Moved {
  const { base, local, remote } = w;
  const rejected = new Set<string>();
  for (;;) {
    const candidates = findCandidates(rows, w, ci, rejected);
    if (candidates.length === 0) return { moves: [], base, local, remote };
    const result = applyMoves(candidates, base, local, remote);
    if ('moves' in result) return result;
    rejected.add(result.reject);
  }
}

/**
 * The rows moved on exactly one side, in depth order. A row moved on both sides is no move (each
 * side's item is then new at its place). `rejected`: base paths whose move did not compose.
 */
function findCandidates(
  pointedAt: readonly BaseRow[],
  w: MoveWorld,
  ci: boolean,
  rejected: ReadonlySet<string>,
): Candidate[] {
  const { local, remote, localByIno, remoteByKey } = w;
  const localTaken = occupancy(local, false);
  let remoteTaken: ReturnType<typeof occupancy> | undefined;
  const candidates: Candidate[] = [];
  const claimed = new Set<string>();
  // base path → the item's path on the side that moved it (to find a row's place under a moved folder)
  const movedLocally = new Map<string, string>();
  const movedRemotely = new Map<string, string>();
  for (const b of pointedAt) {
    if (rejected.has(b.path)) continue;
    const atLocal = underMoved(b.path, movedLocally);
    const atRemote = underMoved(b.path, movedRemotely);
    const r = remoteByKey.get(b.remoteKey);
    if (r && r.path !== atRemote && !remote.has(atRemote) && r.kind === b.kind && !claimed.has(r.path)) {
      const l = local.get(atLocal);
      if (l && l.kind === b.kind && localState(l, b) !== 'deleted' && !localTaken(r.path, atLocal)) {
        candidates.push({ apply: 'local', sideTo: r.path, base: b });
        movedRemotely.set(b.path, r.path);
        claimed.add(r.path);
        continue;
      }
    }
    const l = localByIno.get(b.localIno);
    if (!l || l.path === atLocal || local.has(atLocal) || l.kind !== b.kind || claimed.has(l.path)) continue;
    if (l.kind === 'file' && (l.size !== b.localSize || l.mtimeMs !== b.localMtimeMs)) continue;
    // the Drive still holds this very item there (by key: the move is replayed on that key)
    if (remote.get(atRemote)?.resourceKey !== b.remoteKey) continue;
    remoteTaken ??= occupancy(
      remote,
      ci,
      [...localByIno.values()].map((x) => x.path),
    );
    if (remoteTaken(l.path, atRemote)) continue;
    candidates.push({ apply: 'remote', sideTo: l.path, base: b });
    movedLocally.set(b.path, l.path);
    claimed.add(l.path);
  }
  return candidates;
}

/**
 * Where every candidate ends, in the coordinates both sides share after the moves: a side's path
 * is followed up to the nearest folder the other side moved (or this side moved), and continues from
 * where that folder ends. Returns a base path to reject when two moves each end inside the other.
 */
function targets(
  candidates: readonly Candidate[],
  base: ReadonlyMap<string, BaseRow>,
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
): Map<Candidate, string> | { reject: string } {
  const byBase = new Map<string, Candidate>();
  const bySide = { local: new Map<string, Candidate>(), remote: new Map<string, Candidate>() };
  for (const c of candidates) {
    byBase.set(c.base.path, c);
    bySide[movedSide(c)].set(c.sideTo, c);
  }
  const finals = new Map<Candidate, string>();
  const visiting = new Set<Candidate>();
  let cycle: Candidate | undefined;
  const sameItem = (side: Side, path: string, b: BaseRow): boolean =>
    side === 'local' ? local.get(path)?.ino === b.localIno : remote.get(path)?.resourceKey === b.remoteKey;
  const shared = (side: Side, path: string): string => {
    if (path === '') return '';
    const own = bySide[side].get(path);
    if (own) return final(own);
    const b = base.get(path);
    const other = b && sameItem(side, path, b) ? byBase.get(path) : undefined;
    if (other) return final(other);
    return joinRel(shared(side, parentOf(path)), baseName(path));
  };
  const final = (c: Candidate): string => {
    const known = finals.get(c);
    if (known !== undefined) return known;
    if (visiting.has(c)) {
      cycle ??= c;
      return c.sideTo;
    }
    visiting.add(c);
    const to = joinRel(shared(movedSide(c), parentOf(c.sideTo)), baseName(c.sideTo));
    visiting.delete(c);
    finals.set(c, to);
    return to;
  };
  for (const c of candidates) final(c);
  if (cycle) return { reject: cycle.base.path };
  return finals;
}

/**
 * The moves in the order the executor runs them (by the depth of their target, plan/order.ts) and
 * the world after them, or a base path to reject when a move would land on a taken path or its
 * item would not end where the move puts it.
 */
function applyMoves(
  candidates: readonly Candidate[],
  base: ReadonlyMap<string, BaseRow>,
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
): Moved | { reject: string } {
  const finals = targets(candidates, base, local, remote);
  if ('reject' in finals) return finals;
  const ordered = [...candidates].sort((a, b) => depth(finals.get(a)!) - depth(finals.get(b)!));
  const movedLocally = new Map<string, string>();
  const movedRemotely = new Map<string, string>();
  for (const c of candidates)
    (c.apply === 'remote' ? movedLocally : movedRemotely).set(c.base.path, c.sideTo);

  let vBase = base;
  let vLocal = local;
  let vRemote = remote;
  const moves: Move[] = [];
  const journalDone: { from: string; to: string }[] = [];
  const sideDone = {
    local: [] as { from: string; to: string }[],
    remote: [] as { from: string; to: string }[],
  };
  for (const c of ordered) {
    const to = finals.get(c)!;
    const replayedOn: Side = c.apply;
    const sideStart = underMoved(c.base.path, replayedOn === 'local' ? movedLocally : movedRemotely);
    const from = carried(c.base.path, journalDone);
    const sideFrom = carried(sideStart, sideDone[replayedOn]);
    if (from === to && sideFrom === to) continue;
    const view = replayedOn === 'local' ? vLocal : vRemote;
    const held =
      replayedOn === 'local' ? view.has(sideFrom) : vRemote.get(sideFrom)?.resourceKey === c.base.remoteKey;
    if (vBase.get(from)?.remoteKey !== c.base.remoteKey || !held) return { reject: c.base.path };
    if ((to !== sideFrom && view.has(to)) || (to !== from && vBase.has(to))) return { reject: c.base.path };
    for (let up = parentOf(to); up !== ''; up = parentOf(up))
      if (view.get(up)?.kind === 'file') return { reject: c.base.path };
    moves.push({ apply: c.apply, from, sideFrom, to, base: c.base });
    journalDone.push({ from, to });
    sideDone[replayedOn].push({ from: sideFrom, to });
    vBase = rewrite(vBase, from, to);
    if (replayedOn === 'remote') vRemote = rewrite(vRemote, sideFrom, to);
    else vLocal = rewrite(vLocal, sideFrom, to);
  }
  for (const c of candidates) {
    const to = finals.get(c)!;
    const there =
      c.apply === 'remote'
        ? vLocal.get(to)?.ino === local.get(c.sideTo)?.ino
        : vRemote.get(to)?.resourceKey === remote.get(c.sideTo)?.resourceKey;
    if (!there || vBase.get(to)?.remoteKey !== c.base.remoteKey) return { reject: c.base.path };
  }
  return { moves, base: vBase, local: vLocal, remote: vRemote };
}
