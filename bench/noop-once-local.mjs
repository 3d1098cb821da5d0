// The local side of a no-op `--once`, alone, as its own process (bench/noop-once.ts times it next
// to `find`): the journal's base rows for the pair, read while the local scan (src/scan/scan.ts)
// walks the tree and compares against them — as src/engine/pass.ts runs them. No network, no
// planner, no writes.
// Usage (built tree): node bench/noop-once-local.mjs LOCAL_ROOT STATE_DIR PAIR_NAME
import { BaseTable } from '../dist/journal/base-table.js';
import { Journal } from '../dist/journal/index.js';
import { loadIgnore, scanLocal } from '../dist/scan/index.js';

const [root, stateDir, pair] = process.argv.slice(2);
if (!root || !stateDir || !pair) {
  console.error('usage: node bench/noop-once-local.mjs LOCAL_ROOT STATE_DIR PAIR_NAME');
  process.exit(2);
}
const journal = Journal.openReadOnly(stateDir);
if (!journal) {
  console.error(`no journal in ${stateDir}`);
  process.exit(2);
}
const base = Promise.resolve().then(() => BaseTable.inTurns(journal.baseColumns(pair)));
const scan = await scanLocal(root, { rules: loadIgnore(root, []), base });
journal.close();
console.log(
  JSON.stringify({
    base: (await base).size,
    entries: scan.entries.size,
    hashed: scan.hashed,
    walker: scan.walker,
  }),
);
