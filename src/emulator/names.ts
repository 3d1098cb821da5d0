/** Name rules of reference §4 **[chosen]**: NFC, 1–200 characters, no separators/controls/`:*?"<>|`, not only dots. */
export const MAX_NAME = 200;

export function checkName(raw: unknown): { name: string } | { error: string } {
  if (typeof raw !== 'string') return { error: 'fileName must be a string' };
  const name = raw.normalize('NFC');
  const len = [...name].length;
  if (len < 1 || len > MAX_NAME) return { error: `fileName must be 1-${MAX_NAME} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\:*?"<>|]/.test(name))
    return { error: 'fileName contains a forbidden character' };
  if (/^\.+$/.test(name)) return { error: 'fileName must not be only dots' };
  return { name };
}

/** The key two names clash on inside one folder (case-insensitive unless `caseSensitive`). */
export function nameKey(name: string, caseSensitive: boolean): string {
  const n = name.normalize('NFC');
  return caseSensitive ? n : n.toLowerCase();
}

export function extensionOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(i + 1).toLowerCase() : '';
}

/** `name (n).ext` for suffixOnDuplicate (reference §5). */
export function suffixed(name: string, n: number): string {
  const i = name.lastIndexOf('.');
  if (i <= 0) return `${name} (${n})`;
  return `${name.slice(0, i)} (${n})${name.slice(i)}`;
}

const TYPES: Record<string, string[]> = {
  AUDIO: ['mp3', 'wav', 'aac', 'flac', 'm4a', 'ogg', 'wma', 'mid', 'midi'],
  DOC: [
    'txt',
    'md',
    'pdf',
    'doc',
    'docx',
    'xls',
    'xlsx',
    'ppt',
    'pptx',
    'hwp',
    'csv',
    'rtf',
    'odt',
    'ods',
    'odp',
    'key',
    'pages',
    'numbers',
  ],
  EXE: ['exe', 'msi', 'bat', 'com', 'cmd', 'apk', 'dmg'],
  IMAGE: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'webp', 'heic', 'svg', 'ico'],
  VIDEO: ['mp4', 'mov', 'avi', 'mkv', 'wmv', 'flv', 'webm', 'm4v', 'mpg', 'mpeg'],
  ZIP: ['zip', 'rar', '7z', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'alz', 'egg'],
};

/** `fileType` by extension (reference §3). */
export function fileTypeOf(name: string): string {
  const ext = extensionOf(name);
  for (const [t, list] of Object.entries(TYPES)) if (list.includes(ext)) return t;
  return 'ETC';
}
