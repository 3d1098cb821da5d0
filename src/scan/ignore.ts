/**
 * What is never synced, with gitignore semantics (the `ignore` package): built-in defaults, the
 * root's `.lwsyncignore`, and the pair's `ignore` patterns (contracts.md §2). The same matcher is
 * applied to local and remote paths; ignored paths are left alone on both sides, never deleted.
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

export function makeIgnore(patterns: readonly string[]): IgnoreRules {
  const ig = ignore().add([...DEFAULT_IGNORES, ...patterns]);
  return {
    ignores: (path, kind) => {
      if (path === '') return false;
      try {
        return ig.ignores(kind === 'folder' ? `${path}/` : path);
      } catch {
        // not a relative path ('..', absolute): names.ts unsafeRemoteName refuses those
        return false;
      }
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
