/**
 * What is never synced, with gitignore semantics (the `ignore` package): built-in defaults, the
 * root's `.lwsyncignore`, and the pair's `ignore` patterns (contracts.md §2). The same matcher is
 * applied to local and remote paths; ignored paths are left alone on both sides, never deleted.
 *
 * The defaults are answered by a hand-written test (defaultIgnored) instead of the package: the
 * package keeps a result object for every path and parent it was asked about, which on a tree of
 * 100,000 files cost ~0.2 s and megabytes per pass. test/scan/ignore.test.ts checks that both give
 * the same answer.
 */
import ignore from 'ignore';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prefix of the product's temporary files (downloads in progress); matches src/local/atomic.ts. */
export const TEMP_PREFIX = '.lwsync-tmp-';
/** The pair's root marker (contracts.md §1); never synced. */
export const MARKER_NAME = '.lineworks-sync';
export const IGNORE_FILE = '.lwsyncignore';

export const DEFAULT_IGNORES: readonly string[] = [
  `/${MARKER_NAME}`,
  `${TEMP_PREFIX}*`,
  '*~',
  '.*.swp',
  '.~lock.*',
  '*.partial',
];

export interface IgnoreRules {
  /** `path` is relative, '/'-separated; folders are matched with their trailing-slash rules too. */
  ignores(path: string, kind: 'file' | 'folder'): boolean;
}

const SLASH = 47;
const DOT = 46;

/**
 * `s[at..]` starts with `word` (lowercase ASCII), ASCII letters compared without case: what the
 * package's case-insensitive, non-unicode regular expressions do (no other character folds).
 */
function hasAt(s: string, at: number, word: string): boolean {
  if (at < 0 || at + word.length > s.length) return false;
  for (let i = 0; i < word.length; i++) {
    const w = word.charCodeAt(i);
    const c = s.charCodeAt(at + i);
    if (c !== w && !(w >= 97 && w <= 122 && c === w - 32)) return false;
  }
  return true;
}

// hasAt compares with lowercase words
const TEMP = TEMP_PREFIX.toLowerCase();
const MARKER = MARKER_NAME.toLowerCase();
const LOCK_PREFIX = '.~lock.';
const SWP = '.swp';
const PARTIAL = '.partial';

/** The name `s[start..end)` matches one of the name patterns of DEFAULT_IGNORES. */
function defaultName(s: string, start: number, end: number): boolean {
  if (end === start) return false;
  if (s.charCodeAt(end - 1) === 126) return true; // *~
  if (hasAt(s, end - PARTIAL.length, PARTIAL)) return true; // *.partial (no '/' in it: within the name)
  if (s.charCodeAt(start) !== DOT) return false;
  return (
    hasAt(s, start, TEMP) || // .lwsync-tmp-*
    hasAt(s, start, LOCK_PREFIX) || // .~lock.*
    (end - start >= 1 + SWP.length && hasAt(s, end - SWP.length, SWP)) // .*.swp
  );
}

/**
 * What the package answers for DEFAULT_IGNORES on `path`: ignored when any segment matches a name
 * pattern (the package ignores everything under an ignored folder), or when the first segment is
 * the marker (`/.lineworks-sync` is anchored). `undefined` for a path the package reads otherwise:
 * empty, absolute, `.`/`..`-led (refused), or with an empty segment (`a//b`, `a/`).
 */
export function defaultIgnored(path: string): boolean | undefined {
  if (path.charCodeAt(0) === DOT) {
    if (path.length === 1 || path.charCodeAt(1) === SLASH) return undefined;
    if (path.charCodeAt(1) === DOT && (path.length === 2 || path.charCodeAt(2) === SLASH)) return undefined;
  }
  let ignored = false;
  let start = 0;
  for (;;) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    if (end === start) return undefined;
    if (!ignored) {
      ignored =
        defaultName(path, start, end) || (start === 0 && end === MARKER.length && hasAt(path, 0, MARKER));
    }
    if (end === path.length) return ignored;
    start = end + 1;
  }
}

function packageIgnores(ig: ignore.Ignore, path: string, kind: 'file' | 'folder'): boolean {
  try {
    return ig.ignores(kind === 'folder' ? `${path}/` : path);
  } catch {
    // not a relative path ('..', absolute): names.ts unsafeRemoteName refuses those
    return false;
  }
}

export function makeIgnore(patterns: readonly string[]): IgnoreRules {
  let all: ignore.Ignore | undefined;
  const full = () => (all ??= ignore().add([...DEFAULT_IGNORES, ...patterns]));
  // A negation can take back a default, so with one the package answers everything. Without,
  // "ignored" is "some rule matches the path or a parent", so the defaults and the configured
  // patterns can be asked apart. The leading '#' takes the package's byte-order-mark strip, which
  // applies to the first pattern only (a default one when all are asked together).
  const negates = patterns.some((p) => p.startsWith('!'));
  const configured = patterns.some((p) => !/^ *$/.test(p) && !p.startsWith('#'))
    ? ignore().add(['#', ...patterns])
    : null;
  return {
    ignores: (path, kind) => {
      if (path === '') return false;
      const byDefault = negates ? undefined : defaultIgnored(path);
      if (byDefault === undefined) return packageIgnores(full(), path, kind);
      return byDefault || (configured !== null && packageIgnores(configured, path, kind));
    },
  };
}

/** Defaults + `<root>/.lwsyncignore` (if present) + the configured patterns. */
export function loadIgnore(root: string, configured: readonly string[]): IgnoreRules {
  let fromFile: string[] = [];
  try {
    fromFile = readFileSync(join(root, IGNORE_FILE), 'utf8').split(/\r?\n/);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return makeIgnore([...fromFile, ...configured]);
}
