/**
 * A pair's roots before any pass (contracts.md §1 "The pair's marker", design.md "Safety guards"):
 * the first run creates the local root, its marker and the remote folder; every later run stops
 * (exit 3, nothing changed) when one of them is missing, when the remote folder was replaced by
 * another of the same name, or when the configuration now names another tree than the journal's.
 */
import { checkRoot, createMarker } from '../local/marker.js';
import type { PairConfig } from '../config/types.js';
import type { Journal } from '../journal/index.js';
import type { Remote } from '../remote/types.js';

export type Prepared =
  | { ok: true; folderKey: string | null; remoteExists: boolean; firstRun: boolean }
  | { ok: false; reason: string };

export interface PrepareFlags {
  dryRun: boolean;
  resync: boolean;
}

function segments(remotePath: string): string[] {
  return remotePath.split('/').filter((s) => s !== '');
}

async function createRemoteFolder(remote: Remote, remotePath: string): Promise<string | null> {
  let key: string | null = null;
  let path = '';
  for (const name of segments(remotePath)) {
    path += `/${name}`;
    const found = await remote.resolvePath(path);
    if (found === null) key = (await remote.mkdir(key, name)).resourceKey;
    else if (found === 'root') key = null;
    else if (found.kind !== 'folder') throw new Error(`the remote path ${path} is a file, not a folder`);
    else key = found.resourceKey;
  }
  return key;
}

export async function preparePair(
  journal: Journal,
  remote: Remote,
  pair: PairConfig,
  flags: PrepareFlags,
): Promise<Prepared> {
  const check = journal.checkPair({
    name: pair.name,
    localRoot: pair.local,
    driveSpec: pair.driveSpec,
    remotePath: pair.remotePath,
  });
  if (check.status === 'changed' && !flags.resync) {
    const was = check.fields.map((f) => `${f} was "${check.record[f]}"`).join(', ');
    return {
      ok: false,
      reason: `pair "${pair.name}" now names another tree than its journal (${was}); run once with --resync to merge the two sides anew (it never deletes)`,
    };
  }
  const firstRun = check.status !== 'same' || flags.resync;
  // an upload pair backs its folder up: a missing one is never created empty (issue 14)
  if (firstRun && pair.direction === 'upload' && checkRoot(pair.local) === 'missing-root')
    return {
      ok: false,
      reason: `the local folder ${pair.local} of upload pair "${pair.name}" does not exist`,
    };

  const rootState = checkRoot(pair.local);
  if (rootState === 'not-a-folder') return { ok: false, reason: `local root ${pair.local} is not a folder` };
  if (!firstRun && rootState !== 'ok') {
    const what =
      rootState === 'missing-root'
        ? `the local root ${pair.local} is missing`
        : `the marker file .lineworks-sync is missing from ${pair.local}`;
    return {
      ok: false,
      reason: `${what}: stopped so that an unmounted or emptied folder is not read as "everything was deleted". Restore it, or run with --resync to start the pair over (never deletes)`,
    };
  }

  const found = pair.remotePath === '/' ? 'root' : await remote.resolvePath(pair.remotePath);
  if (found !== null && found !== 'root' && found.kind !== 'folder') {
    return { ok: false, reason: `remote path ${pair.remotePath} is a file, not a folder` };
  }
  const foundKey = found === null ? undefined : found === 'root' ? null : found.resourceKey;
  // a download pair never writes to the Drive, not even the folder it mirrors (issue 14)
  if (foundKey === undefined && pair.direction === 'download')
    return {
      ok: false,
      reason: `the remote folder ${pair.remotePath} of download pair "${pair.name}" does not exist; a download pair never creates it`,
    };
  if (!firstRun) {
    if (foundKey === undefined) {
      return {
        ok: false,
        reason: `the remote folder ${pair.remotePath} is missing: stopped so that it is not read as "everything was deleted". Restore it from the Drive's trash, or run with --resync`,
      };
    }
    if (check.status === 'same' && foundKey !== check.record.remoteFolderKey) {
      return {
        ok: false,
        reason: `the remote folder ${pair.remotePath} was replaced by another folder of that name; run with --resync to merge it (never deletes)`,
      };
    }
  }
  if (flags.dryRun)
    return { ok: true, folderKey: foundKey ?? null, remoteExists: foundKey !== undefined, firstRun };

  if (flags.resync && check.status !== 'new') journal.resetPair(pair.name);
  if (rootState !== 'ok') createMarker(pair.local, pair.name);
  const folderKey = foundKey === undefined ? await createRemoteFolder(remote, pair.remotePath) : foundKey;
  journal.putPair({
    name: pair.name,
    localRoot: pair.local,
    driveSpec: pair.driveSpec,
    remotePath: pair.remotePath,
    remoteFolderKey: folderKey,
    createdMs: check.status === 'new' ? Date.now() : (check.record?.createdMs ?? Date.now()),
  });
  return { ok: true, folderKey, remoteExists: true, firstRun };
}
