/**
 * The API's File object (reference §3) and its conversion into the engine's RemoteEntry.
 * Raw JSON stops here: nothing past src/remote/ sees a WireFile.
 */
import { RemoteError } from './errors.js';
import type { RemoteEntry } from './types.js';

export interface WireFile {
  fileId: string;
  parentFileId?: string | null;
  fileName: string;
  fileSize?: number | string;
  filePath?: string;
  fileType?: string;
  modifiedTime?: string | number;
}

export interface WireList {
  files: WireFile[];
  nextCursor: string | null;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Any RFC 3339 date-time (fractions of any length, `Z` or an offset) → epoch ms; NaN if unreadable. */
export function parseRfc3339(value: string): number {
  const m = RFC3339.exec(value.trim());
  if (!m) return Date.parse(value);
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const ms = frac ? Number(`${frac}00`.slice(0, 3)) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (!z && sign) {
    const off = (Number(oh) * 60 + Number(om)) * 60_000;
    t -= sign === '+' ? off : -off;
  }
  return t;
}

/** Epoch ms → RFC 3339 UTC with milliseconds, as sent in `modifiedTime` (reference §5). */
export function toRfc3339(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

function bad(what: string): RemoteError {
  return new RemoteError('unknown', `unexpected answer from the Drive API: ${what}`);
}

/** Checks the fields the client relies on; throws RemoteError 'unknown' on a malformed File. */
export function readFile(v: unknown): WireFile {
  if (!v || typeof v !== 'object') throw bad('a File is not an object');
  const f = v as Record<string, unknown>;
  if (typeof f.fileId !== 'string' || f.fileId === '') throw bad('File without fileId');
  if (typeof f.fileName !== 'string') throw bad('File without fileName');
  return f as unknown as WireFile;
}

/** `{files, responseMetaData.nextCursor}`; an absent, null or "" cursor ends the list (§4). */
export function readList(v: unknown): WireList {
  if (!v || typeof v !== 'object') throw bad('a listing is not an object');
  const o = v as { files?: unknown; responseMetaData?: { nextCursor?: unknown } | null };
  const files = Array.isArray(o.files) ? o.files.map(readFile) : [];
  const c = o.responseMetaData?.nextCursor;
  return { files, nextCursor: typeof c === 'string' && c !== '' ? c : null };
}

/** Drive path of a File ("/a/b/") → "a/b": NFC, no leading or trailing slash. */
export function drivePath(file: WireFile): string {
  const p = (file.filePath ?? file.fileName).normalize('NFC');
  return p.replace(/^\/+/, '').replace(/\/+$/, '');
}

/**
 * File → RemoteEntry. `relPath` is the entry's path relative to the walk root; when omitted it is
 * the drive path (types.ts `path`).
 */
export function toEntry(file: WireFile, relPath?: string): RemoteEntry {
  const updateDate =
    typeof file.modifiedTime === 'number' ? file.modifiedTime : parseRfc3339(file.modifiedTime ?? '');
  if (Number.isNaN(updateDate)) throw bad(`File ${file.fileId} has an unreadable modifiedTime`);
  const kind = file.fileType === 'FOLDER' ? 'folder' : 'file';
  const size = Number(file.fileSize ?? 0);
  return {
    resourceKey: file.fileId,
    parentKey: file.parentFileId ? file.parentFileId : null,
    name: file.fileName,
    path: relPath ?? drivePath(file),
    kind,
    size: kind === 'folder' ? 0 : Number.isFinite(size) ? size : 0,
    updateDate,
  };
}

/** Joins a parent's relative path and a child's name (NFC, `/`-separated, no leading slash). */
export function childPath(parentRel: string, name: string): string {
  const n = name.normalize('NFC');
  return parentRel === '' ? n : `${parentRel}/${n}`;
}
