/** What every action of one pass over one pair works with. */
import type { PairConfig } from '../config/types.js';
import type { Journal } from '../journal/index.js';
import type { Logger } from '../log/logger.js';
import type { Remote } from '../remote/types.js';
import type { IgnoreRules } from '../scan/ignore.js';
import type { Progress } from './progress.js';
import type { RemoteKeys } from './keys.js';

export interface PairRun {
  pair: PairConfig;
  journal: Journal;
  remote: Remote;
  log: Logger;
  /** The pair's local root (absolute). */
  root: string;
  keys: RemoteKeys;
  /** The pair's ignore rules (defaults, .lwsyncignore, config). */
  rules: IgnoreRules;
  /** This run's local trash folder: <state>/trash/<pair>/<stamp>. */
  trashBin: string;
  progress: Progress;
  now: () => number;
  /** Aborts the pass: no new action starts, running transfers are cut. */
  signal?: AbortSignal;
  /** Set when an action left work that only the next pass can see (a conflicted folder's contents). */
  again: boolean;
}

/** How a pass ended, per pair; the exit code is derived from it (contracts.md §1). */
export interface PassOutcome {
  actions: number;
  failed: number;
  /** Items the remote refuses for good, or that are skipped by name/case rules. */
  refused: number;
  /** Items skipped because they changed while the pass ran: the next pass takes them. */
  deferred: number;
}
