/**
 * How the watcher splits a pair's tree among chokidar watchers started one after another.
 *
 * chokidar walks a watched tree with every folder's listing in flight at once and an lstat per
 * entry (design.md "Known traps": memory grows with the tree). At 100,000 files that is ~100,000
 * requests outstanding, and the ~140 MB of C heap they take is never given back to the system
 * (glibc cannot trim a fragmented heap): the daemon stays at that size for its whole life. Watching
 * pieces of at most PIECE_WEIGHT entries, one piece after another, bounds what is in flight.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** At most this many entries are looked at by one piece's first walk (~1.4 kB of C heap each). */
export const PIECE_WEIGHT = 4096;

/** readdir-ahead chokidar's walker (readdirp) keeps per folder: its batch of lstat calls. */
const PER_FOLDER_IN_FLIGHT = 256;

interface Folder {
  /** Path on disk relative to the root, '/'-separated; '' for the root. */
  rel: string;
  parent: number;
  children: number[];
  weight: number;
}

/**
 * The roots of the pieces, as paths on disk relative to `root` ('' first: the root's own piece),
 * each piece weighing at most `limit` entries. `skip(rel, name)` leaves a folder out (ignored,
 * temporary). Folders that cannot be read weigh nothing: chokidar reports their trouble itself.
 * Symlinks are never followed (a Dirent of a symlink is not a directory).
 */
export function partitionTree(
  root: string,
  skip: (rel: string) => boolean,
  limit: number = PIECE_WEIGHT,
): string[] {
  const folders: Folder[] = [{ rel: '', parent: -1, children: [], weight: 0 }];
  // parents before children: walking the array backwards visits children before parents
  for (let i = 0; i < folders.length; i++) {
    const f = folders[i]!;
    let dirents: Dirent[];
    try {
      dirents = readdirSync(f.rel === '' ? root : join(root, f.rel), { withFileTypes: true });
    } catch {
      continue;
    }
    f.weight = Math.min(dirents.length, PER_FOLDER_IN_FLIGHT);
    for (const d of dirents) {
      if (!d.isDirectory()) continue;
      const rel = f.rel === '' ? d.name : `${f.rel}/${d.name}`;
      if (skip(rel)) continue;
      f.children.push(folders.length);
      folders.push({ rel, parent: i, children: [], weight: 0 });
    }
  }
  const roots: string[] = [];
  for (let i = folders.length - 1; i >= 0; i--) {
    const f = folders[i]!;
    // the heaviest children become pieces of their own until this folder's piece fits
    const kids = f.children.map((c) => folders[c]!).sort((a, b) => b.weight - a.weight);
    let total = f.weight + kids.reduce((s, k) => s + k.weight, 0);
    for (const k of kids) {
      if (total <= limit) break;
      roots.push(k.rel);
      total -= k.weight;
    }
    f.weight = total;
    f.children = [];
  }
  roots.push('');
  return roots.reverse();
}
