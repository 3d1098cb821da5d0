/**
 * A scanned local entry as its base row says it (side-table.ts): same kind, size, mtime and inode,
 * a NFC name on disk and no hash taken. Such an entry is rebuilt from the row instead of kept.
 */
import type { BaseTable } from '../journal/base-table.js';
import type { SideCodec } from '../journal/side-table.js';
import type { LocalEntry } from './types.js';

export const localCodec: SideCodec<LocalEntry> = {
  matches: (base, i, e) =>
    e.diskPath === undefined &&
    e.sha256 === undefined &&
    (e.kind === 'folder') === base.isFolderAt(i) &&
    e.size === base.localSizeAt(i) &&
    e.mtimeMs === base.localMtimeAt(i) &&
    e.ino === base.localInoAt(i),
  fromBase: (base: BaseTable, i: number): LocalEntry => ({
    path: base.pathAt(i),
    kind: base.isFolderAt(i) ? 'folder' : 'file',
    size: base.localSizeAt(i),
    mtimeMs: base.localMtimeAt(i),
    ino: base.localInoAt(i),
  }),
};
