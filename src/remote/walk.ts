/**
 * The recursive listing (types.ts `Remote.walk`): breadth-first, a few folders listed at once,
 * each page's entries yielded as it arrives, so a folder is always yielded before its children.
 * A folder whose listing fails is reported and skipped; login and reachability failures end the
 * walk, since every other folder would fail the same way.
 */
import { LoginRequiredError, UnreachableError } from './errors.js';
import type { DriveApi } from './api.js';
import type { RemoteEntry } from './types.js';
import { childPath, toEntry, type WireList } from './wire.js';

/** Folders listed at the same time. */
export const WALK_PARALLELISM = 3;

interface Folder {
  key: string | null;
  path: string;
}

type Event = { entries: RemoteEntry[] } | { done: Folder } | { failed: Folder; err: Error };

export async function* walk(
  api: DriveApi,
  rootKey: string | null,
  onFolderError?: (path: string, err: Error) => void,
): AsyncGenerator<RemoteEntry> {
  const todo: Folder[] = [{ key: rootKey, path: '' }];
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  let running = 0;
  let fatal: Error | null = null;

  const push = (e: Event): void => {
    events.push(e);
    wake?.();
    wake = null;
  };

  const listFolder = async (folder: Folder): Promise<void> => {
    try {
      let cursor: string | null = null;
      do {
        const page: WireList = await api.listPage(folder.key, cursor);
        const entries = page.files.map((f) => toEntry(f, childPath(folder.path, f.fileName)));
        push({ entries });
        cursor = page.nextCursor;
      } while (cursor !== null);
      push({ done: folder });
    } catch (err) {
      push({ failed: folder, err: err instanceof Error ? err : new Error(String(err)) });
    }
  };

  const start = (): void => {
    while (!fatal && running < WALK_PARALLELISM && todo.length > 0) {
      running++;
      void listFolder(todo.shift() as Folder);
    }
  };

  start();
  while (running > 0 || events.length > 0) {
    if (events.length === 0) {
      await new Promise<void>((r) => (wake = r));
      continue;
    }
    const e = events.shift() as Event;
    if ('entries' in e) {
      for (const entry of e.entries) {
        if (entry.kind === 'folder') todo.push({ key: entry.resourceKey, path: entry.path });
        yield entry;
      }
      start();
    } else {
      running--;
      if ('failed' in e) {
        const fatalErr = e.err instanceof LoginRequiredError || e.err instanceof UnreachableError;
        if (fatalErr || !onFolderError) fatal ??= e.err;
        else onFolderError(e.failed.path, e.err);
      }
      start();
    }
  }
  if (fatal) throw fatal;
}
