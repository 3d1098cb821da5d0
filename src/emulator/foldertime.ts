/**
 * `--folder-mtime` (contracts §3): whether a change inside a folder (a child created, uploaded or
 * overwritten, trashed, renamed, moved in or out, a folder created) also sets that folder's
 * (`parent`) or every ancestor's (`ancestors`) `modifiedTime` to the time of the change; `none`
 * leaves folder times alone. The drive root has no File object, so it has no time to set. Times are
 * kept in ms and shown at `--time-precision` like every other time.
 */
import type { Env } from './env.js';

export function touchFolders(env: Env, parent: string | null, now: number = Date.now()): void {
  const mode = env.knobs.folderMtime;
  if (mode === 'none') return;
  for (let p = parent, guard = 0; p !== null && guard < 100000; guard++) {
    const folder = env.store.item(p);
    if (!folder) return;
    env.store.update(p, { modified: now });
    if (mode === 'parent') return;
    p = folder.parent;
  }
}
