// Property tests of one-way pairs (issue 14, src/plan/direction.ts): random worlds, renames on
// either side included; the side a pair does not follow is never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BaseRow } from '../../src/journal/types.js';
import type { Action, ActionKind, Direction } from '../../src/plan/index.js';
import type { RemoteEntry } from '../../src/remote/types.js';
import { isAtOrUnder } from '../../src/scan/names.js';
import type { LocalEntry } from '../../src/scan/types.js';
import {
  editedLocal,
  editedRemote,
  line,
  localFile,
  localFolder,
  remoteFile,
  remoteFolder,
  run,
  synced,
} from './fixtures.js';

const UNIVERSE: [string, 'file' | 'folder'][] = [
  ['a', 'file'],
  ['b', 'file'],
  ['d', 'folder'],
  ['d/x', 'file'],
  ['d/s', 'folder'],
  ['d/s/y', 'file'],
  ['e', 'folder'],
  ['e/z', 'file'],
];
/** Renames: a tracked item (index into UNIVERSE) gets a new name on one side. */
const RENAMES: [number, string][] = [
  [0, 'c'],
  [2, 'f'],
  [3, 'e/x2'],
  [6, 'g'],
];

const WRITES_DRIVE: ReadonlySet<ActionKind> = new Set([
  'upload',
  'mkdir-remote',
  'delete-remote',
  'move-remote',
  'conflict',
  'replace-remote',
]);
const WRITES_LOCAL: ReadonlySet<ActionKind> = new Set([
  'download',
  'mkdir-local',
  'delete-local',
  'move-local',
  'conflict',
  'replace-local',
]);

const side = fc.constantFrom('absent', 'same', 'changed');
const world = fc.record({
  states: fc.array(fc.record({ base: fc.boolean(), local: side, remote: side }), {
    minLength: UNIVERSE.length,
    maxLength: UNIVERSE.length,
  }),
  localRename: fc.option(fc.integer({ min: 0, max: RENAMES.length - 1 })),
  remoteRename: fc.option(fc.integer({ min: 0, max: RENAMES.length - 1 })),
  resync: fc.boolean(),
  cleanup: fc.boolean(),
  localFailures: fc.subarray(['d', 'd/s', 'e']),
  remoteFailures: fc.subarray(['d', 'd/s', 'e']),
});

type State = { base: boolean; local: string; remote: string };
type World = fc.Arbitrary<typeof world extends fc.Arbitrary<infer T> ? T : never>;
type Drawn = World extends fc.Arbitrary<infer T> ? T : never;

/** A scan or listing always holds the parents of what it holds. */
function withParents(states: State[]): State[] {
  const out = states.map((s) => ({ ...s }));
  const index = new Map(UNIVERSE.map(([p], i) => [p, i]));
  for (let i = UNIVERSE.length - 1; i >= 0; i--) {
    const path = UNIVERSE[i]![0];
    const parent = index.get(path.slice(0, Math.max(0, path.lastIndexOf('/'))));
    if (parent === undefined) continue;
    for (const k of ['local', 'remote'] as const)
      if (out[i]![k] !== 'absent' && out[parent]![k] === 'absent') out[parent]![k] = 'same';
  }
  return out;
}

/** Moves what lies at or under `from` to `to` in a side's list (parents of `to` must exist). */
function rename<T extends { path: string }>(items: T[], from: string, to: string): T[] {
  if (!items.some((i) => i.path === from) || items.some((i) => isAtOrUnder(i.path, to))) return items;
  const parent = to.includes('/') ? to.slice(0, to.lastIndexOf('/')) : '';
  if (parent !== '' && !items.some((i) => i.path === parent)) return items;
  return items.map((i) => (isAtOrUnder(i.path, from) ? { ...i, path: to + i.path.slice(from.length) } : i));
}

function build(d: Drawn) {
  const states = withParents(d.states);
  const base: BaseRow[] = [];
  let local: LocalEntry[] = [];
  let remote: RemoteEntry[] = [];
  UNIVERSE.forEach(([path, kind], i) => {
    const st = states[i]!;
    const s = synced(path, kind);
    if (st.base) base.push(s.base);
    if (st.local !== 'absent') {
      if (!st.base) local.push(kind === 'file' ? localFile(path, 3) : localFolder(path));
      else local.push(st.local === 'changed' && kind === 'file' ? editedLocal(s) : s.local);
    }
    if (st.remote !== 'absent') {
      if (!st.base) remote.push(kind === 'file' ? remoteFile(path, 4) : remoteFolder(path));
      else remote.push(st.remote === 'changed' && kind === 'file' ? editedRemote(s) : s.remote);
    }
  });
  if (d.localRename !== null) {
    const [i, to] = RENAMES[d.localRename]!;
    if (states[i]!.base) local = rename(local, UNIVERSE[i]![0], to);
  }
  if (d.remoteRename !== null) {
    const [i, to] = RENAMES[d.remoteRename]!;
    if (states[i]!.base) remote = rename(remote, UNIVERSE[i]![0], to);
  }
  return { base, local, remote };
}

function planOf(d: Drawn, direction: Direction) {
  const w = build(d);
  const options = {
    resync: d.resync,
    direction,
    cleanupLocal: direction === 'download' && d.cleanup,
    cleanupRemote: direction === 'upload' && d.cleanup,
  };
  const p = run({ ...w, localFailures: d.localFailures, remoteFailures: d.remoteFailures, options });
  return { w, p };
}

const show = (actions: readonly Action[]) => actions.map(line).join('\n');

test('download: no action writes to the Drive', () => {
  fc.assert(
    fc.property(world, (d) => {
      const { p } = planOf(d, 'download');
      for (const a of p.actions) assert.ok(!WRITES_DRIVE.has(a.kind), `${line(a)} in\n${show(p.actions)}`);
      assert.equal(p.summary.deletesRemote, 0);
    }),
    { numRuns: 3000 },
  );
});

test('upload: no action changes the local folder', () => {
  fc.assert(
    fc.property(world, (d) => {
      const { p } = planOf(d, 'upload');
      for (const a of p.actions) assert.ok(!WRITES_LOCAL.has(a.kind), `${line(a)} in\n${show(p.actions)}`);
      assert.equal(p.summary.deletesLocal, 0);
    }),
    { numRuns: 3000 },
  );
});

test('without cleanup, an item the journal never tracked is never deleted; under --resync nothing is', () => {
  fc.assert(
    fc.property(world, fc.constantFrom<Direction>('download', 'upload'), (d, direction) => {
      const { w, p } = planOf({ ...d, cleanup: false }, direction);
      const tracked = new Set(w.base.map((b) => b.path));
      // a followed move takes the base rows under it along
      for (const a of p.actions)
        if (a.kind === 'move-local' || a.kind === 'move-remote')
          for (const t of [...tracked])
            if (isAtOrUnder(t, a.from)) tracked.add(a.path + t.slice(a.from.length));
      for (const a of p.actions) {
        if (a.kind !== 'delete-local' && a.kind !== 'delete-remote' && !a.kind.startsWith('replace'))
          continue;
        assert.ok(!d.resync || a.kind.startsWith('replace'), `${line(a)} under --resync`);
        if (a.kind.startsWith('delete') && !('replaced' in a && a.replaced))
          assert.ok(tracked.has(a.path), `${line(a)}: untracked\n${show(p.actions)}`);
      }
    }),
    { numRuns: 3000 },
  );
});

test('an item on the other side only is reported where it is left alone', () => {
  fc.assert(
    fc.property(world, fc.constantFrom<Direction>('download', 'upload'), (d, direction) => {
      const run = {
        ...d,
        cleanup: false,
        localRename: null,
        remoteRename: null,
        localFailures: [],
        remoteFailures: [],
      };
      const { w, p } = planOf(run, direction);
      const tracked = new Set(w.base.map((b) => b.path));
      const [mine, theirs] = direction === 'download' ? [w.local, w.remote] : [w.remote, w.local];
      const reason = direction === 'download' ? 'local-only' : 'remote-only';
      const reported = p.summary.skipped.filter((s) => s.reason === reason).map((s) => s.path);
      for (const item of mine) {
        if (tracked.has(item.path) || theirs.some((t) => t.path === item.path)) continue;
        assert.ok(
          reported.some((r) => isAtOrUnder(item.path, r)),
          `${item.path} not reported (${reported.join(', ')})\n${show(p.actions)}`,
        );
      }
    }),
    { numRuns: 2000 },
  );
});
