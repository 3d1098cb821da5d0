/**
 * A stall watchdog for streamed transfers (design.md axios trap: no `timeout`, which would kill a
 * long transfer). The transfer is aborted only when no progress was seen for `stallMs`.
 */
export class StallError extends Error {
  override readonly name = 'StallError';
}

export interface Watch {
  /** Abort signal for the request: fires on a stall or when the caller's signal fires. */
  signal: AbortSignal;
  /** Progress was made: restart the countdown. */
  kick(): void;
  /** True once the countdown ran out. */
  readonly stalled: boolean;
  /** Cuts the transfer now (the signal fires with `reason`). */
  abort(reason: Error): void;
  stop(): void;
}

export function watch(stallMs: number, outer?: AbortSignal): Watch {
  const ac = new AbortController();
  let stalled = false;
  let stopped = false;
  const onOuter = (): void => ac.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  if (outer?.aborted) ac.abort(outer.reason);
  const timer = setTimeout(() => {
    stalled = true;
    ac.abort(new StallError(`no progress for ${Math.round(stallMs / 1000)} s`));
  }, stallMs);
  return {
    signal: ac.signal,
    // Called for every chunk of a transfer: refresh() restarts the countdown without a new timer.
    kick: () => {
      if (!stalled && !stopped) timer.refresh();
    },
    get stalled() {
      return stalled;
    },
    abort(reason) {
      if (timer) clearTimeout(timer);
      ac.abort(reason);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}
