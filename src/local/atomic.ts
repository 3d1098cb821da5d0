/**
 * Downloads land under a temporary name in the target's folder and are renamed into place only
 * when complete, fsynced, and the target did not change meanwhile (design.md "Safety guards";
 * incidents.md rclone #7332).
 */
import { closeSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, utimesSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Prefix of every temporary file the product writes in a sync root; the scan ignores it. */
export const TEMP_PREFIX = '.lwsync-tmp-';

export function tempPathFor(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${randomBytes(4).toString('hex')}-${basename(target)}`);
}

/** What the target looked like when the plan was made; null = it did not exist. */
export interface ExpectedTarget {
  size: number;
  mtimeMs: number;
  ino: number;
}

export class TargetChangedError extends Error {
  override readonly name = 'TargetChangedError';
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function statOrNull(path: string): ExpectedTarget | null {
  try {
    const s = lstatSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** True when the path now looks as `expected` says (null = absent). */
export function unchanged(path: string, expected: ExpectedTarget | null): boolean {
  const now = statOrNull(path);
  if (now === null || expected === null) return now === expected;
  return (
    now.size === expected.size &&
    Math.trunc(now.mtimeMs) === Math.trunc(expected.mtimeMs) &&
    now.ino === expected.ino
  );
}

/**
 * Renames `tmp` onto `target` after fsync, giving it `mtimeMs`, unless the target changed since
 * `expected` was taken; then the temporary file is removed and TargetChangedError thrown.
 */
export function placeAtomically(
  tmp: string,
  target: string,
  expected: ExpectedTarget | null,
  mtimeMs?: number,
): void {
  if (mtimeMs !== undefined) utimesSync(tmp, new Date(), new Date(mtimeMs));
  fsyncPath(tmp);
  if (!unchanged(target, expected)) {
    unlinkSync(tmp);
    throw new TargetChangedError(`${target} changed while it was being downloaded; kept as it is`);
  }
  renameSync(tmp, target);
  fsyncPath(dirname(target));
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
