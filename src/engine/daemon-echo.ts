/**
 * Watcher echoes (design.md "Safety guards": the daemon's own writes are remembered so their
 * watcher echoes are not uploaded back). The planner already sees a downloaded file as equal to its
 * base; this check only saves the pass: when every path the watcher reported looks exactly as the
 * journal's base row says (a file with the same size, mtime and inode, a folder that is a folder,
 * or nothing where the journal has nothing), there is nothing local to sync.
 */
import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../journal/index.js';
import { nfc } from '../scan/index.js';

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** `path` is root-relative and '/'-separated, as named on disk. */
export function matchesBase(journal: Journal, pair: string, root: string, path: string): boolean {
  if (path === '') return false;
  const base = journal.getBaseRow(pair, nfc(path));
  const st = lstatOrNull(join(root, path));
  if (st === null) return base === null;
  if (base === null) return false;
  if (base.kind === 'folder') return st.isDirectory();
  return (
    st.isFile() &&
    st.size === base.localSize &&
    Math.trunc(st.mtimeMs) === base.localMtimeMs &&
    st.ino === base.localIno
  );
}

export function allEchoes(journal: Journal, pair: string, root: string, paths: Iterable<string>): boolean {
  for (const p of paths) if (!matchesBase(journal, pair, root, p)) return false;
  return true;
}
