/**
 * delete-local / delete-remote: never destroy bytes. Local items move into the pair's trash under
 * the state dir; remote items go to the LINE WORKS trash. Each side is looked at again just before:
 * an item that changed since the scan/listing is left alone (a change beats a delete, design.md),
 * and a folder is removed only when nothing is left in it.
 */
import { readdirSync, rmdirSync } from 'node:fs';
import { moveToTrash } from '../../local/trash.js';
import type { LocalEntry } from '../../scan/types.js';
import type { RemoteEntry } from '../../remote/types.js';
import type { PairRun } from '../context.js';
import { diskPath, statFacts, stillAsScanned } from '../local-facts.js';
import { remoteNow, remoteStillAsListed, type StepResult } from './upload.js';

export function deleteLocal(run: PairRun, a: { path: string; local: LocalEntry }): StepResult {
  const abs = diskPath(run.root, a.local);
  const now = statFacts(abs);
  if (!now) {
    run.journal.deleteBaseTree(run.pair.name, a.path);
    return 'done';
  }
  if (!stillAsScanned(now, a.local)) return 'deferred';
  if (now.kind === 'folder') {
    const rel = a.local.diskPath ?? a.local.path;
    const left = readdirSync(abs, { withFileTypes: true });
    // Only ignored leftovers (editor backups, lock files) may remain: they go to the trash first.
    if (!left.every((d) => run.rules.ignores(`${a.path}/${d.name}`, d.isDirectory() ? 'folder' : 'file')))
      return 'deferred';
    for (const d of left) moveToTrash(run.root, `${rel}/${d.name}`, run.trashBin);
    rmdirSync(abs);
  } else {
    moveToTrash(run.root, a.local.diskPath ?? a.local.path, run.trashBin);
  }
  run.journal.deleteBaseTree(run.pair.name, a.path);
  run.log.info(
    {
      pair: run.pair.name,
      action: 'delete-local',
      path: a.path,
      trash: now.kind === 'file' ? run.trashBin : undefined,
    },
    now.kind === 'file' ? 'moved local file to the trash' : 'removed local folder',
  );
  return 'done';
}

export async function deleteRemote(
  run: PairRun,
  a: { path: string; remote: RemoteEntry },
): Promise<StepResult> {
  const now = await remoteNow(run, a.remote.resourceKey);
  if (now) {
    if (a.remote.kind === 'file' && !remoteStillAsListed(now, a.remote)) return 'deferred';
    if (a.remote.kind === 'folder' && (await run.remote.list(a.remote.resourceKey)).length > 0)
      return 'deferred';
    await run.remote.delete(a.remote.resourceKey);
  }
  run.keys.delete(a.path);
  run.journal.deleteBaseTree(run.pair.name, a.path);
  run.log.info(
    { pair: run.pair.name, action: 'delete-remote', path: a.path },
    'moved remote item to the Drive trash',
  );
  return 'done';
}
