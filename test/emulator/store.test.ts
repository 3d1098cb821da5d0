import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, Store, type Item } from '../../src/emulator/store.js';

const DRIVES = ['user:user1@example.com', 'sharedrive:@1', 'group:g'];

/** The sum over the drive that `usage` stands for (what it ran on every call before). */
function summed(store: Store, drive: string): { used: number; trash: number } {
  return store.db
    .prepare(
      `SELECT COALESCE(SUM(CASE WHEN trashed = 0 THEN size END), 0) AS used,
              COALESCE(SUM(CASE WHEN trashed = 1 THEN size END), 0) AS trash FROM items WHERE drive = ? AND folder = 0`,
    )
    .get(drive) as { used: number; trash: number };
}

function check(store: Store, step: string): void {
  for (const d of DRIVES) assert.deepEqual(store.usage(d), summed(store, d), `${d} after ${step}`);
}

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the usage totals equal the sums over items through inserts, overwrites, trash, deletes, rollbacks, a reopen and a reset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-emu-store-'));
  const rand = rng(20240611);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  let store = new Store(dir);
  try {
    const live = (): Item[] => store.db.prepare('SELECT * FROM items WHERE trashed = 0').all() as Item[];
    const item = (drive: string, parent: string | null, folder: boolean): Item => {
      const name = newId('n');
      return {
        id: newId(),
        drive,
        parent,
        name,
        nkey: name.toLowerCase(),
        folder: folder ? 1 : 0,
        size: folder ? 0 : Math.floor(rand() * 10_000),
        created: 0,
        modified: 0,
        accessed: 0,
        blob: null,
        sha256: null,
        trashed: 0,
      };
    };
    for (let step = 0; step < 600; step++) {
      const r = rand();
      const items = live();
      let what: string;
      if (r < 0.4 || items.length === 0) {
        const parent =
          items.filter((i) => i.folder).length && rand() < 0.7 ? pick(items.filter((i) => i.folder)) : null;
        store.insert(item(parent?.drive ?? pick(DRIVES), parent?.id ?? null, rand() < 0.2));
        what = 'insert';
      } else if (r < 0.55) {
        store.update(pick(items).id, { size: Math.floor(rand() * 10_000), modified: step });
        what = 'overwrite';
      } else if (r < 0.7) {
        store.trash(pick(items).id);
        what = 'trash';
      } else if (r < 0.75) {
        store.db.prepare('DELETE FROM items WHERE trashed = 1 AND drive = ?').run(pick(DRIVES));
        what = 'emptying a trash';
      } else if (r < 0.8) {
        store.db.prepare('DELETE FROM items WHERE id = ?').run(pick(items).id);
        what = 'a delete';
      } else if (r < 0.85) {
        store.update(pick(items).id, { drive: pick(DRIVES) });
        what = 'a drive change';
      } else if (r < 0.95) {
        assert.throws(() =>
          store.db.transaction(() => {
            store.insert(item(pick(DRIVES), null, false));
            store.update(pick(items).id, { size: 123_456 });
            store.trash(pick(items).id);
            throw new Error('rolled back');
          })(),
        );
        what = 'a rolled-back transaction';
      } else {
        store.close();
        store = new Store(dir);
        what = 'a reopen';
      }
      check(store, `step ${step}: ${what}`);
    }
    assert.ok(
      DRIVES.every((d) => store.usage(d).used > 0 || store.usage(d).trash > 0),
      'every drive got bytes',
    );
    store.reset();
    check(store, 'reset');
    assert.deepEqual(store.usage(DRIVES[0] as string), { used: 0, trash: 0 });
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('path: from the root, with and without a folder memo, and when an ancestor is missing', () => {
  const store = new Store();
  try {
    const mk = (id: string, parent: string | null, name: string, folder = 1): void =>
      store.insert({
        id,
        drive: DRIVES[0] as string,
        parent,
        name,
        nkey: name.toLowerCase(),
        folder,
        size: 0,
        created: 0,
        modified: 0,
        accessed: 0,
        blob: null,
        sha256: null,
        trashed: 0,
      });
    mk('a', null, 'A');
    mk('b', 'a', 'B');
    mk('c', 'b', 'c.txt', 0);
    mk('d', 'gone', 'd.txt', 0);
    const memo = new Map<string, string>();
    const c = store.item('c') as Item;
    assert.equal(store.path(c), '/A/B/c.txt');
    assert.equal(store.path(c, memo), '/A/B/c.txt');
    assert.deepEqual(
      [...memo],
      [
        ['a', '/A'],
        ['b', '/A/B'],
      ],
    );
    assert.equal(store.path(store.item('b') as Item, memo), '/A/B');
    assert.equal(store.path(store.item('a') as Item, memo), '/A');
    assert.equal(store.path(store.item('d') as Item), '/d.txt', 'the walk stops at a missing ancestor');
  } finally {
    store.close();
  }
});
