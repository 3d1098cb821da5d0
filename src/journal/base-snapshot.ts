/**
 * The base snapshot (schema/003_base_snapshot.sql): a BaseTable's columns as a header (the distinct
 * parent keys) and parts of PART_ROWS rows, each two NUL-joined texts and four blobs, so a load is a
 * few row reads instead of one read per base row, and neither a write nor a read holds a second
 * whole copy of the columns at once. It is a cache: the triggers drop it whenever a base row of its
 * pair changes, and whatever does not unpack cleanly is not used (the rows are read instead).
 */
import { endianness } from 'node:os';
import { FLAG_PARENT, NUMBERS_PER_ROW, SHA_BYTES, type BaseColumns } from './base-table.js';

export const SNAPSHOT_FORMAT = 2;
/** Rows per part. */
export const PART_ROWS = 8192;
const SEP = '\0';

export interface SnapshotHeader {
  format: number;
  rows: number;
  parts: number;
  parents: string;
}

export interface SnapshotPart {
  part: number;
  rows: number;
  paths: string;
  keys: string;
  parent_ids: Uint8Array;
  numbers: Uint8Array;
  flags: Uint8Array;
  sha256: Uint8Array;
}

/** The numbers blob is the Float64Array's bytes, little-endian: other machines do not use snapshots. */
export const snapshotsUsable = (): boolean => endianness() === 'LE';

const joinable = (xs: readonly string[]): boolean => xs.every((x) => !x.includes(SEP));

/** null when the columns cannot be packed faithfully (a NUL in a text, an odd sha256 value). */
export function snapshotHeader(c: BaseColumns): SnapshotHeader | null {
  if (c.oddSha.size > 0 || !joinable(c.paths) || !joinable(c.keys) || !joinable(c.parentKeys)) return null;
  if (c.parentKeys.includes('')) return null;
  const rows = c.paths.length;
  return {
    format: SNAPSHOT_FORMAT,
    rows,
    parts: Math.ceil(rows / PART_ROWS),
    parents: c.parentKeys.join(SEP),
  };
}

/**
 * Row indices, each once: those of `order` that are valid and new, then the others in their order.
 * (A snapshot kept in the order a scan met the paths lets the next scan find each path's row by
 * looking at the next one, scan.ts.)
 */
export function permutation(n: number, order: Iterable<number>): Uint32Array {
  const perm = new Uint32Array(n);
  const taken = new Uint8Array(n);
  let k = 0;
  for (const i of order) {
    if (i < 0 || i >= n || taken[i] === 1) continue;
    taken[i] = 1;
    perm[k++] = i;
  }
  for (let i = 0; i < n; i++) if (taken[i] === 0) perm[k++] = i;
  return perm;
}

/** The parts of the columns' rows taken in `perm` order, built one at a time. */
export function* snapshotParts(c: BaseColumns, perm: Uint32Array): Generator<SnapshotPart> {
  for (let part = 0, from = 0; from < perm.length; part++, from += PART_ROWS) {
    const ids = perm.subarray(from, from + PART_ROWS);
    const n = ids.length;
    const paths = new Array<string>(n);
    const keys = new Array<string>(n);
    const parentIds = new Uint32Array(n);
    const numbers = new Float64Array(n * NUMBERS_PER_ROW);
    const flags = new Uint8Array(n);
    const sha256 = new Uint8Array(n * SHA_BYTES);
    for (let to = 0; to < n; to++) {
      const i = ids[to]!;
      paths[to] = c.paths[i]!;
      keys[to] = c.keys[i]!;
      parentIds[to] = c.parentIds[i]!;
      flags[to] = c.flags[i]!;
      numbers.set(c.numbers.subarray(i * NUMBERS_PER_ROW, (i + 1) * NUMBERS_PER_ROW), to * NUMBERS_PER_ROW);
      sha256.set(c.sha256.subarray(i * SHA_BYTES, (i + 1) * SHA_BYTES), to * SHA_BYTES);
    }
    yield {
      part,
      rows: n,
      paths: paths.join(SEP),
      keys: keys.join(SEP),
      parent_ids: bytesOf(parentIds),
      numbers: bytesOf(numbers),
      flags,
      sha256,
    };
  }
}

/**
 * The columns, or null when the header is of another format or the parts do not agree with it
 * (missing, out of order, or a count that does not add up).
 */
export function unpackSnapshot(h: SnapshotHeader, parts: Iterable<SnapshotPart>): BaseColumns | null {
  if (h.format !== SNAPSHOT_FORMAT || !snapshotsUsable()) return null;
  const n = h.rows;
  const parentKeys = h.parents === '' ? [] : h.parents.split(SEP);
  const paths: string[] = [];
  const keys: string[] = [];
  const numbers = new Float64Array(n * NUMBERS_PER_ROW);
  const parentIds = new Uint32Array(n);
  const flags = new Uint8Array(n);
  const sha256 = new Uint8Array(n * SHA_BYTES);
  let at = 0;
  let expected = 0;
  for (const p of parts) {
    const m = p.rows;
    if (p.part !== expected++ || at + m > n) return null;
    if (p.parent_ids.byteLength !== m * 4 || p.numbers.byteLength !== m * NUMBERS_PER_ROW * 8) return null;
    if (p.flags.byteLength !== m || p.sha256.byteLength !== m * SHA_BYTES) return null;
    const ps = m === 0 ? [] : p.paths.split(SEP);
    const ks = m === 0 ? [] : p.keys.split(SEP);
    if (ps.length !== m || ks.length !== m) return null;
    for (let k = 0; k < m; k++) {
      paths.push(ps[k]!);
      keys.push(ks[k]!);
    }
    // copied into whole columns: a blob's bytes need not sit at an offset a typed array can view
    new Uint8Array(numbers.buffer, at * NUMBERS_PER_ROW * 8).set(p.numbers);
    new Uint8Array(parentIds.buffer, at * 4).set(p.parent_ids);
    flags.set(p.flags, at);
    sha256.set(p.sha256, at * SHA_BYTES);
    at += m;
  }
  if (at !== n || expected !== h.parts) return null;
  for (let i = 0; i < n; i++) {
    if ((flags[i]! & FLAG_PARENT) !== 0 && parentIds[i]! >= parentKeys.length) return null;
  }
  return {
    paths,
    keys,
    parentKeys,
    parentIds,
    numbers,
    flags,
    sha256,
    oddSha: new Map(),
    source: 'snapshot',
  };
}

function bytesOf(a: Float64Array | Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
