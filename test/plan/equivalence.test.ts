// The planner's fast paths (nothing to leave out, no rename, no name met twice, same | same) must
// not change a plan: on random worlds it plans exactly what the straightforward version did, also
// when its inputs are the journal's columnar tables (the base, and each side kept as its differences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BaseRow } from '../../src/journal/types.js';
import type { RemoteEntry } from '../../src/remote/types.js';
import type { LocalEntry } from '../../src/scan/types.js';
import { makeIgnore } from '../../src/scan/ignore.js';
import { plan, type PlanInput } from '../../src/plan/index.js';
import { coveredBy, selfAndAncestors } from '../../src/plan/paths.js';
import { referencePlan } from './reference.js';
import { tabled } from './tabled.js';

type Kind = 'file' | 'folder';

// names that clash by case (also after NFC), a name the Drive refuses, one that would leave the
// root, ignored ones (defaults and configured), and nesting for folder moves
const UNIVERSE: [string, Kind][] = [
  ['a', 'file'],
  ['A', 'file'],
  ['b', 'file'],
  ['ab', 'file'],
  ['Ab', 'file'],
  ['AB', 'file'],
  ['d', 'folder'],
  ['D', 'folder'],
  ['d/x', 'file'],
  ['D/x', 'file'],
  ['d/y', 'file'],
  ['d/s', 'folder'],
  ['d/s/z', 'file'],
  ['e', 'folder'],
  ['e/z', 'file'],
  ['E', 'file'],
  ['x~', 'file'],
  ['d/t.partial', 'file'],
  ['n:m', 'folder'],
  ['n:m/y', 'file'],
  ['n:m/p?q', 'folder'],
  ['..', 'folder'],
  ['../..', 'folder'],
  ['caf\u00e9', 'file'],
  ['CAF\u00c9', 'file'],
  ['\u00e9', 'file'],
  ['\u00c9', 'file'],
  ['e\u0301', 'file'],
];
const index = fc.nat({ max: UNIVERSE.length - 1 });

const world = fc.record({
  base: fc.uniqueArray(index),
  local: fc.uniqueArray(
    fc.record({
      i: index,
      // the inode of another path's base row: a local rename
      inoOf: fc.option(index, { freq: 3 }),
      meta: fc.constantFrom('same', 'same', 'changed', 'touched-same', 'touched-other'),
      flip: fc.nat({ max: 7 }).map((n) => n === 0),
    }),
    { selector: (x) => x.i },
  ),
  remote: fc.uniqueArray(
    fc.record({
      i: index,
      // the key of another path's base row: a remote rename
      keyOf: fc.option(index, { freq: 3 }),
      meta: fc.constantFrom('same', 'same', 'changed'),
      flip: fc.nat({ max: 7 }).map((n) => n === 0),
    }),
    { selector: (x) => x.i },
  ),
  localFailures: fc.subarray(['', 'd', 'D', 'e']),
  remoteFailures: fc.subarray(['', 'd', 'D', 'e']),
  ignore: fc.subarray(['e/', 'b']),
  resync: fc.boolean(),
  ci: fc.boolean(),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

const flipped = (k: Kind, flip: boolean): Kind => (flip ? (k === 'file' ? 'folder' : 'file') : k);

function build(w: World): PlanInput {
  const base = new Map<string, BaseRow>();
  for (const j of w.base) {
    const [path, kind] = UNIVERSE[j]!;
    const size = kind === 'file' ? 10 : 0;
    base.set(path, {
      path,
      kind,
      localSize: size,
      localMtimeMs: 1_000,
      localIno: 100 + j,
      localSha256: kind === 'file' ? `sha${j}` : null,
      remoteKey: `k${j}`,
      remoteUpdateMs: 2_000,
      remoteSize: size,
      remoteParentKey: null,
    });
  }
  const local = new Map<string, LocalEntry>();
  for (const l of w.local) {
    const [path, k] = UNIVERSE[l.i]!;
    const kind = flipped(k, l.flip);
    const from = l.inoOf ?? l.i;
    const entry: LocalEntry = {
      path,
      kind,
      size: kind === 'folder' ? 0 : l.meta === 'changed' ? 15 : 10,
      mtimeMs: l.meta === 'same' ? 1_000 : l.meta === 'changed' ? 7_000 : 9_999,
      ino: l.inoOf === null ? 500 + l.i : 100 + l.inoOf,
    };
    if (l.meta === 'touched-same') entry.sha256 = `sha${from}`;
    if (l.meta === 'touched-other') entry.sha256 = 'other';
    local.set(path, entry);
  }
  const remote = new Map<string, RemoteEntry>();
  for (const r of w.remote) {
    const [path, k] = UNIVERSE[r.i]!;
    const kind = flipped(k, r.flip);
    remote.set(path, {
      resourceKey: r.keyOf === null ? `new${r.i}` : `k${r.keyOf}`,
      parentKey: null,
      name: path.slice(path.lastIndexOf('/') + 1),
      path,
      kind,
      size: kind === 'folder' ? 0 : r.meta === 'changed' ? 15 : 10,
      updateDate: r.meta === 'changed' ? 8_000 : 2_000,
    });
  }
  return {
    base,
    local,
    remote,
    localFailures: w.localFailures,
    remoteFailures: w.remoteFailures,
    rules: makeIgnore(w.ignore),
    options: { resync: w.resync, caseInsensitiveRemote: w.ci, host: 'box', nowMs: 0 },
  };
}

test('the planner plans what the planner without fast paths planned, on random worlds', () => {
  fc.assert(
    fc.property(world, (w) => {
      const input = build(w);
      const expected = referencePlan(input);
      assert.deepEqual(plan(input), expected);
      assert.deepEqual(plan(tabled(input)), expected);
    }),
    { numRuns: 5_000 },
  );
});

test('a synced tree with a few changes and renames plans as without fast paths', () => {
  // many items on every side: the fast paths skip most of them, the reference looks at all
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: 199 }), fc.constantFrom('edit', 'delete', 'rename', 'case')), {
        maxLength: 6,
      }),
      fc.boolean(),
      (changes, ci) => {
        const w: World = {
          base: [],
          local: [],
          remote: [],
          localFailures: [],
          remoteFailures: [],
          ignore: [],
          resync: false,
          ci,
        };
        const input = build(w);
        const base = input.base as Map<string, BaseRow>;
        const local = input.local as Map<string, LocalEntry>;
        const remote = input.remote as Map<string, RemoteEntry>;
        for (let i = 0; i < 200; i++) {
          const path = i < 20 ? `f${i}` : `f${i % 20}/g${i}`;
          const kind: Kind = i < 20 ? 'folder' : 'file';
          const size = kind === 'file' ? i : 0;
          base.set(path, {
            path,
            kind,
            localSize: size,
            localMtimeMs: 1,
            localIno: i,
            localSha256: null,
            remoteKey: `k${i}`,
            remoteUpdateMs: 2,
            remoteSize: size,
            remoteParentKey: null,
          });
          local.set(path, { path, kind, size, mtimeMs: 1, ino: i });
          remote.set(path, {
            resourceKey: `k${i}`,
            parentKey: null,
            name: path.slice(path.lastIndexOf('/') + 1),
            path,
            kind,
            size,
            updateDate: 2,
          });
        }
        const paths = [...base.keys()];
        for (const [i, what] of changes) {
          const path = paths[i]!;
          const l = local.get(path);
          const r = remote.get(path);
          if (!l || !r) continue;
          if (what === 'edit') local.set(path, { ...l, size: l.size + 1, mtimeMs: 5 });
          if (what === 'delete') remote.delete(path);
          if (what === 'rename') {
            local.delete(path);
            local.set(`${path}-renamed`, { ...l, path: `${path}-renamed` });
          }
          if (what === 'case') {
            remote.delete(path);
            remote.set(path.toUpperCase(), { ...r, path: path.toUpperCase(), name: path.toUpperCase() });
          }
        }
        const expected = referencePlan(input);
        assert.deepEqual(plan(input), expected);
        assert.deepEqual(plan(tabled(input)), expected);
      },
    ),
    { numRuns: 1_000 },
  );
});

test('a local rename onto a case variant of another remote item is not a move, as without fast paths', () => {
  // ab renamed locally to Ab while the remote holds ab and another item AB
  const at = (path: string) => UNIVERSE.findIndex(([p]) => p === path);
  const input = build({
    base: [at('ab')],
    local: [{ i: at('Ab'), inoOf: at('ab'), meta: 'same', flip: false }],
    remote: [
      { i: at('AB'), keyOf: null, meta: 'same', flip: false },
      { i: at('ab'), keyOf: at('ab'), meta: 'same', flip: false },
    ],
    localFailures: [],
    remoteFailures: [],
    ignore: [],
    resync: false,
    ci: true,
  });
  const p = plan(input);
  assert.deepEqual(p, referencePlan(input));
  assert.ok(!p.actions.some((a) => a.kind === 'move-remote'));
});

test('coveredBy answers as the walk up the ancestors does, for few roots and for many', () => {
  const segment = fc.constantFrom('a', 'b', 'ab', '', '.');
  const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((xs) => xs.join('/'));
  fc.assert(
    fc.property(path, fc.uniqueArray(path, { maxLength: 20 }), (p, roots) => {
      const set = new Set(roots);
      const walked = set.has('') || [...selfAndAncestors(p)].some((x) => set.has(x));
      assert.equal(coveredBy(p, set), walked, `${p} in ${roots.join(' ')}`);
    }),
    { numRuns: 20_000 },
  );
});
