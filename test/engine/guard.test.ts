/** The mass-delete guard's arithmetic (contracts.md §2 max_delete_percent / max_delete_count). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { massDeleteGuard } from '../../src/engine/guard.js';

const opts = { maxDeletePercent: 50, maxDeleteCount: 1000 };

test('the guard stops only above the share or the count, counting both sides', () => {
  const rows: [local: number, remote: number, tracked: number, stop: boolean][] = [
    [0, 0, 0, false],
    [5, 0, 10, false],
    [3, 3, 10, true],
    [0, 6, 10, true],
    [1, 0, 0, true],
    [600, 0, 2000, false],
    [600, 401, 100000, true],
  ];
  for (const [deletesLocal, deletesRemote, tracked, stop] of rows) {
    const v = massDeleteGuard({ deletesLocal, deletesRemote, tracked }, opts);
    assert.equal(v.stop, stop, `${deletesLocal}+${deletesRemote} of ${tracked}`);
    assert.equal(v.deletes, deletesLocal + deletesRemote);
    if (stop) assert.match(v.reason ?? '', /max_delete_(percent|count)/);
  }
});
