/**
 * The poller's figures as `status` shows them (issue 10: per pair the time of the last complete
 * remote cycle, its length, and the list calls per minute spent), written by the daemon to the
 * journal's meta (key 'poll_status') so that another process can read them.
 */
import type { Journal } from '../journal/index.js';
import type { CycleRecord } from './poll-schedule.js';

export const POLL_STATUS_META = 'poll_status';

export interface PollStatus {
  lastCycle: CycleRecord | null;
  /** List calls the process's pollers made in the last minute (every pair together). */
  listCallsLastMinute: number;
  /** What the poller may spend: remote_list_share of the list budget, per minute. */
  budgetPerMinute: number;
  /** Nothing changed within the hot window: the poller spends its share QUIET_SLOWDOWN times slower. */
  quiet?: boolean;
  atMs: number;
}

export function writePollStatus(journal: Journal, pair: string, s: PollStatus): void {
  journal.setMeta(pair, POLL_STATUS_META, JSON.stringify(s));
}

export function readPollStatus(journal: Journal, pair: string): PollStatus | null {
  const raw = journal.getMeta(pair, POLL_STATUS_META);
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as PollStatus;
    return typeof v.atMs === 'number' && typeof v.listCallsLastMinute === 'number' ? v : null;
  } catch {
    return null;
  }
}
