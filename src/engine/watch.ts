/**
 * The daemon's watcher of one pair's local root (design.md "The shape": watch = chokidar events →
 * journal rows, hints only; the scan stays the truth). Symlinks are not followed; our temporary
 * download names, the marker and the pair's ignore rules produce no events.
 */
import { watch, type FSWatcher } from 'chokidar';
import { lstatSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PairConfig } from '../config/types.js';
import { IGNORE_FILE, loadIgnore, MARKER_NAME, TEMP_PREFIX, type IgnoreRules } from '../scan/index.js';
import { partitionTree } from './watch-partition.js';

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
 * True when a watcher should not even look at `rel`. Without its kind (chokidar asks first without
 * stats) the path is checked as a file, so a folder-only pattern (`build/`) is applied once the
 * stats are known.
 */
export function watchIgnores(rules: IgnoreRules, rel: string, isFolder?: boolean): boolean {
  if (rel === '' || rel.startsWith('..')) return false;
  const name = baseName(rel);
  if (name.startsWith(TEMP_PREFIX)) return true;
  if (rel === MARKER_NAME) return true;
  return rules.ignores(rel, isFolder ? 'folder' : 'file');
}

/** Resolves when `w` is ready or `closed` settles, whichever comes first. */
function readyOrClosed(w: FSWatcher, closed: Promise<void>): Promise<void> {
  return Promise.race([new Promise<void>((resolve) => w.once('ready', () => resolve())), closed]);
}

/**
 * Watches `pair.local` with one chokidar watcher per piece of the tree (watch-partition.ts),
 * started one after another; `onReady` once the last is ready. A piece's watcher leaves out the
 * pieces beneath it; when a piece's root is renamed or removed, its watcher (and those beneath) is
 * closed and the watcher above takes the folder over as chokidar does any new folder.
 */
export function watchPair(
  pair: Pick<PairConfig, 'local' | 'ignore'>,
  handlers: WatchHandlers,
  opts: { pieceWeight?: number } = {},
): PairWatcher {
  const root = pair.local;
  let rules = loadIgnore(root, pair.ignore);
  const reloadRules = (): void => {
    try {
      rules = loadIgnore(root, pair.ignore);
    } catch {
      // an unreadable .lwsyncignore: keep the previous rules; the pass reports the problem
    }
  };
  const order = partitionTree(root, (rel) => watchIgnores(rules, rel, true), opts.pieceWeight).map((rel) =>
    rel === '' ? root : join(root, rel),
  );
  /** The pieces' roots (absolute), started or not; a dropped piece leaves this set. */
  const pieceRoots = new Set(order);
  const started = new Map<string, FSWatcher>();
  let closeAll!: () => void;
  const closed = new Promise<void>((resolve) => (closeAll = resolve));
  let isClosed = false;

  const dropPiece = (abs: string): void => {
    const under = abs + sep;
    for (const r of [...pieceRoots]) {
      if (r !== abs && !r.startsWith(under)) continue;
      pieceRoots.delete(r);
      const w = started.get(r);
      started.delete(r);
      void w?.close().catch(() => undefined);
    }
  };

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

  const watchPiece = (own: string): FSWatcher => {
    const w: FSWatcher = watch(own, {
      ignoreInitial: true,
      followSymlinks: false,
      persistent: true,
      // `atomic` would hide editor swap files from us and delay unlinks; our quiet time does that job
      atomic: false,
      // chokidar watches folders only: a watch per file would cost ~15 kB each (100,000 files: 1.5 GB
      // and as many inotify watches); a folder's watch reports its files' changes as raw events below
      ignored: (abs: string, stats?: Stats) =>
        (abs !== own && pieceRoots.has(abs)) ||
        watchIgnores(rules, relativeTo(root, abs), stats?.isDirectory()) ||
        (stats !== undefined && !stats.isDirectory()),
    });
    // a folder's inotify watch names the child that was created, written, renamed or removed;
    // folders themselves come through addDir/unlinkDir
    w.on('raw', (event: string, name: unknown, details: unknown) => {
      const dir = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
      if (typeof name !== 'string' || name === '' || typeof dir !== 'string') return;
      const abs = join(dir, name);
      if (abs === dir) return;
      const rel = relativeTo(root, abs);
      if (rel === '' || rel.startsWith('..') || watchIgnores(rules, rel)) return;
      // a piece's root came or went under this watcher: its own watcher is stale; this one takes over
      if (event === 'rename' && abs !== own && pieceRoots.has(abs)) dropPiece(abs);
      let st: Stats | undefined;
      try {
        st = lstatSync(abs);
      } catch {
        st = undefined; // gone: a removal or a rename away
      }
      if (st?.isDirectory()) return;
      on(event === 'rename' ? (st ? 'add' : 'unlink') : 'change')(abs);
    });
    w.on('add', on('add'));
    w.on('addDir', on('addDir'));
    w.on('change', on('change'));
    w.on('unlink', on('unlink'));
    w.on('unlinkDir', on('unlinkDir'));
    w.on('error', (err: unknown) => handlers.onError(err as NodeJS.ErrnoException));
    return w;
  };

  void (async () => {
    for (const abs of order) {
      if (isClosed) return;
      if (!pieceRoots.has(abs)) continue;
      const w = watchPiece(abs);
      started.set(abs, w);
      await readyOrClosed(w, closed);
    }
    if (!isClosed) handlers.onReady();
  })();

  return {
    close: async () => {
      isClosed = true;
      closeAll();
      const all = [...started.values()];
      started.clear();
      await Promise.all(all.map((w) => w.close()));
    },
  };
}
