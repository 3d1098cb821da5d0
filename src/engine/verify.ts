/**
 * `--once` checks its own claim (issue 11): before it reports "in sync", both sides as its last pass
 * saw them, with that pass's executed actions played on them, must hold the same paths, each of the
 * same kind, files of the same size. What the plan leaves alone (ignored, refused, clashing names)
 * and what a scan or listing could not read are not compared. PURE: the listings and the plan in,
 * the differing paths out.
 */
import type { Journal } from '../journal/index.js';
import type { Action } from '../plan/index.js';
import { coveredBy } from '../plan/paths.js';
import type { RemoteEntry } from '../remote/types.js';
import { isAtOrUnder } from '../scan/names.js';
import type { LocalEntry } from '../scan/types.js';

interface Seen {
  kind: 'file' | 'folder';
  size: number;
}

type Side = Map<string, Seen>;

const seen = (e: Seen | LocalEntry | RemoteEntry): Seen => ({
  kind: e.kind,
  size: e.kind === 'file' ? e.size : 0,
});

function load(entries: ReadonlyMap<string, LocalEntry | RemoteEntry>): Side {
  const out: Side = new Map();
  for (const [p, e] of entries) out.set(p, seen(e));
  return out;
}

function dropTree(side: Side, path: string): void {
  for (const p of [...side.keys()]) if (isAtOrUnder(p, path)) side.delete(p);
}

function moveTree(side: Side, from: string, to: string): void {
  const moved: [string, Seen][] = [];
  for (const [p, s] of side) if (isAtOrUnder(p, from)) moved.push([to + p.slice(from.length), s]);
  dropTree(side, from);
  for (const [p, s] of moved) side.set(p, s);
}

/** What each action leaves on each side (src/engine/actions/*), played in the plan's order. */
function play(local: Side, remote: Side, a: Action): void {
  switch (a.kind) {
    case 'move-local':
      return moveTree(local, a.sideFrom, a.path);
    case 'move-remote':
      return moveTree(remote, a.sideFrom, a.path);
    case 'upload':
      remote.set(a.path, seen(a.local));
      return;
    case 'download':
    case 'replace-local':
      local.set(a.path, seen(a.remote));
      return;
    case 'replace-remote':
      remote.set(a.path, seen(a.local));
      return;
    case 'mkdir-remote':
      remote.set(a.path, { kind: 'folder', size: 0 });
      return;
    case 'mkdir-local':
      local.set(a.path, { kind: 'folder', size: 0 });
      return;
    case 'delete-remote':
      return dropTree(remote, a.path);
    case 'delete-local':
      return dropTree(local, a.path);
    case 'conflict':
      // the local version goes aside under conflictPath (a folder's contents follow next pass)
      moveTree(local, a.path, a.conflictPath);
      remote.set(a.conflictPath, seen(a.local));
      local.set(a.path, seen(a.remote));
      return;
    case 'record':
    case 'forget':
      return;
    default: {
      const unknown: never = a;
      throw new Error(`verify: no rule for ${(unknown as Action).kind}`);
    }
  }
}

/**
 * The shallowest paths where the sides differ after `actions` (each a path whose parent agrees),
 * sorted. `left`: roots not compared.
 */
export function unequalPaths(
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
  actions: readonly Action[],
  left: Iterable<string>,
): string[] {
  const skip = new Set(left);
  // no action: the listings are compared as they are, without a copy
  const l: ReadonlyMap<string, Seen | LocalEntry> = actions.length === 0 ? local : load(local);
  const r: ReadonlyMap<string, Seen | RemoteEntry> = actions.length === 0 ? remote : load(remote);
  for (const a of actions) play(l as Side, r as Side, a);
  const differ = new Set<string>();
  const check = (p: string, x: Seen | undefined, y: Seen | undefined): void => {
    if (x && y && x.kind === y.kind && x.size === y.size) return;
    if (!coveredBy(p, skip)) differ.add(p);
  };
  const get = <T extends Seen | LocalEntry | RemoteEntry>(m: ReadonlyMap<string, T>, p: string) => {
    const e = m.get(p);
    return e && seen(e);
  };
  for (const [p, x] of l) check(p, seen(x), get(r, p));
  for (const [p, y] of r) if (!l.has(p)) check(p, undefined, seen(y));
  return [...differ].filter((p) => !coveredBy(parentPath(p), differ)).sort();
}

function parentPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '\u0000' : p.slice(0, i);
}

/** Why a path is listed by `status` after a run that found the sides unequal. */
export const UNEQUAL_REASON =
  'the two sides still differ after the run (its own check before reporting "in sync"); the next run looks again';

/** Records the differing paths as problems (`status` lists them), dropping the ones of an earlier run. */
export function recordUnequal(journal: Journal, pair: string, paths: readonly string[], nowMs: number): void {
  journal.transaction(() => {
    for (const p of journal.problems(pair, 'error'))
      if (p.reason === UNEQUAL_REASON) journal.clearProblem(pair, p.path, 'error');
    for (const path of paths)
      journal.recordProblem({ pair, path, kind: 'error', reason: UNEQUAL_REASON, atMs: nowMs });
  });
}
