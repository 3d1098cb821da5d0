/**
 * The poller's share of the list budget (contracts.md §2 `remote_list_share`; design.md "The
 * poller spends a share of the list budget, never all of it"): one budget for the whole process,
 * shared by every pair. Each list call the poller makes (a page of a listing) costs one interval of
 * 60 s / (rate × share); the next poll may start once the calls spent are paid for. While the
 * process is quiet (no folder of any pair changed on either side within the hot window, no local
 * event waiting), a call costs QUIET_SLOWDOWN intervals: an idle daemon spends half its share.
 */

/** The poll budget's basis when client pacing is off (rate 0): the documented 240/min. */
export const DOCUMENTED_RATE_PER_MINUTE = 240;

/** How many times slower the poller spends its share while nothing changes. */
export const QUIET_SLOWDOWN = 2;

export class PollBudget {
  readonly intervalMs: number;
  #nextAt = 0;
  /** [time, calls] of recent polls, for the calls-per-minute figure. */
  readonly #spent: [number, number][] = [];

  constructor(ratePerMinute: number, share: number) {
    const rate = ratePerMinute > 0 ? ratePerMinute : DOCUMENTED_RATE_PER_MINUTE;
    this.intervalMs = 60_000 / (rate * share);
  }

  /** When the next poll may start. */
  get nextAt(): number {
    return this.#nextAt;
  }

  /** Records `calls` list calls made by a poll that started at `startMs` (`quiet`: see above). */
  spend(startMs: number, calls: number, nowMs: number, quiet = false): void {
    const cost = this.intervalMs * (quiet ? QUIET_SLOWDOWN : 1);
    this.#nextAt = Math.max(this.#nextAt, startMs) + Math.max(1, calls) * cost;
    this.#spent.push([nowMs, calls]);
    while (this.#spent.length > 0 && this.#spent[0]![0] < nowMs - 600_000) this.#spent.shift();
  }

  /** List calls the poller made in the minute before `nowMs`. */
  callsLastMinute(nowMs: number): number {
    let n = 0;
    for (const [at, calls] of this.#spent) if (at > nowMs - 60_000) n += calls;
    return n;
  }
}
