/**
 * Temporary folders for tests that have no TestContext at hand (issue 13: no test leaves anything in
 * the temp directory; test/run.mjs checks it). Each folder is removed when the test file's process
 * exits, whatever the outcome of its tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh folder `<tmpdir>/<prefix>XXXXXX`, removed at process exit. */
export function tempDir(prefix: string): string {
  if (made.length === 0) process.once('exit', removeAll);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
