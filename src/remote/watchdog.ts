/**
 * A stall watchdog for streamed transfers (design.md axios trap: no `timeout`, which would kill a
 * long transfer). The transfer is aborted only when no progress was seen for `stallMs`.
 */
import { Transform, type TransformCallback } from 'node:stream';

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
  let timer: NodeJS.Timeout | undefined;
  const onOuter = (): void => ac.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  if (outer?.aborted) ac.abort(outer.reason);
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      ac.abort(new StallError(`no progress for ${Math.round(stallMs / 1000)} s`));
    }, stallMs);
  };
  arm();
  return {
    signal: ac.signal,
    kick: arm,
    get stalled() {
      return stalled;
    },
    abort(reason) {
      if (timer) clearTimeout(timer);
      ac.abort(reason);
    },
    stop() {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

/** A pass-through stream that reports every chunk (bytes so far) and kicks the watchdog. */
export function meter(w: Watch, onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      total += chunk.length;
      w.kick();
      onBytes(total);
      cb(null, chunk);
    },
  });
}
