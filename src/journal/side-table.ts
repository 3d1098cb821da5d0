/**
 * One side's entries — the local scan or the remote listing — as a `ReadonlyMap` keyed by path that
 * stores only what the base cannot rebuild: an entry exactly equal to what its base row says is kept
 * as the row's index (one bit and one slot) and built again when read. On a tree in sync that is
 * nearly every entry, so 100,000 unchanged paths cost ~1 MB instead of ~15–30 MB of objects.
 *
 * It behaves as a Map filled with `set` in the same order: same `get`/`has`/`size`, same iteration
 * order, last `set` of a path wins in the first one's place, `delete` removes.
 */
import type { BaseTable } from './base-table.js';

export interface SideCodec<T> {
  /** True when `entry` (whose path is row `i`'s) is exactly what `fromBase(base, i)` builds. */
  matches(base: BaseTable, i: number, entry: T): boolean;
  fromBase(base: BaseTable, i: number): T;
}

export class SideTable<T extends { path: string }> implements ReadonlyMap<string, T> {
  readonly #base: BaseTable;
  readonly #codec: SideCodec<T>;
  /** Entries kept as objects. */
  readonly #own = new Map<string, T>();
  /** 1 where base row i is an entry of this side, as the base says. */
  readonly #fromBase: Uint8Array;
  #fromBaseCount = 0;
  /** Insertion order: a row index or an own entry. */
  #order: (number | T)[] = [];

  constructor(base: BaseTable, codec: SideCodec<T>) {
    this.#base = base;
    this.#codec = codec;
    this.#fromBase = new Uint8Array(base.size);
  }

  /** Paths of the entries kept as objects: those their base row does not describe as they are. */
  ownPaths(): IterableIterator<string> {
    return this.#own.keys();
  }

  /** How many entries are kept as objects (the rest are rebuilt from the base). */
  get ownCount(): number {
    return this.#own.size;
  }

  /**
   * `keep`: store the object itself (the caller will change it, e.g. add a hash). `at`: the base
   * row of `entry.path` when the caller has looked it up already (-1: none).
   */
  set(entry: T, keep = false, at = this.#base.indexOf(entry.path)): this {
    const i = keep ? -1 : at;
    const slot: number | T = i >= 0 && this.#codec.matches(this.#base, i, entry) ? i : entry;
    const known = (at >= 0 && this.#fromBase[at] === 1) || (this.#own.size > 0 && this.#own.has(entry.path));
    if (known) {
      const place = this.#position(entry.path);
      this.#forget(entry.path);
      this.#order[place] = slot;
    } else this.#order.push(slot);
    if (typeof slot === 'number') {
      this.#fromBase[slot] = 1;
      this.#fromBaseCount++;
    } else this.#own.set(entry.path, entry);
    return this;
  }

  delete(path: string): boolean {
    if (!this.has(path)) return false;
    this.#order.splice(this.#position(path), 1);
    this.#forget(path);
    return true;
  }

  get size(): number {
    return this.#own.size + this.#fromBaseCount;
  }

  get(path: string): T | undefined {
    const own = this.#own.get(path);
    if (own !== undefined) return own;
    const i = this.#base.indexOf(path);
    return i >= 0 && this.#fromBase[i] === 1 ? this.#codec.fromBase(this.#base, i) : undefined;
  }

  has(path: string): boolean {
    if (this.#own.has(path)) return true;
    const i = this.#base.indexOf(path);
    return i >= 0 && this.#fromBase[i] === 1;
  }

  *values(): MapIterator<T> {
    for (const slot of this.#order)
      yield typeof slot === 'number' ? this.#codec.fromBase(this.#base, slot) : slot;
  }

  *keys(): MapIterator<string> {
    for (const slot of this.#order) yield typeof slot === 'number' ? this.#base.pathAt(slot) : slot.path;
  }

  *entries(): MapIterator<[string, T]> {
    for (const v of this.values()) yield [v.path, v];
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(fn: (value: T, key: string, map: ReadonlyMap<string, T>) => void, self?: unknown): void {
    for (const v of this.values()) fn.call(self, v, v.path, this);
  }

  /** The base rows of this side's entries, in the order they were set (a snapshot's order, Journal.keepBaseSnapshot). */
  *baseOrder(): Generator<number> {
    for (const slot of this.#order) {
      const i = typeof slot === 'number' ? slot : this.#base.indexOf(slot.path);
      if (i >= 0) yield i;
    }
  }

  #position(path: string): number {
    const i = this.#base.indexOf(path);
    return this.#order.findIndex((s) => (typeof s === 'number' ? s === i : s.path === path));
  }

  #forget(path: string): void {
    if (this.#own.delete(path)) return;
    const i = this.#base.indexOf(path);
    this.#fromBase[i] = 0;
    this.#fromBaseCount--;
  }
}
