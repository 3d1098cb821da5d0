/**
 * The mass-delete guard (design.md "Safety guards", contracts.md §2 max_delete_*): a run that would
 * delete more than `maxDeletePercent` of the pair's tracked items, or more than `maxDeleteCount`
 * items, stops with exit 3 unless --force. Moves are not deletes.
 */
import type { PlanSummary } from '../plan/index.js';
import type { SyncOptions } from '../config/types.js';

export interface GuardVerdict {
  stop: boolean;
  deletes: number;
  reason?: string;
}

export function massDeleteGuard(
  summary: Pick<PlanSummary, 'deletesLocal' | 'deletesRemote' | 'tracked'>,
  opts: Pick<SyncOptions, 'maxDeletePercent' | 'maxDeleteCount'>,
): GuardVerdict {
  const deletes = summary.deletesLocal + summary.deletesRemote;
  if (deletes === 0) return { stop: false, deletes };
  if (deletes > opts.maxDeleteCount) {
    return {
      stop: true,
      deletes,
      reason: `${deletes} deletes exceed max_delete_count = ${opts.maxDeleteCount}`,
    };
  }
  const percent = summary.tracked === 0 ? 100 : (deletes * 100) / summary.tracked;
  if (percent > opts.maxDeletePercent) {
    return {
      stop: true,
      deletes,
      reason: `${deletes} deletes of ${summary.tracked} tracked items (${Math.round(percent)} %) exceed max_delete_percent = ${opts.maxDeletePercent}`,
    };
  }
  return { stop: false, deletes };
}
