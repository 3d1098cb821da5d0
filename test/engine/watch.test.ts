/**
 * The watcher in pieces (src/engine/watch.ts, watch-partition.ts): a tree split among several
 * chokidar watchers reports what a single one would, also after a piece's root is renamed,
 * removed or made again. Real folders, real inotify.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { watchPair, type WatchEventKind } from '../../src/engine/watch.js';
import { partitionTree } from '../../src/engine/watch-partition.js';
import { tempDir } from '../helpers/tmp.js';

/** top0…top{T-1}, each with sub0…sub{S-1}, each with F files. */
function buildTree(root: string, tops: number, subs: number, files: number): void {
  for (let t = 0; t < tops; t++)
    for (let s = 0; s < subs; s++) {
      const dir = join(root, `top${t}`, `sub${s}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < files; f++) writeFileSync(join(dir, `f${f}.txt`), `${t}/${s}/${f}`);
    }
}

/** Entries each piece's first walk looks at: its folders' entries, pieces beneath left out. */
function pieceWeights(root: string, pieces: string[]): Map<string, number> {
  const set = new Set(pieces);
  const out = new Map<string, number>();
  for (const piece of pieces) {
    let weight = 0;
    const stack = [piece];
    while (stack.length) {
      const rel = stack.pop()!;
      const ents = readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true });
      weight += ents.length;
      for (const e of ents) {
        const child = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory() && !set.has(child)) stack.push(child);
      }
    }
    out.set(piece, weight);
  }
  return out;
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a tree is cut into pieces no heavier than the limit, the root first', () => {
  const root = tempDir('lwsync-watch-');
  buildTree(root, 3, 4, 5);
  const pieces = partitionTree(root, () => false, 12);
  assert.equal(pieces[0], '');
  assert.ok(pieces.length > 3, `expected several pieces, got ${pieces.join(', ')}`);
  for (const [piece, weight] of pieceWeights(root, pieces))
    assert.ok(weight <= 12, `piece '${piece}' weighs ${weight}`);
  assert.deepEqual(
    partitionTree(root, () => false),
    [''],
  );
  // a skipped folder is in no piece
  assert.ok(!partitionTree(root, (rel) => rel === 'top1', 12).some((p) => p.startsWith('top1')));
});

test('a watcher in pieces reports edits, new folders, and pieces renamed, removed and made again', async (t) => {
  const root = tempDir('lwsync-watch-');
  buildTree(root, 2, 3, 3);
  const pieces = partitionTree(root, () => false, 6);
  const nested = pieces.find((p) => p.split('/').length === 2);
  assert.ok(nested, `expected a piece two levels down among ${pieces.join(', ')}`);

  const events: { kind: WatchEventKind; path: string }[] = [];
  let ready = false;
  const w = watchPair(
    { local: root, ignore: [] },
    {
      onEvent: (kind, path) => events.push({ kind, path }),
      onError: (err) => assert.fail(`watcher error: ${err.message}`),
      onReady: () => (ready = true),
    },
    { pieceWeight: 6 },
  );
  t.after(() => w.close());
  await until('ready', () => ready);
  const seen = (path: string): boolean => events.some((e) => e.path === path);

  writeFileSync(join(root, nested, 'f0.txt'), 'edited');
  await until(`an edit in piece ${nested}`, () => seen(`${nested}/f0.txt`));

  mkdirSync(join(root, nested, 'new'));
  await until('the new folder', () => seen(`${nested}/new`));
  writeFileSync(join(root, nested, 'new', 'n.txt'), 'n');
  await until('a file in the new folder', () => seen(`${nested}/new/n.txt`));

  const [top] = nested.split('/') as [string];
  const renamed = `${top}/renamed`;
  renameSync(join(root, nested), join(root, renamed));
  await until('the rename', () => seen(nested) && seen(renamed));
  const before = events.length;
  writeFileSync(join(root, renamed, 'f1.txt'), 'after the rename');
  await until('an edit in the renamed piece', () => seen(`${renamed}/f1.txt`));
  assert.deepEqual(
    events.slice(before).filter((e) => e.path.startsWith(`${nested}/`)),
    [],
    'the renamed piece is not reported under its old name',
  );

  // chokidar reads a changed folder at most once a second: a folder removed and made again
  // within that second stays unwatched (with one watcher as with pieces; the hourly rescan sees it)
  const other = pieces.find((p) => p.split('/').length === 2 && !p.startsWith(`${top}/`));
  assert.ok(other, `expected a piece two levels down outside ${top} among ${pieces.join(', ')}`);
  const mark = events.length;
  rmSync(join(root, other), { recursive: true });
  await until('the removal', () => events.slice(mark).some((e) => e.path === other));
  await new Promise((r) => setTimeout(r, 1500));
  mkdirSync(join(root, other));
  await until('the folder made again', () => events.slice(mark).filter((e) => e.path === other).length >= 2);
  writeFileSync(join(root, other, 'again.txt'), 'again');
  await until('a file in the folder made again', () => seen(`${other}/again.txt`));
});
