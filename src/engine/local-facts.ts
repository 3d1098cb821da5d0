/** What the disk says about a path now, in the shape the base row keeps (journal/base-row.ts). */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalFacts } from '../journal/base-row.js';
import type { LocalEntry } from '../scan/types.js';

export function statFacts(abs: string): LocalFacts | null {
  try {
    const s = lstatSync(abs);
    if (!s.isFile() && !s.isDirectory()) return null;
    return {
      kind: s.isDirectory() ? 'folder' : 'file',
      size: s.isFile() ? s.size : 0,
      mtimeMs: s.mtimeMs,
      ino: s.ino,
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return null;
    throw e;
  }
}

/** The absolute path of a scanned entry on disk (its NFD name when the disk has one). */
export function diskPath(root: string, entry: Pick<LocalEntry, 'path' | 'diskPath'>): string {
  return join(root, entry.diskPath ?? entry.path);
}

/** The scan's view still holds: same kind, and for files same size and mtime. */
export function stillAsScanned(now: LocalFacts | null, scanned: LocalEntry): boolean {
  if (!now || now.kind !== scanned.kind) return false;
  if (now.kind === 'folder') return true;
  return now.size === scanned.size && Math.trunc(now.mtimeMs) === Math.trunc(scanned.mtimeMs);
}

/**
 * The disk path of a relative NFC path whose names may be stored in another normalisation (NFD
 * from macOS); null when nothing on disk matches.
 */
export function findOnDisk(root: string, rel: string): string | null {
  const direct = join(root, rel);
  if (statFacts(direct)) return direct;
  let dir = root;
  for (const seg of rel.split('/')) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return null;
    }
    const hit = names.find((n) => n.normalize('NFC') === seg);
    if (hit === undefined) return null;
    dir = join(dir, hit);
  }
  return dir;
}
