/**
 * A daemon job (design.md "The daemon: jobs within the budget"): the reconciliation of a few paths
 * instead of the whole tree. The paths come from watcher events, a local rescan, a failed item or a
 * folder the poller found changed. Their local side is looked at again (scan-paths.ts), their remote
 * side is freshened with O(1) calls each — a `get` of the fileId the view knows, or one listing of
 * the parent for a new name — and the same pure planner decides them, restricted to them, their
 * subtrees and their ancestors. Anything the job cannot place (an item moved to a folder the view
 * does not know, the local root gone) asks for a full pass instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkRoot } from '../local/marker.js';
import type { PairConfig } from '../config/types.js';
import type { BaseRow, Journal } from '../journal/index.js';
import { selfAndAncestors, coveredBy, byDepth } from '../plan/paths.js';
import { RemoteError } from '../remote/errors.js';
import type { Remote, RemoteEntry } from '../remote/types.js';
import {
  baseName,
  caseKey,
  isAtOrUnder,
  joinRel,
  loadIgnore,
  nfc,
  parentOf,
  scanPaths,
  type IgnoreRules,
  type PathScan,
} from '../scan/index.js';
import { planAndRun } from './apply.js';
import { RemoteKeys } from './keys.js';
import type { PassEnv, PassFlags, PassResult } from './pass.js';
import { recordAt, recordListing, viewAt, viewChildren, viewPathOfKey, viewUnder } from './remote-view.js';

const FLAGS: PassFlags = { dryRun: false, force: false, resync: false };

export interface JobSeeds {
  /** Paths to look at again on both sides (NFC, relative; a folder with its subtree). */
  paths: Iterable<string>;
  /** A folder's listing the poller just made (entries' paths relative to that folder). */
  listed?: { folder: string; entries: RemoteEntry[] };
}

/** A job's end: a pass result, or the reason only a full pass can settle these paths. */
export type JobResult = PassResult | { status: 'full'; reason: string };

export interface JobReport {
  result: JobResult;
  /** The paths the job planned (what it was asked, and what its remote looks found changed). */
  touched: string[];
  /** Folders the job's plan uploaded into ('' = the pair's folder). */
  wroteInto: string[];
}

const NOTHING: PassResult = {
  status: 'done',
  outcome: { actions: 0, failed: 0, refused: 0, deferred: 0 },
  again: false,
  skippedRefused: 0,
  planned: 0,
};

/** Remote facts gathered by one job; each folder is listed at most once. */
class Freshener {
  readonly fresh = new Set<string>();
  readonly #listed = new Set<string>();
  full: string | null = null;

  constructor(
    readonly journal: Journal,
    readonly pair: string,
    readonly remote: Remote,
    readonly rootKey: string | null,
    /** Paths the job must plan because a remote look changed the view there. */
    readonly more: Set<string>,
  ) {}

  /** The fileId of the remote folder at `path`, if the view knows one. */
  folderKey(path: string): string | null | undefined {
    if (path === '') return this.rootKey;
    const e = viewAt(this.journal, this.pair, path);
    return e?.kind === 'folder' ? e.resourceKey : undefined;
  }

  /**
   * Lists `folder` (if known on the Drive; `given`: a listing just made) into the view; the changed
   * paths join the job, and a folder new to the view is listed in turn (walked).
   */
  async list(folder: string, given?: RemoteEntry[]): Promise<void> {
    if (this.#listed.has(folder)) return;
    this.#listed.add(folder);
    let entries = given;
    if (entries === undefined) {
      const key = this.folderKey(folder);
      if (key === undefined) return;
      try {
        entries = await this.remote.list(key);
      } catch (err) {
        if (err instanceof RemoteError && err.errorClass === 'not-found') {
          this.full = `the remote folder "${folder}" is gone`;
          return;
        }
        throw err;
      }
    }
    const listed = entries.map((e) => ({ ...e, path: joinRel(folder, e.path) }));
    for (const e of listed) this.fresh.add(e.path);
    for (const p of recordListing(this.journal, this.pair, folder, listed)) {
      this.fresh.add(p);
      this.more.add(p);
      await this.#settle(p);
      if (this.full) return;
      const now = viewAt(this.journal, this.pair, p);
      if (now?.kind === 'folder' && this.journal.getBaseRow(this.pair, p) === null) await this.list(p);
    }
  }

  /**
   * After a look changed the view at `path`: an item seen here that the base holds elsewhere moved
   * here (its old place no longer holds it); an item the base holds here that is gone from here
   * may have moved elsewhere (asked by its fileId).
   */
  async #settle(path: string): Promise<void> {
    const now = viewAt(this.journal, this.pair, path);
    if (now) {
      const b = this.journal.baseByRemoteKey(this.pair, now.resourceKey);
      if (b && b.path !== path && viewAt(this.journal, this.pair, b.path)?.resourceKey === now.resourceKey) {
        this.#moveView(b.path, path);
      }
      return;
    }
    const b = this.journal.getBaseRow(this.pair, path);
    if (b) await this.get(path, b.remoteKey, true);
  }

  /** The view under `from` now lies under `to` (the Drive moved the item and kept its subtree). */
  #moveView(from: string, to: string): void {
    const { journal, pair } = this;
    journal.transaction(() => {
      const under = [...viewUnder(journal, pair, from).values()].sort((a, b) => byDepth(b.path, a.path));
      for (const e of under) {
        const np = to + e.path.slice(from.length);
        if (e.path !== from) recordAt(journal, pair, np, { ...e, path: np });
        recordAt(journal, pair, e.path, undefined);
      }
    });
    this.more.add(from);
    this.more.add(to);
    this.fresh.add(from);
  }

  /**
   * Asks the Drive for the item `key` the view holds at `path`, and records where it is now.
   * `unlisted`: its folder's listing just went without it, which stands against a `get` that
   * still finds it there (an item in the trash, were the Drive to answer for one).
   */
  async get(path: string, key: string, unlisted = false): Promise<void> {
    if (!unlisted && this.fresh.has(path) && viewAt(this.journal, this.pair, path)?.resourceKey === key)
      return;
    let e: RemoteEntry | null;
    try {
      e = await this.remote.get(key);
    } catch (err) {
      if (!(err instanceof RemoteError && err.errorClass === 'not-found')) throw err;
      e = null;
    }
    this.fresh.add(path);
    const { journal, pair } = this;
    if (e === null) {
      journal.transaction(() => {
        for (const p of viewUnder(journal, pair, path).keys()) recordAt(journal, pair, p, undefined);
      });
      return;
    }
    const parent = parentOf(path);
    const expectedParent = this.folderKey(parent);
    if (e.parentKey === expectedParent && nfc(e.name) === baseName(path)) {
      recordAt(journal, pair, path, unlisted ? undefined : { ...e, path });
      return;
    }
    // moved or renamed on the Drive: where to, in the pair's tree?
    const newParent = e.parentKey === this.rootKey ? '' : viewPathOfKey(journal, pair, e.parentKey ?? '');
    if (newParent === undefined || isAtOrUnder(newParent, path)) {
      this.full = `"${path}" moved on the Drive to a folder the daemon has not seen yet`;
      return;
    }
    const to = joinRel(newParent, nfc(e.name));
    recordAt(journal, pair, path, { ...e, path });
    this.#moveView(path, to);
    recordAt(journal, pair, to, { ...e, path: to });
  }
}

interface Scope {
  /** Paths planned with their subtrees, and the ancestors planned alone. */
  deep: Set<string>;
  ancestors: Set<string>;
  base: Map<string, BaseRow>;
  remote: Map<string, RemoteEntry>;
  local: PathScan;
}

/** The three sides of the asked paths, their subtrees and their ancestors. */
async function gather(
  journal: Journal,
  name: string,
  root: string,
  rules: IgnoreRules,
  asked: ReadonlySet<string>,
): Promise<Scope> {
  const deep = new Set<string>();
  for (const p of [...asked].sort(byDepth)) if (!coveredBy(p, deep)) deep.add(p);
  const ancestors = new Set<string>();
  for (const p of deep) for (const a of selfAndAncestors(parentOf(p))) if (!deep.has(a)) ancestors.add(a);
  const base = new Map<string, BaseRow>();
  const remote = new Map<string, RemoteEntry>();
  for (const p of deep) {
    for (const b of journal.baseUnder(name, p)) base.set(b.path, b);
    for (const [path, e] of viewUnder(journal, name, p)) remote.set(path, e);
  }
  for (const a of ancestors) {
    const b = journal.getBaseRow(name, a);
    if (b) base.set(a, b);
    const e = viewAt(journal, name, a);
    if (e) remote.set(a, e);
  }
  const local = await scanPaths(
    root,
    rules,
    [
      ...[...deep].map((path) => ({ path, deep: true })),
      ...[...ancestors].map((path) => ({ path, deep: false })),
    ],
    (p) => base.get(p),
  );
  return { deep, ancestors, base, remote, local };
}

/** True when something is at `path` on disk (under its NFC name or the name the event gave). */
function onDisk(root: string, path: string, rawName: string | undefined): boolean {
  return existsSync(join(root, path)) || (rawName !== undefined && existsSync(join(root, rawName)));
}

/** Runs one job over `seeds`; the caller holds the pair's turn (no other pass or job runs). */
export async function runJob(
  env: PassEnv,
  pair: PairConfig,
  rootKey: string | null,
  seeds: JobSeeds,
  /** Filled as the job learns which paths it covers, so that a job that throws can be run again. */
  covering: Set<string> = new Set(),
): Promise<JobReport> {
  const { journal } = env;
  const name = pair.name;
  const full = (reason: string): JobReport => ({
    result: { status: 'full', reason },
    touched: [],
    wroteInto: [],
  });
  if (checkRoot(pair.local) !== 'ok') return full('the local root or its marker is missing');
  const asked = new Set<string>();
  /** The names the seeds had on disk, where not NFC. */
  const raw = new Map<string, string>();
  for (const p of seeds.paths) {
    const n = nfc(p);
    if (n === '') return full('the local root itself changed');
    asked.add(n);
    covering.add(n);
    if (n !== p) raw.set(n, p);
  }
  const f = new Freshener(journal, name, env.remote, rootKey, covering);
  if (seeds.listed) await f.list(seeds.listed.folder, seeds.listed.entries);
  if (f.full) return full(f.full);

  // the remote side of each path: a get of the fileId the view knows, else one listing of the parent
  for (const p of [...asked].sort(byDepth)) {
    if (f.fresh.has(p)) continue;
    const known = viewAt(journal, name, p) ?? undefined;
    const b = journal.getBaseRow(name, p);
    const key = known?.resourceKey ?? b?.remoteKey;
    if (key !== undefined) await f.get(p, key);
    else if (onDisk(pair.local, p, raw.get(p))) {
      await f.list(parentOf(p));
      // a name the Drive holds in another letter case is one name there: plan both together
      const k = caseKey(baseName(p));
      for (const sib of viewChildren(journal, name, parentOf(p)).keys())
        if (caseKey(baseName(sib)) === k) f.more.add(sib);
    }
    if (f.full) return full(f.full);
  }
  for (const p of f.more) asked.add(p);
  if (asked.size === 0) return { result: NOTHING, touched: [], wroteInto: [] };

  // the paths planned: each asked path with its subtree, and the ancestors of all of them; an
  // ancestor the base knows that is gone from a side is planned with its whole subtree instead
  const rules = loadIgnore(pair.local, pair.ignore);
  let scope = await gather(journal, name, pair.local, rules, asked);
  const gone = [...scope.ancestors].filter(
    (a) => scope.base.has(a) && (!scope.local.entries.has(a) || !scope.remote.has(a)),
  );
  if (gone.length > 0) {
    for (const a of gone) {
      const key = scope.base.get(a)!.remoteKey;
      await f.get(a, key);
      if (f.full) return full(f.full);
      asked.add(a);
    }
    for (const p of f.more) asked.add(p);
    scope = await gather(journal, name, pair.local, rules, asked);
  }
  const { deep, ancestors, base, remote, local } = scope;
  // the root may have vanished while it was scanned: what is missing then is not deleted (#1064)
  if (checkRoot(pair.local) !== 'ok') return full('the local root or its marker vanished during the job');
  const keys = new RemoteKeys(rootKey);
  for (const b of base.values()) if (b.kind === 'folder') keys.set(b.path, b.remoteKey);
  for (const e of remote.values()) if (e.kind === 'folder') keys.set(e.path, e.resourceKey);

  const inScope = (p: string): boolean => coveredBy(p, deep) || ancestors.has(p);
  const wroteInto = new Set<string>();
  const result = await planAndRun(
    env,
    pair,
    FLAGS,
    {
      base,
      local: local.entries,
      remote,
      localFailures: local.failures,
      remoteFailures: [],
      localSkipped: local.skipped,
      rules,
      keys,
      tracked: journal.countBase(name),
      inScope,
      pruneTemps: false,
    },
    (planned) => {
      for (const a of planned.actions) if (a.kind === 'upload') wroteInto.add(parentOf(a.path));
    },
  );
  return { result, touched: [...asked], wroteInto: [...wroteInto] };
}
