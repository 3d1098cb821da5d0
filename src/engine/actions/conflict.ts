/**
 * conflict: both sides changed (or are new) and differ (design.md "Conflicts"). The remote version
 * keeps the name on both sides; the local version is renamed to its conflicted-copy name and
 * uploaded. With `verify` (two files of one size) the remote bytes are compared first: equal
 * content is no conflict, only a base to record (rclone #9939).
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { toBaseRow } from '../../journal/index.js';
import { placeAtomically } from '../../local/atomic.js';
import { sha256File } from '../../scan/hash.js';
import type { LocalEntry } from '../../scan/types.js';
import type { RemoteEntry } from '../../remote/types.js';
import type { PairRun } from '../context.js';
import { diskPath, statFacts, stillAsScanned } from '../local-facts.js';
import { discardTemp, download, fetchToTemp } from './download.js';
import { mkdirLocal } from './folders.js';
import { forgetTemp } from '../temps.js';
import { sendFile, withoutHash, type StepResult } from './upload.js';

interface ConflictAction {
  path: string;
  local: LocalEntry;
  remote: RemoteEntry;
  conflictPath: string;
  verify: boolean;
}

export async function conflict(run: PairRun, a: ConflictAction): Promise<StepResult> {
  const target = diskPath(run.root, a.local);
  if (!stillAsScanned(statFacts(target), a.local)) return 'deferred';
  const aside = join(run.root, a.conflictPath);
  if (statFacts(aside)) return 'deferred';

  if (a.local.kind !== 'file' || a.remote.kind !== 'file') return conflictOfKinds(run, a, target, aside);

  const { tmp, entry } = await fetchToTemp(run, a.path, a.remote, target);
  try {
    const remoteSha = await sha256File(tmp);
    if (a.verify) {
      const localSha = a.local.sha256 ?? (await sha256File(target));
      if (localSha === remoteSha) {
        discardTemp(run, tmp);
        run.journal.putBase(run.pair.name, toBaseRow(a.path, a.local, entry, localSha));
        run.log.info({ pair: run.pair.name, path: a.path }, 'both sides changed to the same content');
        return 'done';
      }
    }
    if (!stillAsScanned(statFacts(target), a.local)) {
      discardTemp(run, tmp);
      return 'deferred';
    }
    renameSync(target, aside);
    placeAtomically(tmp, target, null, entry.updateDate);
    forgetTemp(run.journal, run.pair.name, run.root, tmp);
    const placed = statFacts(target);
    if (placed) run.journal.putBase(run.pair.name, toBaseRow(a.path, placed, entry, remoteSha));
  } catch (e) {
    discardTemp(run, tmp);
    throw e;
  }
  reportConflict(run, a);
  const copy: LocalEntry = { ...a.local, path: a.conflictPath };
  delete copy.diskPath;
  const sent = await sendFile(run, a.conflictPath, copy, undefined);
  if (sent === 'deferred') {
    run.again = true;
    return 'done';
  }
  if (sent.changed) {
    // changed while it was sent: what the Drive holds stands against the scanned facts (upload.ts)
    run.journal.putBase(run.pair.name, toBaseRow(a.conflictPath, withoutHash(copy), sent.entry, null));
    run.again = true;
    return 'done';
  }
  const facts = statFacts(aside);
  if (facts) run.journal.putBase(run.pair.name, toBaseRow(a.conflictPath, facts, sent.entry, sent.sha256));
  return 'done';
}

/** A folder against a file, or two folders that cannot be merged: set the local one aside. */
async function conflictOfKinds(
  run: PairRun,
  a: ConflictAction,
  target: string,
  aside: string,
): Promise<StepResult> {
  run.journal.deleteBaseTree(run.pair.name, a.path);
  renameSync(target, aside);
  if (a.remote.kind === 'folder') mkdirLocal(run, { path: a.path, remote: a.remote });
  else await download(run, { path: a.path, remote: a.remote });
  reportConflict(run, a);
  run.again = true;
  return 'done';
}

function reportConflict(run: PairRun, a: ConflictAction): void {
  const reason = `changed on both sides: the Drive's version is at "${a.path}", this computer's version was kept as "${a.conflictPath}"`;
  run.journal.recordProblem({
    pair: run.pair.name,
    path: a.conflictPath,
    kind: 'conflict',
    reason,
    atMs: run.now(),
  });
  run.log.warn(
    { pair: run.pair.name, action: 'conflict', path: a.path, copy: a.conflictPath },
    'conflict: kept both versions',
  );
}
