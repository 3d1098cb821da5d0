import { parentOf } from '../scan/names.js';

/** The path itself and each of its ancestors, nearest first ('a/b/c' → 'a/b/c', 'a/b', 'a'). */
export function* selfAndAncestors(path: string): Generator<string> {
  for (let p = path; p !== ''; p = parentOf(p)) yield p;
}

/** Shorter paths first (so a folder before what lies in it), then by path. */
export function byDepth(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : 1);
}

export function depth(path: string): number {
  let n = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
}

const SLASH = 47;
/** Up to this many roots, each is compared with the path; above, the path's ancestors are looked up. */
const FEW_ROOTS = 8;

/** True when `path` is at or under a member of `roots` ('' in roots covers everything). */
export function coveredBy(path: string, roots: ReadonlySet<string>): boolean {
  if (roots.size === 0) return false;
  if (roots.has('')) return true;
  if (roots.size <= FEW_ROOTS) {
    // no string built: is a root the path, or its beginning up to a '/'?
    for (const r of roots) {
      if (path.length === r.length ? path === r : path.charCodeAt(r.length) === SLASH && path.startsWith(r))
        return true;
    }
    return false;
  }
  for (const p of selfAndAncestors(path)) if (roots.has(p)) return true;
  return false;
}
