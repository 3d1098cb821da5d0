import { parentOf } from '../scan/names.js';

/** The path itself and each of its ancestors, nearest first ('a/b/c' → 'a/b/c', 'a/b', 'a'). */
export function* selfAndAncestors(path: string): Generator<string> {
  for (let p = path; p !== ''; p = parentOf(p)) yield p;
}

export function depth(path: string): number {
  let n = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

/** True when `path` is at or under a member of `roots` ('' in roots covers everything). */
export function coveredBy(path: string, roots: ReadonlySet<string>): boolean {
  if (roots.size === 0) return false;
  if (roots.has('')) return true;
  for (const p of selfAndAncestors(path)) if (roots.has(p)) return true;
  return false;
}
