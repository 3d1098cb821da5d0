/**
 * One-way pairs (issue 14; contracts.md §2 `direction`, `cleanup_local`, `cleanup_remote`): the same
 * per-path decision as decide.ts, except that the side the pair does not follow is never written.
 *
 * download (the local folder mirrors the Drive), per path, local state × Drive state:
 *   both unchanged / both gone        → as two-way (nothing, record, forget)
 *   Drive lacks it, tracked           → delete-local (a locally changed version goes to the trash too)
 *   Drive lacks it, untracked         → cleanup_local ? delete-local : left, reported 'local-only'
 *   local lacks it                    → download / mkdir-local (a local delete is undone)
 *   local same, Drive changed         → download over it
 *   local changed or new              → replace-local (the local version goes to the pair's trash)
 *   kinds differ                      → delete-local (replaced) + download / mkdir-local; a local
 *                                       folder of untracked items is left unless cleanup_local
 * upload (the Drive mirrors the local folder) is the mirror image: delete-remote goes to the
 * Drive's trash, replace-remote deletes the Drive's version (to its trash) and uploads anew, and an
 * untracked file of one size and modification second on both sides is taken as equal (recorded)
 * since nothing may be downloaded to compare it.
 *
 * A rename or move on the side not followed is not replayed: it is the delete of the old name (the
 * old path comes back) and the creation of the new one (left and reported, or cleaned up), so no
 * rename the user made is undone without a copy. Under --resync nothing is deleted: what would be is
 * left and reported.
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import { parentOf } from '../scan/names.js';
import type { LocalEntry } from '../scan/types.js';
import { decide, type Triple } from './decide.js';
import { movesAmong, type Move, type Moved } from './moves.js';
import { byDepth, coveredBy, depth, selfAndAncestors } from './paths.js';
import { localState, present, remoteState, unchanged } from './state.js';
import type { Action, Direction, PlanInput, PlanOptions, PlanSkip } from './types.js';
import { without } from './without.js';

export interface OneWay {
  /** The actions for one path (decide.ts's contract). */
  decide(t: Triple, conflictPathFor: (path: string) => string): Action[];
  /**
   * Last step of the plan: keeps folders that hold items left alone, drops what the two-way steps
   * after the decision would create on the side not followed, and reports the items left alone
   * (the shallowest of each subtree) into `skipped`.
   */
  finish(actions: Action[]): Action[];
}

const TWO_WAY: OneWay = { decide, finish: (actions) => actions };

/** Per-path context of one plan: what may be deleted and where items left alone are noted. */
interface Ctx {
  clean: boolean;
  resync: boolean;
  left: PlanSkip[];
}

export function oneWay(options: PlanOptions, skipped: PlanSkip[]): OneWay {
  const direction = options.direction ?? 'both';
  if (direction === 'both') return TWO_WAY;
  const ctx: Ctx = {
    clean: direction === 'download' ? options.cleanupLocal === true : options.cleanupRemote === true,
    resync: options.resync,
    left: [],
  };
  const decideOne = direction === 'download' ? mirrorDrive : mirrorLocal;
  return {
    decide: (t, conflictPathFor) => decideOne(t, ctx, conflictPathFor),
    finish: (actions) => finish(direction, actions, ctx.left, skipped),
  };
}

function leave(ctx: Ctx, path: string, side: 'local' | 'remote', detail?: string): Action[] {
  ctx.left.push({
    path,
    reason: side === 'local' ? 'local-only' : 'remote-only',
    side,
    ...(detail ? { detail } : {}),
  });
  return [];
}

const fetchLocal = (path: string, r: RemoteEntry): Action =>
  r.kind === 'folder' ? { kind: 'mkdir-local', path, remote: r } : { kind: 'download', path, remote: r };

const sendRemote = (path: string, l: LocalEntry): Action =>
  l.kind === 'folder' ? { kind: 'mkdir-remote', path, local: l } : { kind: 'upload', path, local: l };

/** download: only the local folder is written. */
function mirrorDrive(t: Triple, ctx: Ctx, conflictPathFor: (path: string) => string): Action[] {
  const { path, base: b, local: l, remote: r } = t;
  const ls = localState(l, b);
  const rs = remoteState(r, b);
  if ((unchanged(ls) && unchanged(rs)) || (!present(ls) && !present(rs))) return decide(t, conflictPathFor);
  if (!present(rs)) {
    if (ctx.resync || (!b && !ctx.clean)) return leave(ctx, path, 'local');
    return [{ kind: 'delete-local', path, local: l! }];
  }
  const drive = r!;
  if (!present(ls)) return [fetchLocal(path, drive)];
  const mine = l!;
  if (mine.kind === 'folder' && drive.kind === 'folder')
    return [{ kind: 'record', path, local: mine, remote: drive }];
  if (mine.kind !== drive.kind) {
    if (ctx.resync || (mine.kind === 'folder' && ls !== 'same' && !ctx.clean))
      return leave(ctx, path, 'local', `the Drive has a ${drive.kind} here`);
    return [{ kind: 'delete-local', path, local: mine, replaced: true }, fetchLocal(path, drive)];
  }
  if (unchanged(ls)) return [{ kind: 'download', path, remote: drive, local: mine }];
  return [{ kind: 'replace-local', path, local: mine, remote: drive, verify: mine.size === drive.size }];
}

/** upload: only the Drive is written. */
function mirrorLocal(t: Triple, ctx: Ctx, conflictPathFor: (path: string) => string): Action[] {
  const { path, base: b, local: l, remote: r } = t;
  const ls = localState(l, b);
  const rs = remoteState(r, b);
  if ((unchanged(ls) && unchanged(rs)) || (!present(ls) && !present(rs))) return decide(t, conflictPathFor);
  if (!present(ls)) {
    if (ctx.resync || (!b && !ctx.clean)) return leave(ctx, path, 'remote');
    return [{ kind: 'delete-remote', path, remote: r! }];
  }
  const mine = l!;
  if (!present(rs)) return [sendRemote(path, mine)];
  const drive = r!;
  if (mine.kind === 'folder' && drive.kind === 'folder')
    return [{ kind: 'record', path, local: mine, remote: drive }];
  if (mine.kind !== drive.kind) {
    if (ctx.resync || (drive.kind === 'folder' && rs !== 'same' && !ctx.clean))
      return leave(ctx, path, 'remote', `the local folder has a ${mine.kind} here`);
    return [{ kind: 'delete-remote', path, remote: drive, replaced: true }, sendRemote(path, mine)];
  }
  if (unchanged(rs)) return [{ kind: 'upload', path, local: mine, remote: drive }];
  if (!b && sameFile(mine, drive)) return [{ kind: 'record', path, local: mine, remote: drive }];
  return [{ kind: 'replace-remote', path, local: mine, remote: drive }];
}

/** Size and modification second agree (the Drive keeps seconds; reference §3 `modifiedTime`). */
function sameFile(l: LocalEntry, r: RemoteEntry): boolean {
  return l.size === r.size && Math.floor(l.mtimeMs / 1000) === Math.floor(r.updateDate / 1000);
}

/**
 * Items the Drive could not hold (a name it refuses, a case clash) on the side a download pair
 * leaves alone, or remote names that could not be written here in an upload pair: never to be
 * synced by this pair anyway, they are reported as one-sided rather than refused.
 */
const NOT_FOR_THE_OTHER_SIDE: Record<'download' | 'upload', ReadonlySet<PlanSkip['reason']>> = {
  download: new Set(['rejected-name', 'case-clash']),
  upload: new Set(['unsafe-remote-name']),
};

function finish(direction: Direction, actions: Action[], left: PlanSkip[], skipped: PlanSkip[]): Action[] {
  const download = direction === 'download';
  const mine = download ? 'local' : 'remote';
  const notForTheOtherSide = NOT_FOR_THE_OTHER_SIDE[download ? 'download' : 'upload'];
  for (const [i, s] of skipped.entries()) {
    if (s.side !== mine || !notForTheOtherSide.has(s.reason)) continue;
    const detail = s.detail ? `${s.reason}: ${s.detail}` : s.reason;
    skipped[i] = { ...s, reason: download ? 'local-only' : 'remote-only', detail };
  }
  const holding = new Set<string>();
  for (const s of left) for (const p of selfAndAncestors(parentOf(s.path))) holding.add(p);
  const reported = new Set<string>();
  for (const s of [...left].sort((a, b) => depth(a.path) - depth(b.path))) {
    if (coveredBy(s.path, reported)) continue;
    reported.add(s.path);
    skipped.push(s);
  }
  // a folder that holds items left alone stays, and so does what it was to be replaced by
  const keptFolders = new Set<string>();
  const out: Action[] = [];
  for (const a of actions) {
    if (download && a.kind === 'delete-local' && a.local.kind === 'folder' && holding.has(a.path)) {
      keptFolders.add(a.path);
      continue;
    }
    if (!download && a.kind === 'delete-remote' && a.remote.kind === 'folder' && holding.has(a.path)) {
      keptFolders.add(a.path);
      continue;
    }
    // plan.ts re-creates a deleted folder whose contents survive (ignored, unreadable) on the
    // other side: here the folder simply stays where it is
    if (download && a.kind === 'mkdir-remote') continue;
    if (!download && a.kind === 'mkdir-local') continue;
    out.push(a);
  }
  if (keptFolders.size === 0) return out;
  const creates = download ? ['download', 'mkdir-local'] : ['upload', 'mkdir-remote'];
  return out.filter((a) => !(keptFolders.has(a.path) && creates.includes(a.kind)));
}

/**
 * The moves of findMoves that the pair follows (a Drive move replayed here in download, a local
 * move replayed on the Drive in upload), with the world after those only: the others are seen as
 * the delete of the old path and the creation of the new one. `input` and `roots` are what
 * findMoves was given (roots hidden).
 */
export function followedMoves(
  options: PlanOptions,
  moved: Moved,
  input: PlanInput,
  roots: ReadonlySet<string>,
): Moved {
  const direction = options.direction ?? 'both';
  if (direction === 'both' || moved.moves.length === 0) return moved;
  const replayedOn: Move['apply'] = direction === 'download' ? 'local' : 'remote';
  if (moved.moves.every((m) => m.apply === replayedOn)) return moved;
  // the moves worked out again with only the followed side's renames in sight, so that none of
  // them is composed with a move the pair does not make
  const base = without(input.base, roots);
  const local = without(input.local, roots);
  const remote = without(input.remote, roots);
  const localByIno = new Map<number, LocalEntry>();
  const remoteByKey = new Map<string, RemoteEntry>();
  if (replayedOn === 'remote') {
    for (const l of local.values()) if (!base.has(l.path)) localByIno.set(l.ino, l);
  } else {
    for (const r of remote.values())
      if (base.get(r.path)?.remoteKey !== r.resourceKey) remoteByKey.set(r.resourceKey, r);
  }
  const rows: BaseRow[] = [];
  for (const b of base.values()) if (remoteByKey.has(b.remoteKey) || localByIno.has(b.localIno)) rows.push(b);
  if (rows.length === 0) return { moves: [], base, local, remote };
  rows.sort((a, b) => byDepth(a.path, b.path));
  return movesAmong(rows, { base, local, remote, localByIno, remoteByKey }, options.caseInsensitiveRemote);
}
