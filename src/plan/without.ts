/**
 * A map seen without what lies at or under some roots (hands-off paths). A view, not a copy: the
 * maps it hides paths of may rebuild their values on every read (journal/side-table.ts), and a copy
 * would hold all of them at once.
 */
import { coveredBy } from './paths.js';

export function without<T>(map: ReadonlyMap<string, T>, roots: ReadonlySet<string>): ReadonlyMap<string, T> {
  if (roots.size === 0) return map;
  const hidden = new Set<string>();
  for (const p of map.keys()) if (coveredBy(p, roots)) hidden.add(p);
  if (hidden.size === 0) return map;
  return new Without(map, hidden);
}

class Without<T> implements ReadonlyMap<string, T> {
  readonly #map: ReadonlyMap<string, T>;
  readonly #hidden: ReadonlySet<string>;

  constructor(map: ReadonlyMap<string, T>, hidden: ReadonlySet<string>) {
    this.#map = map;
    this.#hidden = hidden;
  }

  get size(): number {
    return this.#map.size - this.#hidden.size;
  }

  get(path: string): T | undefined {
    return this.#hidden.has(path) ? undefined : this.#map.get(path);
  }

  has(path: string): boolean {
    return !this.#hidden.has(path) && this.#map.has(path);
  }

  *entries(): MapIterator<[string, T]> {
    for (const e of this.#map.entries()) if (!this.#hidden.has(e[0])) yield e;
  }

  *keys(): MapIterator<string> {
    for (const p of this.#map.keys()) if (!this.#hidden.has(p)) yield p;
  }

  *values(): MapIterator<T> {
    for (const [p, v] of this.#map.entries()) if (!this.#hidden.has(p)) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(fn: (value: T, key: string, map: ReadonlyMap<string, T>) => void, self?: unknown): void {
    for (const [p, v] of this.entries()) fn.call(self, v, p, this);
  }
}
