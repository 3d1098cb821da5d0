export { Journal, JOURNAL_FILE, type PairCheck } from './journal.js';
export { JournalLockedError, LOCK_NAME } from './lock.js';
export type * from './types.js';
export { toBaseRow, type LocalFacts } from './base-row.js';
