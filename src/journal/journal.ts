/**
 * The journal: the only module that writes SQL (design.md "The shape"). One file per state
 * directory, `<stateDir>/journal.db`, WAL with synchronous=FULL: a base row written after an action
 * must survive a power cut, or the next run could read an old base as a local or remote change.
 * Writers hold `<stateDir>/journal.lock` (lock.ts); `openReadOnly` takes no lock and works while
 * the daemon runs.
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  permutation,
  snapshotHeader,
  snapshotParts,
  snapshotsUsable,
  unpackSnapshot,
  type SnapshotHeader,
  type SnapshotPart,
} from './base-snapshot.js';
import { BaseTable, BaseTableBuilder, type BaseColumns } from './base-table.js';
import { acquireLock } from './lock.js';
import { migrate } from './migrate.js';
import type {
  BaseRow,
  FileProblem,
  FileProblemKind,
  PairIdentity,
  PairRecord,
  PendingAction,
  RemoteDelta,
  StoredUploadSession,
} from './types.js';
import type { RemoteEntry } from '../remote/types.js';

export const JOURNAL_FILE = 'journal.db';

export interface BaseSnapshotOptions {
  /** The clock for the time since the last snapshot. @default Date.now() */
  nowMs?: number;
  /** @default SNAPSHOT_MIN_ROWS */
  snapshotMinRows?: number;
}

/** Below this many base rows a load is fast enough without a snapshot. */
const SNAPSHOT_MIN_ROWS = 2000;
/** At most one snapshot write per pair in this long. */
const SNAPSHOT_EVERY_MS = 10 * 60_000;
const SNAPSHOT_META = 'base_snapshot_ms';
/** The schema version that added base_snapshot (schema/003_base_snapshot.sql). */
const SNAPSHOT_SCHEMA = 3;

/** Result of comparing a configured pair with the journal's record of it. */
export type PairCheck =
  | { status: 'new' }
  | { status: 'same'; record: PairRecord }
  | { status: 'changed'; record: PairRecord; fields: (keyof PairIdentity)[] };

type Row = Record<string, unknown>;

const baseFromRow = (r: Row): BaseRow => ({
  path: r.path as string,
  kind: r.kind as BaseRow['kind'],
  localSize: r.local_size_bytes as number,
  localMtimeMs: r.local_mtime_ms as number,
  localIno: r.local_ino as number,
  localSha256: r.local_sha256 as string | null,
  remoteKey: r.remote_key as string,
  remoteUpdateMs: r.remote_update_ms as number,
  remoteSize: r.remote_size_bytes as number,
  remoteParentKey: r.remote_parent_key as string | null,
});

const deltaFromRow = (r: Row): RemoteDelta => ({
  path: r.path as string,
  entry:
    r.remote_key === null
      ? null
      : {
          resourceKey: r.remote_key as string,
          parentKey: r.remote_parent_key as string | null,
          name: r.name as string,
          path: r.path as string,
          kind: r.kind as RemoteEntry['kind'],
          size: r.size_bytes as number,
          updateDate: r.update_ms as number,
        },
});

const pairFromRow = (r: Row): PairRecord => ({
  name: r.name as string,
  localRoot: r.local_root as string,
  driveSpec: r.drive_spec as string,
  remotePath: r.remote_path as string,
  remoteFolderKey: r.remote_folder_key as string | null,
  createdMs: r.created_ms as number,
});

const actionFromRow = (r: Row): PendingAction => ({
  pair: r.pair as string,
  path: r.path as string,
  action: r.action as string,
  attempts: r.attempts as number,
  nextTryMs: r.next_try_ms as number,
  lastError: r.last_error as string | null,
  errorClass: r.error_class as string | null,
  permanent: r.permanent === 1,
  fingerprint: r.fingerprint as string | null,
});

export class Journal {
  readonly #db: Db;
  readonly #release: (() => void) | null;
  readonly readonly: boolean;
  readonly #stmts = new Map<string, Statement>();

  private constructor(db: Db, release: (() => void) | null, readonly: boolean) {
    this.#db = db;
    this.#release = release;
    this.readonly = readonly;
  }

  /** Opens for writing: creates the dir and file, takes the lock, migrates. Throws JournalLockedError. */
  static open(stateDir: string): Journal {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const release = acquireLock(stateDir);
    try {
      const db = new Database(join(stateDir, JOURNAL_FILE));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db);
      return new Journal(db, release, false);
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Opens for `status`: no lock, no writes; null when the journal does not exist yet. */
  static openReadOnly(stateDir: string): Journal | null {
    let db: Db;
    try {
      db = new Database(join(stateDir, JOURNAL_FILE), { readonly: true, fileMustExist: true });
    } catch (err) {
      if (/unable to open|does not exist/i.test(String((err as Error).message))) return null;
      throw err;
    }
    db.pragma('busy_timeout = 5000');
    return new Journal(db, null, true);
  }

  close(): void {
    this.#db.close();
    this.#release?.();
  }

  /** Runs fn in one transaction (synchronous: better-sqlite3 transactions cannot be async). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  #stmt(sql: string): Statement {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  // ---- pairs ----

  getPair(name: string): PairRecord | null {
    const r = this.#stmt('SELECT * FROM pairs WHERE name = ?').get(name) as Row | undefined;
    return r ? pairFromRow(r) : null;
  }

  listPairs(): PairRecord[] {
    return (this.#stmt('SELECT * FROM pairs ORDER BY name').all() as Row[]).map(pairFromRow);
  }

  /**
   * Compares the configured pair with the journal. 'changed' means the journal's rows belong to
   * another tree: the engine must refuse to run the pair until `--resync` (incidents.md unison #457,
   * nextcloud #1433).
   */
  checkPair(id: PairIdentity): PairCheck {
    const record = this.getPair(id.name);
    if (!record) return { status: 'new' };
    const fields = (['localRoot', 'driveSpec', 'remotePath'] as const).filter((k) => record[k] !== id[k]);
    return fields.length === 0 ? { status: 'same', record } : { status: 'changed', record, fields };
  }

  /** Records the pair's identity (insert or replace, keeping its rows). */
  putPair(p: PairRecord): void {
    this.#stmt(
      `INSERT INTO pairs (name, local_root, drive_spec, remote_path, remote_folder_key, created_ms)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET local_root = excluded.local_root, drive_spec = excluded.drive_spec,
         remote_path = excluded.remote_path, remote_folder_key = excluded.remote_folder_key`,
    ).run(p.name, p.localRoot, p.driveSpec, p.remotePath, p.remoteFolderKey, p.createdMs);
  }

  /** `--resync`: drops every row of the pair (base, actions, sessions, problems, events, meta). */
  resetPair(name: string): void {
    this.transaction(() => {
      for (const t of [
        'base',
        'remote_delta',
        'actions',
        'upload_sessions',
        'file_errors',
        'events',
        'meta',
      ]) {
        this.#db.prepare(`DELETE FROM ${t} WHERE pair = ?`).run(name);
      }
    });
  }

  // ---- base ----

  /** The pair's base rows: from the snapshot when one is there (schema/003_base_snapshot.sql), else from the rows. */
  baseTable(pair: string): BaseTable {
    return new BaseTable(this.baseColumns(pair));
  }

  /** baseTable's columns, for a caller that builds the table in turns (BaseTable.inTurns). */
  baseColumns(pair: string): BaseColumns {
    // a read-only journal may be older than the snapshot tables (the writer migrates it)
    if (this.#schemaVersion() < SNAPSHOT_SCHEMA) return this.#readBase(pair);
    const fromSnapshot = this.transaction(() => {
      const header = this.#stmt('SELECT format, rows, parts, parents FROM base_snapshot WHERE pair = ?').get(
        pair,
      ) as SnapshotHeader | undefined;
      if (!header) return null;
      const parts = this.#stmt(
        `SELECT part, rows, paths, keys, parent_ids, numbers, flags, sha256 FROM base_snapshot_part
         WHERE pair = ? ORDER BY part`,
      ).iterate(pair) as Iterable<SnapshotPart>;
      return unpackSnapshot(header, parts);
    });
    return fromSnapshot ?? this.#readBase(pair);
  }

  /**
   * Stores `columns` — which must be the pair's base rows as they are now — as its snapshot, rows in
   * `order` (row indices; the others after), for the next load; true when written. Not when the pair
   * has fewer than `snapshotMinRows` rows, nor within SNAPSHOT_EVERY_MS of the last one written (a
   * daemon whose base changes all the time does not rewrite megabytes each time).
   */
  keepBaseSnapshot(
    pair: string,
    columns: BaseColumns,
    order: Iterable<number> = [],
    opts: BaseSnapshotOptions = {},
  ): boolean {
    const nowMs = opts.nowMs ?? Date.now();
    const lastWritten = this.getMeta(pair, SNAPSHOT_META);
    const last = lastWritten === null ? null : Number(lastWritten);
    if (
      this.readonly ||
      !snapshotsUsable() ||
      columns.paths.length < (opts.snapshotMinRows ?? SNAPSHOT_MIN_ROWS) ||
      (last !== null && nowMs - last < SNAPSHOT_EVERY_MS && nowMs >= last)
    )
      return false;
    const header = snapshotHeader(columns);
    if (!header) return false;
    const perm = permutation(columns.paths.length, order);
    this.transaction(() => {
      this.#stmt('DELETE FROM base_snapshot_part WHERE pair = ?').run(pair);
      this.#stmt(
        `INSERT OR REPLACE INTO base_snapshot (pair, format, rows, parts, parents, written_ms)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(pair, header.format, header.rows, header.parts, header.parents, nowMs);
      const insert = this.#stmt(
        `INSERT INTO base_snapshot_part (pair, part, rows, paths, keys, parent_ids, numbers, flags, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const p of snapshotParts(columns, perm))
        insert.run(pair, p.part, p.rows, p.paths, p.keys, p.parent_ids, p.numbers, p.flags, p.sha256);
      this.setMeta(pair, SNAPSHOT_META, String(nowMs));
    });
    return true;
  }

  #schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  /** The rows themselves, in one sequential scan (a pair is most of the table), in one read transaction. */
  #readBase(pair: string): BaseColumns {
    return this.#db.transaction(() => this.#readBaseRows(pair))();
  }

  #readBaseRows(pair: string): BaseColumns {
    const b = new BaseTableBuilder(this.countBase(pair));
    const stmt = this.#stmt(
      `SELECT path, kind, local_size_bytes, local_mtime_ms, local_ino, local_sha256, remote_key,
         remote_update_ms, remote_size_bytes, remote_parent_key FROM base NOT INDEXED WHERE pair = ?`,
    );
    for (const r of stmt.raw(true).iterate(pair) as Iterable<unknown[]>) {
      b.add(
        r[0] as string,
        r[1] === 'folder',
        r[2] as number,
        r[3] as number,
        r[4] as number,
        r[5] as string | null,
        r[6] as string,
        r[7] as number,
        r[8] as number,
        r[9] as string | null,
      );
    }
    return b.columns();
  }

  getBaseRow(pair: string, path: string): BaseRow | null {
    const r = this.#stmt('SELECT * FROM base WHERE pair = ? AND path = ?').get(pair, path) as Row | undefined;
    return r ? baseFromRow(r) : null;
  }

  countBase(pair: string): number {
    return (this.#stmt('SELECT count(*) AS n FROM base WHERE pair = ?').get(pair) as { n: number }).n;
  }

  putBase(pair: string, b: BaseRow): void {
    this.#stmt(
      `INSERT OR REPLACE INTO base (pair, path, kind, local_size_bytes, local_mtime_ms, local_ino, local_sha256,
         remote_key, remote_update_ms, remote_size_bytes, remote_parent_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      pair,
      b.path,
      b.kind,
      b.localSize,
      Math.trunc(b.localMtimeMs),
      b.localIno,
      b.localSha256,
      b.remoteKey,
      Math.trunc(b.remoteUpdateMs),
      b.remoteSize,
      b.remoteParentKey,
    );
  }

  deleteBase(pair: string, path: string): void {
    this.#stmt('DELETE FROM base WHERE pair = ? AND path = ?').run(pair, path);
  }

  /** Deletes the row at `path` and every row under `path/`. */
  deleteBaseTree(pair: string, path: string): void {
    this.#stmt(`DELETE FROM base WHERE pair = ? AND (path = ? OR substr(path, 1, ?) = ?)`).run(
      pair,
      path,
      path.length + 1,
      `${path}/`,
    );
  }

  /**
   * A folder move: rewrites `from` and every path under `from/` to start with `to` (local/remote
   * identity fields are kept; the engine then puts the moved root's new row).
   */
  moveBaseTree(pair: string, from: string, to: string): void {
    this.#stmt(
      `UPDATE base SET path = ? || substr(path, ?) WHERE pair = ? AND (path = ? OR substr(path, 1, ?) = ?)`,
    ).run(to, from.length + 1, pair, from, from.length + 1, `${from}/`);
  }

  /** The row at `path` and every row under `path/` ('' = every row), by path. */
  baseUnder(pair: string, path: string): BaseRow[] {
    if (path === '')
      return (this.#stmt('SELECT * FROM base WHERE pair = ?').all(pair) as Row[]).map(baseFromRow);
    return (
      this.#stmt(`SELECT * FROM base WHERE pair = ? AND (path = ? OR (path >= ? AND path < ?))`).all(
        pair,
        path,
        `${path}/`,
        `${path}0`,
      ) as Row[]
    ).map(baseFromRow);
  }

  /** The rows whose parent path is `folder` ('' = the root). */
  baseChildren(pair: string, folder: string): BaseRow[] {
    if (folder === '')
      return (
        this.#stmt(`SELECT * FROM base WHERE pair = ? AND instr(path, '/') = 0`).all(pair) as Row[]
      ).map(baseFromRow);
    return (
      this.#stmt(
        `SELECT * FROM base WHERE pair = ? AND path >= ? AND path < ? AND instr(substr(path, ?), '/') = 0`,
      ).all(pair, `${folder}/`, `${folder}0`, folder.length + 2) as Row[]
    ).map(baseFromRow);
  }

  /** Paths of the pair's folder rows. */
  baseFolderPaths(pair: string): string[] {
    return (
      this.#stmt(`SELECT path FROM base WHERE pair = ? AND kind = 'folder'`).raw(true).all(pair) as [string][]
    ).map((r) => r[0]);
  }

  /** The row of the item with this fileId, if the base has it. */
  baseByRemoteKey(pair: string, key: string): BaseRow | null {
    const r = this.#stmt('SELECT * FROM base WHERE pair = ? AND remote_key = ? LIMIT 1').get(pair, key) as
      Row | undefined;
    return r ? baseFromRow(r) : null;
  }

  // ---- the remote view (schema/004_remote_view.sql) ----

  /** What the Drive holds at `path` where it differs from the base (entry null: absent there). */
  putRemoteDelta(pair: string, path: string, entry: RemoteEntry | null): void {
    this.#stmt(
      `INSERT OR REPLACE INTO remote_delta (pair, path, remote_key, remote_parent_key, name, kind, size_bytes, update_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      pair,
      path,
      entry?.resourceKey ?? null,
      entry?.parentKey ?? null,
      entry?.name ?? null,
      entry?.kind ?? null,
      entry?.size ?? null,
      entry === null ? null : Math.trunc(entry.updateDate),
    );
  }

  /** The Drive holds at `path` what the base says. */
  dropRemoteDelta(pair: string, path: string): void {
    this.#stmt('DELETE FROM remote_delta WHERE pair = ? AND path = ?').run(pair, path);
  }

  /** Drops the rows at and under `path` ('' = all of the pair's). */
  dropRemoteDeltasUnder(pair: string, path: string): void {
    if (path === '') this.#stmt('DELETE FROM remote_delta WHERE pair = ?').run(pair);
    else
      this.#stmt(`DELETE FROM remote_delta WHERE pair = ? AND (path = ? OR (path >= ? AND path < ?))`).run(
        pair,
        path,
        `${path}/`,
        `${path}0`,
      );
  }

  /** The rows at and under `path` ('' = all), or only the children of `path` with `childrenOnly`. */
  remoteDeltas(pair: string, path: string, childrenOnly = false): RemoteDelta[] {
    let rows: Row[];
    if (path === '')
      rows = (
        childrenOnly
          ? this.#stmt(`SELECT * FROM remote_delta WHERE pair = ? AND instr(path, '/') = 0`)
          : this.#stmt('SELECT * FROM remote_delta WHERE pair = ?')
      ).all(pair) as Row[];
    else if (childrenOnly)
      rows = this.#stmt(
        `SELECT * FROM remote_delta WHERE pair = ? AND path >= ? AND path < ? AND instr(substr(path, ?), '/') = 0`,
      ).all(pair, `${path}/`, `${path}0`, path.length + 2) as Row[];
    else
      rows = this.#stmt(
        `SELECT * FROM remote_delta WHERE pair = ? AND (path = ? OR (path >= ? AND path < ?))`,
      ).all(pair, path, `${path}/`, `${path}0`) as Row[];
    return rows.map(deltaFromRow);
  }

  /** The row at `path` itself, if any. */
  remoteDeltaAt(pair: string, path: string): RemoteDelta | null {
    const r = this.#stmt('SELECT * FROM remote_delta WHERE pair = ? AND path = ?').get(pair, path) as
      Row | undefined;
    return r ? deltaFromRow(r) : null;
  }

  /** The path where the view holds the item `key` as a difference from the base, if any. */
  remoteDeltaByKey(pair: string, key: string): RemoteDelta | null {
    const r = this.#stmt('SELECT * FROM remote_delta WHERE pair = ? AND remote_key = ? LIMIT 1').get(
      pair,
      key,
    ) as Row | undefined;
    return r ? deltaFromRow(r) : null;
  }

  // ---- actions (durable pending work) ----

  /** Records a failed attempt: attempts + 1, next try time, error text and class. */
  recordFailure(
    a: Pick<PendingAction, 'pair' | 'path' | 'action'>,
    err: {
      message: string;
      errorClass: string;
      nextTryMs: number;
      permanent: boolean;
      fingerprint?: string | null;
    },
  ): PendingAction {
    this.#stmt(
      `INSERT INTO actions (pair, path, action, attempts, next_try_ms, last_error, error_class, permanent, fingerprint)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)
       ON CONFLICT (pair, path, action) DO UPDATE SET attempts = attempts + 1, next_try_ms = excluded.next_try_ms,
         last_error = excluded.last_error, error_class = excluded.error_class, permanent = excluded.permanent,
         fingerprint = excluded.fingerprint`,
    ).run(
      a.pair,
      a.path,
      a.action,
      err.nextTryMs,
      err.message,
      err.errorClass,
      err.permanent ? 1 : 0,
      err.fingerprint ?? null,
    );
    return this.getAction(a.pair, a.path, a.action)!;
  }

  getAction(pair: string, path: string, action: string): PendingAction | null {
    const r = this.#stmt('SELECT * FROM actions WHERE pair = ? AND path = ? AND action = ?').get(
      pair,
      path,
      action,
    ) as Row | undefined;
    return r ? actionFromRow(r) : null;
  }

  /** The item succeeded (or no longer applies): its pending rows for that path go. */
  clearActions(pair: string, path: string): void {
    this.#stmt('DELETE FROM actions WHERE pair = ? AND path = ?').run(pair, path);
  }

  /** Pending work of the pair, soonest first. With `dueBy`, only rows whose next try is due. */
  pendingActions(pair: string, dueBy?: number): PendingAction[] {
    const rows =
      dueBy === undefined
        ? this.#stmt('SELECT * FROM actions WHERE pair = ? ORDER BY next_try_ms, path').all(pair)
        : this.#stmt(
            'SELECT * FROM actions WHERE pair = ? AND next_try_ms <= ? ORDER BY next_try_ms, path',
          ).all(pair, dueBy);
    return (rows as Row[]).map(actionFromRow);
  }

  /** The earliest next try among non-permanent rows (paces the daemon); null when none. */
  nextRetryMs(pair: string): number | null {
    const r = this.#stmt('SELECT min(next_try_ms) AS t FROM actions WHERE pair = ? AND permanent = 0').get(
      pair,
    ) as {
      t: number | null;
    };
    return r.t;
  }

  // ---- file problems (errors, conflicts, skipped items) ----

  recordProblem(p: FileProblem): void {
    this.#stmt(
      'INSERT OR REPLACE INTO file_errors (pair, path, kind, reason, at_ms) VALUES (?, ?, ?, ?, ?)',
    ).run(p.pair, p.path, p.kind, p.reason, p.atMs);
  }

  /** Clears one kind, or every kind when omitted. */
  clearProblem(pair: string, path: string, kind?: FileProblemKind): void {
    if (kind)
      this.#stmt('DELETE FROM file_errors WHERE pair = ? AND path = ? AND kind = ?').run(pair, path, kind);
    else this.#stmt('DELETE FROM file_errors WHERE pair = ? AND path = ?').run(pair, path);
  }

  problems(pair: string, kind?: FileProblemKind): FileProblem[] {
    const rows = kind
      ? this.#stmt('SELECT * FROM file_errors WHERE pair = ? AND kind = ? ORDER BY path').all(pair, kind)
      : this.#stmt('SELECT * FROM file_errors WHERE pair = ? ORDER BY path, kind').all(pair);
    return (rows as Row[]).map((r) => ({
      pair: r.pair as string,
      path: r.path as string,
      kind: r.kind as FileProblemKind,
      reason: r.reason as string,
      atMs: r.at_ms as number,
    }));
  }

  // ---- upload sessions ----

  saveUploadSession(pair: string, s: StoredUploadSession): void {
    this.#stmt(
      `INSERT OR REPLACE INTO upload_sessions (pair, path, upload_url, offset_bytes, size_bytes, mtime_ms, sha256,
         parent_key, name, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      pair,
      s.path,
      s.uploadUrl,
      s.offset,
      s.size,
      Math.trunc(s.mtimeMs),
      s.sha256,
      s.parentKey,
      s.name,
      s.createdMs,
    );
  }

  getUploadSession(pair: string, path: string): StoredUploadSession | null {
    const r = this.#stmt('SELECT * FROM upload_sessions WHERE pair = ? AND path = ?').get(pair, path) as
      Row | undefined;
    if (!r) return null;
    return {
      path: r.path as string,
      uploadUrl: r.upload_url as string,
      offset: r.offset_bytes as number,
      size: r.size_bytes as number,
      mtimeMs: r.mtime_ms as number,
      sha256: r.sha256 as string | null,
      parentKey: r.parent_key as string | null,
      name: r.name as string,
      createdMs: r.created_ms as number,
    };
  }

  /** Every upload session of the pair, by path. */
  uploadSessions(pair: string): StoredUploadSession[] {
    const rows = this.#stmt('SELECT path FROM upload_sessions WHERE pair = ? ORDER BY path').all(pair) as {
      path: string;
    }[];
    return rows.flatMap((r) => this.getUploadSession(pair, r.path) ?? []);
  }

  deleteUploadSession(pair: string, path: string): void {
    this.#stmt('DELETE FROM upload_sessions WHERE pair = ? AND path = ?').run(pair, path);
  }

  // ---- watcher hints ----

  addEvent(pair: string, path: string, atMs: number): void {
    this.#stmt('INSERT OR REPLACE INTO events (pair, path, at_ms) VALUES (?, ?, ?)').run(pair, path, atMs);
  }

  /** Returns and removes every hint of the pair. */
  takeEvents(pair: string): { path: string; atMs: number }[] {
    return this.transaction(() => {
      const rows = this.#stmt('SELECT path, at_ms FROM events WHERE pair = ? ORDER BY at_ms').all(
        pair,
      ) as Row[];
      this.#stmt('DELETE FROM events WHERE pair = ?').run(pair);
      return rows.map((r) => ({ path: r.path as string, atMs: r.at_ms as number }));
    });
  }

  // ---- meta ----

  setMeta(pair: string, key: string, value: string): void {
    this.#stmt('INSERT OR REPLACE INTO meta (pair, key, value) VALUES (?, ?, ?)').run(pair, key, value);
  }

  getMeta(pair: string, key: string): string | null {
    const r = this.#stmt('SELECT value FROM meta WHERE pair = ? AND key = ?').get(pair, key) as
      { value: string } | undefined;
    return r?.value ?? null;
  }

  deleteMeta(pair: string, key: string): void {
    this.#stmt('DELETE FROM meta WHERE pair = ? AND key = ?').run(pair, key);
  }

  /** Keys of the pair's meta rows that start with `prefix`. */
  metaKeys(pair: string, prefix: string): string[] {
    const rows = this.#stmt('SELECT key FROM meta WHERE pair = ? AND substr(key, 1, ?) = ? ORDER BY key').all(
      pair,
      prefix.length,
      prefix,
    ) as { key: string }[];
    return rows.map((r) => r.key);
  }

  setLastSync(pair: string, atMs: number): void {
    this.setMeta(pair, 'last_sync_ms', String(atMs));
  }

  lastSync(pair: string): number | null {
    const v = this.getMeta(pair, 'last_sync_ms');
    return v === null ? null : Number(v);
  }

  /** The last 429 seen from the Drive (any pair). */
  setLast429(atMs: number): void {
    this.setMeta('', 'last_429_ms', String(atMs));
  }

  last429(): number | null {
    const v = this.getMeta('', 'last_429_ms');
    return v === null ? null : Number(v);
  }
}
