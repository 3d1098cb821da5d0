/**
 * A pair's base rows in columns (design.md "base"): one path string, one remote key and a shared
 * parent key per row, the numbers in one Float64Array and the sha256 as 32 bytes. Read as a
 * `ReadonlyMap<string, BaseRow>`: `get` and the iterators build each BaseRow when asked, so 100,000
 * rows hold ~15 MB instead of one object (and a 64-character hex string) per row.
 *
 * Rows are addressed by index too (`indexOf`, `pathAt`, …), so a scan or a listing can compare an
 * item with its row without building the row (side-table.ts).
 */
import type { BaseRow } from './types.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Float64 per row: local size, local mtime ms, local inode, remote update ms, remote size. */
export const NUMBERS_PER_ROW = 5;
export const SHA_BYTES = 32;
export const FLAG_FOLDER = 1;
export const FLAG_SHA = 2;
export const FLAG_PARENT = 4;

/** The columns as stored: what base-snapshot.ts packs and unpacks. */
export interface BaseColumns {
  paths: string[];
  keys: string[];
  /** The distinct parent keys; row i's is parentKeys[parentIds[i]] when it has one (FLAG_PARENT). */
  parentKeys: string[];
  parentIds: Uint32Array;
  numbers: Float64Array;
  flags: Uint8Array;
  sha256: Uint8Array;
  /** sha256 values that are not 64 lowercase hex digits, by row (none from this program's hashing). */
  oddSha: Map<number, string>;
  /** Where the rows were read from: the journal's snapshot of them, or the rows themselves. */
  source: 'snapshot' | 'rows';
}

const HEX = /^[0-9a-f]{64}$/;
const INDEX_TURN = 8192;

export class BaseTable implements ReadonlyMap<string, BaseRow> {
  readonly #c: BaseColumns;
  readonly #index: Map<string, number>;

  /** `index: 'later'`: the path index is left to the caller (inTurns); the table is not usable before. */
  constructor(columns: BaseColumns, index: 'now' | 'later' = 'now') {
    this.#c = columns;
    this.#index = new Map();
    if (index === 'later') return;
    const { paths } = columns;
    for (let i = 0; i < paths.length; i++) this.#index.set(paths[i]!, i);
  }

  /**
   * The same table, its path index built INDEX_TURN rows at a time with the event loop turning in
   * between, so a walk or a listing running meanwhile is not held up (pass.ts).
   */
  static async inTurns(columns: BaseColumns): Promise<BaseTable> {
    const t = new BaseTable(columns, 'later');
    const { paths } = columns;
    for (let i = 0; i < paths.length; i++) {
      t.#index.set(paths[i]!, i);
      if ((i + 1) % INDEX_TURN === 0) await nextTurn();
    }
    return t;
  }

  static empty(): BaseTable {
    return new BaseTable(new BaseTableBuilder(0).columns());
  }

  static of(rows: Iterable<BaseRow>): BaseTable {
    const list = [...rows];
    const b = new BaseTableBuilder(list.length);
    for (const r of list) b.push(r);
    return b.build();
  }

  /** The stored columns (for the snapshot); not to be changed. */
  get columns(): Readonly<BaseColumns> {
    return this.#c;
  }

  get size(): number {
    return this.#index.size;
  }

  /** Row index of `path`, -1 when the base has no row there. */
  indexOf(path: string): number {
    return this.#index.get(path) ?? -1;
  }

  pathAt(i: number): string {
    return this.#c.paths[i]!;
  }

  isFolderAt(i: number): boolean {
    return (this.#c.flags[i]! & FLAG_FOLDER) !== 0;
  }

  hasShaAt(i: number): boolean {
    return (this.#c.flags[i]! & FLAG_SHA) !== 0 || this.#c.oddSha.has(i);
  }

  localSizeAt(i: number): number {
    return this.#c.numbers[i * NUMBERS_PER_ROW]!;
  }

  localMtimeAt(i: number): number {
    return this.#c.numbers[i * NUMBERS_PER_ROW + 1]!;
  }

  localInoAt(i: number): number {
    return this.#c.numbers[i * NUMBERS_PER_ROW + 2]!;
  }

  remoteUpdateAt(i: number): number {
    return this.#c.numbers[i * NUMBERS_PER_ROW + 3]!;
  }

  remoteSizeAt(i: number): number {
    return this.#c.numbers[i * NUMBERS_PER_ROW + 4]!;
  }

  remoteKeyAt(i: number): string {
    return this.#c.keys[i]!;
  }

  parentKeyAt(i: number): string | null {
    return (this.#c.flags[i]! & FLAG_PARENT) !== 0 ? this.#c.parentKeys[this.#c.parentIds[i]!]! : null;
  }

  shaAt(i: number): string | null {
    if ((this.#c.flags[i]! & FLAG_SHA) === 0) return this.#c.oddSha.get(i) ?? null;
    return Buffer.from(this.#c.sha256.buffer, this.#c.sha256.byteOffset + i * SHA_BYTES, SHA_BYTES).toString(
      'hex',
    );
  }

  rowAt(i: number): BaseRow {
    return {
      path: this.pathAt(i),
      kind: this.isFolderAt(i) ? 'folder' : 'file',
      localSize: this.localSizeAt(i),
      localMtimeMs: this.localMtimeAt(i),
      localIno: this.localInoAt(i),
      localSha256: this.shaAt(i),
      remoteKey: this.remoteKeyAt(i),
      remoteUpdateMs: this.remoteUpdateAt(i),
      remoteSize: this.remoteSizeAt(i),
      remoteParentKey: this.parentKeyAt(i),
    };
  }

  get(path: string): BaseRow | undefined {
    const i = this.#index.get(path);
    return i === undefined ? undefined : this.rowAt(i);
  }

  has(path: string): boolean {
    return this.#index.has(path);
  }

  *entries(): MapIterator<[string, BaseRow]> {
    for (let i = 0; i < this.#c.paths.length; i++) yield [this.#c.paths[i]!, this.rowAt(i)];
  }

  keys(): MapIterator<string> {
    return this.#c.paths.values();
  }

  *values(): MapIterator<BaseRow> {
    for (let i = 0; i < this.#c.paths.length; i++) yield this.rowAt(i);
  }

  [Symbol.iterator](): MapIterator<[string, BaseRow]> {
    return this.entries();
  }

  forEach(
    fn: (value: BaseRow, key: string, map: ReadonlyMap<string, BaseRow>) => void,
    self?: unknown,
  ): void {
    for (let i = 0; i < this.#c.paths.length; i++) fn.call(self, this.rowAt(i), this.#c.paths[i]!, this);
  }
}

/** Fills the columns row by row (from the journal's rows or from BaseRow objects). */
export class BaseTableBuilder {
  readonly #c: BaseColumns;
  readonly #parentIds = new Map<string, number>();
  #n = 0;

  constructor(capacity: number) {
    this.#c = {
      paths: [],
      keys: [],
      parentKeys: [],
      parentIds: new Uint32Array(capacity),
      numbers: new Float64Array(capacity * NUMBERS_PER_ROW),
      flags: new Uint8Array(capacity),
      sha256: Buffer.alloc(capacity * SHA_BYTES),
      oddSha: new Map(),
      source: 'rows',
    };
  }

  /** One row, in the journal's units. */
  add(
    path: string,
    folder: boolean,
    localSize: number,
    localMtimeMs: number,
    localIno: number,
    sha256: string | null,
    remoteKey: string,
    remoteUpdateMs: number,
    remoteSize: number,
    parentKey: string | null,
  ): void {
    const i = this.#n++;
    const c = this.#c;
    if (i >= c.flags.length) throw new Error(`base table built over its capacity (${c.flags.length} rows)`);
    c.paths.push(path);
    c.keys.push(remoteKey);
    if (parentKey !== null) {
      let id = this.#parentIds.get(parentKey);
      if (id === undefined) {
        id = c.parentKeys.push(parentKey) - 1;
        this.#parentIds.set(parentKey, id);
      }
      c.parentIds[i] = id;
    }
    const o = i * NUMBERS_PER_ROW;
    c.numbers[o] = localSize;
    c.numbers[o + 1] = localMtimeMs;
    c.numbers[o + 2] = localIno;
    c.numbers[o + 3] = remoteUpdateMs;
    c.numbers[o + 4] = remoteSize;
    let flags = folder ? FLAG_FOLDER : 0;
    if (parentKey !== null) flags |= FLAG_PARENT;
    if (sha256 !== null && HEX.test(sha256)) {
      flags |= FLAG_SHA;
      (c.sha256 as Buffer).write(sha256, i * SHA_BYTES, SHA_BYTES, 'hex');
    } else if (sha256 !== null) c.oddSha.set(i, sha256);
    c.flags[i] = flags;
  }

  push(r: BaseRow): void {
    this.add(
      r.path,
      r.kind === 'folder',
      r.localSize,
      r.localMtimeMs,
      r.localIno,
      r.localSha256,
      r.remoteKey,
      r.remoteUpdateMs,
      r.remoteSize,
      r.remoteParentKey,
    );
  }

  /** The columns cut to the rows added. */
  columns(): BaseColumns {
    const n = this.#n;
    const c = this.#c;
    if (n === c.flags.length) return c;
    return {
      ...c,
      numbers: c.numbers.slice(0, n * NUMBERS_PER_ROW),
      flags: c.flags.slice(0, n),
      parentIds: c.parentIds.slice(0, n),
      sha256: c.sha256.subarray(0, n * SHA_BYTES),
    };
  }

  build(): BaseTable {
    return new BaseTable(this.columns());
  }
}
