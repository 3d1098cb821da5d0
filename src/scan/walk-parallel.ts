/**
 * The local walk split over two threads: the main thread reads the top of the tree until one level
 * has enough folders, hands every other folder of that level to one worker thread
 * (walk-worker.ts) and walks the rest itself meanwhile. It reports what walkLocal reports over the
 * same tree, in this order: the split levels (breadth first), the main thread's part, the worker's
 * part (each depth first, parents first). The worker answers in one message (WalkResult); if it
 * cannot start, crashes or answers something malformed, its part is walked on the main thread.
 */
import { Worker } from 'node:worker_threads';
import { loadIgnore } from './ignore.js';
import type { LocalEntry, ScanFailure, SkippedItem } from './types.js';
import { ROOT_START, walkFolders, type WalkSinks, type WalkStart } from './walk.js';

export interface ParallelWalkSinks extends WalkSinks {
  onEntry(entry: LocalEntry): void;
}

export interface ParallelWalkOptions {
  /** Fewest folders at the split level for a worker to be used (never fewer than 2). @default 16 */
  minFolders?: number;
  /** The worker's entry file. @default walk-worker next to this module */
  workerUrl?: URL;
  /** Told once, before the walk resolves, how the tree was split (for tests and benches). */
  onReport?(report: ParallelWalkReport): void;
}

export interface ParallelWalkReport {
  /** Folders at the split level; 0 when the tree ran out of folders first. */
  splitFolders: number;
  /** Folders given to the worker; 0 when no worker was started. */
  workerFolders: number;
  /** 'failed': the worker gave no usable result and its part was walked on the main thread. */
  worker: 'none' | 'ran' | 'failed';
  /** Why the worker failed. */
  error?: string;
}

/** What the worker is given (structured-cloned). */
export interface WalkJob {
  root: string;
  patterns: string[];
  starts: WalkStart[];
}

/**
 * What the worker answers. `nums` holds FIELDS numbers per entry (kind, size, mtimeMs, ino,
 * has-disk-path); `paths` is, per entry, its path and then its diskPath when it has one, all joined
 * by '\0' (no file name holds NUL). `nums` may be longer than `count * FIELDS`.
 */
export interface WalkResult {
  count: number;
  paths: string;
  nums: Float64Array<ArrayBuffer>;
  skips: SkippedItem[];
  failures: ScanFailure[];
}

const FIELDS = 5;
const FOLDER = 1;
const FILE = 0;

const DEFAULT_MIN_FOLDERS = 16;
/** As scan.ts: entries reported between two turns of the event loop. */
const ENTRIES_PER_TURN = 4096;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const WORKER_URL = new URL(
  // under tsx this module is the .ts source and so is its sibling; built, both are .js
  import.meta.url.endsWith('.ts') ? './walk-worker.ts' : './walk-worker.js',
  import.meta.url,
);

/** Walks like walkLocal, with part of the tree in one worker thread. */
export async function walkLocalParallel(
  root: string,
  patterns: readonly string[],
  sinks: ParallelWalkSinks,
  opts: ParallelWalkOptions = {},
): Promise<void> {
  const rules = loadIgnore(root, patterns);
  const minFolders = Math.max(2, opts.minFolders ?? DEFAULT_MIN_FOLDERS);
  let reported = 0;
  const emit = async (entries: Iterable<LocalEntry>) => {
    for (const e of entries) {
      sinks.onEntry(e);
      if (++reported % ENTRIES_PER_TURN === 0) await nextTurn();
    }
  };

  let level: WalkStart[] = [ROOT_START];
  while (level.length > 0 && level.length < minFolders) {
    const below: WalkStart[] = [];
    await emit(walkFolders(root, level, rules, sinks, { below }));
    level = below;
  }
  if (level.length === 0) {
    opts.onReport?.({ splitFolders: 0, workerFolders: 0, worker: 'none' });
    return;
  }
  const mine = level.filter((_, i) => i % 2 === 0);
  const theirs = level.filter((_, i) => i % 2 === 1);
  const worker = startWorker(opts.workerUrl ?? WORKER_URL, { root, patterns: [...patterns], starts: theirs });
  try {
    await emit(walkFolders(root, mine, rules, sinks));
    const answer = await worker.answer;
    const problem = answer instanceof Error ? answer.message : resultProblem(answer);
    if (problem === null) {
      const result = answer as WalkResult;
      await emit(unpackEntries(result));
      for (const s of result.skips) sinks.onSkip(s);
      for (const f of result.failures) sinks.onFailure(f);
    } else {
      await emit(walkFolders(root, theirs, rules, sinks));
    }
    opts.onReport?.({
      splitFolders: level.length,
      workerFolders: theirs.length,
      worker: problem === null ? 'ran' : 'failed',
      ...(problem === null ? {} : { error: problem }),
    });
  } finally {
    worker.stop();
  }
}

interface RunningWorker {
  /** The worker's message, or why there is none; never rejects. */
  answer: Promise<unknown>;
  stop(): void;
}

/**
 * A TypeScript entry (the sources run under tsx, as the tests do) is imported by a small script
 * that first registers tsx in the worker: Node 20 does not run `--import` preloads in workers.
 */
function newWorker(url: URL, job: WalkJob): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: job });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(url.href);
  const script = `import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(script, { eval: true, workerData: job });
}

function startWorker(url: URL, job: WalkJob): RunningWorker {
  let worker: Worker;
  try {
    worker = newWorker(url, job);
  } catch (err) {
    return { answer: Promise.resolve(err instanceof Error ? err : new Error(String(err))), stop() {} };
  }
  const answer = new Promise<unknown>((resolve) => {
    // the first event settles it; a message is delivered before the exit that follows it
    worker.once('message', resolve);
    worker.once('error', resolve);
    worker.once('messageerror', resolve);
    worker.once('exit', (code) => resolve(new Error(`walk worker exited (code ${code}) without a result`)));
  });
  return {
    answer,
    stop() {
      void worker.terminate();
    },
  };
}

/** Why `r` is not a well-formed WalkResult, or null. Checked before any of it is reported. */
function resultProblem(r: unknown): string | null {
  if (typeof r !== 'object' || r === null) return 'walk worker answered no object';
  const { count, paths, nums, skips, failures } = r as Partial<WalkResult>;
  if (typeof count !== 'number' || typeof paths !== 'string' || !(nums instanceof Float64Array))
    return 'walk worker answered a malformed result';
  if (!Array.isArray(skips) || !Array.isArray(failures)) return 'walk worker answered a malformed result';
  if (nums.length < count * FIELDS) return 'walk worker answered too few numbers';
  let expected = count;
  for (let i = 0; i < count; i++) if (nums[i * FIELDS + 4] === 1) expected++;
  let found = expected === 0 ? 0 : 1;
  for (let at = paths.indexOf('\0'); at >= 0; at = paths.indexOf('\0', at + 1)) found++;
  return found === expected ? null : `walk worker answered ${found} paths for ${expected}`;
}

/** The entries of a well-formed WalkResult, in the worker's walk order. */
function* unpackEntries(r: WalkResult): Generator<LocalEntry> {
  const paths = r.count === 0 ? [] : r.paths.split('\0');
  const nums = r.nums;
  let p = 0;
  for (let i = 0, o = 0; i < r.count; i++, o += FIELDS) {
    const entry: LocalEntry = {
      path: paths[p++]!,
      kind: nums[o] === FOLDER ? 'folder' : 'file',
      size: nums[o + 1]!,
      mtimeMs: nums[o + 2]!,
      ino: nums[o + 3]!,
    };
    if (nums[o + 4] === 1) entry.diskPath = paths[p++]!;
    yield entry;
  }
}

/** The worker's side: walks `job.starts` with the job's ignore rules and packs what it saw. */
export function packWalk(job: WalkJob): WalkResult {
  const rules = loadIgnore(job.root, job.patterns);
  const skips: SkippedItem[] = [];
  const failures: ScanFailure[] = [];
  const paths: string[] = [];
  let nums = new Float64Array(FIELDS * 1024);
  let count = 0;
  const sinks: WalkSinks = { onSkip: (s) => skips.push(s), onFailure: (f) => failures.push(f) };
  for (const e of walkFolders(job.root, job.starts, rules, sinks)) {
    const o = count * FIELDS;
    if (o + FIELDS > nums.length) {
      const bigger = new Float64Array(nums.length * 2);
      bigger.set(nums);
      nums = bigger;
    }
    nums[o] = e.kind === 'folder' ? FOLDER : FILE;
    nums[o + 1] = e.size;
    nums[o + 2] = e.mtimeMs;
    nums[o + 3] = e.ino;
    nums[o + 4] = e.diskPath === undefined ? 0 : 1;
    paths.push(e.path);
    if (e.diskPath !== undefined) paths.push(e.diskPath);
    count++;
  }
  return { count, paths: paths.join('\0'), nums, skips, failures };
}
