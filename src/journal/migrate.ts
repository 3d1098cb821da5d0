/**
 * Applies `schema/NNN_*.sql` in order, recording the last applied number in `PRAGMA user_version`.
 *
 * Locating the SQL: the build copies only .ts to dist, so the files are looked up next to this
 * module first (src/journal/schema when run through tsx) and otherwise in `src/journal/schema`
 * under the package root (the nearest folder above this module that holds package.json; the
 * package ships `src`). No SQL is duplicated into TypeScript.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

export function schemaDir(): string {
  const here = fileURLToPath(new URL('./schema/', import.meta.url));
  if (existsSync(here)) return here;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const candidate = join(dir, 'src', 'journal', 'schema');
      if (existsSync(candidate)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`journal schema folder not found above ${here}`);
    dir = up;
  }
}

export interface Migration {
  version: number;
  file: string;
  sql: string;
}

export function migrations(dir = schemaDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number.parseInt(file.slice(0, 3), 10),
      file,
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}

/** Brings the database to the newest schema; refuses a database newer than this program. */
export function migrate(db: Database, list = migrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = list.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`journal schema version ${current} is newer than this program knows (${newest})`);
  }
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return newest;
}
