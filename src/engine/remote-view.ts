/**
 * The remote view (design.md "The daemon: jobs within the budget"; schema/004_remote_view.sql):
 * what the Drive held at each path when the engine last listed or looked at it, kept in the
 * journal as the base's remote half plus the differences from it. A folder polled alone is
 * compared with its own previous listing; a daemon restarted serves local changes from it at once.
 */
import type { BaseTable } from '../journal/base-table.js';
import type { BaseRow, Journal } from '../journal/index.js';
import type { RemoteEntry } from '../remote/types.js';
import { baseName, isAtOrUnder } from '../scan/names.js';
import { remoteCodec } from './remote-codec.js';

/** The remote half of a base row, as a listing would show it. */
export function entryFromBase(b: BaseRow): RemoteEntry {
  return {
    resourceKey: b.remoteKey,
    parentKey: b.remoteParentKey,
    name: baseName(b.path),
    path: b.path,
    kind: b.kind,
    size: b.remoteSize,
    updateDate: b.remoteUpdateMs,
  };
}

/** Same item, same place, same version (what a listing can tell). */
export function sameEntry(a: RemoteEntry | undefined, b: RemoteEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.resourceKey === b.resourceKey &&
    a.parentKey === b.parentKey &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.size === b.size &&
    a.updateDate === b.updateDate
  );
}

function overlay(rows: BaseRow[], deltas: ReturnType<Journal['remoteDeltas']>): Map<string, RemoteEntry> {
  const out = new Map<string, RemoteEntry>();
  for (const b of rows) out.set(b.path, entryFromBase(b));
  for (const d of deltas) {
    if (d.entry === null) out.delete(d.path);
    else out.set(d.path, d.entry);
  }
  return out;
}

/** The view of `folder`'s children ('' = the pair's remote folder). */
export function viewChildren(journal: Journal, pair: string, folder: string): Map<string, RemoteEntry> {
  return overlay(journal.baseChildren(pair, folder), journal.remoteDeltas(pair, folder, true));
}

/** The view at `path` and under it. */
export function viewUnder(journal: Journal, pair: string, path: string): Map<string, RemoteEntry> {
  return overlay(journal.baseUnder(pair, path), journal.remoteDeltas(pair, path));
}

export function viewAt(journal: Journal, pair: string, path: string): RemoteEntry | undefined {
  const d = journal.remoteDeltaAt(pair, path);
  if (d !== null) return d.entry ?? undefined;
  const b = journal.getBaseRow(pair, path);
  return b ? entryFromBase(b) : undefined;
}

/** Where the view holds the item `key` ('' = the pair's folder itself when `rootKey` is it). */
export function viewPathOfKey(journal: Journal, pair: string, key: string): string | undefined {
  const d = journal.remoteDeltaByKey(pair, key);
  if (d) return d.path;
  const b = journal.baseByRemoteKey(pair, key);
  if (!b) return undefined;
  // the base row's item may have been seen elsewhere since (a delta null at its path)
  return viewAt(journal, pair, b.path)?.resourceKey === key ? b.path : undefined;
}

/** Records what the Drive holds at `path` now (undefined: nothing). */
export function recordAt(journal: Journal, pair: string, path: string, entry: RemoteEntry | undefined): void {
  const b = journal.getBaseRow(pair, path);
  if (entry === undefined) {
    if (b) journal.putRemoteDelta(pair, path, null);
    else journal.dropRemoteDelta(pair, path);
  } else if (b && sameEntry(entry, entryFromBase(b))) journal.dropRemoteDelta(pair, path);
  else journal.putRemoteDelta(pair, path, entry);
}

/**
 * Records a fresh listing of `folder` (entries with paths relative to the pair's folder) and
 * returns the paths whose view changed: new, changed or gone since the last look (a subfolder
 * whose modifiedTime alone moved is recorded, not returned: the planner has nothing to do there).
 */
export function recordListing(
  journal: Journal,
  pair: string,
  folder: string,
  listed: readonly RemoteEntry[],
): string[] {
  return journal.transaction(() => {
    const before = viewChildren(journal, pair, folder);
    const changed: string[] = [];
    const seen = new Set<string>();
    for (const e of listed) {
      seen.add(e.path);
      const was = before.get(e.path);
      if (sameEntry(was, e)) continue;
      recordAt(journal, pair, e.path, e);
      // a folder whose time alone moved holds a change the listing of that folder will show
      if (!(was && e.kind === 'folder' && sameEntry(was, { ...e, updateDate: was.updateDate })))
        changed.push(e.path);
    }
    for (const p of before.keys()) {
      if (seen.has(p)) continue;
      changed.push(p);
      recordAt(journal, pair, p, undefined);
    }
    return changed;
  });
}

/**
 * After a full listing (`--once` or the daemon's full pass): the view becomes that listing, except
 * under the folders whose listing failed, which keep what the view said of them. `base` is the
 * base the listing was compared with, still the journal's (nothing was executed yet).
 */
export function keepListing(
  journal: Journal,
  pair: string,
  base: BaseTable,
  remote: ReadonlyMap<string, RemoteEntry>,
  failures: readonly string[],
): void {
  if (failures.includes('')) return;
  const failed = (p: string) => failures.some((f) => isAtOrUnder(p, f));
  journal.transaction(() => {
    for (const d of journal.remoteDeltas(pair, ''))
      if (!failed(d.path)) journal.dropRemoteDelta(pair, d.path);
    // the usual case: every base row listed as it says, nothing else
    if (remote.size === base.size && 'ownCount' in remote && remote.ownCount === 0) return;
    for (const r of remote.values()) {
      const i = base.indexOf(r.path);
      if (i < 0 || !remoteCodec.matches(base, i, r)) journal.putRemoteDelta(pair, r.path, r);
    }
    for (let i = 0; i < base.size; i++) {
      const p = base.pathAt(i);
      if (!remote.has(p) && !failed(p)) journal.putRemoteDelta(pair, p, null);
    }
  });
}

/** Every remote folder the view knows, '' (the pair's folder) first. */
export function viewFolders(journal: Journal, pair: string): string[] {
  const out = new Set<string>(journal.baseFolderPaths(pair));
  for (const d of journal.remoteDeltas(pair, '')) {
    if (d.entry?.kind === 'folder') out.add(d.path);
    else out.delete(d.path);
  }
  return ['', ...out];
}
