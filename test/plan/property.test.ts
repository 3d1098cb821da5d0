import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BaseRow } from '../../src/journal/types.js';
import type { RemoteEntry } from '../../src/remote/types.js';
import type { LocalEntry } from '../../src/scan/types.js';
import { localState, remoteState } from '../../src/plan/index.js';
import { isAtOrUnder } from '../../src/scan/names.js';
import {
  editedLocal,
  editedRemote,
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

const side = fc.constantFrom('absent', 'same', 'changed');
const world = fc.record({
  states: fc.array(fc.record({ base: fc.boolean(), local: side, remote: side }), {
    minLength: UNIVERSE.length,
    maxLength: UNIVERSE.length,
  }),
  resync: fc.boolean(),
  localFailures: fc.subarray(['', 'd', 'd/s', 'e']),
  remoteFailures: fc.subarray(['', 'd', 'd/s', 'e']),
});

type State = { base: boolean; local: string; remote: string };

/** A scan or listing always holds the parents of what it holds: fill in missing parent folders. */
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

function build(raw: State[]) {
  const states = withParents(raw);
  const base: BaseRow[] = [];
  const local: LocalEntry[] = [];
  const remote: RemoteEntry[] = [];
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
  return { base, local, remote };
}

test('the plan never deletes a path whose content changed on the other side', () => {
  fc.assert(
    fc.property(world, ({ states, resync, localFailures, remoteFailures }) => {
      const w = build(states);
      const p = run({ ...w, localFailures, remoteFailures, options: { resync } });
      const baseByPath = new Map(w.base.map((b) => [b.path, b]));
      for (const a of p.actions) {
        if (a.kind === 'delete-remote') {
          const b = baseByPath.get(a.path);
          assert.ok(b, `delete-remote ${a.path} without a base`);
          assert.equal(
            remoteState(
              w.remote.find((r) => r.path === a.path),
              b,
            ),
            'same',
            `delete-remote ${a.path}`,
          );
          assert.ok(
            !remoteFailures.some((f) => isAtOrUnder(a.path, f)),
            `delete-remote under a failed listing`,
          );
          assert.ok(!resync);
        }
        if (a.kind === 'delete-local') {
          const b = baseByPath.get(a.path);
          assert.ok(b, `delete-local ${a.path} without a base`);
          const s = localState(
            w.local.find((l) => l.path === a.path),
            b,
          );
          assert.ok(s === 'same' || s === 'same-content', `delete-local ${a.path}`);
          assert.ok(!localFailures.some((f) => isAtOrUnder(a.path, f)), `delete-local under a failed scan`);
          assert.ok(!resync);
        }
      }
    }),
    { numRuns: 2000 },
  );
});

test('every created path has its parent present or created earlier in the plan', () => {
  fc.assert(
    fc.property(world, ({ states, resync }) => {
      const w = build(states);
      const p = run({ ...w, options: { resync } });
      const localHas = new Set(w.local.map((l) => l.path));
      const remoteHas = new Set(w.remote.map((r) => r.path));
      for (const a of p.actions) {
        const parent = a.path.includes('/') ? a.path.slice(0, a.path.lastIndexOf('/')) : '';
        if (a.kind === 'upload' || a.kind === 'mkdir-remote') {
          assert.ok(parent === '' || remoteHas.has(parent), `${a.kind} ${a.path} before its remote parent`);
          remoteHas.add(a.path);
        }
        if (a.kind === 'download' || a.kind === 'mkdir-local') {
          assert.ok(parent === '' || localHas.has(parent), `${a.kind} ${a.path} before its local parent`);
          localHas.add(a.path);
        }
        if (a.kind === 'delete-remote') remoteHas.delete(a.path);
        if (a.kind === 'delete-local') localHas.delete(a.path);
      }
    }),
    { numRuns: 2000 },
  );
});
