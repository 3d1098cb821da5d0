/**
 * The daemon within the API budget (issue 10; design.md "The daemon: jobs within the budget"): the
 * emulator at its documented 240 calls per minute per operation, the client at its default pacing,
 * a tree of many folders. Counts come from the emulator's request log, not from timing.
 *
 * The tree has LWSYNC_DAEMON_FOLDERS folders and LWSYNC_DAEMON_EDITS local edits are made, one a
 * second (defaults 40 and 8 in `npm test`; the size, a minute of edits on 300 folders:
 * `LWSYNC_DAEMON_FOLDERS=300 LWSYNC_DAEMON_EDITS=60 node test/run.mjs daemon/budget`).
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, sha, type Pair, type RequestLogItem } from '../e2e/harness.js';
import { runCli } from '../helpers/cli.js';
import { readLocal, running, startDaemon, waitUntil, logLines, type Daemon } from './helpers.js';

const FOLDERS = Number(process.env.LWSYNC_DAEMON_FOLDERS ?? 40);
const POLL_SECONDS = 4;
/** remote_list_share's default: half of the 240 list calls a minute. */
const SHARE_PER_MINUTE = 120;
const EDITS = Math.min(Number(process.env.LWSYNC_DAEMON_EDITS ?? 8), FOLDERS - 5);

const folder = (i: number): string => `f${String(i).padStart(3, '0')}`;

function count(log: RequestLogItem[], op: string): number {
  return log.filter((r) => r.operation === op).length;
}

/** Seeds FOLDERS × 2 files with the client's pacing off, then turns both to their defaults. */
async function bigPair(t: Parameters<typeof setupPair>[0]): Promise<Pair> {
  const p = await setupPair(t, { sync: `remote_poll_seconds = ${POLL_SECONDS}\nlocal_quiet_ms = 200` });
  for (let i = 0; i < FOLDERS; i++) {
    p.write(`${folder(i)}/a.txt`, `a of ${i}`);
    p.write(`${folder(i)}/b.txt`, `b of ${i}`);
  }
  const r = await p.once();
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(p.configFile, readFileSync(p.configFile, 'utf8').replace('rate_limit_per_minute = 0\n', ''));
  await p.knobs({ rateLimit: 240 });
  await p.clearRequests();
  return p;
}

async function arrivedRemotely(p: Pair, path: string, content: string): Promise<boolean> {
  return (await p.tree()).get(path)?.sha256 === sha(content);
}

test('the daemon within the budget: local edits cost O(1) calls, remote edits arrive, idle polling stays in its share, a restart serves a local edit before any listing', async (t) => {
  const p = await bigPair(t);
  let d: Daemon = await running(t, p, 'debug');

  // a local edit a second, each in another folder: transfer plus a few calls, never a walk
  await p.clearRequests();
  const start = Date.now();
  const edited: { path: string; content: string }[] = [];
  for (let i = 0; i < EDITS; i++) {
    const path = `${folder(i)}/a.txt`;
    appendFileSync(join(p.local, path), ` edit ${i}`);
    edited.push({ path, content: readFileSync(join(p.local, path), 'utf8') });
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (const e of edited)
    await waitUntil(() => arrivedRemotely(p, e.path, e.content), `${e.path} edited on the Drive`, d, 60_000);
  const minutes = (Date.now() - start) / 60_000;
  const log = await p.requests();
  assert.equal(count(log, 'upload'), EDITS, 'one upload per edit');
  assert.equal(count(log, 'upload-url'), EDITS, 'one upload URL per edit');
  // a get of the known fileId before planning and one before overwriting; the folder-time
  // learner may ask for two folders after a write
  assert.ok(count(log, 'get') <= 2 * EDITS + 6, `gets: ${count(log, 'get')}`);
  const lists = count(log, 'list');
  assert.ok(
    lists <= Math.ceil(SHARE_PER_MINUTE * minutes) + 2,
    `${lists} list calls in ${minutes.toFixed(2)} min: only the poller's share, no walk`,
  );
  for (const op of ['delete', 'createfolder', 'move', 'rename', 'download'])
    assert.equal(count(log, op), 0, `no ${op}`);

  // a remote edit in a folder just edited locally (hot): listed every remote_poll_seconds
  const hot = `${folder(0)}/b.txt`;
  await p.putRemote(hot, 'edited on the Drive, hot folder');
  await waitUntil(
    () => readLocal(p, hot) === 'edited on the Drive, hot folder',
    'the hot folder edit locally',
    d,
    10 * POLL_SECONDS * 1000 + 30_000,
  );
  // a remote edit in a folder nobody touched: within one full cycle
  const cold = `${folder(FOLDERS - 1)}/b.txt`;
  await p.putRemote(cold, 'edited on the Drive, cold folder');
  const cycleMs = ((FOLDERS + 1) * 60_000) / SHARE_PER_MINUTE + POLL_SECONDS * 1000;
  await waitUntil(
    () => readLocal(p, cold) === 'edited on the Drive, cold folder',
    'the cold folder edit locally',
    d,
    2 * cycleMs + 30_000,
  );

  // idle: list calls within the poller's share, nothing else
  await p.clearRequests();
  const idleStart = Date.now();
  await new Promise((r) => setTimeout(r, 20_000));
  const idle = await p.requests();
  const idleMinutes = (Date.now() - idleStart) / 60_000;
  assert.ok(
    count(idle, 'list') <= Math.ceil(SHARE_PER_MINUTE * idleMinutes) + 1,
    `idle: ${count(idle, 'list')} list calls in ${(idleMinutes * 60).toFixed(0)} s`,
  );
  assert.deepEqual(
    idle.filter((r) => r.operation !== 'list').map((r) => r.operation),
    [],
    'an idle daemon only lists',
  );

  // status shows the poller
  const status = await runCli(['status', '--config', p.configFile, '--json']);
  const report = JSON.parse(status.stdout) as {
    pairs: { poller: { listCallsLastMinute: number | null; lastCycle: unknown; budgetPerMinute: number } }[];
  };
  const poller = report.pairs[0]!.poller;
  assert.equal(poller.budgetPerMinute, SHARE_PER_MINUTE);
  assert.ok(poller.listCallsLastMinute !== null && poller.listCallsLastMinute <= SHARE_PER_MINUTE);

  // restart: an edit made while the daemon was down is uploaded before any listing
  assert.equal((await d.stop()).code, 0);
  const offline = `${folder(3)}/b.txt`;
  writeFileSync(join(p.local, offline), 'edited while the daemon was down');
  await p.clearRequests();
  d = startDaemon(t, p.configFile, 'debug');
  await waitUntil(
    () => arrivedRemotely(p, offline, 'edited while the daemon was down'),
    'the offline edit on the Drive',
    d,
    60_000,
  );
  const after = (await p.requests()).map((r) => r.operation);
  const firstUpload = after.indexOf('upload');
  const firstList = after.indexOf('list');
  assert.ok(
    firstList === -1 || firstUpload < firstList,
    `the upload came before any listing: ${after.slice(0, 12).join(', ')}`,
  );
  assert.equal(
    logLines(d.output(), 'work starting').filter((l) => l.work === 'full').length,
    0,
    'no full pass',
  );
  assert.equal((await d.stop()).code, 0);
});
