/**
 * Per-item failures (contracts.md §1 "Retries"; design.md "Retries and rate limits"): one bad file
 * never stops the rest. Transient failures back off per item (minutes, then hours); what the remote
 * refuses for good is recorded with the item's fingerprint and not retried while it is unchanged.
 * A login that stopped working or a remote that cannot be reached ends the whole run instead.
 */
import { LoginRequiredError, PERMANENT_CLASSES, RemoteError, UnreachableError } from '../remote/errors.js';
import type { Action } from '../plan/index.js';
import type { PairRun } from './context.js';

/** Items retry after 1 min, 2, 4, … capped at 6 h. */
export function itemBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

/** True for errors that end the run rather than one item. */
export function isFatal(err: unknown): boolean {
  return err instanceof LoginRequiredError || err instanceof UnreachableError;
}

/** Storage code 1022 "Over Quota File Size": this file is larger than the Drive accepts (seed 000). */
export const FILE_TOO_LARGE_CODE = '1022';

export function isPermanent(err: unknown): boolean {
  if (!(err instanceof RemoteError)) return false;
  return PERMANENT_CLASSES.has(err.errorClass) || err.code === FILE_TOO_LARGE_CODE;
}

/** What an item looked like when it failed: a permanent refusal holds only while this matches. */
export function fingerprint(a: Action): string | null {
  if ('local' in a && a.local) return `local:${a.local.kind}:${a.local.size}:${Math.trunc(a.local.mtimeMs)}`;
  if ('remote' in a && a.remote)
    return `remote:${a.remote.resourceKey}:${a.remote.updateDate}:${a.remote.size}`;
  return null;
}

/** A refusal recorded earlier for this very version of the item: skip it (exit 1, status lists it). */
export function refusedBefore(run: PairRun, a: Action): boolean {
  const prior = run.journal.getAction(run.pair.name, a.path, a.kind);
  return prior !== null && prior.permanent && prior.fingerprint === fingerprint(a);
}

function plainReason(err: unknown): string {
  if (err instanceof RemoteError) {
    const what: Record<string, string> = {
      'rejected-name': 'the Drive refuses this name',
      'rejected-content': 'the Drive refuses this file (its type or content)',
      'bad-request': 'the Drive refused the request',
      quota: 'the Drive is full (quota)',
      locked: 'the file is locked on the Drive',
      permission: 'no permission on the Drive',
      'not-found': 'the item disappeared on the Drive meanwhile',
      exists: 'an item with this name appeared on the Drive meanwhile',
    };
    if (err.code === FILE_TOO_LARGE_CODE) return `the file is larger than the Drive accepts: ${err.message}`;
    const head = what[err.errorClass];
    return head ? `${head}: ${err.message}` : err.message;
  }
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM')
    return `no permission on this computer (see the file's owner and mode): ${(err as Error).message}`;
  return err instanceof Error ? err.message : String(err);
}

/** Records a failed action and logs it; returns whether it was a permanent refusal. */
export function recordItemFailure(run: PairRun, a: Action, err: unknown): boolean {
  const permanent = isPermanent(err);
  const errorClass = err instanceof RemoteError ? err.errorClass : 'local';
  const prior = run.journal.getAction(run.pair.name, a.path, a.kind);
  const attempts = (prior?.attempts ?? 0) + 1;
  const reason = plainReason(err);
  const nextTryMs = run.now() + (permanent ? 365 * 86400_000 : itemBackoffMs(attempts));
  run.journal.recordFailure(
    { pair: run.pair.name, path: a.path, action: a.kind },
    { message: reason, errorClass, nextTryMs, permanent, fingerprint: fingerprint(a) },
  );
  run.journal.recordProblem({ pair: run.pair.name, path: a.path, kind: 'error', reason, atMs: run.now() });
  run.log.warn(
    { pair: run.pair.name, action: a.kind, path: a.path, errorClass, permanent, attempts },
    `${a.kind} failed: ${reason}`,
  );
  return permanent;
}

/** The item is in sync now: its failure rows and error report go. */
export function clearItem(run: PairRun, path: string): void {
  run.journal.clearActions(run.pair.name, path);
  run.journal.clearProblem(run.pair.name, path, 'error');
}
