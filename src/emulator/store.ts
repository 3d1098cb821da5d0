/**
 * Emulator state (contracts §3): metadata in SQLite (`DIR/emulator.db`, or `:memory:`), contents as
 * files under `DIR/blobs` (or a private temp dir, removed on close).
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface Item {
  id: string;
  drive: string;
  parent: string | null;
  name: string;
  nkey: string;
  folder: number;
  size: number;
  created: number;
  modified: number;
  accessed: number;
  blob: string | null;
  sha256: string | null;
  trashed: number;
}

export interface UploadSession {
  id: string;
  drive: string;
  parent: string | null;
  name: string;
  size: number;
  modified: number | null;
  overwrite: number;
  suffix: number;
  created: number;
  expires: number;
  done: number;
}

export interface Token {
  token: string;
  kind: 'access' | 'refresh';
  user: string;
  scope: string;
  service: number;
  expires: number;
  revoked: number;
}

export interface AuthCode {
  code: string;
  client: string;
  redirect: string;
  scope: string;
  expires: number;
  used: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS drives (id TEXT PRIMARY KEY, kind TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  id TEXT PRIMARY KEY, drive TEXT NOT NULL, parent TEXT, name TEXT NOT NULL, nkey TEXT NOT NULL,
  folder INTEGER NOT NULL, size INTEGER NOT NULL, created INTEGER NOT NULL, modified INTEGER NOT NULL,
  accessed INTEGER NOT NULL, blob TEXT, sha256 TEXT, trashed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS items_parent ON items (drive, parent, trashed);
CREATE INDEX IF NOT EXISTS items_key ON items (drive, parent, nkey);
CREATE INDEX IF NOT EXISTS items_child ON items (parent, trashed);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, drive TEXT NOT NULL, parent TEXT, name TEXT NOT NULL, size INTEGER NOT NULL,
  modified INTEGER, overwrite INTEGER NOT NULL, suffix INTEGER NOT NULL, created INTEGER NOT NULL,
  expires INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS sessions_target ON sessions (drive, parent, name);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, user TEXT NOT NULL, scope TEXT NOT NULL,
  service INTEGER NOT NULL, expires INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS codes (
  code TEXT PRIMARY KEY, client TEXT NOT NULL, redirect TEXT NOT NULL, scope TEXT NOT NULL,
  expires INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
`;

/**
 * Bytes per drive (live files, trashed files), kept by triggers so that the quota check of every
 * upload is one lookup instead of a sum over the drive. TEMP, so nothing of it is stored in
 * `emulator.db`: it is filled from `items` on open, and being SQL it follows rolled-back
 * transactions and every write to `items`, whichever code path makes it.
 */
const USAGE = `
CREATE TEMP TABLE IF NOT EXISTS usage (
  drive TEXT PRIMARY KEY, used INTEGER NOT NULL DEFAULT 0, trash INTEGER NOT NULL DEFAULT 0);
CREATE TEMP TRIGGER IF NOT EXISTS usage_insert AFTER INSERT ON main.items WHEN NEW.folder = 0 BEGIN
  INSERT INTO usage (drive, used, trash)
    VALUES (NEW.drive, CASE WHEN NEW.trashed = 0 THEN NEW.size ELSE 0 END,
            CASE WHEN NEW.trashed = 1 THEN NEW.size ELSE 0 END)
    ON CONFLICT (drive) DO UPDATE SET used = used + excluded.used, trash = trash + excluded.trash;
END;
CREATE TEMP TRIGGER IF NOT EXISTS usage_delete AFTER DELETE ON main.items WHEN OLD.folder = 0 BEGIN
  UPDATE usage SET used = used - CASE WHEN OLD.trashed = 0 THEN OLD.size ELSE 0 END,
                   trash = trash - CASE WHEN OLD.trashed = 1 THEN OLD.size ELSE 0 END
    WHERE drive = OLD.drive;
END;
CREATE TEMP TRIGGER IF NOT EXISTS usage_update AFTER UPDATE OF drive, folder, size, trashed ON main.items
  WHEN OLD.folder = 0 OR NEW.folder = 0 BEGIN
  UPDATE usage SET used = used - CASE WHEN OLD.folder = 0 AND OLD.trashed = 0 THEN OLD.size ELSE 0 END,
                   trash = trash - CASE WHEN OLD.folder = 0 AND OLD.trashed = 1 THEN OLD.size ELSE 0 END
    WHERE drive = OLD.drive;
  INSERT INTO usage (drive, used, trash)
    VALUES (NEW.drive, CASE WHEN NEW.folder = 0 AND NEW.trashed = 0 THEN NEW.size ELSE 0 END,
            CASE WHEN NEW.folder = 0 AND NEW.trashed = 1 THEN NEW.size ELSE 0 END)
    ON CONFLICT (drive) DO UPDATE SET used = used + excluded.used, trash = trash + excluded.trash;
END;
`;

export const MY_DRIVE = 'user:user1@example.com';

export function newId(prefix = ''): string {
  return prefix + randomBytes(12).toString('base64url');
}

export class Store {
  readonly db: Database.Database;
  readonly blobDir: string;
  private readonly tempRoot: string | null;
  /** Prepared statements by SQL text: preparing costs more than running most of them. */
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.db = new Database(join(dataDir, 'emulator.db'));
      this.db.pragma('journal_mode = WAL');
      // Commits survive the process being killed (what a restart with --data is about); only an OS
      // crash may lose the last ones. FULL syncs the WAL on every commit: ~1 ms, twice per upload.
      this.db.pragma('synchronous = NORMAL');
      this.blobDir = join(dataDir, 'blobs');
      this.tempRoot = null;
    } else {
      this.db = new Database(':memory:');
      this.tempRoot = mkdtempSync(join(tmpdir(), 'lwsync-emulator-'));
      this.blobDir = join(this.tempRoot, 'blobs');
    }
    mkdirSync(join(this.blobDir, 'files'), { recursive: true });
    mkdirSync(join(this.blobDir, 'sessions'), { recursive: true });
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(SCHEMA);
    this.db.exec(USAGE);
    this.recountUsage();
    this.ensureDrive(MY_DRIVE, 'user');
  }

  private sql(text: string): Database.Statement {
    let s = this.stmts.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.stmts.set(text, s);
    }
    return s;
  }

  /** Refills the usage table from `items` (on open; the triggers keep it from then on). */
  private recountUsage(): void {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM temp.usage;
        INSERT INTO temp.usage (drive, used, trash)
          SELECT drive, COALESCE(SUM(CASE WHEN trashed = 0 THEN size END), 0),
                 COALESCE(SUM(CASE WHEN trashed = 1 THEN size END), 0)
          FROM items WHERE folder = 0 GROUP BY drive;`);
    })();
  }

  /**
   * Rows inserted, updated or deleted through this connection so far (SQLite `total_changes()`,
   * trigger writes included): unchanged means no table has changed since the last reading.
   */
  changes(): number {
    return (this.sql('SELECT total_changes() AS n').get() as { n: number }).n;
  }

  close(): void {
    this.stmts.clear();
    this.db.close();
    if (this.tempRoot) rmSync(this.tempRoot, { recursive: true, force: true });
  }

  reset(): void {
    this.db.exec(
      'DELETE FROM drives; DELETE FROM items; DELETE FROM sessions; DELETE FROM tokens; DELETE FROM codes;',
    );
    this.recountUsage();
    rmSync(this.blobDir, { recursive: true, force: true });
    mkdirSync(join(this.blobDir, 'files'), { recursive: true });
    mkdirSync(join(this.blobDir, 'sessions'), { recursive: true });
    this.ensureDrive(MY_DRIVE, 'user');
  }

  blobPath(blob: string): string {
    return join(this.blobDir, 'files', blob);
  }

  sessionPath(id: string): string {
    return join(this.blobDir, 'sessions', id);
  }

  ensureDrive(id: string, kind: string): void {
    this.sql('INSERT OR IGNORE INTO drives (id, kind, created) VALUES (?, ?, ?)').run(id, kind, Date.now());
  }

  hasDrive(id: string): boolean {
    return this.sql('SELECT 1 FROM drives WHERE id = ?').get(id) !== undefined;
  }

  item(id: string): Item | undefined {
    return this.sql('SELECT * FROM items WHERE id = ? AND trashed = 0').get(id) as Item | undefined;
  }

  children(drive: string, parent: string | null): Item[] {
    return this.sql('SELECT * FROM items WHERE drive = ? AND parent IS ? AND trashed = 0').all(
      drive,
      parent,
    ) as Item[];
  }

  childByKey(drive: string, parent: string | null, nkey: string): Item | undefined {
    return this.sql('SELECT * FROM items WHERE drive = ? AND parent IS ? AND nkey = ? AND trashed = 0').get(
      drive,
      parent,
      nkey,
    ) as Item | undefined;
  }

  /** Every live child of `parent` whose `nkey` is `nkey` (through the `items_key` index). */
  childrenByKey(drive: string, parent: string | null, nkey: string): Item[] {
    return this.sql('SELECT * FROM items WHERE drive = ? AND parent IS ? AND nkey = ? AND trashed = 0').all(
      drive,
      parent,
      nkey,
    ) as Item[];
  }

  childByName(drive: string, parent: string | null, name: string, caseSensitive: boolean): Item | undefined {
    if (caseSensitive)
      return this.sql('SELECT * FROM items WHERE drive = ? AND parent IS ? AND name = ? AND trashed = 0').get(
        drive,
        parent,
        name,
      ) as Item | undefined;
    return this.childByKey(drive, parent, name.toLowerCase());
  }

  insert(item: Item): void {
    this.sql(
      `INSERT INTO items (id, drive, parent, name, nkey, folder, size, created, modified, accessed, blob, sha256, trashed)
       VALUES (@id, @drive, @parent, @name, @nkey, @folder, @size, @created, @modified, @accessed, @blob, @sha256, @trashed)`,
    ).run(item);
  }

  update(id: string, fields: Partial<Item>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.sql(`UPDATE items SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({
      ...fields,
      id,
    });
  }

  /** Every live item of the subtree under `id`, `id` included. */
  subtree(id: string): Item[] {
    return this.sql(
      `WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT i.id FROM items i JOIN t ON i.parent = t.id WHERE i.trashed = 0)
       SELECT items.* FROM t CROSS JOIN items ON items.id = t.id WHERE items.trashed = 0`,
    ).all(id) as Item[];
  }

  trash(id: string): void {
    const ids = this.subtree(id).map((i) => i.id);
    const stmt = this.sql('UPDATE items SET trashed = 1 WHERE id = ?');
    this.db.transaction(() => ids.forEach((i) => stmt.run(i)))();
  }

  /** The drive's trashed items (a trashed folder's contents are trashed with it). */
  trashedItems(drive: string): Item[] {
    return this.sql('SELECT * FROM items WHERE drive = ? AND trashed = 1').all(drive) as Item[];
  }

  driveItems(drive: string): Item[] {
    return this.sql('SELECT * FROM items WHERE drive = ? AND trashed = 0').all(drive) as Item[];
  }

  /** Bytes of the drive's live and trashed files (one lookup: the triggers keep the totals). */
  usage(drive: string): { used: number; trash: number } {
    const r = this.sql('SELECT used, trash FROM temp.usage WHERE drive = ?').get(drive) as
      { used: number; trash: number } | undefined;
    return r ? { used: r.used, trash: r.trash } : { used: 0, trash: 0 };
  }

  /**
   * `/a/b/name`. `memo` (folder id → its path) spares the walk up for items that share ancestors,
   * as a listing's do; it is only good while no folder is renamed or moved, so keep it to one request.
   */
  path(item: Item, memo?: Map<string, string>): string {
    return this.folderPath(item.parent, memo) + '/' + item.name;
  }

  /** The path of folder `id` ('' for the root, or when an ancestor is missing: the walk stops there). */
  private folderPath(id: string | null, memo?: Map<string, string>): string {
    const up = this.sql('SELECT parent, name FROM items WHERE id = ?');
    const chain: { id: string; name: string }[] = [];
    let prefix = '';
    let p = id;
    for (let guard = 0; p !== null && guard < 10000; guard++) {
      const hit = memo?.get(p);
      if (hit !== undefined) {
        prefix = hit;
        break;
      }
      const row = up.get(p) as { parent: string | null; name: string } | undefined;
      if (!row) break;
      chain.push({ id: p, name: row.name });
      p = row.parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i] as { id: string; name: string };
      prefix += '/' + link.name;
      memo?.set(link.id, prefix);
    }
    return prefix;
  }

  session(id: string): UploadSession | undefined {
    return this.sql('SELECT * FROM sessions WHERE id = ?').get(id) as UploadSession | undefined;
  }

  pendingSession(
    drive: string,
    parent: string | null,
    name: string,
    size: number,
    now: number,
  ): UploadSession | undefined {
    return this.sql(
      'SELECT * FROM sessions WHERE drive = ? AND parent IS ? AND name = ? AND size = ? AND done = 0 AND expires > ? ORDER BY created DESC',
    ).get(drive, parent, name, size, now) as UploadSession | undefined;
  }

  insertSession(s: UploadSession): void {
    this.sql(
      `INSERT INTO sessions (id, drive, parent, name, size, modified, overwrite, suffix, created, expires, done)
       VALUES (@id, @drive, @parent, @name, @size, @modified, @overwrite, @suffix, @created, @expires, @done)`,
    ).run(s);
  }

  finishSession(id: string): void {
    this.sql('UPDATE sessions SET done = 1 WHERE id = ?').run(id);
  }

  insertToken(t: Token): void {
    this.sql(
      'INSERT INTO tokens (token, kind, user, scope, service, expires, revoked) VALUES (@token, @kind, @user, @scope, @service, @expires, @revoked)',
    ).run(t);
  }

  token(token: string): Token | undefined {
    return this.sql('SELECT * FROM tokens WHERE token = ?').get(token) as Token | undefined;
  }

  revoke(token: string): void {
    this.sql('UPDATE tokens SET revoked = 1 WHERE token = ?').run(token);
  }

  insertCode(c: AuthCode): void {
    this.sql(
      'INSERT INTO codes (code, client, redirect, scope, expires, used) VALUES (@code, @client, @redirect, @scope, @expires, @used)',
    ).run(c);
  }

  /** Marks the code used and returns it as it was before (single use, reference §1). */
  takeCode(code: string): AuthCode | undefined {
    const c = this.sql('SELECT * FROM codes WHERE code = ?').get(code) as AuthCode | undefined;
    if (c) this.sql('UPDATE codes SET used = 1 WHERE code = ?').run(code);
    return c;
  }
}
