/**
 * The base snapshot (schema/003_base_snapshot.sql): a BaseTable's columns as three NUL-joined texts
 * and four blobs, so a load is one row read instead of one read per base row. It is a cache: the
 * triggers drop it whenever a base row of its pair changes, and whatever does not unpack cleanly is
 * not used (the rows are read instead).
 */
import { endianness } from 'node:os';
import { FLAG_PARENT, NUMBERS_PER_ROW, SHA_BYTES, type BaseColumns } from './base-table.js';

export const SNAPSHOT_FORMAT = 1;
const SEP = '\0';

export interface SnapshotRow {
  format: number;
  rows: number;
  paths: string;
  keys: string;
  parents: string;
  parent_ids: Uint8Array;
  numbers: Uint8Array;
  flags: Uint8Array;
  sha256: Uint8Array;
}

/** The numbers blob is the Float64Array's bytes, little-endian: other machines do not use snapshots. */
export const snapshotsUsable = (): boolean => endianness() === 'LE';

const joinable = (xs: readonly string[]): boolean => xs.every((x) => !x.includes(SEP));

function split(text: string, rows: number): string[] | null {
  if (rows === 0) return text === '' ? [] : null;
  const out = text.split(SEP);
  return out.length === rows ? out : null;
}

/** null when the columns cannot be packed faithfully (a NUL in a text, an odd sha256 value). */
export function packSnapshot(c: BaseColumns): Omit<SnapshotRow, 'format'> | null {
  if (c.oddSha.size > 0 || !joinable(c.paths) || !joinable(c.keys) || !joinable(c.parentKeys)) return null;
  return {
    rows: c.paths.length,
    paths: c.paths.join(SEP),
    keys: c.keys.join(SEP),
    parents: c.parentKeys.join(SEP),
    parent_ids: bytesOf(c.parentIds),
    numbers: bytesOf(c.numbers),
    flags: c.flags,
    sha256: c.sha256,
  };
}

/** The columns, or null when the row is of another format or its parts do not agree on the row count. */
export function unpackSnapshot(s: SnapshotRow): BaseColumns | null {
  if (s.format !== SNAPSHOT_FORMAT || !snapshotsUsable()) return null;
  const n = s.rows;
  const paths = split(s.paths, n);
  const keys = split(s.keys, n);
  const parentKeys = s.parents === '' ? [] : s.parents.split(SEP);
  if (!paths || !keys) return null;
  if (s.parent_ids.byteLength !== n * 4) return null;
  if (s.numbers.byteLength !== n * NUMBERS_PER_ROW * 8) return null;
  if (s.flags.byteLength !== n || s.sha256.byteLength !== n * SHA_BYTES) return null;
  // copied: a blob's bytes need not sit at an offset a Float64Array can view
  const numbers = new Float64Array(n * NUMBERS_PER_ROW);
  new Uint8Array(numbers.buffer).set(s.numbers);
  const parentIds = new Uint32Array(n);
  new Uint8Array(parentIds.buffer).set(s.parent_ids);
  const flags = copy(s.flags);
  for (let i = 0; i < n; i++) {
    if ((flags[i]! & FLAG_PARENT) !== 0 && parentIds[i]! >= parentKeys.length) return null;
  }
  const columns: BaseColumns = {
    paths,
    keys,
    parentKeys,
    parentIds,
    numbers,
    flags,
    sha256: copy(s.sha256),
    oddSha: new Map(),
    source: 'snapshot',
  };
  return columns;
}

function bytesOf(a: Float64Array | Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function copy(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}
