/**
 * A listed remote entry as its base row says it (side-table.ts): same kind, fileId, parent,
 * modifiedTime and size, and a name that is its path's last segment (already NFC). Such an entry is
 * rebuilt from the row instead of kept.
 */
import type { BaseTable } from '../journal/base-table.js';
import type { SideCodec } from '../journal/side-table.js';
import type { RemoteEntry } from '../remote/types.js';
import { baseName } from '../scan/names.js';

export const remoteCodec: SideCodec<RemoteEntry> = {
  matches: (base, i, e) =>
    (e.kind === 'folder') === base.isFolderAt(i) &&
    e.resourceKey === base.remoteKeyAt(i) &&
    e.parentKey === base.parentKeyAt(i) &&
    e.updateDate === base.remoteUpdateAt(i) &&
    e.size === base.remoteSizeAt(i) &&
    e.name === baseName(e.path),
  fromBase: (base: BaseTable, i: number): RemoteEntry => {
    const path = base.pathAt(i);
    return {
      resourceKey: base.remoteKeyAt(i),
      parentKey: base.parentKeyAt(i),
      name: baseName(path),
      path,
      kind: base.isFolderAt(i) ? 'folder' : 'file',
      size: base.remoteSizeAt(i),
      updateDate: base.remoteUpdateAt(i),
    };
  },
};
