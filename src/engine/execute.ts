/**
 * Runs a plan's actions in its dependency order (plan/order.ts). File transfers that follow one
 * another run side by side (the session's pacer and host slots bound the HTTP traffic); any other
 * action waits for them, so folders exist before their contents and deletes come last. An action
 * is recorded in the journal only after it succeeded; a failed one is recorded with its backoff and
 * the rest go on. Errors that end the run (login, unreachable) stop it after the running ones.
 */
import type { Action } from '../plan/index.js';
import { conflict } from './actions/conflict.js';
import { deleteLocal, deleteRemote } from './actions/delete.js';
import { download } from './actions/download.js';
import { mkdirLocal, mkdirRemote } from './actions/folders.js';
import { moveLocal, moveRemote } from './actions/move.js';
import { replaceLocal, replaceRemote } from './actions/replace.js';
import { upload, type StepResult } from './actions/upload.js';
import type { PairRun, PassOutcome } from './context.js';
import { clearItem, isFatal, recordItemFailure, refusedBefore } from './failures.js';
import { PendingTracker } from './pending.js';
import { toBaseRow } from '../journal/index.js';

const PARALLEL_TRANSFERS = 4;

const TRANSFERS: ReadonlySet<Action['kind']> = new Set([
  'upload',
  'download',
  'conflict',
  'record',
  'replace-local',
  'replace-remote',
]);

async function perform(run: PairRun, a: Action): Promise<StepResult> {
  switch (a.kind) {
    case 'upload':
      return upload(run, a);
    case 'download':
      return download(run, a);
    case 'mkdir-remote':
      return mkdirRemote(run, a);
    case 'mkdir-local':
      return mkdirLocal(run, a);
    case 'delete-remote':
      return deleteRemote(run, a);
    case 'delete-local':
      return deleteLocal(run, a);
    case 'move-remote':
      return moveRemote(run, a);
    case 'move-local':
      return moveLocal(run, a);
    case 'conflict':
      return conflict(run, a);
    case 'replace-local':
      return replaceLocal(run, a);
    case 'replace-remote':
      return replaceRemote(run, a);
    case 'record':
      run.journal.putBase(run.pair.name, toBaseRow(a.path, a.local, a.remote));
      return 'done';
    case 'forget':
      run.journal.deleteBase(run.pair.name, a.path);
      return 'done';
  }
}

export async function executePlan(run: PairRun, actions: readonly Action[]): Promise<PassOutcome> {
  const outcome: PassOutcome = { actions: 0, failed: 0, refused: 0, deferred: 0 };
  let fatal: unknown = null;
  const running = new Set<Promise<void>>();
  const pending = new PendingTracker(run.journal, run.pair.name);

  const one = async (a: Action): Promise<void> => {
    if (refusedBefore(run, a)) {
      outcome.refused++;
      pending.finished(a.kind, a.path);
      return;
    }
    try {
      const r = await perform(run, a);
      if (r === 'deferred') {
        outcome.deferred++;
        run.log.info(
          { pair: run.pair.name, action: a.kind, path: a.path },
          'changed while syncing; left for the next pass',
        );
      } else {
        outcome.actions++;
        clearItem(run, a.path);
      }
    } catch (err) {
      if (isFatal(err)) {
        fatal ??= err;
        return;
      }
      if (recordItemFailure(run, a, err)) outcome.refused++;
      else outcome.failed++;
    }
    pending.finished(a.kind, a.path);
  };

  const drain = async (): Promise<void> => {
    while (running.size > 0) await Promise.race(running);
  };

  try {
    for (const a of actions) {
      if (fatal || run.signal?.aborted) break;
      if (TRANSFERS.has(a.kind)) {
        while (running.size >= PARALLEL_TRANSFERS) await Promise.race(running);
        const p: Promise<void> = one(a).finally(() => running.delete(p));
        running.add(p);
      } else {
        await drain();
        if (fatal) break;
        await one(a);
      }
    }
    await drain();
  } finally {
    pending.close();
  }
  if (fatal) throw fatal;
  return outcome;
}
