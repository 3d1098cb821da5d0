/**
 * `status --config FILE [--json]` (contracts.md §1, issue 6): what the journal says, per pair — last
 * successful sync, items tracked, pending work, failing items with their reason and next retry,
 * upload sessions, conflicts, skipped items — and the API budget used. Opens the journal read-only
 * (no lock), so it works while the daemon runs. Informative: exits 0 whatever it finds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import type { Config } from '../config/types.js';
import { Journal, JOURNAL_FILE, type FileProblem, type PendingAction } from '../journal/index.js';
import { readCounters, type SavedCounters } from '../metrics/saved-counters.js';
import { readApiUse } from './api-use.js';
import { readFolderTimes, type FolderTimes } from './folder-times.js';
import { oneSided } from './one-sided.js';
import { readPending } from './pending.js';
import { readPollStatus } from './poll-status.js';

export interface StatusOptions {
  json: boolean;
}

export interface FailingItem {
  action: string;
  path: string;
  attempts: number;
  /** The error as recorded (may be technical). */
  lastError: string | null;
  errorClass: string | null;
  /** What the error class means, in plain words. */
  explanation: string;
  /** null when permanent (retried only once the item changes). */
  nextTryMs: number | null;
  permanent: boolean;
}

export interface ProblemItem {
  path: string;
  reason: string;
  atMs: number;
}

export interface UploadSessionItem {
  path: string;
  sentBytes: number;
  sizeBytes: number;
  startedMs: number;
}

export interface PairStatus {
  name: string;
  local: string;
  /** `<drive>:<remote path>`, as check-config prints it. */
  remote: string;
  inConfig: boolean;
  inJournal: boolean;
  /** Identity fields whose configured value differs from the journal's record (run --resync). */
  changed: string[];
  lastSyncMs: number | null;
  tracked: number;
  pending: {
    uploads: { count: number; bytes: number };
    downloads: { count: number; bytes: number };
    other: { count: number; kinds: Record<string, number> };
  };
  failing: FailingItem[];
  errors: ProblemItem[];
  conflicts: ProblemItem[];
  skipped: ProblemItem[];
  uploadSessions: UploadSessionItem[];
  /** The daemon's remote poller (poll-status.ts) and what it learnt of folder times (folder-times.ts). */
  poller: {
    lastCycle: {
      endMs: number;
      lengthMs: number;
      listed: number;
      pruned: number;
      calls: number;
      full: boolean;
    } | null;
    listCallsLastMinute: number | null;
    budgetPerMinute: number | null;
    /** Nothing changed lately: the poller spends its share slower (poll-budget.ts QUIET_SLOWDOWN). */
    quiet: boolean;
    atMs: number | null;
    folderTimes: FolderTimes;
  };
  /** One-way pairs (issue 14): the configured direction (null: not in the configuration). */
  direction: 'both' | 'download' | 'upload' | null;
  /** Items a download pair leaves alone (not on the Drive), and an upload pair (not local). */
  localOnly: ProblemItem[];
  remoteOnly: ProblemItem[];
  /**
   * What the last process that synced this pair did since it started (the daemon's Prometheus
   * counters, README "Monitoring"); written every few seconds while it runs. null: none saved yet.
   */
  counters: SavedCounters | null;
}

export interface StatusReport {
  stateDir: string;
  /** False when no journal exists yet (nothing has run); every pair is then empty. */
  journal: boolean;
  nowMs: number;
  pairs: PairStatus[];
  api: {
    lastMinute: number;
    lastHour: number;
    budgetPerMinute: number;
    last429Ms: number | null;
  };
}

const CLASS_WORDS: Record<string, string> = {
  'rate-limited': 'the Drive asked us to slow down (too many requests)',
  'long-running': 'the Drive was still working on it when the answer timed out',
  transient: 'a temporary Drive or network failure',
  auth: 'the Drive refused the login; run login again if this persists',
  exists: 'an item with that name already exists on the Drive',
  'not-found': 'the item or its folder no longer exists on the Drive',
  locked: 'the file is locked on the Drive (open elsewhere or being moved)',
  quota: 'the Drive is full (storage quota reached)',
  'rejected-content': "the Drive does not accept this file's type or content",
  'rejected-name': 'the Drive does not accept this name',
  permission: 'no permission to change this on the Drive',
  'bad-request': 'the Drive refused the request as invalid',
  unknown: 'an unexpected error',
  ENOENT: 'the local file or folder disappeared',
  EACCES: 'no permission to read or write the local file',
  EPERM: 'the local file system did not allow it',
  ENOSPC: 'the local disk is full',
  EBUSY: 'the local file is busy',
  EMFILE: 'too many open files on this machine',
  ENAMETOOLONG: 'the local name is too long',
};

/** The error class in plain words. */
export function explainClass(errorClass: string | null): string {
  if (errorClass === null) return 'an error';
  return CLASS_WORDS[errorClass] ?? errorClass;
}

function emptyPair(name: string, local: string, remote: string, inConfig: boolean): PairStatus {
  return {
    name,
    local,
    remote,
    inConfig,
    inJournal: false,
    changed: [],
    lastSyncMs: null,
    tracked: 0,
    pending: {
      uploads: { count: 0, bytes: 0 },
      downloads: { count: 0, bytes: 0 },
      other: { count: 0, kinds: {} },
    },
    failing: [],
    errors: [],
    conflicts: [],
    skipped: [],
    uploadSessions: [],
    poller: {
      lastCycle: null,
      listCallsLastMinute: null,
      budgetPerMinute: null,
      quiet: false,
      atMs: null,
      folderTimes: 'unknown',
    },
    direction: null,
    localOnly: [],
    remoteOnly: [],
    counters: null,
  };
}

const problemItem = (p: FileProblem): ProblemItem => ({ path: p.path, reason: p.reason, atMs: p.atMs });

const failingItem = (a: PendingAction): FailingItem => ({
  action: a.action,
  path: a.path,
  attempts: a.attempts,
  lastError: a.lastError,
  errorClass: a.errorClass,
  explanation: explainClass(a.errorClass),
  nextTryMs: a.permanent ? null : a.nextTryMs,
  permanent: a.permanent,
});

function fillFromJournal(s: PairStatus, journal: Journal): void {
  const name = s.name;
  s.inJournal = journal.getPair(name) !== null;
  s.lastSyncMs = journal.lastSync(name);
  s.tracked = journal.countBase(name);
  const pending = readPending(journal, name);
  for (const item of pending) {
    if (item.kind === 'upload' || item.kind === 'download') {
      const t = item.kind === 'upload' ? s.pending.uploads : s.pending.downloads;
      t.count += 1;
      t.bytes += item.bytes;
    } else {
      s.pending.other.count += 1;
      s.pending.other.kinds[item.kind] = (s.pending.other.kinds[item.kind] ?? 0) + 1;
    }
  }
  const actions = journal.pendingActions(name);
  s.failing = actions.map(failingItem);
  s.errors = journal.problems(name, 'error').map(problemItem);
  s.conflicts = journal.problems(name, 'conflict').map(problemItem);
  s.skipped = journal.problems(name, 'skipped').map(problemItem);
  // one-way pairs: items left alone are listed apart from the skipped ones
  s.localOnly = s.skipped.filter((i) => oneSided(i.reason) === 'local');
  s.remoteOnly = s.skipped.filter((i) => oneSided(i.reason) === 'remote');
  s.skipped = s.skipped.filter((i) => oneSided(i.reason) === null);
  for (const u of journal.uploadSessions(name)) {
    s.uploadSessions.push({ path: u.path, sentBytes: u.offset, sizeBytes: u.size, startedMs: u.createdMs });
  }
  const poll = readPollStatus(journal, name);
  const c = poll?.lastCycle ?? null;
  s.poller = {
    lastCycle: c
      ? {
          endMs: c.endMs,
          lengthMs: c.endMs - c.startMs,
          listed: c.listed,
          pruned: c.pruned,
          calls: c.calls,
          full: c.full,
        }
      : null,
    listCallsLastMinute: poll?.listCallsLastMinute ?? null,
    budgetPerMinute: poll?.budgetPerMinute ?? null,
    quiet: poll?.quiet ?? false,
    atMs: poll?.atMs ?? null,
    folderTimes: readFolderTimes(journal, name).verdict,
  };
  s.counters = readCounters(journal, name);
}

/** Builds the report from a read-only journal (or none: nothing has run yet). */
export function buildReport(config: Config, journal: Journal | null, nowMs: number): StatusReport {
  const pairs = config.pairs.map((p) => {
    const s = emptyPair(p.name, p.local, `${p.driveSpec}:${p.remotePath}`, true);
    s.direction = p.direction;
    if (journal) {
      const check = journal.checkPair({
        name: p.name,
        localRoot: p.local,
        driveSpec: p.driveSpec,
        remotePath: p.remotePath,
      });
      if (check.status === 'changed') s.changed = check.fields;
      fillFromJournal(s, journal);
    }
    return s;
  });
  if (journal) {
    const configured = new Set(config.pairs.map((p) => p.name));
    for (const r of journal.listPairs()) {
      if (configured.has(r.name)) continue;
      const s = emptyPair(r.name, r.localRoot, `${r.driveSpec}:${r.remotePath}`, false);
      fillFromJournal(s, journal);
      pairs.push(s);
    }
  }
  const use = journal ? readApiUse(journal, nowMs) : { lastMinute: 0, lastHour: 0 };
  return {
    stateDir: config.stateDir,
    journal: journal !== null,
    nowMs,
    pairs,
    api: {
      lastMinute: use.lastMinute,
      lastHour: use.lastHour,
      budgetPerMinute: config.api.rateLimitPerMinute,
      last429Ms: journal ? journal.last429() : null,
    },
  };
}

// ---- human text ----

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local time, ISO-like: `2025-01-02 14:03:05 +09:00`. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** `3 min ago`, `in 2 h 5 min`, `just now`. */
export function relative(ms: number, nowMs: number): string {
  const diff = nowMs - ms;
  const a = Math.abs(diff);
  if (a < 5_000) return 'just now';
  let span: string;
  if (a < 60_000) span = `${Math.floor(a / 1000)} s`;
  else if (a < 3_600_000) span = `${Math.floor(a / 60_000)} min`;
  else if (a < 86_400_000) {
    const h = Math.floor(a / 3_600_000);
    const m = Math.floor((a % 3_600_000) / 60_000);
    span = m ? `${h} h ${m} min` : `${h} h`;
  } else {
    const days = Math.floor(a / 86_400_000);
    span = `${days} day${days === 1 ? '' : 's'}`;
  }
  return diff >= 0 ? `${span} ago` : `in ${span}`;
}

const when = (ms: number, nowMs: number): string => `${localTime(ms)} (${relative(ms, nowMs)})`;

/** `512 B`, `1.5 KiB`, `3.0 MiB`. */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function failingLine(f: FailingItem, nowMs: number): string {
  const head = `${f.action} ${f.path}`;
  if (f.permanent) {
    const reason = f.lastError ?? f.explanation;
    return `${head}: the Drive refuses it: ${reason}; rename it or ignore it (${f.explanation}; class ${f.errorClass ?? 'unknown'}; not retried until it changes)`;
  }
  const detail = f.lastError ? `${f.explanation}: ${f.lastError}` : f.explanation;
  const next = f.nextTryMs === null || f.nextTryMs <= nowMs ? 'due now' : when(f.nextTryMs, nowMs);
  return `${head}: ${detail} (class ${f.errorClass ?? 'unknown'}; ${plural(f.attempts, 'attempt')}; next try ${next})`;
}

const DIRECTION_WORDS = {
  both: ' (two-way)',
  download: ' (the local folder mirrors the Drive; nothing is written to the Drive)',
  upload: ' (the Drive mirrors the local folder; nothing is downloaded)',
} as const;

function pairText(s: PairStatus, nowMs: number): string[] {
  const out: string[] = [];
  out.push(
    `pair ${s.name}: ${s.local} <-> ${s.remote}${s.inConfig ? '' : '  (in the journal, not in the configuration)'}`,
  );
  if (s.changed.length)
    out.push(
      `  the journal's record differs in ${s.changed.join(', ')}: the pair will not run until --resync`,
    );
  if (!s.inJournal) out.push('  never synced (no journal rows yet)');
  else out.push(`  last successful sync: ${s.lastSyncMs === null ? 'never' : when(s.lastSyncMs, nowMs)}`);
  out.push(`  items tracked: ${s.tracked}`);
  if (s.direction !== null) out.push(`  direction: ${s.direction}${DIRECTION_WORDS[s.direction]}`);
  const p = s.pending;
  const parts: string[] = [];
  if (p.uploads.count) parts.push(`${plural(p.uploads.count, 'upload')} (${humanBytes(p.uploads.bytes)})`);
  if (p.downloads.count)
    parts.push(`${plural(p.downloads.count, 'download')} (${humanBytes(p.downloads.bytes)})`);
  if (p.other.count) {
    const kinds = Object.entries(p.other.kinds)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    parts.push(`${p.other.count} other (${kinds})`);
  }
  out.push(`  pending: ${parts.length ? parts.join(', ') : 'nothing'}`);
  for (const u of s.uploadSessions) {
    const pct = u.sizeBytes > 0 ? ` (${Math.floor((u.sentBytes / u.sizeBytes) * 100)}%)` : '';
    out.push(
      `  uploading ${u.path}: ${humanBytes(u.sentBytes)} of ${humanBytes(u.sizeBytes)} sent${pct}, started ${when(u.startedMs, nowMs)}`,
    );
  }
  if (s.failing.length) {
    out.push(`  failing (${s.failing.length}):`);
    for (const f of s.failing) out.push(`    ${failingLine(f, nowMs)}`);
  }
  const failingPaths = new Set(s.failing.map((f) => f.path));
  const errors = s.errors.filter((e) => !failingPaths.has(e.path));
  const list = (title: string, items: ProblemItem[]): void => {
    if (!items.length) return;
    out.push(`  ${title} (${items.length}):`);
    for (const i of items) out.push(`    ${i.path}: ${i.reason} (${when(i.atMs, nowMs)})`);
  };
  list('errors', errors);
  list('conflicts', s.conflicts);
  list('skipped', s.skipped);
  list('local only', s.localOnly);
  list('remote only', s.remoteOnly);
  out.push(...pollerText(s.poller, nowMs));
  if (s.counters) out.push(`  ${countersLine(s.counters, nowMs)}`);
  return out;
}

function pollerText(p: PairStatus['poller'], nowMs: number): string[] {
  if (p.atMs === null) return [];
  const out: string[] = [];
  const c = p.lastCycle;
  out.push(
    c
      ? `  remote poll: last complete cycle ${when(c.endMs, nowMs)}, took ${Math.round(c.lengthMs / 1000)} s: ` +
          `${plural(c.listed, 'folder')} listed${c.pruned ? `, ${c.pruned} skipped (folder times unchanged)` : ''}, ${plural(c.calls, 'list call')}`
      : '  remote poll: no complete cycle yet',
  );
  out.push(
    `  poller spent ${p.listCallsLastMinute ?? 0} list calls in the last minute (its share: ${Math.round(p.budgetPerMinute ?? 0)}/min${p.quiet ? `, spent slower while nothing changes` : ''}; as of ${relative(p.atMs, nowMs)})`,
  );
  const words: Record<FolderTimes, string> = {
    unknown: 'not known yet (every folder is listed)',
    none: 'do not move with their contents (every folder is listed)',
    parent: 'move with their own children only (every folder is listed)',
    ancestors: 'move with anything inside them',
  };
  out.push(`  the Drive's folder times: ${words[p.folderTimes]}`);
  return out;
}

function countersLine(c: SavedCounters, nowMs: number): string {
  const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
  const retries = sum(c.retries);
  return (
    `traffic since ${when(c.sinceMs, nowMs)}: ${humanBytes(c.bytesUp)} up (${plural(c.transfersUp, 'file')}), ` +
    `${humanBytes(c.bytesDown)} down (${plural(c.transfersDown, 'file')}), ${plural(sum(c.apiCalls), 'API call')}, ` +
    `${retries} ${retries === 1 ? 'retry' : 'retries'}, ${c.rateLimited} × 429`
  );
}

export function formatReport(r: StatusReport): string {
  const out: string[] = [];
  if (!r.journal) {
    out.push(
      `No journal yet in ${r.stateDir}: nothing has been synced. Run \`lineworks-sync --config FILE --once\` or start the daemon.`,
    );
  }
  if (!r.pairs.length) out.push('No pairs configured.');
  for (const s of r.pairs) {
    out.push('', ...pairText(s, r.nowMs));
  }
  out.push('');
  out.push(
    `API requests: ${r.api.lastMinute} in the last minute (budget ${r.api.budgetPerMinute}/min per operation), ` +
      `${r.api.lastHour} in the last hour; last 429: ${r.api.last429Ms === null ? 'never' : when(r.api.last429Ms, r.nowMs)}`,
  );
  return out.join('\n').replace(/^\n/, '') + '\n';
}

export async function statusCommand(config: Config, opts: StatusOptions): Promise<number> {
  const file = join(config.stateDir, JOURNAL_FILE);
  let journal: Journal | null;
  try {
    journal = Journal.openReadOnly(config.stateDir);
    if (!journal && existsSync(file)) throw new Error('the file exists but could not be opened');
  } catch (err) {
    console.error(
      `status: cannot read the journal ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return EXIT.PARTIAL;
  }
  let report: StatusReport;
  try {
    report = buildReport(config, journal, Date.now());
  } catch (err) {
    console.error(
      `status: cannot read the journal ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return EXIT.PARTIAL;
  } finally {
    journal?.close();
  }
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(formatReport(report));
  return EXIT.OK;
}
