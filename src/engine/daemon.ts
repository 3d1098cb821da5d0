/**
 * Daemon mode (contracts.md §1; design.md "The daemon: jobs within the budget"): watch, poll, stay
 * in sync until the signal aborts, counting API calls as money.
 *
 * One journal, one Drive session and one loop for every pair; the loop runs one piece of work at a
 * time, so a pair's jobs never overlap and pairs take turns. The work, per pair:
 * - a full pass (pass.ts, as `--once`) only when there is no remote view to start from (first run,
 *   `--resync`-like states) or a job cannot place what it found;
 * - a job (job.ts) for the paths the watcher reported, once quiet for `local_quiet_ms`;
 * - a job for the failed items whose retry is due;
 * - a full local rescan (rescan.ts) at start-up — a restarted daemon serves what changed while it
 *   was down before any remote walk — then every LOCAL_RESCAN_MS (every `remote_poll_seconds` when
 *   the watcher cannot run);
 * - one folder listing at a time from the poller (poll-schedule.ts), within the process's share of
 *   the list budget (poll-budget.ts); a folder found changed becomes a job.
 *
 * Ends: SIGTERM/SIGINT → 0 (running work gets PASS_GRACE_MS to finish, then is abandoned);
 * a safety guard → 3; a login that stopped working → 78. An unreachable Drive is waited out.
 */
import { existsSync } from 'node:fs';
import type { Config, PairConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Journal } from '../journal/index.js';
import type { DriveSession } from '../remote/index.js';
import { LoginRequiredError, RemoteError, UnreachableError } from '../remote/errors.js';
import type { RemoteEntry } from '../remote/types.js';
import { joinRel, parentOf } from '../scan/index.js';
import { serveMetrics } from '../metrics/server.js';
import { recordApiUse } from './api-use.js';
import { allEchoes } from './daemon-echo.js';
import { maxHoldMs } from './daemon-schedule.js';
import { mayPrune, MIN_AGE_MS, observe, readFolderTimes, wantsObservation } from './folder-times.js';
import { runJob, type JobReport, type JobSeeds } from './job.js';
import { REMOTE_VIEW_META, syncPair, type PassEnv, type PassFlags, type PassResult } from './pass.js';
import { PollBudget } from './poll-budget.js';
import { PollSchedule } from './poll-schedule.js';
import { silentProgress } from './progress.js';
import { localChanges } from './rescan.js';
import { recordAt, viewAt, viewFolders } from './remote-view.js';
import { openEngine, requestCount } from './session.js';
import { watchPair, type PairWatcher } from './watch.js';
import { writePollStatus } from './poll-status.js';

const FLAGS: PassFlags = { dryRun: false, force: false, resync: false };

/** Waiting out an unreachable Drive: 5 s, doubling, capped at 5 min. */
const UNREACHABLE_FIRST_MS = 5_000;
const UNREACHABLE_MAX_MS = 300_000;
/** After the stop signal running work may finish within this; then it is abandoned. */
const PASS_GRACE_MS = 4_000;
/** After abandoning work (session closed), how long it may take to unwind. */
const ABANDON_GRACE_MS = 1_000;
/** Closing the watchers must not eat the 10 s of contracts.md §1. */
const WATCHER_CLOSE_MS = 1_000;
/** Watcher events are written to the journal in batches, one transaction each. */
const FLUSH_MS = 100;
/** The loop re-reads the clock at least this often (clock jumps, retry rows written meanwhile). */
const MAX_SLEEP_MS = 30_000;
/** Work that left deferred items (changed while syncing) is repeated after at least this long. */
const MIN_AGAIN_MS = 1_000;
/** The safety net under the watcher: a full local rescan this often. */
export const LOCAL_RESCAN_MS = 3_600_000;
/** The poll status in the journal (status, metrics) is rewritten at most this often. */
const STATUS_EVERY_MS = 10_000;

/**
 * After a full rescan or pass, or the watcher's first walk: collect their garbage now (the bin's `--expose-gc`). An idle daemon
 * allocates too little for V8 to collect the old generation by itself, and would hold the tree's
 * worth of dead scan and base structures for hours. Without the flag, nothing happens.
 */
function releaseMemory(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Backoff while the Drive cannot be reached: 5 s, 10 s, … capped at 5 min. */
export function unreachableBackoffMs(previousMs: number): number {
  return previousMs <= 0 ? UNREACHABLE_FIRST_MS : Math.min(previousMs * 2, UNREACHABLE_MAX_MS);
}

type WorkKind = 'full' | 'local' | 'retry' | 'again' | 'rescan' | 'poll';

interface PairState {
  pair: PairConfig;
  /** The pair's remote folder (null = the drive root); known once a full pass or the journal said. */
  rootKey: string | null;
  /** A full pass is owed from this time on (no remote view yet, or a job could not place something). */
  fullAt: number | null;
  /** Watcher events not yet written to the journal: path → time. */
  buffer: Map<string, number>;
  /** Paths the watcher reported since the last local job started. */
  pending: Set<string>;
  newestEventMs: number | null;
  oldestEventMs: number | null;
  /** Paths of work that left deferred items, due again at `againAt`. */
  again: Set<string>;
  againAt: number | null;
  /** The next retry of a failed item not yet tried since it became due. */
  retryAt: number | null;
  lastRetryStart: number;
  rescanAt: number;
  watcher: PairWatcher | null;
  watcherReady: boolean;
  /** The watcher could not run (inotify limits): rescans every remote_poll_seconds. */
  pollOnly: boolean;
  /** Nothing runs for this pair before this (unreachable backoff). */
  holdUntil: number;
  unreachableMs: number;
  schedule: PollSchedule;
  statusAt: number;
  lastSyncWritten: number;
}

const sleep = (ms: number): Promise<'timeout'> =>
  new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

class Daemon {
  readonly #config: Config;
  readonly #log: Logger;
  readonly #journal: Journal;
  readonly #session: DriveSession;
  readonly #signal: AbortSignal;
  readonly #pairs: PairState[];
  readonly #budget: PollBudget;
  #wake: (() => void) | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  #announced = false;
  #closed = false;
  /** Requests not yet added to the journal's API use; the last 429 written; when both were. */
  #unrecordedRequests = 0;
  #last429Written: number | undefined;
  #statusAt = 0;

  constructor(config: Config, log: Logger, journal: Journal, session: DriveSession, signal: AbortSignal) {
    this.#config = config;
    this.#log = log;
    this.#journal = journal;
    this.#session = session;
    this.#signal = signal;
    this.#budget = new PollBudget(config.api.rateLimitPerMinute, config.remoteListShare);
    const now = Date.now();
    this.#pairs = config.pairs.map((pair) => {
      const record = journal.getPair(pair.name);
      const check = journal.checkPair({
        name: pair.name,
        localRoot: pair.local,
        driveSpec: pair.driveSpec,
        remotePath: pair.remotePath,
      });
      // jobs start from the journal's remote view; without one (or for another tree) a full pass first
      const viewReady = check.status === 'same' && journal.getMeta(pair.name, REMOTE_VIEW_META) !== null;
      return {
        pair,
        rootKey: record?.remoteFolderKey ?? null,
        fullAt: viewReady ? null : now,
        buffer: new Map(),
        pending: new Set(),
        newestEventMs: null,
        oldestEventMs: null,
        again: new Set(),
        againAt: null,
        retryAt: null,
        lastRetryStart: 0,
        rescanAt: viewReady ? now : Infinity,
        watcher: null,
        watcherReady: false,
        pollOnly: false,
        holdUntil: 0,
        unreachableMs: 0,
        schedule: new PollSchedule({ pollMs: pair.remotePollSeconds * 1000 }, now),
        statusAt: 0,
        lastSyncWritten: 0,
      };
    });
  }

  /** Runs until the signal aborts (→ 0) or work ends the daemon (guard → 3, login → 78). */
  async run(): Promise<number> {
    const loop = this.#loop().catch((err: unknown) => {
      if (this.#signal.aborted) return EXIT.OK;
      this.#log.error({ err }, 'the daemon stopped on an unexpected error');
      console.error(`error: the daemon stopped: ${(err as Error).message}`);
      return EXIT.PARTIAL;
    });
    const aborted = new Promise<'aborted'>((resolve) => {
      if (this.#signal.aborted) resolve('aborted');
      else this.#signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    let code: number;
    try {
      const first = await Promise.race([loop, aborted]);
      if (first === 'aborted') {
        this.#wake?.();
        const watchersClosed = this.#closeWatchers();
        if ((await Promise.race([loop, sleep(PASS_GRACE_MS)])) === 'timeout') {
          this.#log.warn({ graceMs: PASS_GRACE_MS }, 'stopping: abandoning the running work');
          this.#session.close();
          await Promise.race([loop, sleep(ABANDON_GRACE_MS)]);
        }
        await watchersClosed;
        code = EXIT.OK;
      } else {
        code = first;
      }
    } finally {
      await this.#closeWatchers();
      this.#shutdown();
    }
    return code;
  }

  // ---- the loop ----

  /** The earliest work of one pair and when it is due. */
  #nextWork(ps: PairState, now: number): { kind: WorkKind; at: number } {
    const candidates: [WorkKind, number][] = [];
    if (ps.fullAt !== null) candidates.push(['full', ps.fullAt]);
    else {
      if (ps.newestEventMs !== null) {
        const oldest = ps.oldestEventMs ?? ps.newestEventMs;
        const quiet = ps.pair.localQuietMs;
        candidates.push(['local', Math.min(ps.newestEventMs + quiet, oldest + maxHoldMs(quiet))]);
      }
      if (ps.againAt !== null) candidates.push(['again', ps.againAt]);
      if (ps.retryAt !== null) candidates.push(['retry', ps.retryAt]);
      candidates.push(['rescan', ps.rescanAt]);
      const polled = this.#pollDue(ps, now);
      if (polled !== null) candidates.push(['poll', polled]);
    }
    let best: { kind: WorkKind; at: number } = { kind: 'rescan', at: Infinity };
    for (const [kind, at] of candidates) if (at < best.at) best = { kind, at };
    return { kind: best.kind, at: Math.max(best.at, ps.holdUntil) };
  }

  /** When the pair's poller may list its next folder (its schedule and the shared budget). */
  #pollDue(ps: PairState, now: number): number | null {
    const next = ps.schedule.next(now, () => viewFolders(this.#journal, ps.pair.name), this.#prune(ps));
    const at = 'folder' in next ? now : next.at;
    return Math.max(at, this.#budget.nextAt);
  }

  #prune(ps: PairState): boolean {
    return mayPrune(readFolderTimes(this.#journal, ps.pair.name));
  }

  async #loop(): Promise<number> {
    for (const ps of this.#pairs) if (existsSync(ps.pair.local)) this.#startWatcher(ps);
    while (!this.#signal.aborted) {
      this.#flush();
      const now = Date.now();
      let best: { ps: PairState; kind: WorkKind; at: number } | null = null;
      for (const ps of this.#pairs) {
        const retry = this.#journal.nextRetryMs(ps.pair.name);
        // a row already due when the last retry job started and still there waits for a rescan
        ps.retryAt = retry !== null && retry > ps.lastRetryStart ? retry : null;
        const next = this.#nextWork(ps, now);
        if (best === null || next.at < best.at) best = { ps, ...next };
      }
      if (best === null) return EXIT.OK; // no pairs: the config schema requires one
      this.#writeStatus(now);
      if (best.at > now) {
        await this.#sleep(Math.min(best.at - now, MAX_SLEEP_MS));
        continue;
      }
      const code = await this.#work(best.ps, best.kind);
      if (code !== null) return code;
      if (this.#signal.aborted) break;
      const ps = best.ps;
      if (!ps.watcher && !ps.pollOnly && existsSync(ps.pair.local)) this.#startWatcher(ps);
    }
    return EXIT.OK;
  }

  /** Sleeps until `ms` passed, a watcher event batch arrived, or the signal aborted. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#signal.removeEventListener('abort', done);
        if (this.#wake === done) this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  #env(ps: PairState): PassEnv {
    return {
      journal: this.#journal,
      remote: this.#session.remote(ps.pair.drive, ps.pair.name),
      log: this.#log,
      stateDir: this.#config.stateDir,
      progress: silentProgress(),
      out: () => {},
      quietMs: ps.pair.localQuietMs,
      signal: this.#signal,
    };
  }

  /** One piece of work; returns an exit code when the daemon must stop, null to go on. */
  async #work(ps: PairState, kind: WorkKind): Promise<number | null> {
    const before = requestCount(this.#session);
    const start = Date.now();
    this.#log.debug({ pair: ps.pair.name, work: kind }, 'work starting');
    try {
      switch (kind) {
        case 'full':
          return await this.#fullPass(ps);
        case 'local':
          return await this.#localJob(ps);
        case 'again': {
          const paths = [...ps.again];
          ps.again.clear();
          ps.againAt = null;
          return await this.#job(ps, 'again', { paths });
        }
        case 'retry': {
          ps.lastRetryStart = start;
          const paths = this.#journal.pendingActions(ps.pair.name, start).map((a) => a.path);
          return await this.#job(ps, 'retry', { paths });
        }
        case 'rescan': {
          ps.rescanAt = start + (ps.pollOnly ? ps.pair.remotePollSeconds * 1000 : LOCAL_RESCAN_MS);
          const paths = await localChanges(this.#journal, ps.pair);
          releaseMemory();
          this.#log.debug(
            { pair: ps.pair.name, changed: paths.length, ms: Date.now() - start },
            'local rescan',
          );
          return paths.length === 0 ? null : await this.#job(ps, 'rescan', { paths });
        }
        case 'poll':
          return await this.#poll(ps);
      }
    } catch (err) {
      return this.#failed(ps, err);
    } finally {
      this.#afterWork(before);
    }
  }

  /** What a thrown error means for the daemon: stop (login), wait (unreachable), or go on. */
  #failed(ps: PairState, err: unknown): number | null {
    const { pair } = ps;
    if (this.#signal.aborted) return null;
    if (err instanceof LoginRequiredError) {
      this.#log.error({ pair: pair.name, err }, 'the login is no longer valid: stopping');
      console.error(
        `error: the login is no longer valid (${err.message}); run: lineworks-sync login --config ${this.#config.file}`,
      );
      return EXIT.LOGIN;
    }
    if (err instanceof UnreachableError) {
      ps.unreachableMs = unreachableBackoffMs(ps.unreachableMs);
      ps.holdUntil = Date.now() + ps.unreachableMs;
      this.#log.warn(
        { pair: pair.name, retryInMs: ps.unreachableMs, err },
        'LINE WORKS could not be reached; waiting before the next try',
      );
      // what was asked is looked at again by the next rescan
      ps.rescanAt = Math.min(ps.rescanAt, ps.holdUntil);
      return null;
    }
    this.#log.error({ pair: pair.name, err }, 'sync work failed; trying again later');
    ps.rescanAt = Math.min(
      ps.rescanAt,
      Date.now() + Math.max(ps.pair.remotePollSeconds * 1000, MIN_AGAIN_MS),
    );
    return null;
  }

  /** API use and the last 429, whatever the work's end: kept here, written by #writeStatus. */
  #afterWork(requestsBefore: number): void {
    if (this.#closed) return;
    this.#unrecordedRequests += requestCount(this.#session) - requestsBefore;
  }

  /** The end of a full pass or a job: the daemon's exit code, or null to go on. */
  #settled(
    ps: PairState,
    what: string,
    result: PassResult,
    paths: readonly string[],
    startMs: number,
  ): number | null {
    const { pair } = ps;
    const log = this.#log;
    if (this.#signal.aborted && this.#closed) return null;
    ps.unreachableMs = 0;
    ps.holdUntil = 0;
    if (result.status === 'guard') {
      log.error({ pair: pair.name, reason: result.reason }, 'stopped by a safety guard');
      console.error(`stopped: pair "${pair.name}": ${result.reason}`);
      return EXIT.GUARD;
    }
    if (result.status === 'failed') {
      log.error({ pair: pair.name, work: what, reason: result.reason }, 'work failed; trying again later');
      ps.fullAt = Date.now() + pair.remotePollSeconds * 1000;
      return null;
    }
    const o = result.outcome;
    // an idle poll is a sync too, but its time is written at most every STATUS_EVERY_MS
    if (o.failed === 0 && (result.planned > 0 || Date.now() - ps.lastSyncWritten >= STATUS_EVERY_MS)) {
      ps.lastSyncWritten = Date.now();
      this.#journal.setLastSync(pair.name, ps.lastSyncWritten);
    }
    const busy = result.planned > 0 || o.failed + o.refused + o.deferred > 0;
    log[busy ? 'info' : 'debug'](
      { pair: pair.name, work: what, paths: paths.length, ...o, ms: Date.now() - startMs },
      'work finished',
    );
    if (o.deferred > 0 || result.again) {
      for (const p of paths) ps.again.add(p);
      ps.againAt = Date.now() + Math.max(pair.localQuietMs, MIN_AGAIN_MS);
      if (what === 'full pass') ps.fullAt = ps.againAt;
    }
    return null;
  }

  async #fullPass(ps: PairState): Promise<number | null> {
    const start = Date.now();
    ps.fullAt = null;
    // a full pass looks at every path: the watcher's events so far are covered
    this.#flush();
    this.#journal.takeEvents(ps.pair.name);
    this.#clearPending(ps);
    const result = await syncPair(this.#env(ps), ps.pair, FLAGS);
    releaseMemory();
    ps.rootKey = this.#journal.getPair(ps.pair.name)?.remoteFolderKey ?? ps.rootKey;
    if (result.status === 'done' && this.#journal.getMeta(ps.pair.name, REMOTE_VIEW_META) === null)
      ps.fullAt = Date.now() + ps.pair.remotePollSeconds * 1000;
    // the pass listed every folder: that was a whole unpruned cycle
    if (result.status === 'done') {
      ps.schedule.walked(Date.now());
      // the pass scanned the whole tree: the next safety-net rescan is due a period from now
      ps.rescanAt = Date.now() + (ps.pollOnly ? ps.pair.remotePollSeconds * 1000 : LOCAL_RESCAN_MS);
    }
    return this.#settled(ps, 'full pass', result, [], start);
  }

  /** Watcher events, quiet now: a job for their paths, unless they are all our own writes. */
  async #localJob(ps: PairState): Promise<number | null> {
    const name = ps.pair.name;
    this.#flush();
    if (allEchoes(this.#journal, name, ps.pair.local, ps.pending)) {
      this.#journal.takeEvents(name);
      this.#log.debug({ pair: name, paths: ps.pending.size }, 'watcher events are echoes of our own writes');
      this.#clearPending(ps);
      return null;
    }
    const events = this.#journal.takeEvents(name);
    this.#clearPending(ps);
    return this.#job(ps, 'local job', { paths: events.map((e) => e.path) });
  }

  /** Runs a job and reads its report: hot folders, folder-time learning, a full pass if asked. */
  async #job(ps: PairState, what: string, seeds: JobSeeds): Promise<number | null> {
    const start = Date.now();
    const covering = new Set<string>();
    let report: JobReport;
    try {
      report = await runJob(this.#env(ps), ps.pair, ps.rootKey, seeds, covering);
    } catch (err) {
      // what the job had taken in (events, a listing now in the view) is not lost: asked again later
      for (const p of covering) ps.again.add(p);
      if (covering.size > 0)
        ps.againAt = Date.now() + Math.max(ps.pair.remotePollSeconds * 1000, MIN_AGAIN_MS);
      throw err;
    }
    const { result } = report;
    if (result.status === 'full') {
      this.#log.info({ pair: ps.pair.name, reason: result.reason }, 'a full pass is needed');
      ps.fullAt = Date.now();
      return null;
    }
    for (const p of report.touched) {
      ps.schedule.markHot(parentOf(p), start);
      if (viewAt(this.#journal, ps.pair.name, p)?.kind === 'folder') ps.schedule.markHot(p, start);
    }
    const code = this.#settled(ps, what, result, report.touched, start);
    if (code === null && result.status === 'done' && result.outcome.failed === 0)
      await this.#learnFolderTimes(ps, report.wroteInto, start);
    return code;
  }

  /**
   * After the job wrote into a folder: did that folder's time move, and its parent's
   * (folder-times.ts)? Two gets, only while the answer is not settled (or once a day).
   */
  async #learnFolderTimes(ps: PairState, folders: readonly string[], writeStartMs: number): Promise<void> {
    const name = ps.pair.name;
    if (folders.length === 0 || !wantsObservation(readFolderTimes(this.#journal, name), writeStartMs)) return;
    const remote = this.#session.remote(ps.pair.drive, ps.pair.name);
    const look = async (path: string): Promise<{ before: RemoteEntry; now: RemoteEntry } | null> => {
      const before = path === '' ? undefined : viewAt(this.#journal, name, path);
      if (!before || before.kind !== 'folder' || before.updateDate > writeStartMs - MIN_AGE_MS) return null;
      const now = await remote.get(before.resourceKey);
      return { before, now };
    };
    for (const folder of folders) {
      if (folder === '') continue;
      const f = await look(folder);
      if (!f) continue;
      const parent = parentOf(folder);
      const g = parent === '' ? null : await look(parent);
      const folderMoved = f.now.updateDate > f.before.updateDate;
      const parentMoved = g === null ? null : g.now.updateDate > g.before.updateDate;
      const verdict = observe(this.#journal, name, folderMoved, parentMoved, Date.now());
      recordAt(this.#journal, name, folder, { ...f.now, path: folder });
      if (g) recordAt(this.#journal, name, parent, { ...g.now, path: parent });
      this.#log.info({ pair: name, folder, folderMoved, parentMoved, ...verdict }, 'folder times observed');
      return;
    }
  }

  /** The poller's next listing: one folder, compared with its last listing; a change is a job. */
  async #poll(ps: PairState): Promise<number | null> {
    const now = Date.now();
    const name = ps.pair.name;
    const next = ps.schedule.next(now, () => viewFolders(this.#journal, name), this.#prune(ps));
    if (!('folder' in next)) return null;
    const folder = next.folder;
    // a folder marked hot may have become a file meanwhile (replaced on the Drive): not listed
    const seen = folder === '' ? null : viewAt(this.#journal, name, folder);
    const key = folder === '' ? ps.rootKey : seen?.kind === 'folder' ? seen.resourceKey : undefined;
    if (key === undefined) {
      ps.schedule.forget(folder);
      return null;
    }
    const remote = this.#session.remote(ps.pair.drive, ps.pair.name);
    const listBefore = this.#session.stats().requests.list ?? 0;
    let entries: RemoteEntry[];
    try {
      entries = await remote.list(key);
    } catch (err) {
      const calls = (this.#session.stats().requests.list ?? 0) - listBefore;
      this.#budget.spend(now, calls, Date.now(), this.#quiet(now));
      if (!(err instanceof RemoteError && err.errorClass === 'not-found')) throw err;
      ps.schedule.forget(folder);
      // the pair's own folder gone: the full pass's guard stops; another folder: a job places it
      if (folder === '') {
        ps.fullAt = Date.now();
        return null;
      }
      return this.#job(ps, 'poll job', { paths: [folder] });
    }
    const calls = (this.#session.stats().requests.list ?? 0) - listBefore;
    this.#budget.spend(now, calls, Date.now(), this.#quiet(now));
    const children = entries
      .filter((e) => e.kind === 'folder')
      .map((e) => ({ path: joinRel(folder, e.path), updateDate: e.updateDate }));
    ps.schedule.listed(folder, Date.now(), calls, children);
    const code = await this.#job(ps, 'poll job', { paths: [], listed: { folder, entries } });
    return code;
  }

  /**
   * Every pair has finished a remote cycle since the start (what changed while the daemon was down
   * is found at full pace), and none has a folder changed within its hot window or a local event
   * waiting (poll-budget.ts).
   */
  #quiet(now: number): boolean {
    return this.#pairs.every(
      (p) => p.schedule.last !== null && p.newestEventMs === null && !p.schedule.anyHot(now),
    );
  }

  #clearPending(ps: PairState): void {
    ps.pending.clear();
    ps.newestEventMs = null;
    ps.oldestEventMs = null;
  }

  /** The poller's figures for `status`, at most every STATUS_EVERY_MS. */
  #writeStatus(now: number, force = false): void {
    if (force || now - this.#statusAt >= STATUS_EVERY_MS) {
      this.#statusAt = now;
      const stats = this.#session.stats();
      if (stats.last429At !== undefined && stats.last429At !== this.#last429Written) {
        this.#last429Written = stats.last429At;
        this.#journal.setLast429(stats.last429At);
      }
      if (this.#unrecordedRequests > 0) recordApiUse(this.#journal, now, this.#unrecordedRequests);
      this.#unrecordedRequests = 0;
    }
    for (const ps of this.#pairs) {
      if (!force && now - ps.statusAt < STATUS_EVERY_MS) continue;
      ps.statusAt = now;
      writePollStatus(this.#journal, ps.pair.name, {
        lastCycle: ps.schedule.last,
        listCallsLastMinute: this.#budget.callsLastMinute(now),
        budgetPerMinute: 60_000 / this.#budget.intervalMs,
        quiet: this.#quiet(now),
        atMs: now,
      });
    }
  }

  // ---- the watchers ----

  #startWatcher(ps: PairState): void {
    const name = ps.pair.name;
    try {
      ps.watcher = watchPair(ps.pair, {
        onEvent: (kind, path) => this.#onEvent(ps, path, kind),
        onError: (err) => this.#onWatchError(ps, err),
        onReady: () => {
          ps.watcherReady = true;
          // the watcher's first walk of the tree leaves its garbage too
          releaseMemory();
          this.#announce();
        },
        onRulesChanged: () => this.#rulesChanged(ps),
      });
    } catch (err) {
      this.#onWatchError(ps, err as NodeJS.ErrnoException);
    }
    this.#log.debug({ pair: name, root: ps.pair.local }, 'watcher started');
  }

  /**
   * The ignore rules changed: the watcher starts again under them (so a folder no longer ignored
   * is watched at once) and a rescan brings what they now let in.
   */
  #rulesChanged(ps: PairState): void {
    if (this.#closed || ps.pollOnly) return;
    this.#log.info(
      { pair: ps.pair.name },
      'the ignore rules changed: watching and rescanning under the new rules',
    );
    const old = ps.watcher;
    ps.watcher = null;
    ps.watcherReady = false;
    void old?.close().catch(() => undefined);
    this.#startWatcher(ps);
    ps.rescanAt = Date.now() + ps.pair.localQuietMs;
    this.#wake?.();
  }

  #onEvent(ps: PairState, path: string, kind: string): void {
    if (this.#closed) return;
    const now = Date.now();
    ps.buffer.set(path, now);
    ps.pending.add(path);
    ps.newestEventMs = now;
    ps.oldestEventMs ??= now;
    this.#log.trace({ pair: ps.pair.name, event: kind, path }, 'watcher event');
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = null;
      this.#flush();
      this.#wake?.();
    }, FLUSH_MS);
  }

  #onWatchError(ps: PairState, err: NodeJS.ErrnoException): void {
    const code = errnoCode(err);
    const pair = ps.pair.name;
    if (code === 'ENOSPC' || code === 'EMFILE') {
      if (ps.pollOnly) return;
      ps.pollOnly = true;
      const limit =
        code === 'ENOSPC'
          ? 'the inotify watch limit is reached: raise fs.inotify.max_user_watches (e.g. `sudo sysctl fs.inotify.max_user_watches=524288`, and in /etc/sysctl.d/ to keep it)'
          : 'too many open files or inotify instances: raise fs.inotify.max_user_instances or the open-file limit (LimitNOFILE=)';
      this.#log.error(
        { pair, code, pollSeconds: ps.pair.remotePollSeconds },
        `cannot watch the local folder: ${limit}; falling back to a full local rescan every remote_poll_seconds`,
      );
      const w = ps.watcher;
      ps.watcher = null;
      void w?.close().catch(() => undefined);
      ps.rescanAt = Math.min(ps.rescanAt, Date.now() + ps.pair.remotePollSeconds * 1000);
      this.#announce();
      return;
    }
    this.#log.warn({ pair, err }, 'watcher error (the periodic rescan still covers this folder)');
  }

  /** One info line once every pair is watched (or polled only). */
  #announce(): void {
    if (this.#announced) return;
    if (!this.#pairs.every((p) => p.pollOnly || (p.watcher !== null && p.watcherReady))) return;
    this.#announced = true;
    this.#log.info(
      {
        pairs: this.#pairs.filter((p) => !p.pollOnly).map((p) => p.pair.name),
        pollingOnly: this.#pairs.filter((p) => p.pollOnly).map((p) => p.pair.name),
      },
      'watching',
    );
  }

  /** Buffered watcher events → journal rows, in one transaction. */
  #flush(): void {
    if (this.#closed) return;
    const batch = this.#pairs.filter((p) => p.buffer.size > 0);
    if (batch.length === 0) return;
    this.#journal.transaction(() => {
      for (const ps of batch) {
        for (const [path, at] of ps.buffer) this.#journal.addEvent(ps.pair.name, path, at);
        ps.buffer.clear();
      }
    });
  }

  async #closeWatchers(): Promise<void> {
    const closing = this.#pairs.map((ps) => {
      const w = ps.watcher;
      ps.watcher = null;
      return w ? w.close().catch(() => undefined) : Promise.resolve();
    });
    await Promise.race([Promise.all(closing), sleep(WATCHER_CLOSE_MS)]);
  }

  #shutdown(): void {
    if (this.#closed) return;
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    try {
      this.#flush();
      this.#writeStatus(Date.now(), true);
    } catch (err) {
      this.#log.warn({ err }, 'could not save the last watcher events');
    }
    this.#closed = true;
    this.#session.close();
    this.#journal.close();
  }
}

/** Resolves with the exit code once `signal` aborts (SIGTERM/SIGINT) or a fatal error stops it. */
export async function runDaemon(config: Config, log: Logger, signal: AbortSignal): Promise<number> {
  const opened = openEngine(config, log);
  if ('exit' in opened) return opened.exit;
  const metrics = await serveMetrics(config, opened, log);
  if ('exit' in metrics) return metrics.exit;
  try {
    return await new Daemon(config, log, opened.journal, opened.session, signal).run();
  } finally {
    await metrics.close();
  }
}
