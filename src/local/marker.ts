/**
 * The pair's marker file (contracts.md §1): created in the local root on a pair's first run; every
 * later run stops (exit 3) when the root or the marker is missing. Never uploaded.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MARKER_NAME = '.lineworks-sync';

export type RootState = 'ok' | 'missing-root' | 'not-a-folder' | 'missing-marker';

export function checkRoot(root: string): RootState {
  if (!existsSync(root)) return 'missing-root';
  if (!statSync(root).isDirectory()) return 'not-a-folder';
  if (!existsSync(join(root, MARKER_NAME))) return 'missing-marker';
  return 'ok';
}

/** First run: creates the root if needed and writes the marker. */
export function createMarker(root: string, pairName: string): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, MARKER_NAME),
    `This folder is synced with LINE WORKS Drive by lineworks-sync (pair "${pairName}").\n` +
      'Do not delete this file: without it the sync stops, so that an unmounted or emptied folder is never read as "everything was deleted".\n',
  );
}
