/** A folder replaced by a file on one side, against changes inside it on the other (plan.ts). */
import type { RemoteEntry } from '../remote/types.js';
import type { LocalEntry } from '../scan/types.js';
import { parentOf } from '../scan/names.js';
import { coveredBy } from './paths.js';
import type { Action } from './types.js';

/** Actions that carry a change made on that side to the other side. */
const LOCAL_CHANGE: ReadonlySet<Action['kind']> = new Set([
  'upload',
  'mkdir-remote',
  'move-remote',
  'conflict',
]);
const REMOTE_CHANGE: ReadonlySet<Action['kind']> = new Set([
  'download',
  'mkdir-local',
  'move-local',
  'conflict',
]);

/**
 * A folder replaced by a file on one side while the other side changed something inside it: a
 * change beats a delete, so the path is a conflict (design.md "Conflicts": the local item is set
 * aside under its conflicted-copy name). Under a conflict of a folder against a file, nothing is
 * done in this pass: the executor sets the local item aside and asks for the next pass, which
 * finds what lies under both names as it then is.
 */
export function kindConflicts(
  actions: Action[],
  local: ReadonlyMap<string, LocalEntry>,
  remote: ReadonlyMap<string, RemoteEntry>,
  conflictName: (path: string) => string,
): Action[] {
  const roots = new Set<string>();
  const aside = new Set<string>();
  for (const a of actions) {
    if (a.kind === 'conflict' && (a.local.kind === 'folder' || a.remote.kind === 'folder')) aside.add(a.path);
    const side =
      a.kind === 'delete-local' && a.replaced && a.local.kind === 'folder'
        ? LOCAL_CHANGE
        : a.kind === 'delete-remote' && a.replaced && a.remote.kind === 'folder'
          ? REMOTE_CHANGE
          : undefined;
    if (!side) continue;
    const under = `${a.path}/`;
    if (actions.some((x) => side.has(x.kind) && x.path.startsWith(under))) {
      roots.add(a.path);
      aside.add(a.path);
    }
  }
  if (aside.size === 0) return actions;
  const out = actions.filter((a) => !coveredBy(a.path, roots) && !coveredBy(parentOf(a.path), aside));
  for (const path of roots) {
    const l = local.get(path)!;
    const r = remote.get(path)!;
    out.push({
      kind: 'conflict',
      path,
      local: l,
      remote: r,
      conflictPath: conflictName(path),
      verify: false,
    });
  }
  return out;
}
