/**
 * replace-local / replace-remote (one-way pairs, issue 14; plan/direction.ts): the side the pair
 * does not follow changed a file, and the followed side's version takes its place. Nothing is
 * destroyed: the local version goes to the pair's trash, the Drive's version to the Drive's trash.
 * Both sides are looked at again first; an item that changed since the scan/listing is left for
 * the next pass.
 */
import { toBaseRow } from '../../journal/index.js';
import { placeAtomically, TargetChangedError } from '../../local/atomic.js';
import { moveToTrash } from '../../local/trash.js';
import { sha256File } from '../../scan/hash.js';
import type { LocalEntry } from '../../scan/types.js';
import type { RemoteEntry } from '../../remote/types.js';
import type { PairRun } from '../context.js';
import { diskPath, statFacts, stillAsScanned } from '../local-facts.js';
import { forgetTemp } from '../temps.js';
import { discardTemp, fetchToTemp } from './download.js';
import { remoteNow, remoteStillAsListed, upload, type StepResult } from './upload.js';

interface Replace {
  path: string;
  local: LocalEntry;
  remote: RemoteEntry;
}

/**
 * download pairs: fetch the Drive's file to a temporary name; with `verify`, equal bytes only
 * record the base; otherwise the local file moves to the trash and the fetched one takes its name.
 */
export async function replaceLocal(run: PairRun, a: Replace & { verify: boolean }): Promise<StepResult> {
  const target = diskPath(run.root, a.local);
  if (!stillAsScanned(statFacts(target), a.local)) return 'deferred';
  const { tmp, entry } = await fetchToTemp(run, a.path, a.remote, target);
  try {
    const sha256 = await sha256File(tmp);
    if (a.verify && (a.local.sha256 ?? (await sha256File(target))) === sha256) {
      discardTemp(run, tmp);
      run.journal.putBase(run.pair.name, toBaseRow(a.path, a.local, entry, sha256));
      return 'done';
    }
    if (!stillAsScanned(statFacts(target), a.local)) {
      discardTemp(run, tmp);
      return 'deferred';
    }
    const trashed = moveToTrash(run.root, a.local.diskPath ?? a.local.path, run.trashBin);
    placeAtomically(tmp, target, null, entry.updateDate);
    forgetTemp(run.journal, run.pair.name, run.root, tmp);
    const facts = statFacts(target);
    if (!facts) return 'deferred';
    run.journal.putBase(run.pair.name, toBaseRow(a.path, facts, entry, sha256));
    run.log.info(
      { pair: run.pair.name, action: 'replace-local', path: a.path, trash: trashed },
      "replaced the local version by the Drive's; the local version is in the pair's trash",
    );
    return 'done';
  } catch (e) {
    discardTemp(run, tmp);
    if (e instanceof TargetChangedError) return 'deferred';
    throw e;
  }
}

/** upload pairs: delete the Drive's file (to the Drive's trash), then upload the local file anew. */
export async function replaceRemote(run: PairRun, a: Replace): Promise<StepResult> {
  if (!stillAsScanned(statFacts(diskPath(run.root, a.local)), a.local)) return 'deferred';
  const now = await remoteNow(run, a.remote.resourceKey);
  if (now) {
    if (!remoteStillAsListed(now, a.remote)) return 'deferred';
    await run.remote.delete(a.remote.resourceKey);
    run.log.info(
      { pair: run.pair.name, action: 'replace-remote', path: a.path },
      "moved the Drive's version to the Drive trash; uploading the local version",
    );
  }
  return upload(run, { path: a.path, local: a.local });
}
