/**
 * The daemon's watcher of one pair's local root (design.md "The shape": watch = chokidar events →
 * journal rows, hints only; the scan stays the truth). Symlinks are not followed; our temporary
 * download names, the marker and the pair's ignore rules produce no events.
 */
import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { relative, sep } from 'node:path';
import type { PairConfig } from '../config/types.js';
import { IGNORE_FILE, loadIgnore, MARKER_NAME, TEMP_PREFIX, type IgnoreRules } from '../scan/index.js';

export type WatchEventKind = 'add' | 'addDir' | 'change' | 'unlink' | 'unlinkDir';

export interface WatchHandlers {
  /** `path` is relative to the root, '/'-separated, as named on disk (not normalised). */
  onEvent(kind: WatchEventKind, path: string): void;
  onError(err: NodeJS.ErrnoException): void;
  onReady(): void;
  /**
   * The root's .lwsyncignore changed: the rules are read again at once, but a folder the old rules
   * kept out is not watched until the watcher starts again (chokidar never looks back into it).
   */
  onRulesChanged?(): void;
}

export interface PairWatcher {
  close(): Promise<void>;
}

/** The root-relative, '/'-separated form of an absolute path chokidar reports; '' for the root. */
export function relativeTo(root: string, abs: string): string {
  const rel = relative(root, abs);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

function baseName(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? rel : rel.slice(i + 1);
}

/**
 * True when a watcher should not even look at `rel`. Without stats (chokidar asks first without
 * them) the path is checked as a file, so a folder-only pattern (`build/`) is applied once the
 * stats are known.
 */
export function watchIgnores(rules: IgnoreRules, rel: string, stats?: Stats): boolean {
  if (rel === '' || rel.startsWith('..')) return false;
  const name = baseName(rel);
  if (name.startsWith(TEMP_PREFIX)) return true;
  if (rel === MARKER_NAME) return true;
  return rules.ignores(rel, stats?.isDirectory() ? 'folder' : 'file');
}

export function watchPair(pair: PairConfig, handlers: WatchHandlers): PairWatcher {
  const root = pair.local;
  let rules = loadIgnore(root, pair.ignore);
  const reloadRules = (): void => {
    try {
      rules = loadIgnore(root, pair.ignore);
    } catch {
      // an unreadable .lwsyncignore: keep the previous rules; the pass reports the problem
    }
  };
  const w: FSWatcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: false,
    persistent: true,
    // `atomic` would hide editor swap files from us and delay unlinks; our quiet time does that job
    atomic: false,
    ignored: (abs: string, stats?: Stats) => watchIgnores(rules, relativeTo(root, abs), stats),
  });
  const on =
    (kind: WatchEventKind) =>
    (abs: string): void => {
      const rel = relativeTo(root, abs);
      // '' = the root itself (removed, replaced): the pass's root and marker guard looks at it
      if (rel.startsWith('..')) return;
      handlers.onEvent(kind, rel);
      if (rel === IGNORE_FILE) {
        reloadRules();
        handlers.onRulesChanged?.();
      }
    };
  w.on('add', on('add'));
  w.on('addDir', on('addDir'));
  w.on('change', on('change'));
  w.on('unlink', on('unlink'));
  w.on('unlinkDir', on('unlinkDir'));
  w.on('error', (err: unknown) => handlers.onError(err as NodeJS.ErrnoException));
  w.on('ready', () => handlers.onReady());
  return { close: () => w.close() };
}
