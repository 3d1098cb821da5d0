// The base as columns (base-table.ts), its snapshot in the journal (schema/003_base_snapshot.sql)
// and a side kept as its differences from the base (side-table.ts): each must read back exactly what
// was put in, and a snapshot must never outlive a change of the rows it copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { BaseTable } from '../../src/journal/base-table.js';
import { PART_ROWS, permutation } from '../../src/journal/base-snapshot.js';
import { Journal, type BaseRow } from '../../src/journal/index.js';
import { SideTable } from '../../src/journal/side-table.js';
import type { LocalEntry } from '../../src/scan/types.js';
import { localCodec } from '../../src/scan/local-codec.js';
import { tempDir } from '../helpers/tmp.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const row = (path: string, i: number, over: Partial<BaseRow> = {}): BaseRow => ({
  path,
  kind: 'file',
  localSize: i * 7,
  localMtimeMs: 1_764_000_000_123 + i,
  localIno: 9_007_199_254_000 + i,
  localSha256: sha(path),
  remoteKey: `key-${i}`,
  remoteUpdateMs: 1_764_000_000_000 + i * 1000,
  remoteSize: i * 7,
  remoteParentKey: i % 3 === 0 ? null : `parent-${i % 4}`,
  ...over,
});

const pair = (name: string) => ({
  name,
  localRoot: `/home/me/${name}`,
  driveSpec: 'me',
  remotePath: `/${name}`,
  remoteFolderKey: 'root-key',
  createdMs: 1,
});

function snapshotCount(dir: string): number {
  const db = new Database(join(dir, 'journal.db'), { readonly: true });
  const n = (db.prepare('SELECT count(*) AS n FROM base_snapshot').get() as { n: number }).n;
  db.close();
  return n;
}

const rowsOf = (t: ReadonlyMap<string, BaseRow>) =>
  [...t.values()].sort((a, b) => (a.path < b.path ? -1 : 1));

test('a base table reads back every row as put in: folders, no parent, odd or no sha256', () => {
  const rows = [
    row('a', 0, { kind: 'folder', localSize: 0, remoteSize: 0, localSha256: null }),
    row('a/b.txt', 1),
    row('a/c.txt', 2, { localSha256: 'not-hex' }),
    row('a/d.txt', 3, { localSha256: null, remoteParentKey: null }),
    row('é/ü.txt', 4, { localSha256: sha('x').toUpperCase() }),
  ];
  const t = BaseTable.of(rows);
  assert.equal(t.size, 5);
  assert.deepEqual([...t.values()], rows);
  assert.deepEqual(
    [...t.keys()],
    rows.map((r) => r.path),
  );
  assert.deepEqual(t.get('a/c.txt'), rows[2]);
  assert.equal(t.get('nope'), undefined);
  assert.equal(t.has('a/d.txt'), true);
  assert.equal(t.indexOf('a/b.txt'), 1);
  assert.equal(t.hasShaAt(2), true, 'an odd sha256 value is still a known one');
  assert.equal(t.hasShaAt(3), false);
  assert.deepEqual(new Map(t), new Map(rows.map((r) => [r.path, r])));
});

test('the journal stores a snapshot of a big base and reads the same rows from it', () => {
  const dir = tempDir('lwsync-snap-');
  const j = Journal.open(dir);
  j.putPair(pair('docs'));
  j.putPair(pair('other'));
  const rows = Array.from({ length: 50 }, (_, i) => row(`f/${i}.txt`, i));
  j.transaction(() => {
    for (const r of rows) j.putBase('docs', r);
    j.putBase('other', row('o.txt', 99));
  });
  const fromRows = j.baseTable('docs');
  assert.equal(fromRows.columns.source, 'rows');
  assert.deepEqual(rowsOf(fromRows), rowsOf(new Map(rows.map((r) => [r.path, r]))));
  const reversed = [...rows.keys()].reverse();
  assert.equal(
    j.keepBaseSnapshot('docs', fromRows.columns, reversed, { nowMs: 1_000_000, snapshotMinRows: 10 }),
    true,
  );
  const other = j.baseTable('other').columns;
  assert.equal(j.keepBaseSnapshot('other', other, [], { nowMs: 1_000_000, snapshotMinRows: 10 }), false);
  j.close();

  const db = new Database(join(dir, 'journal.db'), { readonly: true });
  const snap = db.prepare('SELECT pair, rows FROM base_snapshot').all();
  db.close();
  assert.deepEqual(snap, [{ pair: 'docs', rows: 50 }], 'written for the pair with enough rows only');
  assert.equal(snapshotCount(dir), 1);

  const r = Journal.openReadOnly(dir)!;
  const fromSnapshot = r.baseTable('docs');
  assert.equal(fromSnapshot.columns.source, 'snapshot');
  assert.deepEqual([...fromSnapshot.values()], [...fromRows.values()].reverse(), 'in the order kept');
  assert.deepEqual([...r.baseTable('other').values()], [row('o.txt', 99)]);
  r.close();
});

test('any change of a pair’s base rows drops its snapshot, and the next load sees the change', () => {
  const dir = tempDir('lwsync-snap-');
  const j = Journal.open(dir);
  j.putPair(pair('docs'));
  j.transaction(() => {
    for (let i = 0; i < 20; i++) j.putBase('docs', row(`d/${i}.txt`, i));
    j.putBase('docs', row('d', 100, { kind: 'folder', localSha256: null }));
  });
  let now = 0;
  const load = () => {
    const t = j.baseTable('docs');
    now += 11 * 60_000; // past the minimum time between two snapshot writes
    if (t.columns.source === 'rows')
      j.keepBaseSnapshot('docs', t.columns, [], { nowMs: now, snapshotMinRows: 1 });
    return t;
  };
  const count = () => snapshotCount(dir);
  load();
  assert.equal(count(), 1);

  const changes: [string, () => void, (t: BaseTable) => void][] = [
    [
      'put',
      () => j.putBase('docs', row('d/new.txt', 50)),
      (t) => assert.deepEqual(t.get('d/new.txt'), row('d/new.txt', 50)),
    ],
    [
      'replace',
      () => j.putBase('docs', row('d/1.txt', 1, { localSize: 12345 })),
      (t) => assert.equal(t.get('d/1.txt')?.localSize, 12345),
    ],
    ['delete', () => j.deleteBase('docs', 'd/2.txt'), (t) => assert.equal(t.has('d/2.txt'), false)],
    [
      'move',
      () => j.moveBaseTree('docs', 'd', 'e'),
      (t) => {
        assert.equal(t.has('d/3.txt'), false);
        assert.equal(t.get('e/3.txt')?.remoteKey, 'key-3');
      },
    ],
    ['delete tree', () => j.deleteBaseTree('docs', 'e'), (t) => assert.equal(t.size, 0)],
  ];
  for (const [what, change, check] of changes) {
    load(); // a snapshot of the rows as they are
    assert.equal(count(), 1);
    change();
    assert.equal(count(), 0, `${what} dropped the snapshot`);
    check(load());
  }
  j.close();
});

test('a snapshot is not written again within ten minutes of the last one, nor read-only', () => {
  const dir = tempDir('lwsync-snap-');
  const j = Journal.open(dir);
  j.putPair(pair('docs'));
  for (let i = 0; i < 5; i++) j.putBase('docs', row(`${i}`, i));
  const count = () => snapshotCount(dir);
  const keep = (nowMs: number) =>
    j.keepBaseSnapshot('docs', j.baseTable('docs').columns, [], { nowMs, snapshotMinRows: 1 });
  assert.equal(keep(1_000_000), true);
  assert.equal(count(), 1);
  j.putBase('docs', row('5', 5));
  assert.equal(keep(1_000_000 + 9 * 60_000), false);
  assert.equal(count(), 0, 'dropped by the change, not written again yet');
  assert.equal(j.baseTable('docs').size, 6);
  assert.equal(keep(1_000_000 + 10 * 60_000), true);
  assert.equal(count(), 1);
  j.close();
  const r = Journal.openReadOnly(dir)!;
  assert.equal(r.keepBaseSnapshot('docs', r.baseTable('docs').columns, [], { snapshotMinRows: 1 }), false);
  r.close();
});

test('a snapshot order takes the rows asked once each, then the others in their order', () => {
  assert.deepEqual([...permutation(5, [3, 0, 3, 9, -1])], [3, 0, 1, 2, 4]);
  assert.deepEqual([...permutation(3, [])], [0, 1, 2]);
});

test('a snapshot of several parts reads back every row, in the order kept', () => {
  const dir = tempDir('lwsync-snap-');
  const j = Journal.open(dir);
  j.putPair(pair('docs'));
  const n = PART_ROWS * 2 + 17;
  j.transaction(() => {
    for (let i = 0; i < n; i++) j.putBase('docs', row(`d${i % 50}/f${i}`, i));
  });
  const t = j.baseTable('docs');
  const order = [...t.keys()].map((_, i) => n - 1 - i);
  assert.equal(j.keepBaseSnapshot('docs', t.columns, order, { nowMs: 1 }), true);
  const db = new Database(join(dir, 'journal.db'), { readonly: true });
  const parts = db.prepare('SELECT part, rows FROM base_snapshot_part ORDER BY part').all();
  db.close();
  assert.deepEqual(parts, [
    { part: 0, rows: PART_ROWS },
    { part: 1, rows: PART_ROWS },
    { part: 2, rows: 17 },
  ]);
  const back = j.baseTable('docs');
  assert.equal(back.columns.source, 'snapshot');
  assert.deepEqual([...back.values()], [...t.values()].reverse());
  j.putBase('docs', row('d1/f1', 1, { localSize: 9 }));
  assert.equal(snapshotCount(dir), 0);
  const db2 = new Database(join(dir, 'journal.db'), { readonly: true });
  assert.equal((db2.prepare('SELECT count(*) AS n FROM base_snapshot_part').get() as { n: number }).n, 0);
  db2.close();
  j.close();
});

test('a side table answers as the Map filled the same way, whatever it keeps as objects', () => {
  const paths = ['a', 'a/x', 'a/y', 'b', 'c', 'c/z'];
  const base = BaseTable.of(
    paths.map((p, i) => ({
      ...row(p, i),
      ...(p.includes('/') ? {} : { kind: 'folder' as const, localSize: 0, remoteSize: 0, localSha256: null }),
    })),
  );
  const asBase = (i: number): LocalEntry => localCodec.fromBase(base, i);
  const entry = fc.oneof(
    // as its base row says (kept as the row's index)
    fc.nat({ max: paths.length - 1 }).map((i) => asBase(i)),
    // changed, or a path the base does not know
    fc
      .tuple(fc.constantFrom(...paths, 'new', 'a/new'), fc.nat({ max: 3 }))
      .map(([p, n]): LocalEntry => ({ path: p, kind: 'file', size: n, mtimeMs: n, ino: n })),
  );
  const op = fc.oneof(
    entry.map((e) => ({ set: e })),
    fc.constantFrom(...paths, 'new').map((p) => ({ del: p })),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
      const map = new Map<string, LocalEntry>();
      const side = new SideTable(base, localCodec);
      for (const o of ops) {
        if ('set' in o) {
          map.set(o.set.path, o.set);
          side.set(o.set);
        } else assert.equal(side.delete(o.del), map.delete(o.del));
      }
      assert.equal(side.size, map.size);
      assert.deepEqual([...side.entries()], [...map.entries()]);
      assert.deepEqual([...side.keys()], [...map.keys()]);
      for (const p of [...paths, 'new', 'a/new']) {
        assert.equal(side.has(p), map.has(p));
        assert.deepEqual(side.get(p), map.get(p));
      }
    }),
    { numRuns: 2_000 },
  );
});

test('entries equal to their base row are not kept as objects', () => {
  const base = BaseTable.of([row('a.txt', 1), row('b.txt', 2)]);
  const side = new SideTable(base, localCodec);
  side.set(localCodec.fromBase(base, 0));
  side.set({ ...localCodec.fromBase(base, 1), mtimeMs: 5 });
  assert.equal(side.ownCount, 1);
  side.set(localCodec.fromBase(base, 0), true);
  assert.equal(side.ownCount, 2, '`keep` stores the object the caller will change');
});
