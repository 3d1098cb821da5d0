/**
 * Daemon mode (contracts.md §1): watch, poll, stay in sync until the signal aborts.
 *
 * The same engine as `--once` (design.md "The shape"): one journal, one Drive session, and
 * `syncPair` per pair — the daemon only decides when a pass runs (daemon-schedule.ts). One loop
 * runs every pass, so a pair's passes never overlap and pairs take turns. A pass runs at start-up,
 * every `remote_poll_seconds`, when a failed item's retry is due, and when the pair's watcher
 * events have been quiet for `local_quiet_ms`. Watcher events are hints written to the journal;
 * the pass's scan is the truth.
 *
 * Ends: SIGTERM/SIGINT → 0 (a running pass gets PASS_GRACE_MS to finish, then is abandoned);
 * a safety guard → 3; a login that stopped working → 78. An unreachable Drive is waited out.
 */
import { existsSync } from 'node:fs';
import type { Config, PairConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Journal } from '../journal/index.js';
import type { DriveSession } from '../remote/index.js';
import { LoginRequiredError, UnreachableError } from '../remote/errors.js';
import { serveMetrics } from '../metrics/server.js';
import { recordApiUse } from './api-use.js';
import { allEchoes } from './daemon-echo.js';
import { maxHoldMs, nextPass, type PairTriggers, type PassReason } from './daemon-schedule.js';
import { syncPair, type PassEnv, type PassFlags, type PassResult } from './pass.js';
import { silentProgress } from './progress.js';
import { openEngine, requestCount } from './session.js';
import { watchPair, type PairWatcher } from './watch.js';

const FLAGS: PassFlags = { dryRun: false, force: false, resync: false };

/** Waiting out an unreachable Drive: 5 s, doubling, capped at 5 min. */
const UNREACHABLE_FIRST_MS = 5_000;
const UNREACHABLE_MAX_MS = 300_000;
/** After the stop signal a running pass may finish within this; then it is abandoned. */
const PASS_GRACE_MS = 4_000;
/** After abandoning a pass (session closed), how long it may take to unwind. */
const ABANDON_GRACE_MS = 1_000;
/** Closing the watchers must not eat the 10 s of contracts.md §1. */
const WATCHER_CLOSE_MS = 1_000;
/** Watcher events are written to the journal in batches, one transaction each. */
const FLUSH_MS = 100;
/** The loop re-reads the clock at least this often (clock jumps, retry rows written meanwhile). */
const MAX_SLEEP_MS = 30_000;
/** A pass that left deferred items (changed while syncing) is repeated after at least this long. */
const MIN_AGAIN_MS = 1_000;

/** Backoff while the Drive cannot be reached: 5 s, 10 s, … capped at 5 min. */
export function unreachableBackoffMs(previousMs: number): number {
  return previousMs <= 0 ? UNREACHABLE_FIRST_MS : Math.min(previousMs * 2, UNREACHABLE_MAX_MS);
}

interface PairState {
  pair: PairConfig;
  triggers: PairTriggers;
  /** Watcher events not yet written to the journal: path → time. */
  buffer: Map<string, number>;
  /** Paths the watcher reported since the last pass started. */
  pending: Set<string>;
  watcher: PairWatcher | null;
  watcherReady: boolean;
  /** The watcher could not run (inotify limits): polling passes only. */
  pollOnly: boolean;
  /** Current unreachable backoff; 0 once a pass got through. */
  unreachableMs: number;
  lastPassStart: number;
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
  #wake: (() => void) | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  #announced = false;
  #closed = false;

  constructor(config: Config, log: Logger, journal: Journal, session: DriveSession, signal: AbortSignal) {
    this.#config = config;
    this.#log = log;
    this.#journal = journal;
    this.#session = session;
    this.#signal = signal;
    const now = Date.now();
    this.#pairs = config.pairs.map((pair) => ({
      pair,
      triggers: {
        forceAt: now,
        nextPollAt: now + pair.remotePollSeconds * 1000,
        retryAt: null,
        newestEventMs: null,
        oldestEventMs: null,
        holdUntil: 0,
      },
      buffer: new Map(),
      pending: new Set(),
      watcher: null,
      watcherReady: false,
      pollOnly: false,
      unreachableMs: 0,
      lastPassStart: 0,
    }));
  }

  /** Runs until the signal aborts (→ 0) or a pass ends the daemon (guard → 3, login → 78). */
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
          this.#log.warn({ graceMs: PASS_GRACE_MS }, 'stopping: abandoning the running pass');
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

  async #loop(): Promise<number> {
    for (const ps of this.#pairs) if (existsSync(ps.pair.local)) this.#startWatcher(ps);
    while (!this.#signal.aborted) {
      this.#flush();
      const now = Date.now();
      let best: { ps: PairState; at: number; reasons: PassReason[] } | null = null;
      for (const ps of this.#pairs) {
        const retry = this.#journal.nextRetryMs(ps.pair.name);
        // a row that was already due when the last pass started and is still there: the poll takes it
        ps.triggers.retryAt = retry !== null && retry > ps.lastPassStart ? retry : null;
        const next = nextPass(ps.triggers, {
          localQuietMs: ps.pair.localQuietMs,
          maxHoldMs: maxHoldMs(ps.pair.localQuietMs),
        });
        if (best === null || next.at < best.at) best = { ps, ...next };
      }
      if (best === null) return EXIT.OK; // no pairs: the config schema requires one
      if (best.at > now) {
        await this.#sleep(Math.min(best.at - now, MAX_SLEEP_MS));
        continue;
      }
      const { ps, reasons } = best;
      if (reasons.length === 1 && reasons[0] === 'local' && this.#onlyEchoes(ps)) continue;
      const code = await this.#pass(ps, reasons);
      if (code !== null) return code;
      if (this.#signal.aborted) break;
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

  /** Watcher events whose paths all look as the journal's base says: our own writes; no pass. */
  #onlyEchoes(ps: PairState): boolean {
    const name = ps.pair.name;
    if (!allEchoes(this.#journal, name, ps.pair.local, ps.pending)) return false;
    this.#flush();
    this.#journal.takeEvents(name);
    this.#log.debug({ pair: name, paths: ps.pending.size }, 'watcher events are echoes of our own writes');
    this.#clearPending(ps);
    return true;
  }

  #clearPending(ps: PairState): void {
    ps.pending.clear();
    ps.triggers.newestEventMs = null;
    ps.triggers.oldestEventMs = null;
  }

  /** One pass of one pair; returns an exit code when the daemon must stop, null to go on. */
  async #pass(ps: PairState, reasons: PassReason[]): Promise<number | null> {
    const { pair } = ps;
    const log = this.#log;
    this.#flush();
    const events = this.#journal.takeEvents(pair.name);
    this.#clearPending(ps);
    const start = Date.now();
    ps.lastPassStart = start;
    ps.triggers.forceAt = null;
    log.debug({ pair: pair.name, reasons, events: events.length }, 'pass starting');
    const env: PassEnv = {
      journal: this.#journal,
      remote: this.#session.remote(pair.drive, pair.name),
      log,
      stateDir: this.#config.stateDir,
      progress: silentProgress(),
      out: () => {},
      quietMs: pair.localQuietMs,
      signal: this.#signal,
    };
    const before = requestCount(this.#session);
    let result: PassResult;
    try {
      result = await syncPair(env, pair, FLAGS);
    } catch (err) {
      if (this.#signal.aborted) return null;
      if (err instanceof LoginRequiredError) {
        log.error({ pair: pair.name, err }, 'the login is no longer valid: stopping');
        console.error(
          `error: the login is no longer valid (${err.message}); run: lineworks-sync login --config ${this.#config.file}`,
        );
        return EXIT.LOGIN;
      }
      if (err instanceof UnreachableError) {
        ps.unreachableMs = unreachableBackoffMs(ps.unreachableMs);
        const at = Date.now() + ps.unreachableMs;
        ps.triggers.holdUntil = at;
        ps.triggers.forceAt = at;
        log.warn(
          { pair: pair.name, retryInMs: ps.unreachableMs, err },
          'LINE WORKS could not be reached; waiting before the next try',
        );
        return null;
      }
      log.error({ pair: pair.name, err }, 'pass failed; trying again on the next trigger');
      return null;
    } finally {
      this.#afterPass(ps, before);
    }
    if (this.#signal.aborted && this.#closed) return null;
    ps.unreachableMs = 0;
    ps.triggers.holdUntil = 0;
    if (result.status === 'guard') {
      log.error({ pair: pair.name, reason: result.reason }, 'stopped by a safety guard');
      console.error(`stopped: pair "${pair.name}": ${result.reason}`);
      return EXIT.GUARD;
    }
    if (result.status === 'failed') {
      log.error({ pair: pair.name, reason: result.reason }, 'pass failed; trying again on the next trigger');
      return null;
    }
    const o = result.outcome;
    if (o.failed === 0) this.#journal.setLastSync(pair.name, Date.now());
    const busy = result.planned > 0 || o.failed + o.refused + o.deferred > 0;
    log[busy ? 'info' : 'debug']({ pair: pair.name, reasons, ...o, ms: Date.now() - start }, 'pass finished');
    if (o.deferred > 0 || result.again) {
      ps.triggers.forceAt = Date.now() + Math.max(pair.localQuietMs, MIN_AGAIN_MS);
    }
    return null;
  }

  /** API use, the last 429 and the next poll, whatever the pass's end. */
  #afterPass(ps: PairState, requestsBefore: number): void {
    const end = Date.now();
    ps.triggers.nextPollAt = end + ps.pair.remotePollSeconds * 1000;
    if (this.#closed) return;
    const stats = this.#session.stats();
    if (stats.last429At !== undefined) this.#journal.setLast429(stats.last429At);
    recordApiUse(this.#journal, end, requestCount(this.#session) - requestsBefore);
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
          this.#announce();
        },
      });
    } catch (err) {
      this.#onWatchError(ps, err as NodeJS.ErrnoException);
    }
    this.#log.debug({ pair: name, root: ps.pair.local }, 'watcher started');
  }

  #onEvent(ps: PairState, path: string, kind: string): void {
    if (this.#closed) return;
    const now = Date.now();
    ps.buffer.set(path, now);
    ps.pending.add(path);
    ps.triggers.newestEventMs = now;
    ps.triggers.oldestEventMs ??= now;
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
        `cannot watch the local folder: ${limit}; falling back to a full pass every remote_poll_seconds`,
      );
      const w = ps.watcher;
      ps.watcher = null;
      void w?.close().catch(() => undefined);
      this.#announce();
      return;
    }
    this.#log.warn({ pair, err }, 'watcher error (the polling pass still covers this folder)');
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
