/**
 * move-remote / move-local: a rename on one side (inode locally, fileId remotely) is replayed on
 * the other as a move, never as delete + re-upload (design.md "Renames"). Base rows under the old
 * path follow the item.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RemoteError, UNSUPPORTED_CODE } from '../../remote/errors.js';
import { baseName, parentOf } from '../../scan/names.js';
import type { LocalEntry } from '../../scan/types.js';
import type { RemoteEntry } from '../../remote/types.js';
import type { PairRun } from '../context.js';
import { findOnDisk, statFacts } from '../local-facts.js';
import { sendFile, type StepResult } from './upload.js';

function followBase(run: PairRun, from: string, to: string, remote?: RemoteEntry): void {
  run.journal.transaction(() => {
    run.journal.moveBaseTree(run.pair.name, from, to);
    const row = run.journal.getBaseRow(run.pair.name, to);
    if (row && remote) {
      run.journal.putBase(run.pair.name, {
        ...row,
        remoteKey: remote.resourceKey,
        remoteUpdateMs: remote.updateDate,
        remoteSize: remote.kind === 'file' ? remote.size : 0,
        remoteParentKey: remote.parentKey,
      });
    }
  });
}

const taken = (e: unknown): boolean => e instanceof RemoteError && e.errorClass === 'exists';

export async function moveRemote(
  run: PairRun,
  a: { path: string; from: string; sideFrom: string; remoteKey: string; local: LocalEntry },
): Promise<StepResult> {
  let entry: RemoteEntry | null = null;
  let renaming = baseName(a.sideFrom) !== baseName(a.path);
  if (parentOf(a.sideFrom) !== parentOf(a.path)) {
    const target = run.keys.parentKey(a.path);
    try {
      entry = await run.remote.move(a.remoteKey, target);
    } catch (e) {
      if (!(renaming && taken(e))) throw e;
      // its old name is taken in the target folder: it takes its new name first, then moves; when
      // that name is taken where it is, it moves under a passing name no other item has
      try {
        entry = await run.remote.rename(a.remoteKey, baseName(a.path));
        renaming = false;
      } catch (e2) {
        if (!taken(e2)) throw e2;
        entry = await run.remote.rename(a.remoteKey, `${baseName(a.path)} (moving ${run.now()})`);
      }
      entry = await run.remote.move(entry.resourceKey, target);
    }
  }
  if (renaming) {
    try {
      entry = await run.remote.rename(entry?.resourceKey ?? a.remoteKey, baseName(a.path));
    } catch (e) {
      if (!(e instanceof RemoteError && e.code === UNSUPPORTED_CODE) || a.local.kind !== 'file') throw e;
      // No rename route for files (src/remote/move.ts): send the bytes under the new name, then drop the old.
      const sent = await sendFile(run, a.path, a.local, undefined);
      if (sent === 'deferred') return 'deferred';
      await run.remote.delete(entry?.resourceKey ?? a.remoteKey);
      entry = sent.entry;
    }
  }
  run.keys.move(a.sideFrom, a.path);
  if (entry?.kind === 'folder') run.keys.set(a.path, entry.resourceKey);
  followBase(run, a.from, a.path, entry ?? undefined);
  run.log.info(
    { pair: run.pair.name, action: 'move-remote', from: a.from, path: a.path },
    'moved remote item',
  );
  return 'done';
}

export function moveLocal(
  run: PairRun,
  a: { path: string; from: string; sideFrom: string; remote: RemoteEntry },
): StepResult {
  const src = findOnDisk(run.root, a.sideFrom);
  const dst = join(run.root, a.path);
  if (!src || statFacts(dst)) return 'deferred';
  mkdirSync(dirname(dst), { recursive: true });
  renameSync(src, dst);
  // the Drive did not change: its folders' keys are already where the listing saw them
  if (a.remote.kind === 'folder') run.keys.set(a.path, a.remote.resourceKey);
  followBase(run, a.from, a.path);
  run.log.info({ pair: run.pair.name, action: 'move-local', from: a.from, path: a.path }, 'moved local item');
  return 'done';
}
