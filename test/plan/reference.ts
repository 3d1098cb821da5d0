/**
 * The planner as it was before its no-op fast paths (commit 5cea4ff: plan.ts, hands-off.ts and
 * moves.ts in one file, unchanged but for imports), kept as the oracle of equivalence.test.ts:
 * whatever the fast paths skip, the plan must come out the same as this straightforward version's.
 */
import type { BaseRow } from '../../src/journal/types.js';
import type { RemoteEntry } from '../../src/remote/types.js';
import type { IgnoreRules } from '../../src/scan/ignore.js';
import { baseName, caseKey, parentOf, remoteNameProblem, unsafeRemoteName } from '../../src/scan/names.js';
import type { LocalEntry } from '../../src/scan/types.js';
import { conflictPath } from '../../src/plan/conflict-name.js';
import { movesAmong, type Moved } from '../../src/plan/moves.js';
import { kindConflicts } from '../../src/plan/kind-conflict.js';
import { decide } from '../../src/plan/decide.js';
import { orderActions } from '../../src/plan/order.js';
import { coveredBy, depth, selfAndAncestors } from '../../src/plan/paths.js';
import type { Action, Plan, PlanInput, PlanSkip, PlanSummary } from '../../src/plan/types.js';

// ---- hands-off.ts
interface HandsOff {
  /** Roots of skipped subtrees (ignored or reported). */
  roots: Set<string>;
  skipped: PlanSkip[];
}

function handsOff(
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

// ---- moves.ts (the move rules themselves are src/plan/moves.ts's, issue 11)
function findMoves(
  base: ReadonlyMap<string, BaseRow>,
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
  ci: boolean,
): Moved {
  const localByIno = new Map<number, LocalEntry>();
  for (const l of local.values()) if (!base.has(l.path)) localByIno.set(l.ino, l);
  const remoteByKey = new Map<string, RemoteEntry>();
  for (const r of remote.values())
    if (base.get(r.path)?.remoteKey !== r.resourceKey) remoteByKey.set(r.resourceKey, r);
  // every row, not only those an item points at (the fast path of src/plan/moves.ts)
  const sorted = [...base.values()].sort(
    (a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : 1),
  );
  return movesAmong(sorted, { base, local, remote, localByIno, remoteByKey }, ci);
}

// ---- plan.ts
function without<T>(map: ReadonlyMap<string, T>, roots: ReadonlySet<string>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [p, v] of map) if (!coveredBy(p, roots)) out.set(p, v);
  return out;
}

export function referencePlan(input: PlanInput): Plan {
  const { options } = input;
  const off = handsOff(input.base, input.local, input.remote, input.rules, options.caseInsensitiveRemote);
  const moved = findMoves(
    without(input.base, off.roots),
    without(input.local, off.roots),
    without(input.remote, off.roots),
    options.caseInsensitiveRemote,
  );
  const { base, local, remote } = moved;
  const skipped: PlanSkip[] = [...off.skipped];

  const actions: Action[] = [];
  for (const m of moved.moves) {
    const l = local.get(m.to);
    const r = remote.get(m.to);
    if (m.apply === 'remote' && l)
      actions.push({
        kind: 'move-remote',
        path: m.to,
        from: m.from,
        sideFrom: m.sideFrom,
        remoteKey: m.base.remoteKey,
        local: l,
      });
    if (m.apply === 'local' && l && r)
      actions.push({
        kind: 'move-local',
        path: m.to,
        from: m.from,
        sideFrom: m.sideFrom,
        local: l,
        remote: r,
      });
  }

  const taken = (p: string) => local.has(p) || remote.has(p) || base.has(p);
  const localFailed = new Set(input.localFailures);
  const remoteFailed = new Set(input.remoteFailures);
  const reported = new Set<string>();
  const conflictName = (p: string) => conflictPath(p, options.host, options.nowMs, taken);
  const paths = new Set<string>([...base.keys(), ...local.keys(), ...remote.keys()]);
  for (const path of paths) {
    const l = local.get(path);
    const r = remote.get(path);
    // a side we could not read is unknown, not empty (unison #989, nextcloud #3076)
    if ((!l && coveredBy(path, localFailed)) || (!r && coveredBy(path, remoteFailed))) {
      if (!coveredBy(parentOf(path), reported)) {
        skipped.push({ path, reason: 'side-failed', side: l ? 'remote' : 'local' });
        reported.add(path);
      }
      continue;
    }
    for (const a of decide({ path, base: base.get(path), local: l, remote: r }, conflictName)) {
      const failed =
        (a.kind === 'delete-remote' && coveredBy(path, remoteFailed)) ||
        (a.kind === 'delete-local' && coveredBy(path, localFailed));
      if (!failed) actions.push(a);
      else
        skipped.push({ path, reason: 'side-failed', side: a.kind === 'delete-local' ? 'local' : 'remote' });
    }
  }

  const kept = keepFoldersWithSurvivors(
    kindConflicts(actions, local, remote, conflictName),
    input,
    off.roots,
  );
  const final = options.resync ? kept.map(neverDelete) : kept;
  const ordered = orderActions(final);
  return { actions: ordered, summary: summarize(ordered, input.base.size, skipped), left: [...off.roots] };
}

/**
 * A folder deleted on one side whose contents survive there (a change beats a delete, or an ignored
 * item lives in it) is re-created on the side that deleted it instead of being deleted.
 */
function keepFoldersWithSurvivors(
  actions: Action[],
  input: PlanInput,
  offRoots: ReadonlySet<string>,
): Action[] {
  const survivesLocal = new Set<string>();
  const survivesRemote = new Set<string>();
  const mark = (set: Set<string>, path: string) => {
    for (const p of selfAndAncestors(parentOf(path))) {
      if (set.has(p)) break;
      set.add(p);
    }
  };
  for (const a of actions) {
    if (a.kind === 'delete-remote' || a.kind === 'delete-local' || a.kind === 'forget') continue;
    mark(survivesLocal, a.path);
    mark(survivesRemote, a.path);
  }
  for (const p of offRoots) {
    if (input.remote.has(p)) mark(survivesRemote, p);
    if (input.local.has(p)) mark(survivesLocal, p);
  }
  for (const p of input.remoteFailures) mark(survivesRemote, `${p}/x`);
  for (const p of input.localFailures) mark(survivesLocal, `${p}/x`);
  const out: Action[] = [];
  for (const a of actions) {
    if (
      a.kind === 'delete-remote' &&
      a.remote.kind === 'folder' &&
      !a.replaced &&
      survivesRemote.has(a.path)
    ) {
      out.push({ kind: 'mkdir-local', path: a.path, remote: a.remote });
    } else if (
      a.kind === 'delete-local' &&
      a.local.kind === 'folder' &&
      !a.replaced &&
      survivesLocal.has(a.path)
    ) {
      out.push({ kind: 'mkdir-remote', path: a.path, local: a.local });
    } else out.push(a);
  }
  return out;
}

/** --resync: what one side lacks is copied to it; nothing is deleted (incidents onedrive #3363). */
function neverDelete(a: Action): Action {
  if (a.kind === 'delete-remote') {
    return a.remote.kind === 'folder'
      ? { kind: 'mkdir-local', path: a.path, remote: a.remote }
      : { kind: 'download', path: a.path, remote: a.remote };
  }
  if (a.kind === 'delete-local') {
    return a.local.kind === 'folder'
      ? { kind: 'mkdir-remote', path: a.path, local: a.local }
      : { kind: 'upload', path: a.path, local: a.local };
  }
  return a;
}

function summarize(actions: readonly Action[], tracked: number, skipped: PlanSkip[]): PlanSummary {
  const counts: PlanSummary['counts'] = {};
  let deletesLocal = 0;
  let deletesRemote = 0;
  for (const a of actions) {
    counts[a.kind] = (counts[a.kind] ?? 0) + 1;
    if (a.kind === 'delete-local') deletesLocal++;
    if (a.kind === 'delete-remote') deletesRemote++;
  }
  skipped.sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : 1));
  return { counts, deletesLocal, deletesRemote, tracked, skipped };
}
