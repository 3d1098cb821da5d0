/**
 * Paths the plan must not touch on either side: ignored (nextcloud #1238: an ignore rule added later
 * deletes nothing), a local name the Drive would refuse, a remote name that would leave the root,
 * and names that clash by case on a case-insensitive Drive (reference §4). Each is reported once
 * (descendants follow their skipped ancestor silently).
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import type { IgnoreRules } from '../scan/ignore.js';
import { baseName, caseKey, remoteNameProblem, unsafeRemoteName } from '../scan/names.js';
import type { LocalEntry } from '../scan/types.js';
import { coveredBy } from './paths.js';
import type { PlanSkip } from './types.js';

export interface HandsOff {
  /** Roots of skipped subtrees (ignored or reported). */
  roots: Set<string>;
  skipped: PlanSkip[];
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
  const baseByIno = new Map<number, string>();
  for (const b of base.values()) baseByIno.set(b.localIno, b.path);
  const skip = (s: PlanSkip) => {
    if (coveredBy(s.path, roots)) return;
    roots.add(s.path);
    skipped.push(s);
    const ino = s.side === 'local' ? local.get(s.path)?.ino : undefined;
    const renamedFrom = ino === undefined ? undefined : baseByIno.get(ino);
    if (renamedFrom !== undefined && !local.has(renamedFrom)) roots.add(renamedFrom);
  };
  const byDepth = <T extends { path: string }>(xs: Iterable<T>) =>
    [...xs].sort((a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : 1));

  for (const m of [base, local, remote] as ReadonlyMap<string, { path: string; kind: 'file' | 'folder' }>[]) {
    for (const e of m.values()) if (rules.ignores(e.path, e.kind)) roots.add(e.path);
  }
  for (const r of byDepth(remote.values())) {
    const why = unsafeRemoteName(r.name);
    if (why) skip({ path: r.path, reason: 'unsafe-remote-name', detail: why, side: 'remote' });
  }
  for (const l of byDepth(local.values())) {
    if (base.has(l.path)) continue;
    const why = remoteNameProblem(baseName(l.path));
    if (why) skip({ path: l.path, reason: 'rejected-name', detail: why, side: 'local' });
  }
  if (caseInsensitive) caseClashes(base, local, remote, skip);
  return { roots, skipped };
}

function caseClashes(
  base: ReadonlyMap<string, BaseRow>,
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
  skip: (s: PlanSkip) => void,
): void {
  const groups = new Map<string, LocalEntry[]>();
  for (const l of local.values()) {
    const k = caseKey(l.path);
    const g = groups.get(k);
    if (g) g.push(l);
    else groups.set(k, [l]);
  }
  const remoteByCase = new Map<string, RemoteEntry>();
  for (const r of remote.values()) remoteByCase.set(caseKey(r.path), r);
  const baseByIno = new Map<number, BaseRow>();
  for (const b of base.values()) baseByIno.set(b.localIno, b);

  const sortedGroups = [...groups.values()].sort((a, b) => a[0]!.path.length - b[0]!.path.length);
  for (const g of sortedGroups) {
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
