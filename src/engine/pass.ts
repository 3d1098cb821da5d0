/**
 * One pass over one pair (design.md "The shape"): roots → local scan → remote walk → plan → guard
 * → execute. `--once` runs passes until nothing is left that a pass can do (at most MAX_PASSES);
 * the daemon runs one per trigger.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { PairConfig } from '../config/types.js';
import { BaseTable } from '../journal/base-table.js';
import type { Journal } from '../journal/index.js';
import { SideTable } from '../journal/side-table.js';
import type { Logger } from '../log/logger.js';
import { trashRoot, runStamp } from '../local/trash.js';
import { formatAction, plan, type Action, type PlanSkip } from '../plan/index.js';
import type { Remote, RemoteEntry } from '../remote/types.js';
import { loadIgnore, scanLocal } from '../scan/index.js';
import { join } from 'node:path';
import type { PairRun, PassOutcome } from './context.js';
import { executePlan } from './execute.js';
import { keepFindPrune, readFindPrune } from './find-prune.js';
import { massDeleteGuard } from './guard.js';
import { RemoteKeys } from './keys.js';
import { savePending, type PendingItem } from './pending.js';
import { preparePair } from './prepare.js';
import type { Progress } from './progress.js';
import { recordSkips } from './skips.js';
import { remoteCodec } from './remote-codec.js';
import { unequalPaths } from './verify.js';
import { pruneTemps, sweepTemps } from './temps.js';

export interface PassFlags {
  dryRun: boolean;
  force: boolean;
  resync: boolean;
}

export interface PassEnv {
  journal: Journal;
  remote: Remote;
  log: Logger;
  stateDir: string;
  progress: Progress;
  /** Where --dry-run writes its plan lines. */
  out: (line: string) => void;
  /** Daemon: uploads wait until a file is this old (contracts.md §2 local_quiet_ms). */
  quietMs?: number;
  /** Stops starting new actions and cuts running transfers. */
  signal?: AbortSignal;
  /** `--once`: compare both sides after the pass before claiming "in sync" (verify.ts). */
  verify?: boolean;
}

/** How a pair's pass ended: 'guard' = stopped by a safety guard before any change. */
export type PassResult =
  | { status: 'guard'; reason: string }
  | { status: 'failed'; reason: string }
  | {
      status: 'done';
      outcome: PassOutcome;
      again: boolean;
      skippedRefused: number;
      planned: number;
      /** With `verify`: where the sides still differ after a pass that met no failure (verify.ts). */
      unequal?: string[];
    };

const MAX_PASSES = 3;

/** Listed entries are kept against the base once it is read; pages arriving before wait in the walk. */
async function walkRemote(
  remote: Remote,
  folderKey: string | null,
  keys: RemoteKeys,
  base: Promise<BaseTable>,
): Promise<{ entries: ReadonlyMap<string, RemoteEntry>; failures: string[] }> {
  let entries: SideTable<RemoteEntry> | undefined;
  const failures: string[] = [];
  for await (const e of remote.walk(folderKey, (path) => failures.push(path))) {
    (entries ??= new SideTable(await base, remoteCodec)).set(e);
    if (e.kind === 'folder') keys.set(e.path, e.resourceKey);
  }
  return { entries: entries ?? new Map(), failures };
}

function pendingItems(actions: readonly Action[]): PendingItem[] {
  const items: PendingItem[] = [];
  for (const a of actions) {
    if (a.kind === 'record' || a.kind === 'forget') continue;
    const bytes =
      a.kind === 'upload' ? a.local.size : a.kind === 'download' || a.kind === 'conflict' ? a.remote.size : 0;
    items.push({ kind: a.kind, path: a.path, bytes });
  }
  return items;
}

export async function passOnce(env: PassEnv, pair: PairConfig, flags: PassFlags): Promise<PassResult> {
  const { journal, remote, log } = env;
  const prepared = await preparePair(journal, remote, pair, flags);
  if (!prepared.ok) return { status: 'guard', reason: prepared.reason };

  if (!flags.dryRun) sweepTemps(journal, pair.name, pair.local);
  // Three things at once: the Drive is listed, find walks the disk (scan.ts) and the journal's base
  // is read, its index built in turns; the listing and the walk hold what they get until the base
  // is there. Folder keys from the base fill in only what the listing has not said.
  const keys = new RemoteKeys(prepared.folderKey);
  const rules = loadIgnore(pair.local, pair.ignore);
  const baseReady = Promise.resolve().then(() =>
    flags.resync && flags.dryRun ? BaseTable.empty() : BaseTable.inTurns(journal.baseColumns(pair.name)),
  );
  const listing = prepared.remoteExists
    ? walkRemote(remote, prepared.folderKey, keys, baseReady)
    : Promise.resolve({ entries: new Map<string, RemoteEntry>(), failures: [] as string[] });
  listing.catch(() => {});
  const scanning = existsSync(pair.local)
    ? scanLocal(pair.local, { rules, base: baseReady, findPrune: readFindPrune(journal, pair.name) })
    : Promise.resolve({
        entries: new Map(),
        skipped: [],
        failures: [],
        hashed: 0,
        walker: 'node' as const,
        ignoredFolders: [],
      });
  scanning.catch(() => {});
  const base = await baseReady;
  for (let i = 0; i < base.size; i++) {
    const path = base.pathAt(i);
    if (base.isFolderAt(i) && keys.get(path) === undefined) keys.set(path, base.remoteKeyAt(i));
  }
  const localScan = await scanning;
  if (!flags.dryRun && localScan.walker === 'find')
    keepFindPrune(journal, pair.name, localScan.ignoredFolders);
  log.debug(
    { pair: pair.name, walker: localScan.walker, entries: localScan.entries.size, hashed: localScan.hashed },
    'local scan',
  );
  const remoteScan = await listing;
  if (localScan.failures.some((f) => f.path === '')) {
    return {
      status: 'failed',
      reason: `the local root ${pair.local} could not be read: ${localScan.failures[0]?.message}`,
    };
  }
  if (remoteScan.failures.includes('')) {
    return { status: 'failed', reason: `the remote folder ${pair.remotePath} could not be listed` };
  }

  const now = Date.now();
  const result = plan({
    base,
    local: localScan.entries,
    remote: remoteScan.entries,
    localFailures: localScan.failures.map((f) => f.path),
    remoteFailures: remoteScan.failures,
    rules,
    options: { resync: flags.resync, caseInsensitiveRemote: true, host: hostname(), nowMs: now },
  });
  const skips: PlanSkip[] = [
    ...localScan.skipped.map((s) => ({ ...s, side: 'local' as const })),
    ...localScan.failures.map((f) => ({
      path: f.path,
      reason: 'unreadable' as const,
      detail: f.message,
      side: 'local' as const,
    })),
    ...remoteScan.failures.map((p) => ({
      path: p,
      reason: 'side-failed' as const,
      detail: 'listing failed',
      side: 'remote' as const,
    })),
    ...result.summary.skipped,
  ];

  // A pass that changes nothing leaves the base as it was read: kept as a snapshot in the order the
  // scan met the paths, the next pass reads it in one go and finds each row where it looks first.
  if (
    !flags.dryRun &&
    result.actions.length === 0 &&
    base.columns.source === 'rows' &&
    localScan.entries instanceof SideTable
  )
    journal.keepBaseSnapshot(pair.name, base.columns, localScan.entries.baseOrder());

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
  const skippedRefused = recordSkips(journal, log, pair.name, skips, now);
  // A conflict is reported until its conflicted copy is gone (the user resolved it).
  for (const c of journal.problems(pair.name, 'conflict')) {
    if (!localScan.entries.has(c.path)) journal.clearProblem(pair.name, c.path, 'conflict');
  }
  if (guard.stop && !flags.force) {
    return {
      status: 'guard',
      reason: `mass-delete guard: ${guard.reason}; nothing was changed. Rerun with --force if this is intended`,
    };
  }

  const young = (a: Action): boolean =>
    env.quietMs !== undefined && a.kind === 'upload' && a.local.mtimeMs > now - env.quietMs;
  const ready = result.actions.filter((a) => !young(a));
  const waiting = result.actions.length - ready.length;
  const run: PairRun = {
    pair,
    journal,
    remote,
    log,
    root: pair.local,
    keys,
    rules,
    trashBin: join(trashRoot(env.stateDir, pair.name), runStamp(new Date(now))),
    progress: env.progress,
    now: () => Date.now(),
    again: false,
    ...(env.signal ? { signal: env.signal } : {}),
  };
  pruneTemps(journal, pair.name, pair.local, ready);
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
      ? unequalPaths(localScan.entries, remoteScan.entries, ready, [
          ...result.left,
          ...skips.map((s) => s.path),
        ])
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

/** Passes until the pair converges or MAX_PASSES ran; the last result decides the exit code. */
export async function syncPair(env: PassEnv, pair: PairConfig, flags: PassFlags): Promise<PassResult> {
  let result = await passOnce(env, pair, flags);
  for (let n = 1; n < MAX_PASSES && !flags.dryRun && result.status === 'done'; n++) {
    const o = result.outcome;
    if (!result.again && o.deferred === 0) break;
    result = await passOnce(env, pair, { ...flags, resync: false });
  }
  return result;
}
