/**
 * Temporary download files are named in the journal before the first byte lands, with the remote
 * version they hold (path, fileId, update time, size). A run that stops mid-download (SIGKILL,
 * power loss, a transfer that kept failing) leaves the bytes it had; the next pass that downloads
 * the same version of the same path continues them with a Range request, and every other temporary
 * file is removed: at the start of a pass those without a version, after its plan those its
 * downloads will not continue.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Journal } from '../journal/index.js';
import { removeQuietly } from '../local/atomic.js';
import type { Action } from '../plan/types.js';
import type { RemoteEntry } from '../remote/types.js';

const PREFIX = 'tmp:';

/** The remote version a temporary file holds the first bytes of. */
export interface PartialOf {
  /** The pair-relative path the download is for. */
  path: string;
  key: string;
  updateDate: number;
  size: number;
}

const partialOf = (path: string, r: RemoteEntry): PartialOf => ({
  path,
  key: r.resourceKey,
  updateDate: r.updateDate,
  size: r.size,
});

function readNote(value: string | null): PartialOf | null {
  if (value === null) return null;
  try {
    const v = JSON.parse(value) as Partial<PartialOf>;
    return typeof v.path === 'string' &&
      typeof v.key === 'string' &&
      typeof v.updateDate === 'number' &&
      typeof v.size === 'number'
      ? (v as PartialOf)
      : null;
  } catch {
    return null; // a note of an older version of this program ('1'): no version known
  }
}

const same = (a: PartialOf, b: PartialOf): boolean =>
  a.path === b.path && a.key === b.key && a.updateDate === b.updateDate && a.size === b.size;

/** Notes `abs` as the temporary file of the download of `remote` to `path`. */
export function noteTemp(
  journal: Journal,
  pair: string,
  root: string,
  abs: string,
  path: string,
  remote: RemoteEntry,
): void {
  journal.setMeta(pair, PREFIX + relative(root, abs), JSON.stringify(partialOf(path, remote)));
}

export function forgetTemp(journal: Journal, pair: string, root: string, abs: string): void {
  journal.deleteMeta(pair, PREFIX + relative(root, abs));
}

/** A temporary file left with the first bytes of this very version of `remote` at `path`, if any. */
export function partialDownload(
  journal: Journal,
  pair: string,
  root: string,
  path: string,
  remote: RemoteEntry,
): string | null {
  const want = partialOf(path, remote);
  for (const key of journal.metaKeys(pair, PREFIX)) {
    const note = readNote(journal.getMeta(pair, key));
    const abs = join(root, key.slice(PREFIX.length));
    if (note && same(note, want) && existsSync(abs)) return abs;
  }
  return null;
}

/** At the start of a pass: removes the temporary files that hold no known version. */
export function sweepTemps(journal: Journal, pair: string, root: string): number {
  return removeTemps(journal, pair, root, (note, abs) => note === null || !existsSync(abs));
}

/** After the plan: removes the partial downloads no download or conflict of `actions` continues. */
export function pruneTemps(journal: Journal, pair: string, root: string, actions: readonly Action[]): number {
  if (journal.metaKeys(pair, PREFIX).length === 0) return 0;
  const wanted: PartialOf[] = [];
  for (const a of actions)
    if ((a.kind === 'download' || a.kind === 'conflict') && a.remote.kind === 'file')
      wanted.push(partialOf(a.path, a.remote));
  return removeTemps(journal, pair, root, (note) => note === null || !wanted.some((w) => same(w, note)));
}

function removeTemps(
  journal: Journal,
  pair: string,
  root: string,
  remove: (note: PartialOf | null, abs: string) => boolean,
): number {
  let removed = 0;
  for (const key of journal.metaKeys(pair, PREFIX)) {
    const abs = join(root, key.slice(PREFIX.length));
    if (!remove(readNote(journal.getMeta(pair, key)), abs)) continue;
    removeQuietly(abs);
    journal.deleteMeta(pair, key);
    removed++;
  }
  return removed;
}
