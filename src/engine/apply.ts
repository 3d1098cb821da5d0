/**
 * From the three sides to the executed plan, shared by the full pass (pass.ts) and the daemon's
 * jobs (job.ts), which differ only in how much of the tree they put in front of the planner:
 * plan → skips recorded → mass-delete guard → quiet-time hold → execute.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PairConfig } from '../config/types.js';
import type { BaseRow } from '../journal/index.js';
import { trashRoot, runStamp } from '../local/trash.js';
import { formatAction, plan, type Action, type Plan, type PlanSkip } from '../plan/index.js';
import type { RemoteEntry } from '../remote/types.js';
import type { IgnoreRules, LocalEntry, ScanFailure, SkippedItem } from '../scan/index.js';
import type { PairRun, PassOutcome } from './context.js';
import { executePlan } from './execute.js';
import { massDeleteGuard } from './guard.js';
import type { RemoteKeys } from './keys.js';
import type { PassEnv, PassFlags, PassResult } from './pass.js';
import { savePending, type PendingItem } from './pending.js';
import { oneWayOf } from './one-sided.js';
import { recordSkips } from './skips.js';
import { pruneTemps } from './temps.js';
import { unequalPaths } from './verify.js';

export interface Sides {
  base: ReadonlyMap<string, BaseRow>;
  local: ReadonlyMap<string, LocalEntry>;
  remote: ReadonlyMap<string, RemoteEntry>;
  localFailures: readonly ScanFailure[];
  remoteFailures: readonly string[];
  localSkipped: readonly SkippedItem[];
  rules: IgnoreRules;
  keys: RemoteKeys;
  /** Items the journal tracks, the mass-delete guard's denominator. @default base.size */
  tracked?: number;
  /** A job saw only these paths: problems recorded elsewhere still stand. @default every path */
  inScope?: (path: string) => boolean;
  /** Remove partial downloads that no download of this plan continues. @default true */
  pruneTemps?: boolean;
}

function pendingItems(actions: readonly Action[]): PendingItem[] {
  const items: PendingItem[] = [];
  for (const a of actions) {
    if (a.kind === 'record' || a.kind === 'forget') continue;
    const bytes =
      a.kind === 'upload' || a.kind === 'replace-remote'
        ? a.local.size
        : a.kind === 'download' || a.kind === 'conflict' || a.kind === 'replace-local'
          ? a.remote.size
          : 0;
    items.push({ kind: a.kind, path: a.path, bytes });
  }
  return items;
}

/** Plans the sides; `planned` sees the plan before anything is executed (the pass keeps a snapshot). */
export async function planAndRun(
  env: PassEnv,
  pair: PairConfig,
  flags: PassFlags,
  sides: Sides,
  planned?: (p: Plan) => void,
): Promise<PassResult> {
  const { journal, remote, log } = env;
  const now = Date.now();
  const result = plan({
    base: sides.base,
    local: sides.local,
    remote: sides.remote,
    localFailures: sides.localFailures.map((f) => f.path),
    remoteFailures: sides.remoteFailures,
    rules: sides.rules,
    options: {
      resync: flags.resync,
      caseInsensitiveRemote: true,
      host: hostname(),
      nowMs: now,
      ...oneWayOf(pair),
    },
  });
  if (sides.tracked !== undefined) result.summary.tracked = sides.tracked;
  const skips: PlanSkip[] = [
    ...sides.localSkipped.map((s) => ({ ...s, side: 'local' as const })),
    ...sides.localFailures.map((f) => ({
      path: f.path,
      reason: 'unreadable' as const,
      detail: f.message,
      side: 'local' as const,
    })),
    ...sides.remoteFailures.map((p) => ({
      path: p,
      reason: 'side-failed' as const,
      detail: 'listing failed',
      side: 'remote' as const,
    })),
    ...result.summary.skipped,
  ];
  planned?.(result);

  const guard = massDeleteGuard(result.summary, pair);
  if (flags.dryRun) {
    for (const a of result.actions) {
      const line = formatAction(a);
      if (line) env.out(line);
    }
    if (guard.stop && !flags.force)
      return {
        status: 'guard',
        reason: `mass-delete guard: ${guard.reason}; rerun with --force if this is intended`,
      };
    return {
      status: 'done',
      outcome: { actions: 0, failed: 0, refused: 0, deferred: 0 },
      again: false,
      skippedRefused: 0,
      planned: result.actions.length,
    };
  }
  const inScope = sides.inScope ?? (() => true);
  const skippedRefused = recordSkips(journal, log, pair.name, skips, now, inScope);
  // A conflict is reported until its conflicted copy is gone (the user resolved it).
  for (const c of journal.problems(pair.name, 'conflict')) {
    if (inScope(c.path) && !sides.local.has(c.path)) journal.clearProblem(pair.name, c.path, 'conflict');
  }
  if (guard.stop && !flags.force) {
    return {
      status: 'guard',
      reason: `mass-delete guard: ${guard.reason}; nothing was changed. Rerun with --force if this is intended`,
    };
  }

  const young = (a: Action): boolean =>
    env.quietMs !== undefined &&
    (a.kind === 'upload' || a.kind === 'replace-remote') &&
    a.local.mtimeMs > now - env.quietMs;
  const ready = result.actions.filter((a) => !young(a));
  const waiting = result.actions.length - ready.length;
  const run: PairRun = {
    pair,
    journal,
    remote,
    log,
    root: pair.local,
    keys: sides.keys,
    rules: sides.rules,
    trashBin: join(trashRoot(env.stateDir, pair.name), runStamp(new Date(now))),
    progress: env.progress,
    now: () => Date.now(),
    again: false,
    ...(env.signal ? { signal: env.signal } : {}),
  };
  if (sides.pruneTemps !== false) pruneTemps(journal, pair.name, pair.local, ready);
  const pending = pendingItems(ready);
  if (pending.length > 0)
    env.progress.plan(
      pending.length,
      pending.reduce((n, i) => n + i.bytes, 0),
    );
  savePending(journal, pair.name, pending);
  let outcome: PassOutcome;
  try {
    outcome = await executePlan(run, ready);
  } finally {
    savePending(journal, pair.name, []);
  }
  if (waiting > 0) log.debug({ pair: pair.name, waiting }, 'uploads wait until their files are quiet');
  const clean = outcome.failed + outcome.refused + outcome.deferred + waiting === 0;
  const unequal =
    env.verify && clean
      ? unequalPaths(sides.local, sides.remote, ready, [...result.left, ...skips.map((s) => s.path)])
      : [];
  return {
    status: 'done',
    outcome,
    again: run.again,
    skippedRefused,
    planned: result.actions.length,
    unequal,
  };
}
