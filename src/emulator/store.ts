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
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, drive TEXT NOT NULL, parent TEXT, name TEXT NOT NULL, size INTEGER NOT NULL,
  modified INTEGER, overwrite INTEGER NOT NULL, suffix INTEGER NOT NULL, created INTEGER NOT NULL,
  expires INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, user TEXT NOT NULL, scope TEXT NOT NULL,
  service INTEGER NOT NULL, expires INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS codes (
  code TEXT PRIMARY KEY, client TEXT NOT NULL, redirect TEXT NOT NULL, scope TEXT NOT NULL,
  expires INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
`;

export const MY_DRIVE = 'user:user1@example.com';

export function newId(prefix = ''): string {
  return prefix + randomBytes(12).toString('base64url');
}

export class Store {
  readonly db: Database.Database;
  readonly blobDir: string;
  private readonly tempRoot: string | null;

  constructor(dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.db = new Database(join(dataDir, 'emulator.db'));
      this.db.pragma('journal_mode = WAL');
      this.blobDir = join(dataDir, 'blobs');
      this.tempRoot = null;
    } else {
      this.db = new Database(':memory:');
      this.tempRoot = mkdtempSync(join(tmpdir(), 'lwsync-emulator-'));
      this.blobDir = join(this.tempRoot, 'blobs');
    }
    mkdirSync(join(this.blobDir, 'files'), { recursive: true });
    mkdirSync(join(this.blobDir, 'sessions'), { recursive: true });
    this.db.exec(SCHEMA);
    this.ensureDrive(MY_DRIVE, 'user');
  }

  close(): void {
    this.db.close();
    if (this.tempRoot) rmSync(this.tempRoot, { recursive: true, force: true });
  }

  reset(): void {
    this.db.exec(
      'DELETE FROM drives; DELETE FROM items; DELETE FROM sessions; DELETE FROM tokens; DELETE FROM codes;',
    );
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
    this.db
      .prepare('INSERT OR IGNORE INTO drives (id, kind, created) VALUES (?, ?, ?)')
      .run(id, kind, Date.now());
  }

  hasDrive(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM drives WHERE id = ?').get(id) !== undefined;
  }

  item(id: string): Item | undefined {
    return this.db.prepare('SELECT * FROM items WHERE id = ? AND trashed = 0').get(id) as Item | undefined;
  }

  children(drive: string, parent: string | null): Item[] {
    return this.db
      .prepare('SELECT * FROM items WHERE drive = ? AND parent IS ? AND trashed = 0')
      .all(drive, parent) as Item[];
  }

  childByKey(drive: string, parent: string | null, nkey: string): Item | undefined {
    return this.db
      .prepare('SELECT * FROM items WHERE drive = ? AND parent IS ? AND nkey = ? AND trashed = 0')
      .get(drive, parent, nkey) as Item | undefined;
  }

  childByName(drive: string, parent: string | null, name: string, caseSensitive: boolean): Item | undefined {
    if (caseSensitive)
      return this.db
        .prepare('SELECT * FROM items WHERE drive = ? AND parent IS ? AND name = ? AND trashed = 0')
        .get(drive, parent, name) as Item | undefined;
    return this.childByKey(drive, parent, name.toLowerCase());
  }

  insert(item: Item): void {
    this.db
      .prepare(
        `INSERT INTO items (id, drive, parent, name, nkey, folder, size, created, modified, accessed, blob, sha256, trashed)
         VALUES (@id, @drive, @parent, @name, @nkey, @folder, @size, @created, @modified, @accessed, @blob, @sha256, @trashed)`,
      )
      .run(item);
  }

  update(id: string, fields: Partial<Item>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE items SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
      .run({ ...fields, id });
  }

  /** Every live item of the subtree under `id`, `id` included. */
  subtree(id: string): Item[] {
    return this.db
      .prepare(
        `WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT i.id FROM items i JOIN t ON i.parent = t.id WHERE i.trashed = 0)
         SELECT items.* FROM items JOIN t ON items.id = t.id WHERE items.trashed = 0`,
      )
      .all(id) as Item[];
  }

  trash(id: string): void {
    const ids = this.subtree(id).map((i) => i.id);
    const stmt = this.db.prepare('UPDATE items SET trashed = 1 WHERE id = ?');
    this.db.transaction(() => ids.forEach((i) => stmt.run(i)))();
  }

  driveItems(drive: string): Item[] {
    return this.db.prepare('SELECT * FROM items WHERE drive = ? AND trashed = 0').all(drive) as Item[];
  }

  usage(drive: string): { used: number; trash: number } {
    const r = this.db
      .prepare(
        `SELECT COALESCE(SUM(CASE WHEN trashed = 0 THEN size END), 0) AS used,
                COALESCE(SUM(CASE WHEN trashed = 1 THEN size END), 0) AS trash FROM items WHERE drive = ? AND folder = 0`,
      )
      .get(drive) as { used: number; trash: number };
    return r;
  }

  path(item: Item): string {
    const parts: string[] = [item.name];
    let p = item.parent;
    for (let guard = 0; p !== null && guard < 10000; guard++) {
      const parent = this.db.prepare('SELECT parent, name FROM items WHERE id = ?').get(p) as
        { parent: string | null; name: string } | undefined;
      if (!parent) break;
      parts.unshift(parent.name);
      p = parent.parent;
    }
    return '/' + parts.join('/');
  }

  session(id: string): UploadSession | undefined {
    return this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as UploadSession | undefined;
  }

  pendingSession(
    drive: string,
    parent: string | null,
    name: string,
    size: number,
    now: number,
  ): UploadSession | undefined {
    return this.db
      .prepare(
        'SELECT * FROM sessions WHERE drive = ? AND parent IS ? AND name = ? AND size = ? AND done = 0 AND expires > ? ORDER BY created DESC',
      )
      .get(drive, parent, name, size, now) as UploadSession | undefined;
  }

  insertSession(s: UploadSession): void {
    this.db
      .prepare(
        `INSERT INTO sessions (id, drive, parent, name, size, modified, overwrite, suffix, created, expires, done)
         VALUES (@id, @drive, @parent, @name, @size, @modified, @overwrite, @suffix, @created, @expires, @done)`,
      )
      .run(s);
  }

  finishSession(id: string): void {
    this.db.prepare('UPDATE sessions SET done = 1 WHERE id = ?').run(id);
  }

  insertToken(t: Token): void {
    this.db
      .prepare(
        'INSERT INTO tokens (token, kind, user, scope, service, expires, revoked) VALUES (@token, @kind, @user, @scope, @service, @expires, @revoked)',
      )
      .run(t);
  }

  token(token: string): Token | undefined {
    return this.db.prepare('SELECT * FROM tokens WHERE token = ?').get(token) as Token | undefined;
  }

  revoke(token: string): void {
    this.db.prepare('UPDATE tokens SET revoked = 1 WHERE token = ?').run(token);
  }

  insertCode(c: AuthCode): void {
    this.db
      .prepare(
        'INSERT INTO codes (code, client, redirect, scope, expires, used) VALUES (@code, @client, @redirect, @scope, @expires, @used)',
      )
      .run(c);
  }

  /** Marks the code used and returns it as it was before (single use, reference §1). */
  takeCode(code: string): AuthCode | undefined {
    const c = this.db.prepare('SELECT * FROM codes WHERE code = ?').get(code) as AuthCode | undefined;
    if (c) this.db.prepare('UPDATE codes SET used = 1 WHERE code = ?').run(code);
    return c;
  }
}
