/** One dry-run line per action (contracts.md §1); `record` and `forget` are journal-only and print nothing. */
import type { Action } from './types.js';

export function formatAction(a: Action): string | null {
  switch (a.kind) {
    case 'move-remote':
    case 'move-local':
      return `${a.kind} ${a.from} -> ${a.path}`;
    case 'record':
    case 'forget':
      return null;
    default:
      return `${a.kind} ${a.path}`;
  }
}
