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
import { spawn } from 'node:child_process';
import { resolve as absolute } from 'node:path';
import type { IgnoreRules } from './ignore.js';
import { joinRel, nfc } from './names.js';
import type { LocalEntry, SkippedItem } from './types.js';

export interface FindSinks {
  onEntry(entry: LocalEntry): void;
  onSkip(item: SkippedItem): void;
  /** Is `rel` reported already (another name of the folder that is the same after NFC)? */
  has(rel: string): boolean;
}

/** type, size, mtime (seconds with nanoseconds), inode, path below the root; NUL-terminated. */
const FORMAT = '%y %s %T@ %i %P\\0';
const NUL = 0;
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\u0000-\u007f]/;
const nfcName = (name: string): string => (NOT_ASCII.test(name) ? nfc(name) : name);
const SPACE = 32;
const DOT = 46;
const ZERO = 48;

export interface FindOptions {
  /** find starts at once; what it prints is read but not told to the sinks before this settles. */
  until?: Promise<unknown>;
  /** For tests: another program in find's place. @default 'find' */
  command?: string;
}

/**
 * Walks `root` with find; true when every entry was reported, false when the caller must walk
 * with walkLocal instead (then whatever was reported is to be thrown away). `-H`: the root itself
 * is followed when it is a symbolic link, as readdirSync(root) does; nothing below it is.
 */
export async function walkWithFind(
  root: string,
  rules: IgnoreRules,
  sinks: FindSinks,
  opts: FindOptions = {},
): Promise<boolean> {
  const parse = new FindParse(rules, sinks);
  const command = opts.command ?? 'find';
  // until `until` settles, chunks wait here, read off the pipe so that find does not stall on it
  let waiting: Buffer[] | null = opts.until ? [] : null;
  return new Promise<boolean>((resolve) => {
    const child = spawn(command, ['-H', absolute(root), '-mindepth', '1', '-printf', FORMAT], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let failed = false;
    let rest: Buffer | null = null;
    const fail = () => {
      failed = true;
      child.kill();
    };
    // decoded up to the last NUL at once: a character's bytes never straddle the cut
    const take = (chunk: Buffer): void => {
      if (failed) return;
      const data = rest ? Buffer.concat([rest, chunk]) : chunk;
      const last = data.lastIndexOf(NUL);
      rest = last + 1 < data.length ? data.subarray(last + 1) : null;
      if (last < 0) return;
      const text = data.toString('utf8', 0, last);
      for (let start = 0; start <= text.length;) {
        let end = text.indexOf('\0', start);
        if (end < 0) end = text.length;
        if (!parse.line(text, start, end)) return fail();
        start = end + 1;
      }
    };
    const exited = new Promise<number | null>((done) => {
      child.once('error', () => {
        failed = true;
        done(null);
      });
      child.once('close', done);
    });
    child.stdout.on('data', (chunk: Buffer) => (waiting ? waiting.push(chunk) : take(chunk)));
    child.stderr.on('data', fail);
    void (async () => {
      await opts.until?.catch(() => {});
      const waited = waiting ?? [];
      waiting = null;
      for (const chunk of waited) take(chunk);
      const code = await exited;
      resolve(!failed && code === 0 && rest === null);
    })();
  });
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
      if (isDir) this.#pruned.add(disk);
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
