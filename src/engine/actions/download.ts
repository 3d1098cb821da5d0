/**
 * download: fetch the remote file to a temporary name in the target's folder, then rename it into
 * place only if the target still looks as the scan saw it (design.md "Safety guards"). The remote
 * mtime becomes the local mtime.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toBaseRow } from '../../journal/index.js';
import { placeAtomically, removeQuietly, tempPathFor, TargetChangedError } from '../../local/atomic.js';
import { sha256File } from '../../scan/hash.js';
import type { LocalEntry } from '../../scan/types.js';
import type { RemoteEntry } from '../../remote/types.js';
import type { PairRun } from '../context.js';
import { statFacts } from '../local-facts.js';
import type { StepResult } from './upload.js';
import { forgetTemp, noteTemp, partialDownload } from '../temps.js';

/** Removes a temporary file (if still there) and its journal note. */
export function discardTemp(run: PairRun, tmp: string): void {
  removeQuietly(tmp);
  forgetTemp(run.journal, run.pair.name, run.root, tmp);
}

/**
 * Downloads `remote` to a temporary file next to `target`; the caller places or removes it. The
 * bytes an earlier run left of this same version are continued (temps.ts); when the transfer
 * fails, the bytes that arrived stay for the next pass to continue.
 */
export async function fetchToTemp(
  run: PairRun,
  path: string,
  remote: RemoteEntry,
  target: string,
): Promise<{ tmp: string; entry: RemoteEntry }> {
  mkdirSync(dirname(target), { recursive: true });
  const partial = partialDownload(run.journal, run.pair.name, run.root, path, remote);
  const tmp = partial ?? tempPathFor(target);
  noteTemp(run.journal, run.pair.name, run.root, tmp, path, remote);
  run.progress.start(path, remote.size);
  try {
    const entry = await run.remote.download(remote.resourceKey, tmp, {
      resume: partial !== null,
      version: { updateDate: remote.updateDate, size: remote.size },
      onProgress: (p) => run.progress.advance(path, p.bytesDone),
      ...(run.signal ? { signal: run.signal } : {}),
    });
    run.progress.finish(path);
    if (partial !== null)
      run.log.info({ pair: run.pair.name, path }, 'continued a download an earlier run had begun');
    return { tmp, entry };
  } catch (e) {
    if (!(statFacts(tmp)?.size ?? 0)) discardTemp(run, tmp);
    throw e;
  }
}

export async function download(
  run: PairRun,
  a: { path: string; remote: RemoteEntry; local?: LocalEntry },
): Promise<StepResult> {
  const target = a.local ? join(run.root, a.local.diskPath ?? a.local.path) : join(run.root, a.path);
  const expected = a.local ? { size: a.local.size, mtimeMs: a.local.mtimeMs, ino: a.local.ino } : null;
  const { tmp, entry } = await fetchToTemp(run, a.path, a.remote, target);
  try {
    const sha256 = await sha256File(tmp);
    placeAtomically(tmp, target, expected, entry.updateDate);
    forgetTemp(run.journal, run.pair.name, run.root, tmp);
    const facts = statFacts(target);
    if (!facts) return 'deferred';
    run.journal.putBase(run.pair.name, toBaseRow(a.path, facts, entry, sha256));
  } catch (e) {
    discardTemp(run, tmp);
    if (e instanceof TargetChangedError) {
      run.log.info({ pair: run.pair.name, path: a.path }, 'local file changed during the download; kept it');
      return 'deferred';
    }
    throw e;
  }
  run.log.info({ pair: run.pair.name, action: 'download', path: a.path, bytes: entry.size }, 'downloaded');
  return 'done';
}
