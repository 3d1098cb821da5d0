/**
 * Dependency order: deletes that make room for a re-created path first (deepest first), then every
 * creating action by the depth of its path (moves, then mkdirs, then files; so parents exist
 * before their contents), then the other deletes deepest first (contents before their folder),
 * then journal-only forgets.
 */
import { depth } from './paths.js';
import type { Action } from './types.js';

function group(a: Action): number {
  if (a.kind === 'delete-remote' || a.kind === 'delete-local') return a.replaced ? 0 : 2;
  if (a.kind === 'forget') return 3;
  return 1;
}

const creationRank: Partial<Record<Action['kind'], number>> = {
  'move-remote': 0,
  'move-local': 0,
  'mkdir-remote': 1,
  'mkdir-local': 1,
};

export function orderActions(actions: readonly Action[]): Action[] {
  const indexed = actions.map((a, i) => ({ a, i, g: group(a), d: depth(a.path) }));
  indexed.sort((x, y) => {
    if (x.g !== y.g) return x.g - y.g;
    if (x.g === 1) {
      if (x.d !== y.d) return x.d - y.d;
      const rx = creationRank[x.a.kind] ?? 2;
      const ry = creationRank[y.a.kind] ?? 2;
      if (rx !== ry) return rx - ry;
      return x.i - y.i;
    }
    if (x.d !== y.d) return y.d - x.d;
    return x.i - y.i;
  });
  return afterMovesOut(indexed.map((x) => x.a));
}

/**
 * A folder replaced by a file whose side moved items out of it: those moves come first, so the
 * folder is deleted (and the file put in its place) only after them.
 */
function afterMovesOut(ordered: Action[]): Action[] {
  let out = ordered;
  for (const d of ordered) {
    if (!(d.kind === 'delete-remote' || d.kind === 'delete-local') || !d.replaced) continue;
    const moveKind = d.kind === 'delete-remote' ? 'move-remote' : 'move-local';
    const under = `${d.path}/`;
    let last = -1;
    out.forEach((m, i) => {
      if (m.kind === moveKind && (m.sideFrom.startsWith(under) || m.from.startsWith(under))) last = i;
    });
    if (last < 0 || last < out.indexOf(d)) continue;
    const after = out[last]!;
    const placed = out.filter((a) => a === d || (a.path === d.path && a.kind !== 'forget' && a !== d));
    const rest = out.filter((a) => !placed.includes(a));
    rest.splice(rest.indexOf(after) + 1, 0, ...placed);
    out = rest;
  }
  return out;
}
