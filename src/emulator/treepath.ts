/**
 * `GET admin/tree?drive=…&path=/a/b` (an extension of contracts §3): the rows of the item at that
 * path and everything below it, so that a poller need not read the whole drive. A path that names
 * nothing has no rows.
 */
import type { Env } from './env.js';
import { nameKey } from './names.js';
import type { Item } from './store.js';

/** The live items at and under `path` in `drive` (`/` or '' is the whole drive). */
export function itemsUnder(env: Env, drive: string, path: string): Item[] {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) return env.store.driveItems(drive);
  const cs = env.knobs.caseSensitive;
  let item: Item | undefined;
  for (const seg of segments) {
    if (item && !item.folder) return [];
    const key = nameKey(seg, cs);
    item = env.store
      .childrenByKey(drive, item?.id ?? null, cs ? key.toLowerCase() : key)
      .find((c) => (cs ? c.name.normalize('NFC') === key : true));
    if (!item) return [];
  }
  return item ? env.store.subtree(item.id) : [];
}
