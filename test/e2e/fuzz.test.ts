/**
 * Randomized end-to-end test (issue 11): rounds of random edits on both sides and random injected
 * faults, each followed by a real `--once` against the emulator. After each run:
 * - exit 0 only when both sides are equal;
 * - no version that an edit wrote is lost while it must be kept (fuzz-ops.ts `Versions`): it is on a
 *   side (maybe as a conflicted copy), in the pair's local trash or in the Drive's trash;
 * - no content appears that no side wrote;
 * - after an exit 0, a second run makes no write call (emulator request log).
 * Every few rounds, and at the end, fault-free runs must bring the sides to equal with exit 0.
 *
 * LWSYNC_FUZZ_SEED (default 11), LWSYNC_FUZZ_ROUNDS (default DEFAULT_ROUNDS) and LWSYNC_FUZZ_GROUP
 * (rounds per run, default 8) choose the run; a failure prints the command that replays it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha, setupPair, type Pair } from './harness.js';
import { Fuzz, Versions } from './fuzz-ops.js';
import { localTree, remoteTree } from './sides.js';

/** Rounds in `npm test`, sized to stay within about 90 s on the 2-core test machine. */
const DEFAULT_ROUNDS = 200;
const SEED = Number(process.env.LWSYNC_FUZZ_SEED ?? 11);
const ROUNDS = Number(process.env.LWSYNC_FUZZ_ROUNDS ?? DEFAULT_ROUNDS);
/** Rounds of edits (and their faults) per `--once`: the child process's start dominates a round. */
const GROUP = Number(process.env.LWSYNC_FUZZ_GROUP ?? 8);
/** Fault-free runs allowed to bring the sides back to equal. */
const SETTLE_RUNS = 3;
const WRITES = new Set(['upload-url', 'upload', 'createfolder', 'delete', 'copy', 'move', 'rename']);

function filesOf(tree: ReadonlyMap<string, string>): string[] {
  return [...tree.values()].filter((v) => v !== 'folder');
}

function localTrash(p: Pair): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else out.push(sha(readFileSync(abs)));
    }
  };
  const root = join(p.stateDir, 'trash');
  if (existsSync(root)) walk(root);
  return out;
}

async function driveTrash(p: Pair): Promise<string[]> {
  const res = await fetch(`${p.emu.urls.admin}/trash?drive=me`);
  const items = (await res.json()) as { sha256: string | null }[];
  return items.flatMap((i) => (i.sha256 ? [i.sha256] : []));
}

function diff(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of a)
    if (b.get(k) !== v) out.push(`${k}: local ${v.slice(0, 8)} remote ${b.get(k)?.slice(0, 8)}`);
  for (const [k, v] of b) if (!a.has(k)) out.push(`${k}: local - remote ${v.slice(0, 8)}`);
  return out;
}

test(`randomized edits and faults on both sides, ${ROUNDS} rounds from seed ${SEED}`, async (t) => {
  const p = await setupPair(t, {
    firstSync: true,
    sync: 'max_delete_percent = 100\nmax_delete_count = 1000000',
  });
  const versions = new Versions();
  const fuzz = new Fuzz(SEED, p, versions);
  const history: string[] = [];
  let round = 0;
  let lastOutput = '';
  const fail = (what: string): never => {
    const rounds = Math.min(round + 1, ROUNDS);
    const replay = `npm run build && LWSYNC_FUZZ_SEED=${SEED} LWSYNC_FUZZ_ROUNDS=${rounds} LWSYNC_FUZZ_GROUP=${GROUP} node test/run.mjs fuzz`;
    throw new Error(
      `${what}\n--- last rounds\n${history.slice(-40).join('\n')}\n--- last run's output\n${lastOutput.slice(-4000)}\n--- replay: ${replay}`,
    );
  };

  /** The checks after every run; returns the sides as they are. */
  const check = async (code: number | null, stderr: string) => {
    const local = localTree(p.local);
    const remote = await remoteTree(p);
    const unequal = diff(local, remote);
    if (code === 0 && unequal.length > 0)
      fail(`exit 0 while the sides differ:\n${unequal.join('\n')}\n--- stderr\n${stderr}`);
    if (code !== 0 && code !== 1 && code !== 75) fail(`unexpected exit ${code}\n${stderr}`);
    const live = [...filesOf(local), ...filesOf(remote)];
    for (const h of live) if (!versions.written.has(h)) fail(`content no side wrote: ${h}`);
    const somewhere = new Set([...live, ...localTrash(p), ...(await driveTrash(p))]);
    for (const h of versions.keep) if (!somewhere.has(h)) fail(`a version was lost: ${h}`);
    return { local, remote, equal: unequal.length === 0, unequal };
  };

  const once = async (label: string) => {
    const started = Date.now();
    const r = await p.once();
    const took = Date.now() - started;
    lastOutput = r.stdout + r.stderr;
    history.push(
      `  ${label}: exit ${r.code} in ${took} ms${r.code === 0 ? '' : ` ${r.stderr.trim().split('\n').at(-1)}`}`,
    );
    if (process.env.LWSYNC_FUZZ_VERBOSE) console.error(history.slice(-12).join('\n'));
    const sides = await check(r.code, r.stderr);
    if (r.code === 0) {
      versions.settled(filesOf(sides.local), filesOf(sides.remote));
      await p.clearRequests();
      const again = await p.once();
      const writes = (await p.requests()).filter((q) => WRITES.has(q.operation));
      if (again.code !== 0 || writes.length > 0)
        fail(
          `the run after an exit 0 exited ${again.code} with writes ${writes.map((w) => `${w.operation} ${w.path}`).join(', ')}\n${again.stderr}`,
        );
    }
    return r.code;
  };

  const settle = async () => {
    for (let i = 0; i < SETTLE_RUNS; i++) if ((await once('settle')) === 0) return;
    const unequal = diff(localTree(p.local), await remoteTree(p));
    fail(`${SETTLE_RUNS} fault-free runs did not bring the sides to equal:\n${unequal.join('\n')}`);
  };

  let failedInARow = 0;
  const faults: Record<string, unknown>[] = [];
  for (round = 0; round < ROUNDS; round++) {
    history.push(`round ${round}`);
    const shared = fuzz.chance(0.25) ? fuzz.pick([...localTree(p.local).keys()]) : undefined;
    for (let i = 1 + fuzz.int(3); i > 0; i--) history.push(`  ${fuzz.local(shared)}`);
    for (let i = fuzz.int(4); i > 0; i--) history.push(`  ${await fuzz.remote(shared)}`);
    const fault = fuzz.fault();
    if (fault) faults.push(fault);
    if ((round + 1) % GROUP !== 0 && round + 1 < ROUNDS) continue;
    for (const f of faults.splice(0)) {
      await p.fault(f);
      history.push(`  fault ${JSON.stringify(f)}`);
    }
    const code = await once('run');
    await fetch(`${p.emu.urls.admin}/faults`, { method: 'DELETE' });
    failedInARow = code === 0 ? 0 : failedInARow + 1;
    if (failedInARow >= 3) {
      await settle();
      failedInARow = 0;
    }
  }
  await settle();
  assert.ok(round === ROUNDS);
});
