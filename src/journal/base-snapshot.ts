/**
 * The base snapshot (schema/003_base_snapshot.sql): a BaseTable's columns as three NUL-joined texts
 * and three blobs, so a load is one row read instead of one read per base row. It is a cache: the
 * triggers drop it whenever a base row of its pair changes, and whatever does not unpack cleanly is
 * not used (the rows are read instead).
 */
import { endianness } from 'node:os';
import { BaseTable, NUMBERS_PER_ROW, SHA_BYTES, type BaseColumns } from './base-table.js';

export const SNAPSHOT_FORMAT = 1;
const SEP = '\0';

export interface SnapshotRow {
  format: number;
  rows: number;
  paths: string;
  keys: string;
  parents: string;
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

/** null when the table cannot be packed faithfully (a NUL in a text, an odd sha256 value). */
export function packSnapshot(table: BaseTable): Omit<SnapshotRow, 'format'> | null {
  const c = table.columns;
  if (c.oddSha.size > 0 || !joinable(c.paths) || !joinable(c.keys) || !joinable(c.parents)) return null;
  return {
    rows: c.paths.length,
    paths: c.paths.join(SEP),
    keys: c.keys.join(SEP),
    parents: c.parents.join(SEP),
    numbers: new Uint8Array(c.numbers.buffer, c.numbers.byteOffset, c.numbers.byteLength),
    flags: c.flags,
    sha256: c.sha256,
  };
}

/** The table, or null when the row is of another format or its parts do not agree on the row count. */
export function unpackSnapshot(s: SnapshotRow): BaseTable | null {
  if (s.format !== SNAPSHOT_FORMAT || !snapshotsUsable()) return null;
  const n = s.rows;
  const paths = split(s.paths, n);
  const keys = split(s.keys, n);
  const parents = split(s.parents, n);
  if (!paths || !keys || !parents) return null;
  if (s.numbers.byteLength !== n * NUMBERS_PER_ROW * 8) return null;
  if (s.flags.byteLength !== n || s.sha256.byteLength !== n * SHA_BYTES) return null;
  // copied: a blob's bytes need not sit at an offset a Float64Array can view
  const numbers = new Float64Array(n * NUMBERS_PER_ROW);
  new Uint8Array(numbers.buffer).set(s.numbers);
  const columns: BaseColumns = {
    paths,
    keys,
    parents: internAll(parents),
    numbers,
    flags: copy(s.flags),
    sha256: copy(s.sha256),
    oddSha: new Map(),
  };
  return new BaseTable(columns);
}

function copy(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

/** One string per distinct parent key (most rows share their folder's key). */
function internAll(xs: string[]): string[] {
  const seen = new Map<string, string>();
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const first = seen.get(x);
    if (first === undefined) seen.set(x, x);
    else xs[i] = first;
  }
  return xs;
}
