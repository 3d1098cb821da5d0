/**
 * plan(input) → { actions, summary }: PURE (no I/O, no clock; design.md "The shape").
 *
 * Steps: leave hands-off paths alone (hands-off.ts); find renames (moves.ts) and view the world as
 * it will be after them; decide each path (decide.ts); keep a folder whose contents survive on a
 * side instead of deleting it there; withhold deletes where a scan or listing failed; under
 * --resync turn every delete into a copy; order by dependency (order.ts).
 */
import { conflictPath } from './conflict-name.js';
import { followedMoves, oneWay } from './direction.js';
import { handsOff } from './hands-off.js';
import { findMoves } from './moves.js';
import { orderActions } from './order.js';
import { without } from './without.js';
import { coveredBy, depth, selfAndAncestors } from './paths.js';
import { parentOf } from '../scan/names.js';
import { localState, remoteState } from './state.js';
import type { Action, Plan, PlanInput, PlanSkip, PlanSummary } from './types.js';
import { kindConflicts } from './kind-conflict.js';

/**
 * Calls `visit` for every path of the three maps once, with what each side holds there: base's
 * paths, then local's others, then remote's others (the order of one Set of all the keys). A side
 * whose every path was met already is not gone through again.
 */
function eachPath<B, L, R>(
  base: ReadonlyMap<string, B>,
  local: ReadonlyMap<string, L>,
  remote: ReadonlyMap<string, R>,
  visit: (path: string, b: B | undefined, l: L | undefined, r: R | undefined) => void,
): void {
  let localMet = 0;
  let remoteMet = 0;
  for (const [path, b] of base) {
    const l = local.get(path);
    const r = remote.get(path);
    if (l !== undefined) localMet++;
    if (r !== undefined) remoteMet++;
    visit(path, b, l, r);
  }
  if (localMet < local.size) {
    for (const [path, l] of local) {
      if (base.has(path)) continue;
      const r = remote.get(path);
      if (r !== undefined) remoteMet++;
      visit(path, undefined, l, r);
    }
  }
  if (remoteMet < remote.size) {
    for (const [path, r] of remote)
      if (!base.has(path) && !local.has(path)) visit(path, undefined, undefined, r);
  }
}

export function plan(input: PlanInput): Plan {
  const { options } = input;
  const off = handsOff(input.base, input.local, input.remote, input.rules, options.caseInsensitiveRemote);
  const found = findMoves(
    without(input.base, off.roots),
    without(input.local, off.roots),
    without(input.remote, off.roots),
    options.caseInsensitiveRemote,
  );
  // one-way pairs (direction.ts): only the moves the pair follows, and its own per-path decision
  const moved = followedMoves(options, found, input, off.roots);
  const { base, local, remote } = moved;
  const skipped: PlanSkip[] = [...off.skipped];
  const directed = oneWay(options, skipped);

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
  eachPath(base, local, remote, (path, b, l, r) => {
    // same | same: the common case, decided here without building anything
    if (l && r && b && localState(l, b) === 'same' && remoteState(r, b) === 'same') return;
    // a side we could not read is unknown, not empty (unison #989, nextcloud #3076)
    if ((!l && coveredBy(path, localFailed)) || (!r && coveredBy(path, remoteFailed))) {
      if (!coveredBy(parentOf(path), reported)) {
        skipped.push({ path, reason: 'side-failed', side: l ? 'remote' : 'local' });
        reported.add(path);
      }
      return;
    }
    for (const a of directed.decide({ path, base: b, local: l, remote: r }, conflictName)) {
      const failed =
        (a.kind === 'delete-remote' && coveredBy(path, remoteFailed)) ||
        (a.kind === 'delete-local' && coveredBy(path, localFailed));
      if (!failed) actions.push(a);
      else
        skipped.push({ path, reason: 'side-failed', side: a.kind === 'delete-local' ? 'local' : 'remote' });
    }
  });

  const kept = keepFoldersWithSurvivors(
    kindConflicts(actions, local, remote, conflictName),
    input,
    off.roots,
  );
  const final = directed.finish(options.resync ? kept.map(neverDelete) : kept);
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
