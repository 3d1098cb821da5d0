/**
 * `<name> (conflicted copy <host> <YYYY-MM-DD HHmmss>)<ext>` (design.md "Conflicts"). The time is
 * formatted in UTC so the name depends only on the inputs.
 */
import { baseName, parentOf, joinRel } from '../scan/names.js';

const two = (n: number) => String(n).padStart(2, '0');

export function conflictStamp(nowMs: number): string {
  const d = new Date(nowMs);
  return (
    `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`
  );
}

/** The conflicted-copy path for `path`; `taken` answers whether a candidate already exists. */
export function conflictPath(
  path: string,
  host: string,
  nowMs: number,
  taken: (p: string) => boolean,
): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const tag = `conflicted copy ${host} ${conflictStamp(nowMs)}`;
  for (let n = 1; ; n++) {
    const candidate = joinRel(parentOf(path), `${stem} (${tag}${n > 1 ? ` ${n}` : ''})${ext}`);
    if (!taken(candidate)) return candidate;
  }
}
