/**
 * The planner's input and output (design.md "The shape": plan is PURE). Action `kind` words are the
 * dry-run output (contracts.md §1), plus `record` and `forget`, which touch only the journal.
 */
import type { BaseRow } from '../journal/types.js';
import type { RemoteEntry } from '../remote/types.js';
import type { IgnoreRules } from '../scan/ignore.js';
import type { LocalEntry, SkippedItem } from '../scan/types.js';

export interface PlanOptions {
  /** `--resync`: never delete; what one side lacks is copied to it (design.md, incidents onedrive #3363). */
  resync: boolean;
  /** The Drive compares names case-insensitively (the default, reference §4). */
  caseInsensitiveRemote: boolean;
  /** Host name and time for conflicted-copy names; inputs so the planner reads no clock. */
  host: string;
  nowMs: number;
  /** One-way pairs (direction.ts, contracts.md §2 `direction`). @default 'both' */
  direction?: Direction;
  /** download: local items the Drive lacks go to the pair's trash. @default false */
  cleanupLocal?: boolean;
  /** upload: Drive items the local folder lacks go to the Drive's trash. @default false */
  cleanupRemote?: boolean;
}

/** 'download': only the local folder is written; 'upload': only the Drive (issue 14). */
export type Direction = 'both' | 'download' | 'upload';

export interface PlanInput {
  base: ReadonlyMap<string, BaseRow>;
  /** From scanLocal: NFC relative paths, ignored items already left out. */
  local: ReadonlyMap<string, LocalEntry>;
  /** From the remote walk, keyed by NFC path relative to the pair's remote folder. */
  remote: ReadonlyMap<string, RemoteEntry>;
  /** Local paths whose scan failed ('' = the root): nothing at or under them is deleted. */
  localFailures: readonly string[];
  /** Remote folders whose listing failed: nothing at or under them is deleted. */
  remoteFailures: readonly string[];
  /** Applied to every path on both sides: an ignored path gets no action at all. */
  rules: IgnoreRules;
  options: PlanOptions;
}

interface At {
  /** The path the action produces or touches (after any earlier moves in the plan). */
  path: string;
}

export type Action =
  /** Send the local file; `remote` is the entry it replaces (keep its key: overwrite), if any. */
  | (At & { kind: 'upload'; local: LocalEntry; remote?: RemoteEntry })
  /** Fetch the remote file to a temp name and place it only if `local` (the expected target) is unchanged. */
  | (At & { kind: 'download'; remote: RemoteEntry; local?: LocalEntry })
  | (At & { kind: 'mkdir-remote'; local: LocalEntry })
  | (At & { kind: 'mkdir-local'; remote: RemoteEntry })
  /**
   * Delete on the remote (to the Drive trash). `replaced`: the path is re-created with another
   * kind later in the plan. A folder is deleted only after everything under it in the plan.
   */
  | (At & { kind: 'delete-remote'; remote: RemoteEntry; replaced?: boolean })
  /** Move into the pair's local trash; `local` is what the scan saw (skip if it changed since). */
  | (At & { kind: 'delete-local'; local: LocalEntry; replaced?: boolean })
  /**
   * Rename/move the remote item `remoteKey`, now at `sideFrom` on the Drive, to `path`; base rows
   * under `from` follow (`sideFrom` differs from `from` when the local side moved a folder above it).
   */
  | (At & { kind: 'move-remote'; from: string; sideFrom: string; remoteKey: string; local: LocalEntry })
  /** Rename/move the local item now at `sideFrom` on disk to `path`; base rows under `from` follow. */
  | (At & { kind: 'move-local'; from: string; sideFrom: string; local: LocalEntry; remote: RemoteEntry })
  /**
   * Both sides changed (or are new) and differ. The remote keeps `path`; the local item is renamed to
   * `conflictPath` and uploaded, then the remote version is downloaded to `path` (design.md
   * "Conflicts"). `verify`: both are files of the same size and may be equal: the executor first
   * downloads the remote to a temp file and compares sha256 with the local file; equal → write the
   * base as for `record` and stop.
   */
  | (At & { kind: 'conflict'; local: LocalEntry; remote: RemoteEntry; conflictPath: string; verify: boolean })
  /**
   * download pairs: the local file changed; it goes to the pair's trash and the Drive's file takes
   * its place. `verify` (same size): the executor first compares the bytes; equal → only the base.
   */
  | (At & { kind: 'replace-local'; local: LocalEntry; remote: RemoteEntry; verify: boolean })
  /**
   * upload pairs: the Drive's file changed; it goes to the Drive's trash (delete) and the local file
   * is uploaded anew, so the Drive's version can be restored from its trash.
   */
  | (At & { kind: 'replace-remote'; local: LocalEntry; remote: RemoteEntry })
  /** Both sides are equal: write the base row from `local` and `remote` (rclone #9939). */
  | (At & { kind: 'record'; local: LocalEntry; remote: RemoteEntry })
  /** Gone on both sides: drop the base row. */
  | (At & { kind: 'forget' });

export type ActionKind = Action['kind'];

export interface PlanSkip extends Omit<SkippedItem, 'reason'> {
  /** 'local-only' / 'remote-only': left alone by a one-way pair without cleanup (direction.ts). */
  reason: SkippedItem['reason'] | 'unreadable' | 'side-failed' | 'local-only' | 'remote-only';
  side: 'local' | 'remote';
}

export interface PlanSummary {
  counts: Partial<Record<ActionKind, number>>;
  /** Items deleted on each side (folders and files; moves are not deletes), for the mass-delete guard. */
  deletesLocal: number;
  deletesRemote: number;
  /** Items the journal tracked before this run (the guard's denominator). */
  tracked: number;
  skipped: PlanSkip[];
}

export interface Plan {
  actions: Action[];
  summary: PlanSummary;
  /** Roots of what the plan leaves alone on both sides: ignored, refused or clashing names. */
  left: string[];
}
