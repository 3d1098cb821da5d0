/**
 * The ignored folders of a pair's last find walk, kept in the journal so the next walk does not
 * walk into them (scan/walk-find.ts `prune`). Only a hint: each is checked against the ignore rules
 * of the walk that uses it, and a wrong or missing list only makes find walk more.
 */
import type { Journal } from '../journal/index.js';

const META = 'find_prune';
/** At most this many folders (find gets one argument pair per folder). */
const MAX_FOLDERS = 500;

export function readFindPrune(journal: Journal, pair: string): string[] {
  try {
    const v: unknown = JSON.parse(journal.getMeta(pair, META) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function keepFindPrune(journal: Journal, pair: string, folders: readonly string[]): void {
  const value = JSON.stringify([...new Set(folders)].slice(0, MAX_FOLDERS));
  if (value !== (journal.getMeta(pair, META) ?? '[]')) journal.setMeta(pair, META, value);
}
