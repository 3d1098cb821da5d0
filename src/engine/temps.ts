/**
 * Temporary download files are named in the journal before the first byte lands, so a run killed
 * mid-download (SIGKILL, power loss) leaves nothing behind after the next pass starts.
 */
import { relative, join } from 'node:path';
import type { Journal } from '../journal/index.js';
import { removeQuietly } from '../local/atomic.js';

const PREFIX = 'tmp:';

export function noteTemp(journal: Journal, pair: string, root: string, abs: string): void {
  journal.setMeta(pair, PREFIX + relative(root, abs), '1');
}

export function forgetTemp(journal: Journal, pair: string, root: string, abs: string): void {
  journal.deleteMeta(pair, PREFIX + relative(root, abs));
}

/** Removes the temporary files an interrupted run left in the pair's root. */
export function sweepTemps(journal: Journal, pair: string, root: string): number {
  const keys = journal.metaKeys(pair, PREFIX);
  for (const key of keys) {
    removeQuietly(join(root, key.slice(PREFIX.length)));
    journal.deleteMeta(pair, key);
  }
  return keys.length;
}
