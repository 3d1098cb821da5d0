/**
 * Paths the plan must not touch on either side: ignored (nextcloud #1238: an ignore rule added later
 * deletes nothing), a local name the Drive would refuse, a remote name that would leave the root,
 * and names that clash by case on a case-insensitive Drive (reference §4). Each is reported once
 * (descendants follow their skipped ancestor silently).
 *
 * Reports are made shallowest first (then by path), so an ancestor is reported before what lies
 * under it. Only the few offending items are sorted: on a tree that is in sync there are none, and
 * nothing but one pass over each side is spent (no sorted copies, no index of every inode).
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import type { IgnoreRules } from '../scan/ignore.js';
import { baseName, caseKey, remoteNameProblem, unsafeRemoteName } from '../scan/names.js';
import type { LocalEntry } from '../scan/types.js';
import { byDepth, coveredBy } from './paths.js';
import type { PlanSkip } from './types.js';

export interface HandsOff {
  /** Roots of skipped subtrees (ignored or reported). */
  roots: Set<string>;
  skipped: PlanSkip[];
}

/** Inode → the last base row with it (built only when a local item is reported). */
function inoIndex<T>(base: ReadonlyMap<string, BaseRow>, pick: (b: BaseRow) => T): Map<number, T> {
  const out = new Map<number, T>();
  for (const b of base.values()) out.set(b.localIno, pick(b));
  return out;
}

export function handsOff(
  base: ReadonlyMap<string, BaseRow>,
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
  rules: IgnoreRules,
  caseInsensitive: boolean,
): HandsOff {
  const roots = new Set<string>();
  const skipped: PlanSkip[] = [];
  // a local item renamed to a skipped name keeps its old path hands-off too: not "deleted" there
  let baseByIno: Map<number, string> | undefined;
  const skip = (s: PlanSkip) => {
    if (coveredBy(s.path, roots)) return;
    roots.add(s.path);
    skipped.push(s);
    const ino = s.side === 'local' ? local.get(s.path)?.ino : undefined;
    if (ino === undefined) return;
    baseByIno ??= inoIndex(base, (b) => b.path);
    const renamedFrom = baseByIno.get(ino);
    if (renamedFrom !== undefined && !local.has(renamedFrom)) roots.add(renamedFrom);
  };

  // ignored paths first: what lies under them is not reported
  for (const b of base.values()) if (rules.ignores(b.path, b.kind)) roots.add(b.path);
  const rejected: { path: string; why: string }[] = [];
  for (const l of local.values()) {
    if (rules.ignores(l.path, l.kind)) roots.add(l.path);
    if (base.has(l.path)) continue;
    const why = remoteNameProblem(baseName(l.path));
    if (why) rejected.push({ path: l.path, why });
  }
  const unsafe: { path: string; why: string }[] = [];
  for (const r of remote.values()) {
    if (rules.ignores(r.path, r.kind)) roots.add(r.path);
    const why = unsafeRemoteName(r.name);
    if (why) unsafe.push({ path: r.path, why });
  }
  for (const u of unsafe.sort((a, b) => byDepth(a.path, b.path)))
    skip({ path: u.path, reason: 'unsafe-remote-name', detail: u.why, side: 'remote' });
  for (const r of rejected.sort((a, b) => byDepth(a.path, b.path)))
    skip({ path: r.path, reason: 'rejected-name', detail: r.why, side: 'local' });
  if (caseInsensitive) caseClashes(base, local, remote, skip);
  return { roots, skipped };
}

/** Every path is its own case key (lowercase ASCII always is: no need to fold it to know). */
function allOwnKeys(paths: Iterable<string>): boolean {
  next: for (const p of paths) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c >= 65 && c <= 90) return false;
      if (c > 127) {
        if (caseKey(p) !== p) return false;
        continue next;
      }
    }
  }
  return true;
}

/**
 * Local items whose names are one name on the Drive: all but one of them (the one the base or the
 * remote already knows, else the first by path) are skipped, and so is the one left when the Drive
 * holds the name under another case (unless it is the local item renamed to that case).
 *
 * Only names that occur more than once matter: a group of local items with one case key is looked
 * at only when it holds several items or a remote item has its key under another path, and only
 * such groups are built. They are looked at shortest first, in the order their first item was met.
 */
function caseClashes(
  base: ReadonlyMap<string, BaseRow>,
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
  skip: (s: PlanSkip) => void,
): void {
  // two paths share a key only when one of them is not its own key: none is, none clash
  if (allOwnKeys(local.keys()) && allOwnKeys(remote.keys())) return;
  const keys = new Set<string>();
  const repeated = new Set<string>();
  for (const p of local.keys()) {
    const k = caseKey(p);
    const before = keys.size;
    keys.add(k);
    if (keys.size === before) repeated.add(k);
  }
  // the last remote item of each key that can matter: several local items have it, or one under
  // another path
  const remoteByCase = new Map<string, RemoteEntry>();
  for (const r of remote.values()) {
    // the usual case, told without folding: the one local item of its key is at its very path
    if (repeated.size === 0 && remoteByCase.size === 0 && local.has(r.path)) continue;
    const k = caseKey(r.path);
    if (!keys.has(k)) continue;
    if (repeated.has(k) || !local.has(r.path) || remoteByCase.has(k)) remoteByCase.set(k, r);
  }
  if (repeated.size === 0 && remoteByCase.size === 0) return;

  const groups = new Map<string, LocalEntry[]>();
  for (const l of local.values()) {
    const k = caseKey(l.path);
    if (!repeated.has(k) && !remoteByCase.has(k)) continue;
    const g = groups.get(k);
    if (g) g.push(l);
    else groups.set(k, [l]);
  }
  let baseByIno: Map<number, BaseRow> | undefined;
  const looked = [...groups.values()].sort((a, b) => a[0]!.path.length - b[0]!.path.length);
  for (const g of looked) {
    const ranked = [...g].sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1));
    for (const loser of ranked.slice(1)) {
      skip({
        path: loser.path,
        reason: 'case-clash',
        detail: `same name as ${ranked[0]!.path} on the Drive`,
        side: 'local',
      });
    }
    const winner = ranked[0]!;
    const r = remoteByCase.get(caseKey(winner.path));
    if (!r || r.path === winner.path || base.has(winner.path)) continue;
    baseByIno ??= inoIndex(base, (b) => b);
    const renamedFrom = baseByIno.get(winner.ino);
    if (renamedFrom && renamedFrom.path === r.path && !local.has(r.path)) continue;
    skip({
      path: winner.path,
      reason: 'case-clash',
      detail: `same name as ${r.path} on the Drive`,
      side: 'local',
    });
  }

  function rank(l: LocalEntry): number {
    if (base.has(l.path)) return 0;
    if (remote.has(l.path)) return 1;
    return 2;
  }
}
