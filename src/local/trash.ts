/**
 * Local deletes never destroy bytes: the item moves into the pair's trash under the state dir
 * (design.md "The three-way decision": delete local = move into the pair's local trash).
 * Layout: <stateDir>/trash/<pair>/<run stamp>/<relative path>.
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function trashRoot(stateDir: string, pair: string): string {
  return join(stateDir, 'trash', pair);
}

/** A folder name for one run's trash, sortable by time: 2026-11-24T101500Z. */
export function runStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[:-]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Moves root/relPath into the trash folder `bin` (never over an earlier trashed item); returns where it went. */
export function moveToTrash(root: string, relPath: string, bin: string): string {
  const from = join(root, relPath);
  let to = join(bin, relPath);
  for (let n = 1; existsSync(to); n++) to = join(bin, `${relPath}.${n}`);
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    cpSync(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false });
    rmSync(from, { recursive: true });
  }
  return to;
}
