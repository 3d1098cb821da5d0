/**
 * The daemon learns from its own writes whether the Drive moves folder times with their contents
 * (src/engine/folder-times.ts; issue 10 "Beyond every anchor"), under each of the emulator's
 * `--folder-mtime` answers, and skips listing unchanged subtrees only where it saw 'ancestors'.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, type Pair } from '../e2e/harness.js';
import { runCli } from '../helpers/cli.js';
import { readLocal, running, waitUntil, type Daemon } from './helpers.js';

const POLL_SECONDS = 1;
const SYNC = `remote_poll_seconds = ${POLL_SECONDS}\nlocal_quiet_ms = 200`;
/** Folders a/0 … a/4, each with two levels below it. */
const BRANCHES = 5;

interface PollerReport {
  folderTimes: string;
  lastCycle: { listed: number; pruned: number; full: boolean } | null;
}

async function poller(p: Pair): Promise<PollerReport> {
  const r = await runCli(['status', '--config', p.configFile, '--json']);
  return (JSON.parse(r.stdout) as { pairs: { poller: PollerReport }[] }).pairs[0]!.poller;
}

/** Three writes into three folders, each with a parent inside the pair: three observations. */
async function learn(p: Pair, d: Daemon): Promise<void> {
  for (let i = 0; i < 3; i++) {
    appendFileSync(join(p.local, `a/${i}/x/file.txt`), ' edited');
    await waitUntil(
      async () => {
        const mark = (await poller(p)).folderTimes;
        return mark !== 'unknown' && d.output().split('folder times observed').length - 1 >= i + 1;
      },
      `observation ${i + 1}`,
      d,
    );
  }
}

async function tree(
  t: Parameters<typeof setupPair>[0],
  folderMtime: 'none' | 'parent' | 'ancestors',
): Promise<Pair> {
  const p = await setupPair(t, { sync: SYNC, knobs: { folderMtime } });
  for (let i = 0; i < BRANCHES; i++) p.write(`a/${i}/x/file.txt`, `file ${i}`);
  assert.equal((await p.once()).code, 0);
  // the folders' recorded times must be older than the writes that test them (whole seconds)
  await new Promise((r) => setTimeout(r, 2_100));
  return p;
}

for (const [knob, verdict] of [
  ['none', 'none'],
  ['parent', 'parent'],
] as const) {
  test(`with --folder-mtime ${knob} the daemon learns '${verdict}' and never skips a listing`, async (t) => {
    const p = await tree(t, knob);
    const d = await running(t, p, 'info');
    await learn(p, d);
    assert.equal((await poller(p)).folderTimes, verdict);
    await waitUntil(
      async () => {
        const c = (await poller(p)).lastCycle;
        return c !== null && c.listed >= 1 + 1 + BRANCHES * 2;
      },
      'a cycle that listed every folder',
      d,
      60_000,
    );
    assert.equal((await poller(p)).lastCycle?.pruned, 0);
    assert.equal((await d.stop()).code, 0);
  });
}

test('with --folder-mtime ancestors the daemon learns it, then skips unchanged subtrees and still sees a deep remote edit', async (t) => {
  const p = await tree(t, 'ancestors');
  const d = await running(t, p, 'info');
  await learn(p, d);
  assert.equal((await poller(p)).folderTimes, 'ancestors');
  await waitUntil(
    async () => {
      const c = (await poller(p)).lastCycle;
      return c !== null && !c.full && c.pruned > 0;
    },
    'a cycle that skipped unchanged subtrees',
    d,
    60_000,
  );
  await p.putRemote(`a/4/x/deep.txt`, 'made deep on the Drive');
  await waitUntil(
    () => readLocal(p, 'a/4/x/deep.txt') === 'made deep on the Drive',
    'the deep remote file locally',
    d,
    60_000,
  );
  assert.equal((await d.stop()).code, 0);
});
