/**
 * What the Drive refuses, in daemon mode (issue 13 item 2: quota full, blocked extension, too-large
 * file; the `--once` side is in test/e2e/failures.test.ts and faults.test.ts). The daemon keeps
 * running and syncing the rest, the item is listed as failing in `status --json`, the local file is
 * untouched, and the refused item costs at most one upload attempt per retry it is due.
 *
 * How each ends (src/engine/failures.ts, src/remote/classify.ts): a full quota is class 'quota',
 * retried on the item's backoff (1 min, then 2, 4, … capped at 6 h), so the daemon converges on its
 * own once there is room. A blocked extension ('rejected-content') and a file over the size limit
 * (storage code 1022) are refused for good: not retried while the file is unchanged, even when the
 * Drive would now take it, nor by a restarted daemon; a new save of the file is tried at once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setupPair, sha, type Pair } from '../e2e/harness.js';
import { logLines, running, waitUntil } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

interface Failing {
  path: string;
  errorClass: string | null;
  permanent: boolean;
  attempts: number;
}

async function failing(p: Pair): Promise<Failing[]> {
  const r = await p.cli(['status', '--config', p.configFile, '--json']);
  if (r.code !== 0) throw new Error(`status exited ${r.code}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { pairs: { failing: Failing[] }[] }).pairs[0]!.failing;
}

/** Upload attempts into one remote folder: its upload-url requests (the file's name is in the body). */
async function attemptsInto(p: Pair, folder: string): Promise<number> {
  const key = (await p.tree()).get(folder)?.fileId;
  if (!key) throw new Error(`no remote folder ${folder}`);
  return (await p.requests()).filter((q) => q.operation === 'upload-url' && q.path.includes(key)).length;
}

const localSha = (p: Pair, path: string): string => sha(readFileSync(join(p.local, path)));

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('daemon: a blocked extension and a file over the size limit are reported, not retried while unchanged, and a new save goes up', async (t) => {
  const p = await setupPair(t, {
    sync: SYNC,
    firstSync: true,
    knobs: { blockedExtensions: ['exe'], maxFileSize: 100_000 },
  });
  let d = await running(t, p);
  const tool = Buffer.from('MZ tool');
  const huge = Buffer.alloc(150_000, 5);
  p.write('tools/tool.exe', tool);
  p.write('videos/huge.bin', huge);
  p.write('notes/a.txt', 'a');
  await waitUntil(
    async () => {
      const f = await failing(p);
      return f.some((i) => i.path === 'tools/tool.exe') && f.some((i) => i.path === 'videos/huge.bin');
    },
    'both refusals listed in status --json',
    d,
  );
  const refused = await failing(p);
  assert.deepEqual(refused.map((i) => [i.path, i.errorClass, i.permanent]).sort(), [
    ['tools/tool.exe', 'rejected-content', true],
    ['videos/huge.bin', 'quota', true],
  ]);
  const tree = await p.tree();
  assert.equal(tree.get('notes/a.txt')?.sha256, sha('a'));
  assert.equal(tree.has('tools/tool.exe'), false);
  assert.equal(tree.has('videos/huge.bin'), false);

  // the Drive would take both now, and other work goes on in their folders: neither is tried again
  await p.knobs({ blockedExtensions: [], maxFileSize: 0 });
  const before = { tools: await attemptsInto(p, 'tools'), videos: await attemptsInto(p, 'videos') };
  p.write('tools/readme.txt', 'how to use the tool');
  p.write('videos/list.txt', 'one video');
  await p.putRemote('videos/from-phone.txt', 'taken on the phone');
  await waitUntil(
    async () => {
      const tr = await p.tree();
      return (
        tr.get('tools/readme.txt')?.sha256 === sha('how to use the tool') &&
        tr.get('videos/list.txt')?.sha256 === sha('one video') &&
        p.localFiles().includes('videos/from-phone.txt')
      );
    },
    'the other files synced in both folders',
    d,
  );
  await pause(5_000); // five poll periods
  assert.equal(await attemptsInto(p, 'tools'), before.tools + 1, 'only readme.txt went into tools/');
  assert.equal(
    await attemptsInto(p, 'videos'),
    before.videos + 2,
    'only list.txt (and from-phone.txt, by the other device) went into videos/',
  );
  assert.equal(localSha(p, 'tools/tool.exe'), sha(tool), 'the refused file is untouched');
  assert.equal(localSha(p, 'videos/huge.bin'), sha(huge), 'the refused file is untouched');
  assert.deepEqual((await failing(p)).map((i) => i.path).sort(), ['tools/tool.exe', 'videos/huge.bin']);

  // a restarted daemon rescans the folder first and meets both again: still not tried
  assert.equal((await d.stop()).code, 0);
  await p.clearRequests();
  d = await running(t, p);
  await waitUntil(
    () => logLines(d.output(), 'work finished').some((l) => l.work === 'rescan'),
    "the restarted daemon's rescan",
    d,
  );
  const rescan = logLines(d.output(), 'work finished').find((l) => l.work === 'rescan');
  assert.equal(rescan?.refused, 2, 'the rescan found both refusals and skipped them');
  assert.deepEqual(
    (await p.requests()).filter((q) => q.operation.startsWith('upload')),
    [],
    'no upload attempt after the restart',
  );

  // a new save of each is tried at once, and goes up
  const tool2 = Buffer.from('MZ tool, version 2');
  const huge2 = Buffer.alloc(150_001, 6);
  p.write('tools/tool.exe', tool2);
  p.write('videos/huge.bin', huge2);
  await waitUntil(
    async () => {
      const tr = await p.tree();
      return (
        tr.get('tools/tool.exe')?.sha256 === sha(tool2) && tr.get('videos/huge.bin')?.sha256 === sha(huge2)
      );
    },
    'the new saves on the Drive',
    d,
  );
  await waitUntil(async () => (await failing(p)).length === 0, 'nothing failing any more', d);
  assert.equal(d.child.exitCode, null, 'the daemon is still running');
  assert.equal((await d.stop()).code, 0);
});

test('daemon: a full Drive quota is reported, retried on its backoff only, and the file goes up on its own once there is room', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true, knobs: { quota: 300_000 } });
  const d = await running(t, p);
  const big = Buffer.alloc(400_000, 9);
  p.write('archive/big.bin', big);
  await waitUntil(
    async () => (await failing(p)).some((i) => i.path === 'archive/big.bin'),
    'big.bin listed as failing in status --json',
    d,
  );
  const [row] = await failing(p);
  assert.equal(row?.errorClass, 'quota');
  assert.equal(row?.permanent, false);
  assert.equal((await p.tree()).has('archive/big.bin'), false);

  // other files keep syncing, in the same folder too, and big.bin is not tried again meanwhile
  p.write('archive/small.txt', 'small');
  p.write('other/note.txt', 'note');
  await p.putRemote('archive/remote.txt', 'from another device');
  await waitUntil(
    async () => {
      const tr = await p.tree();
      return (
        tr.get('archive/small.txt')?.sha256 === sha('small') &&
        tr.get('other/note.txt')?.sha256 === sha('note') &&
        p.localFiles().includes('archive/remote.txt')
      );
    },
    'the other files synced',
    d,
  );
  await pause(10_000); // ten poll periods, still well within the item's first backoff (1 min)
  assert.equal(
    await attemptsInto(p, 'archive'),
    3,
    'one attempt for big.bin, one for small.txt and one by the other device, in the first minute',
  );
  assert.equal(localSha(p, 'archive/big.bin'), sha(big), 'the local file is untouched');
  assert.equal(d.child.exitCode, null, 'the daemon is still running');

  // room on the Drive: the daemon's retry puts it up without a restart or a new save
  await p.knobs({ quota: 10_000_000 });
  await waitUntil(
    async () => (await p.tree()).get('archive/big.bin')?.sha256 === sha(big),
    'big.bin on the Drive after its backoff',
    d,
    90_000,
  );
  await waitUntil(async () => (await failing(p)).length === 0, 'nothing failing any more', d);
  assert.equal(await attemptsInto(p, 'archive'), 4, 'one more attempt: the retry that succeeded');
  assert.equal(localSha(p, 'archive/big.bin'), sha(big));
  assert.equal((await d.stop()).code, 0);
});
