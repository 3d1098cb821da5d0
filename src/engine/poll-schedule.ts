/**
 * Which remote folder of a pair the poller lists next (design.md "The daemon: jobs within the
 * budget"; issue 10 "A budgeted remote poller"). Folders that changed recently, on either side, are
 * listed every `pollMs`; the others in a rolling cycle, parents before children, each folder at most
 * once per `pollMs`. Where the Drive has been seen to move a folder's modifiedTime with anything
 * inside it (folder-times.ts), a folder whose time did not move since it was last listed is skipped
 * with its whole subtree — except in the cycle that starts a day after the last unpruned one. A
 * cycle that started unpruned only because pruning had no leave yet prunes from the moment it gets
 * leave, so a daemon that learns its folder times does not wait a whole cycle to use them.
 * Pure state and the clock passed in: no I/O.
 */
import { coveredBy, byDepth } from '../plan/paths.js';

export interface ScheduleOptions {
  /** `remote_poll_seconds` in ms: the shortest time between two listings of one folder. */
  pollMs: number;
  /** How long a folder stays hot after a change seen in it. @default 10 × pollMs, at least 10 min */
  hotMs?: number;
  /** The longest time between two cycles that skip nothing. @default 24 h */
  fullEveryMs?: number;
}

export interface CycleRecord {
  startMs: number;
  endMs: number;
  /** Folders listed in the cycle (hot ones listed meanwhile included) and folders skipped. */
  listed: number;
  pruned: number;
  /** List calls (pages) the cycle's listings took. */
  calls: number;
  /** The cycle skipped nothing. */
  full: boolean;
}

export interface ChildFolder {
  /** Relative to the pair's folder. */
  path: string;
  updateDate: number;
}

export class PollSchedule {
  readonly #pollMs: number;
  readonly #hotMs: number;
  readonly #fullEveryMs: number;
  readonly #lastListed = new Map<string, number>();
  /** A folder's modifiedTime when it was last listed, as its parent's listing showed it. */
  readonly #timeAtListing = new Map<string, number>();
  /** The folder's modifiedTime as the latest listing of its parent shows it. */
  readonly #timeNow = new Map<string, number>();
  readonly #hotUntil = new Map<string, number>();
  #queue: string[] = [];
  #pruned = new Set<string>();
  #cycle: {
    startMs: number;
    listed: number;
    pruned: number;
    calls: number;
    full: boolean;
    /** The daily unpruned cycle: it stays unpruned whatever leave comes meanwhile. */
    daily: boolean;
  } | null = null;
  #lastCycleStart = -Infinity;
  /** Whether the folder last handed out by next() was a hot one, and whether the last listed was. */
  #nextIsHot = false;
  #lastWasHot = false;
  #lastFullEnd: number;
  last: CycleRecord | null = null;

  constructor(o: ScheduleOptions, nowMs: number) {
    this.#pollMs = o.pollMs;
    this.#hotMs = o.hotMs ?? Math.max(10 * o.pollMs, 600_000);
    this.#fullEveryMs = o.fullEveryMs ?? 86_400_000;
    // a daemon's first cycle skips nothing: it has seen no folder time yet
    this.#lastFullEnd = nowMs - this.#fullEveryMs;
  }

  /** Something changed in `folder` (either side): list it every pollMs for a while. */
  markHot(folder: string, nowMs: number): void {
    this.#hotUntil.set(folder, nowMs + this.#hotMs);
  }

  isHot(folder: string, nowMs: number): boolean {
    return (this.#hotUntil.get(folder) ?? 0) > nowMs;
  }

  /** Some folder changed (either side) within the hot window. */
  anyHot(nowMs: number): boolean {
    for (const until of this.#hotUntil.values()) if (until > nowMs) return true;
    return false;
  }

  /** The folder is gone from the view: never listed again unless it comes back. */
  forget(folder: string): void {
    const i = this.#queue.lastIndexOf(folder);
    if (i >= 0) this.#queue.splice(i, 1);
    this.#hotUntil.delete(folder);
    this.#lastListed.delete(folder);
    this.#timeAtListing.delete(folder);
    this.#timeNow.delete(folder);
  }

  /**
   * The folder to list now, or the time something will be due. `folders` is called at the start
   * of a cycle: every remote folder the view knows ('' included).
   */
  next(nowMs: number, folders: () => string[], prune: boolean): { folder: string } | { at: number } {
    let hotAt = Infinity;
    let hot: string | null = null;
    for (const [f, until] of this.#hotUntil) {
      if (until <= nowMs) {
        this.#hotUntil.delete(f);
        continue;
      }
      const due = (this.#lastListed.get(f) ?? -Infinity) + this.#pollMs;
      if (due < hotAt) {
        hotAt = due;
        hot = f;
      }
    }
    const hotDue = hot !== null && hotAt <= nowMs;
    // hot folders and the cycle take turns, so that many hot folders never stall the cycle
    if (hotDue && !this.#lastWasHot) return this.#pick(hot!, true);
    const cycled = this.#cycleNext(nowMs, folders, prune);
    if ('folder' in cycled) return this.#pick(cycled.folder, false);
    if (hotDue) return this.#pick(hot!, true);
    return { at: Math.min(cycled.at, hotAt) };
  }

  #pick(folder: string, hot: boolean): { folder: string } {
    this.#nextIsHot = hot;
    return { folder };
  }

  /** The cycle's next folder, or when the next cycle may start. */
  #cycleNext(nowMs: number, folders: () => string[], prune: boolean): { folder: string } | { at: number } {
    for (;;) {
      if (this.#cycle === null) {
        // the root opens every cycle: a cycle starts once the root is due again too, or a root
        // listed a little after its cycle started would be skipped by the next one
        const startAt = Math.max(
          this.#lastCycleStart + this.#pollMs,
          (this.#lastListed.get('') ?? -Infinity) + this.#pollMs,
        );
        if (startAt > nowMs) return { at: startAt };
        const daily = nowMs - this.#lastFullEnd >= this.#fullEveryMs;
        this.#cycle = { startMs: nowMs, listed: 0, pruned: 0, calls: 0, full: !prune || daily, daily };
        this.#lastCycleStart = nowMs;
        this.#queue = folders().sort(byDepth).reverse();
        this.#pruned = new Set();
      }
      if (prune && !this.#cycle.daily) this.#cycle.full = false;
      while (this.#queue.length > 0) {
        const f = this.#queue[this.#queue.length - 1]!;
        if (coveredBy(f, this.#pruned)) {
          this.#queue.pop();
          this.#cycle.pruned++;
          continue;
        }
        // listed since the cycle started or within pollMs (a hot folder): that listing counts
        const last = this.#lastListed.get(f) ?? -Infinity;
        if (last >= this.#cycle.startMs || last > nowMs - this.#pollMs) {
          this.#queue.pop();
          continue;
        }
        if (!this.#cycle.full && f !== '' && this.#unchanged(f)) {
          this.#queue.pop();
          this.#pruned.add(f);
          this.#cycle.pruned++;
          continue;
        }
        return { folder: f };
      }
      const c = this.#cycle;
      this.last = { ...c, endMs: nowMs };
      if (c.full) this.#lastFullEnd = nowMs;
      this.#cycle = null;
    }
  }

  #unchanged(folder: string): boolean {
    const then = this.#timeAtListing.get(folder);
    return then !== undefined && this.#timeNow.get(folder) === then;
  }

  /** A full pass just listed every folder: the next cycle starts pollMs from now. */
  walked(nowMs: number): void {
    this.#cycle = null;
    this.#queue = [];
    this.#lastCycleStart = nowMs;
    this.#lastFullEnd = nowMs;
  }

  /** `folder` was listed at `nowMs` with `calls` list calls; `children` are its subfolders. */
  listed(folder: string, nowMs: number, calls: number, children: readonly ChildFolder[]): void {
    this.#lastWasHot = this.#nextIsHot;
    this.#lastListed.set(folder, nowMs);
    const t = this.#timeNow.get(folder);
    if (t !== undefined) this.#timeAtListing.set(folder, t);
    for (const c of children) this.#timeNow.set(c.path, c.updateDate);
    const c = this.#cycle;
    if (c === null) return;
    c.calls += calls;
    c.listed++;
    if (this.#queue[this.#queue.length - 1] === folder) this.#queue.pop();
  }
}
