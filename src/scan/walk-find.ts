/**
 * The local walk handed to GNU find: a second process lists and lstat()s the tree natively while
 * this one parses what it prints (a no-op run over 100,000 files spends most of its local side in
 * Node's lstatSync, ~3.5 µs a call against find's ~2 µs, on one core). It reports what walkLocal
 * (walk.ts) reports over the same tree — the same entries, skips and names, folders before what
 * lies in them, though not in walkLocal's order — or it reports that it could not: when find is
 * missing or not GNU, exits non-zero, or writes anything to stderr (an unreadable folder, a file
 * gone between two calls), or two names of a folder are one after NFC, the caller walks with
 * walkLocal, which tells exactly what failed where and which name it keeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as absolute } from 'node:path';
import type { IgnoreRules } from './ignore.js';
import { joinRel, nfc } from './names.js';
import type { LocalEntry, SkippedItem } from './types.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface FindSinks {
  onEntry(entry: LocalEntry): void;
  onSkip(item: SkippedItem): void;
  /** An ignored folder (disk path) find was kept out of, or walked and had its contents dropped. */
  onIgnoredFolder?(disk: string): void;
  /** Is `rel` reported already (another name of the folder that is the same after NFC)? */
  has(rel: string): boolean;
}

/** type, size, mtime (seconds with nanoseconds), inode, path below the root; NUL-terminated. */
const FORMAT = '%y %s %T@ %i %P\\0';
const NUL = 0;
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0000-\u007f]/;
const nfcName = (name: string): string => (NOT_ASCII.test(name) ? nfc(name) : name);
/**
 * Bytes of find's output parsed between two turns of the event loop. Under V8's large-object size
 * (128 KiB), so each decoded piece dies young instead of waiting in old space for a full collection.
 */
const CHUNK = 60 * 1024;
const SPACE = 32;
const DOT = 46;
const ZERO = 48;

export interface FindOptions {
  /** find starts at once; what it prints is not read before this settles. */
  until?: Promise<unknown>;
  /** For tests: another program in find's place. @default 'find' */
  command?: string;
  /**
   * Folders (disk paths below the root) an earlier walk found ignored. Those that are still
   * ignored folders, NFC-named, are not walked into at all, as walkLocal does not walk into them
   * (a node_modules under an ignore rule costs find nothing).
   */
  prune?: readonly string[];
}

/** find's `-path` patterns are fnmatch(3) patterns: its special characters are escaped. */
const literal = (path: string): string => path.replace(/[\\*?[\]]/g, (c) => `\\${c}`);

/** `( -type d ( -path A -o -path B … ) ) -prune -o`, for the hinted folders still ignored. */
function pruneArgs(root: string, rules: IgnoreRules, hints: readonly string[], used: string[]): string[] {
  const paths: string[] = [];
  for (const h of hints) {
    if (h === '' || h !== nfc(h) || h.startsWith('/') || h.split('/').includes('..')) continue;
    if (!rules.ignores(h, 'folder')) continue;
    if (paths.length > 0) paths.push('-o');
    paths.push('-path', literal(join(root, h)));
    used.push(h);
  }
  return paths.length === 0 ? [] : ['(', '-type', 'd', '(', ...paths, ')', ')', '-prune', '-o'];
}

/**
 * Walks `root` with find; true when every entry was reported, false when the caller must walk
 * with walkLocal instead (then whatever was reported is to be thrown away). `-H`: the root itself
 * is followed when it is a symbolic link, as readdirSync(root) does; nothing below it is.
 *
 * find writes into an unlinked temporary file, not a pipe: a pipe holds 64 KiB and find would
 * wait on it while this thread reads the journal; the file is read as it grows.
 */
export async function walkWithFind(
  root: string,
  rules: IgnoreRules,
  sinks: FindSinks,
  opts: FindOptions = {},
): Promise<boolean> {
  const parse = new FindParse(rules, sinks);
  let output: { write: number; read: number };
  try {
    output = openOutput();
  } catch {
    return false; // no writable temporary folder: the built-in walk needs none
  }
  let failed = false;
  let exited = false;
  let code: number | null = null;
  let child: ChildProcess | undefined;
  const top = absolute(root);
  const pruned: string[] = [];
  const prune = pruneArgs(top, rules, opts.prune ?? [], pruned);
  try {
    child = spawn(opts.command ?? 'find', ['-H', top, '-mindepth', '1', ...prune, '-printf', FORMAT], {
      stdio: ['ignore', output.write, 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    closeSync(output.write);
    output.write = -1;
    const started = child;
    const done = new Promise<void>((resolve) => {
      started.once('error', () => {
        failed = exited = true;
        resolve();
      });
      started.once('close', (c) => {
        code = c;
        exited = true;
        resolve();
      });
    });
    started.stderr?.on('data', () => {
      failed = true;
      started.kill();
    });
    await opts.until?.catch(() => {});
    const chunk = Buffer.allocUnsafe(CHUNK);
    let rest: Buffer | null = null;
    while (!failed) {
      const finished = exited; // read after: nothing written before the exit is missed
      const n = readSync(output.read, chunk, 0, CHUNK, null);
      if (n === 0) {
        if (finished) break;
        await Promise.race([done, new Promise((r) => setTimeout(r, 2))]);
        continue;
      }
      // decoded up to the last NUL at once: a character's bytes never straddle the cut
      const data: Buffer = rest ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      const last = data.lastIndexOf(NUL);
      rest = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : null;
      if (last >= 0 && !parseText(parse, data.toString('utf8', 0, last))) {
        failed = true;
        started.kill();
      }
      await nextTurn();
    }
    await done;
    if (failed || code !== 0 || rest !== null) return false;
    for (const h of pruned) sinks.onIgnoredFolder?.(h);
    return true;
  } catch {
    child?.kill();
    return false; // find could not be started or read: the built-in walk
  } finally {
    if (output.write >= 0) closeSync(output.write);
    closeSync(output.read);
  }
}

/** Every NUL-separated record of `text`; false at the first one the parser refuses. */
function parseText(parse: FindParse, text: string): boolean {
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\0', start);
    if (end < 0) end = text.length;
    if (!parse.line(text, start, end)) return false;
    start = end + 1;
  }
  return true;
}

/** A private temporary file, already unlinked: one descriptor for find to write, one to read. */
function openOutput(): { write: number; read: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-find-'));
  try {
    const file = join(dir, 'out');
    const write = openSync(file, 'wx', 0o600);
    try {
      return { write, read: openSync(file, 'r') };
    } catch (err) {
      closeSync(write);
      throw err;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One find line at a time → entries and skips as walk.ts makes them. */
class FindParse {
  readonly #rules: IgnoreRules;
  readonly #sinks: FindSinks;
  /** Ignored folders: what find prints under them is dropped (walkLocal does not walk into them). */
  readonly #pruned = new Set<string>();
  /** Folders whose rel (NFC) path is not their disk path, by disk path. */
  readonly #relOf = new Map<string, string>();
  /** Folders (by disk path) holding a name that changed under NFC: only there can two names meet. */
  readonly #renaming = new Set<string>();

  constructor(rules: IgnoreRules, sinks: FindSinks) {
    this.#rules = rules;
    this.#sinks = sinks;
  }

  /** The number read by #digits and where it stopped. */
  #value = 0;
  #at = 0;

  /** Reads decimal digits at `from` (at most `max` of them count; more are passed over). */
  #digits(text: string, from: number, end: number, max = 16): boolean {
    let v = 0;
    let i = from;
    for (; i < end; i++) {
      const c = text.charCodeAt(i) - ZERO;
      if (c < 0 || c > 9) break;
      if (i - from < max) v = v * 10 + c;
    }
    this.#value = max < 16 ? v * 10 ** Math.max(0, max - (i - from)) : v;
    this.#at = i;
    return i > from;
  }

  /** `text[from, end)` is one record; false: one find should not have printed, or only walkLocal may decide. */
  line(text: string, from: number, end: number): boolean {
    if (end - from < 10 || text.charCodeAt(from + 1) !== SPACE) return false;
    const type = text[from]!;
    if (!this.#digits(text, from + 2, end) || text.charCodeAt(this.#at) !== SPACE) return false;
    const size = this.#value;
    if (!this.#digits(text, this.#at + 1, end)) return false;
    const sec = this.#value;
    let nsec = 0;
    if (text.charCodeAt(this.#at) === DOT) {
      if (!this.#digits(text, this.#at + 1, end, 9)) return false;
      nsec = this.#value;
    }
    if (text.charCodeAt(this.#at) !== SPACE || !this.#digits(text, this.#at + 1, end)) return false;
    const ino = this.#value;
    if (text.charCodeAt(this.#at) !== SPACE || this.#at + 1 >= end) return false;
    const disk = text.slice(this.#at + 1, end);

    const slash = disk.lastIndexOf('/');
    const name = disk.slice(slash + 1);
    const nfcOf = nfcName(name);
    // the parent's disk path is cut out only when some folder needs it (none on a plain tree)
    const parentDisk =
      this.#pruned.size > 0 || this.#relOf.size > 0 || this.#renaming.size > 0 || nfcOf !== name
        ? disk.slice(0, Math.max(0, slash))
        : null;
    if (parentDisk !== null && parentDisk !== '' && this.#pruned.has(parentDisk)) {
      if (type === 'd') this.#pruned.add(disk);
      return true;
    }
    const rel = parentDisk === null ? disk : joinRel(this.#relOf.get(parentDisk) ?? parentDisk, nfcOf);
    const isDir = type === 'd';
    if (type === 'l') {
      if (!this.#rules.ignores(rel, 'file')) this.#sinks.onSkip({ path: rel, reason: 'symlink' });
      return true;
    }
    if (!isDir && type !== 'f') {
      if (!this.#rules.ignores(rel, 'file')) this.#sinks.onSkip({ path: rel, reason: 'special-file' });
      return true;
    }
    const kind = isDir ? 'folder' : 'file';
    if (this.#rules.ignores(rel, kind)) {
      if (isDir) {
        this.#pruned.add(disk);
        this.#sinks.onIgnoredFolder?.(disk);
      }
      return true;
    }
    // Two names of a folder that are one after NFC: walkLocal keeps the first in the folder's read
    // order, which find need not share (it may sort a big folder by inode), so find leaves them to
    // walkLocal. On disk all names differ, so only such a pair repeats a rel path.
    if (parentDisk !== null) {
      if (nfcOf !== name) this.#renaming.add(parentDisk);
      if (this.#renaming.has(parentDisk) && this.#sinks.has(rel)) return false;
    }
    const entry: LocalEntry = {
      path: rel,
      kind,
      size: isDir ? 0 : size,
      // as Node computes Stats.mtimeMs from seconds and nanoseconds
      mtimeMs: Math.trunc(sec * 1e3 + nsec / 1e6),
      ino,
    };
    if (disk !== rel) {
      entry.diskPath = disk;
      if (isDir) this.#relOf.set(disk, rel);
    }
    this.#sinks.onEntry(entry);
    return true;
  }
}
