/**
 * Items a pass did not sync, reported per file in the journal (status lists them) and logged once
 * (issue 5 "Names and what is not synced"). Symlinks and special files are not synced by design
 * and do not make the exit code 1; names the Drive refuses, case clashes, unsafe remote names and
 * unreadable parts do.
 */
import type { Journal } from '../journal/index.js';
import type { Logger } from '../log/logger.js';
import type { PlanSkip } from '../plan/index.js';
import { LOCAL_ONLY, REMOTE_ONLY } from './one-sided.js';

const INFORMATIONAL = new Set<PlanSkip['reason']>(['symlink', 'special-file', 'local-only', 'remote-only']);

const WORDS: Record<PlanSkip['reason'], string> = {
  symlink: 'a symbolic link: not followed, not synced',
  'special-file': 'not a regular file or folder: not synced',
  'rejected-name': 'the Drive does not accept this name; rename it or add it to the ignore rules',
  'case-clash': 'differs from another name only in letter case, which the Drive treats as the same name',
  'unsafe-remote-name': 'a remote name that would leave the sync folder; refused',
  vanished: 'disappeared while it was being read; retried next pass',
  unreadable: 'could not be read; nothing under it is deleted on the other side',
  'side-failed': 'its side could not be read; nothing under it is deleted on the other side',
  'local-only': LOCAL_ONLY,
  'remote-only': REMOTE_ONLY,
};

/** Records this pass's skips, drops the ones that no longer apply; returns how many count as not synced. */
export function recordSkips(
  journal: Journal,
  log: Logger,
  pair: string,
  skips: readonly PlanSkip[],
  nowMs: number,
  /** A job looked at part of the tree: skips elsewhere still apply. @default every path */
  inScope: (path: string) => boolean = () => true,
): number {
  const before = new Map(journal.problems(pair, 'skipped').map((p) => [p.path, p.reason]));
  const seen = new Set<string>();
  let refused = 0;
  journal.transaction(() => {
    for (const s of skips) {
      const reason = WORDS[s.reason] + (s.detail ? ` (${s.detail})` : '');
      seen.add(s.path);
      if (!INFORMATIONAL.has(s.reason)) refused++;
      if (before.get(s.path) === reason) continue;
      journal.recordProblem({ pair, path: s.path, kind: 'skipped', reason, atMs: nowMs });
      log.warn({ pair, path: s.path, side: s.side, reason: s.reason }, `skipped: ${reason}`);
    }
    for (const path of before.keys())
      if (!seen.has(path) && inScope(path)) journal.clearProblem(pair, path, 'skipped');
  });
  return refused;
}
