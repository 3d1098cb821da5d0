/**
 * upload: send the local file (design.md decision table "changed / new → upload"). Resumable across
 * runs: the upload session is persisted before bytes flow (seed 004). When the plan overwrites a
 * remote file, the remote is looked at again first: if it changed since the listing, nothing is
 * sent and the next pass sees both changes (a conflict, never a silent overwrite).
 *
 * A file saved again while it uploads (issue 13 "a file rewritten during its upload") is no error:
 * whatever the Drive completed from its bytes is recorded as the base against the facts the scan
 * saw, without a content hash (the bytes may be any mix of versions), so the next pass finds the
 * local file changed and the Drive as left, and uploads the new save over it — never a conflict.
 */
import { sha256File } from '../../scan/hash.js';
import { baseName } from '../../scan/names.js';
import { toBaseRow } from '../../journal/index.js';
import { LocalChangedError, RemoteError } from '../../remote/errors.js';
import type { LocalEntry } from '../../scan/types.js';
import type { RemoteEntry, UploadSession } from '../../remote/types.js';
import type { PairRun } from '../context.js';
import { diskPath, statFacts, stillAsScanned } from '../local-facts.js';

export type StepResult = 'done' | 'deferred';

/** Uploads of at least this size persist their session before bytes flow. */
export const DURABLE_SESSION_BYTES = 4 * 1024 * 1024;

export function remoteStillAsListed(now: RemoteEntry, listed: RemoteEntry): boolean {
  return now.updateDate === listed.updateDate && now.size === listed.size && now.kind === listed.kind;
}

/** The remote item as it is now; null when it is gone. */
export async function remoteNow(run: PairRun, key: string): Promise<RemoteEntry | null> {
  try {
    return await run.remote.get(key);
  } catch (e) {
    if (e instanceof RemoteError && e.errorClass === 'not-found') return null;
    throw e;
  }
}

/**
 * What the Drive holds after a send. `changed`: the local file changed while it was sent, so the
 * Drive's bytes are not known to be any version of it (`sha256` is then null).
 */
export type Sent =
  | { entry: RemoteEntry; sha256: string; changed: false }
  | { entry: RemoteEntry; sha256: null; changed: true };

/**
 * Sends `local` to `path` (under its parent's key); returns the entry the Drive answered, or
 * 'deferred' when the file changed before anything was completed on the Drive.
 */
export async function sendFile(
  run: PairRun,
  path: string,
  local: LocalEntry,
  replaces: RemoteEntry | undefined,
): Promise<Sent | 'deferred'> {
  const abs = diskPath(run.root, local);
  const before = statFacts(abs);
  if (!stillAsScanned(before, local)) return 'deferred';
  if (replaces) {
    const now = await remoteNow(run, replaces.resourceKey);
    if (!now || !remoteStillAsListed(now, replaces)) return 'deferred';
  }
  const sha256 = local.sha256 ?? (await sha256File(abs));
  const stored = run.journal.getUploadSession(run.pair.name, path);
  const session: UploadSession | null = stored
    ? {
        uploadUrl: stored.uploadUrl,
        offset: stored.offset,
        size: stored.size,
        mtimeMs: stored.mtimeMs,
        parentKey: stored.parentKey,
        name: stored.name,
        createdAt: stored.createdMs,
        ...(stored.sha256 ? { sha256: stored.sha256 } : {}),
      }
    : null;
  run.progress.start(path, local.size);
  // Small files are sent again whole after a crash; only big ones keep a durable session (seed 004),
  // which spares a first sync of many small files two journal commits per file.
  const durable = local.size >= DURABLE_SESSION_BYTES;
  let saved = stored !== null;
  const sending = run.remote.upload(abs, run.keys.parentKey(path), baseName(path), {
    overwrite: replaces !== undefined,
    mtimeMs: Math.trunc(local.mtimeMs),
    session,
    onSession: (s) => {
      if (!durable) return;
      saved = true;
      run.journal.saveUploadSession(run.pair.name, {
        path,
        uploadUrl: s.uploadUrl,
        offset: s.offset,
        size: s.size,
        mtimeMs: s.mtimeMs,
        sha256: s.sha256 ?? sha256,
        parentKey: s.parentKey,
        name: s.name,
        createdMs: s.createdAt,
      });
    },
    onProgress: (p) => run.progress.advance(path, p.bytesDone),
    ...(run.signal ? { signal: run.signal } : {}),
  });
  let entry: RemoteEntry;
  try {
    entry = await sending;
  } catch (e) {
    if (!(e instanceof LocalChangedError)) throw e;
    // the session's bytes belong to a version that is gone: the next attempt starts afresh
    if (saved) run.journal.deleteUploadSession(run.pair.name, path);
    run.progress.finish(path);
    return e.entry ? { entry: e.entry, sha256: null, changed: true } : 'deferred';
  }
  if (saved) run.journal.deleteUploadSession(run.pair.name, path);
  run.progress.finish(path);
  return { entry, sha256, changed: false };
}

export async function upload(
  run: PairRun,
  a: { path: string; local: LocalEntry; remote?: RemoteEntry },
): Promise<StepResult> {
  const sent = await sendFile(run, a.path, a.local, a.remote);
  if (sent === 'deferred') return 'deferred';
  const facts = statFacts(diskPath(run.root, a.local));
  if (sent.changed || !facts || !stillAsScanned(facts, a.local)) {
    // Sent, but changed since: the base holds what the Drive has against the facts the scan saw,
    // with no hash (the bytes sent may be any version), so the next pass uploads again.
    run.journal.putBase(run.pair.name, toBaseRow(a.path, withoutHash(a.local), sent.entry, null));
    run.log.info(
      { pair: run.pair.name, action: 'upload', path: a.path },
      'the file changed while it was uploaded; the new version goes next',
    );
    return 'deferred';
  }
  run.journal.putBase(run.pair.name, toBaseRow(a.path, facts, sent.entry, sent.sha256));
  run.log.info({ pair: run.pair.name, action: 'upload', path: a.path, bytes: a.local.size }, 'uploaded');
  return 'done';
}

/** The scanned facts of a file whose content hash no longer says what was sent. */
export function withoutHash(local: LocalEntry): LocalEntry {
  const { sha256: _unknown, ...rest } = local;
  return rest;
}
