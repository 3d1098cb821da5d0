/**
 * The daemon's full local rescan (design.md "A periodic full local rescan and a daily unpruned
 * remote cycle are the safety nets"): the whole tree walked as `--once` walks it, compared with the
 * base, and every path that differs handed to a job. Also what a restarted daemon does first, so
 * that what changed while it was down is served before any remote walk.
 */
import { existsSync } from 'node:fs';
import type { PairConfig } from '../config/types.js';
import type { Journal } from '../journal/index.js';
import { loadIgnore, scanLocal } from '../scan/index.js';
import { readFindPrune } from './find-prune.js';

/** Paths whose local side is not what the base says ('' alone: the root cannot be read). */
export async function localChanges(journal: Journal, pair: PairConfig): Promise<string[]> {
  if (!existsSync(pair.local)) return [''];
  const base = journal.baseTable(pair.name);
  const scan = await scanLocal(pair.local, {
    rules: loadIgnore(pair.local, pair.ignore),
    base,
    findPrune: readFindPrune(journal, pair.name),
  });
  if (scan.failures.some((f) => f.path === '')) return [''];
  const out = new Set<string>(scan.entries.ownPaths());
  for (const f of scan.failures) out.add(f.path);
  for (let i = 0; i < base.size; i++) {
    const p = base.pathAt(i);
    if (!scan.entries.has(p)) out.add(p);
  }
  return [...out];
}
