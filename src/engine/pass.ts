/**
 * One pass over one pair (design.md "The shape"): roots → local scan → remote walk → plan → guard
 * → execute. `--once` runs passes until nothing is left that a pass can do (at most MAX_PASSES);
 * the daemon runs one per trigger.
 */
import { existsSync } from 'node:fs';
import type { PairConfig } from '../config/types.js';
import { BaseTable } from '../journal/base-table.js';
import type { Journal } from '../journal/index.js';
import { SideTable } from '../journal/side-table.js';
import { checkRoot } from '../local/marker.js';
import type { Logger } from '../log/logger.js';
import type { Remote, RemoteEntry } from '../remote/types.js';
import { loadIgnore, scanLocal } from '../scan/index.js';
import { planAndRun } from './apply.js';
import type { PassOutcome } from './context.js';
import { keepFindPrune, readFindPrune } from './find-prune.js';
import { RemoteKeys } from './keys.js';
import { preparePair } from './prepare.js';
import type { Progress } from './progress.js';
import { remoteCodec } from './remote-codec.js';
import { keepListing } from './remote-view.js';
import { sweepTemps } from './temps.js';

/** Meta key: when a full listing last became the remote view (the daemon's jobs can start from it). */
export const REMOTE_VIEW_META = 'remote_view_ms';

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
  const rootSeen = existsSync(pair.local);
  const scanning = rootSeen
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
  // The root may vanish (unmount, remount) between preparePair's guard and the scan: an empty scan
  // is then not "everything was deleted" (design.md "Safety guards", incidents remotely-save #1064).
  if (!prepared.firstRun && (!rootSeen || checkRoot(pair.local) !== 'ok'))
    return {
      status: 'guard',
      reason: `the local root ${pair.local} or its marker vanished during the run: stopped so that it is not read as "everything was deleted"`,
    };
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

  // The listing becomes the journal's remote view (remote-view.ts), before anything changes the base.
  if (!flags.dryRun) {
    keepListing(journal, pair.name, base, remoteScan.entries, remoteScan.failures);
    if (remoteScan.failures.length === 0) journal.setMeta(pair.name, REMOTE_VIEW_META, String(Date.now()));
  }
  return planAndRun(
    env,
    pair,
    flags,
    {
      base,
      local: localScan.entries,
      remote: remoteScan.entries,
      localFailures: localScan.failures,
      remoteFailures: remoteScan.failures,
      localSkipped: localScan.skipped,
      rules,
      keys,
    },
    (planned) => {
      // A pass that changes nothing leaves the base as it was read: kept as a snapshot in the order
      // the scan met the paths, the next pass reads it in one go and finds each row where it looks first.
      if (
        !flags.dryRun &&
        planned.actions.length === 0 &&
        base.columns.source === 'rows' &&
        localScan.entries instanceof SideTable
      )
        journal.keepBaseSnapshot(pair.name, base.columns, localScan.entries.baseOrder());
    },
  );
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
