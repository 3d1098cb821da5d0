/**
 * Name rules (lineworks-drive-api.md §4): 1–200 characters after NFC; no `/`, `\`, control
 * characters, names of only dots, or `: * ? " < > |`. Folder comparison on the Drive is
 * case-insensitive by default, so two local names differing only in case must never meet there.
 */

export const MAX_NAME_CHARS = 200;

export function nfc(s: string): string {
  return s.normalize('NFC');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const FORBIDDEN = /[:*?"<>|]/;

/** What `[...s].length` counts (a surrogate pair is one code point), without the array. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i + 1 < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Why the Drive would refuse this name, or null when it accepts it. */
export function remoteNameProblem(name: string): string | null {
  const n = nfc(name);
  if (n.length === 0) return 'empty name';
  // characters are code points; a string of at most MAX_NAME_CHARS units has no more of them
  if (n.length > MAX_NAME_CHARS && codePoints(n) > MAX_NAME_CHARS)
    return `name longer than ${MAX_NAME_CHARS} characters`;
  if (n.includes('/') || n.includes('\\')) return 'name contains / or \\';
  if (CONTROL.test(n)) return 'name contains a control character';
  if (/^\.+$/.test(n)) return 'name is only dots';
  const bad = FORBIDDEN.exec(n);
  if (bad) return `name contains the character ${bad[0]}`;
  return null;
}

/**
 * A name from the remote that would leave the local root or cannot be a single path segment
 * (`.`, `..`, empty, separators, NUL). Such entries are refused, never written locally.
 */
export function unsafeRemoteName(name: string): string | null {
  if (name === '') return 'empty name';
  if (name === '.' || name === '..') return `name is ${name}`;
  if (name.includes('/') || name.includes('\\')) return 'name contains a path separator';
  if (name.includes('\0')) return 'name contains NUL';
  return null;
}

/** The key two names share when a case-insensitive folder would treat them as one. */
export function caseKey(pathOrName: string): string {
  return nfc(pathOrName).toLowerCase();
}

/** Joins relative path segments with '/'. */
export function joinRel(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `path` is `ancestor` or lies under it ('' is the root and contains everything). */
export function isAtOrUnder(path: string, ancestor: string): boolean {
  return ancestor === '' || path === ancestor || path.startsWith(`${ancestor}/`);
}
