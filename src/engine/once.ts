/** One reconciliation pass over every pair (contracts.md §1 `--once`), and its exit code. */
import type { Config } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { EXIT } from '../cli/exit-codes.js';
import { LoginRequiredError, UnreachableError } from '../remote/errors.js';
import { syncPair, type PassResult } from './pass.js';
import { recordApiUse } from './api-use.js';
import { createProgress } from './progress.js';
import { openEngine, requestCount } from './session.js';
import { recordUnequal } from './verify.js';

export interface OnceFlags {
  dryRun: boolean;
  force: boolean;
  resync: boolean;
}

/** Severity order of exit codes when pairs end differently: the worst one is the process's. */
const SEVERITY: readonly number[] = [EXIT.OK, EXIT.PARTIAL, EXIT.GUARD, EXIT.UNREACHABLE, EXIT.LOGIN];

export function worse(a: number, b: number): number {
  return SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a;
}

export function exitOf(result: PassResult): number {
  if (result.status === 'guard') return EXIT.GUARD;
  if (result.status === 'failed') return EXIT.PARTIAL;
  const o = result.outcome;
  return o.failed + o.refused + o.deferred + result.skippedRefused > 0 ? EXIT.PARTIAL : EXIT.OK;
}

/** Returns the exit code of contracts.md §1. */
export async function runOnce(config: Config, flags: OnceFlags, log: Logger): Promise<number> {
  const opened = openEngine(config, log);
  if ('exit' in opened) return opened.exit;
  const { journal, session } = opened;
  const progress = createProgress();
  let code: number = EXIT.OK;
  try {
    for (const pair of config.pairs) {
      const env = {
        journal,
        remote: session.remote(pair.drive, pair.name),
        log,
        stateDir: config.stateDir,
        progress,
        verify: true,
        out: (line: string) =>
          console.log(flags.dryRun && config.pairs.length > 1 ? `[${pair.name}] ${line}` : line),
      };
      let result: PassResult;
      try {
        result = await syncPair(env, pair, flags);
      } catch (e) {
        if (e instanceof LoginRequiredError) {
          console.error(
            `error: the login is no longer valid (${e.message}); run: lineworks-sync login --config ${config.file}`,
          );
          return EXIT.LOGIN;
        }
        if (e instanceof UnreachableError) {
          console.error(`error: LINE WORKS could not be reached (${e.message}); try again later`);
          return worse(code, EXIT.UNREACHABLE);
        }
        log.error({ pair: pair.name, err: e }, 'pass failed');
        console.error(`error: pair "${pair.name}": ${(e as Error).message}`);
        code = worse(code, EXIT.PARTIAL);
        continue;
      }
      if (result.status === 'guard') console.error(`stopped: pair "${pair.name}": ${result.reason}`);
      if (result.status === 'failed') console.error(`error: pair "${pair.name}": ${result.reason}`);
      let pairCode = exitOf(result);
      if (result.status === 'done' && !flags.dryRun) {
        const unequal = result.unequal ?? [];
        recordUnequal(journal, pair.name, unequal, Date.now());
        if (unequal.length > 0) {
          const more = unequal.length > 10 ? ` and ${unequal.length - 10} more (see status)` : '';
          console.error(
            `error: pair "${pair.name}": the sides still differ at ${unequal.slice(0, 10).join(', ')}${more}`,
          );
          pairCode = worse(pairCode, EXIT.PARTIAL);
        }
        if (result.outcome.failed === 0 && unequal.length === 0) journal.setLastSync(pair.name, Date.now());
        log.info({ pair: pair.name, ...result.outcome, exit: pairCode }, 'pass finished');
      }
      code = worse(code, pairCode);
    }
    return code;
  } finally {
    progress.close();
    const stats = session.stats();
    if (stats.last429At !== undefined) journal.setLast429(stats.last429At);
    const requests = requestCount(session);
    recordApiUse(journal, Date.now(), requests);
    log.debug({ requests }, 'requests sent');
    session.close();
    journal.close();
  }
}
