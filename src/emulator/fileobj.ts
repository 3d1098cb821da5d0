/** The File object of reference §3 and its times (RFC 3339, `+09:00`, whole seconds by default). */
import type { Knobs } from './config.js';
import { fileTypeOf } from './names.js';
import type { Item, Store } from './store.js';

const KST_MS = 9 * 3600_000;

export function rfc3339(ms: number, precision: Knobs['timePrecision']): string {
  const iso = new Date(ms + KST_MS).toISOString();
  const base = precision === 'ms' ? iso.slice(0, 23) : iso.slice(0, 19);
  return base + '+09:00';
}

/** `paths`: a folder path memo for `Store.path`, shared by the items of one answer. */
export function fileObject(
  store: Store,
  item: Item,
  knobs: Knobs,
  paths?: Map<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { fileId: item.id };
  if (item.parent !== null) out.parentFileId = item.parent;
  Object.assign(out, {
    fileName: item.name,
    fileSize: item.folder ? 0 : item.size,
    filePath: store.path(item, paths),
    fileType: item.folder ? 'FOLDER' : fileTypeOf(item.name),
    createdTime: rfc3339(item.created, knobs.timePrecision),
    modifiedTime: rfc3339(item.modified, knobs.timePrecision),
    accessedTime: rfc3339(item.accessed, knobs.timePrecision),
    resourceLocation: 24101,
    hasPermission: true,
    shared: false,
    statuses: [],
  });
  return out;
}
