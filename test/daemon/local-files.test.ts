/**
 * Faults end to end in daemon mode, local files (issue 13 item 2; test/INCIDENTS.md "Faults end to
 * end"): an unreadable file, and a folder replaced by a file of the same name while the daemon runs.
 *
 * The unreadable file is played as in test/e2e/unreadable.test.ts: the tests run as root, who reads
 * any file, so the daemon runs in a user namespace of its own (`unshare -Ur`) and the file belongs
 * to a uid that namespace does not map, mode 000: the read really fails (EACCES).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { localShas, remoteShas, setupPair, sha, type Pair } from '../e2e/harness.js';
import { makeReadable, makeUnreadable, UNSHARE } from '../helpers/unreadable.js';
import { logLines, running, startDaemon, waitUntil, type Daemon } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

const KEEP = ['keep0.txt', 'keep1.txt', 'keep2.txt', 'keep3.txt', 'keep4.txt', 'keep5.txt'];
const keepShas = (): Record<string, string> => Object.fromEntries(KEEP.map((k) => [k, sha(k)]));

interface Failing {
  path: string;
  lastError: string | null;
  permanent: boolean;
}

async function failing(p: Pair): Promise<Failing[]> {
  const s = await p.cli(['status', '--config', p.configFile, '--json']);
  return (JSON.parse(s.stdout) as { pairs: { failing: Failing[] }[] }).pairs[0]!.failing;
}

test('daemon: an unreadable file is listed failing in status, the rest syncs, nothing is lost, and it goes up once readable', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('report.txt', 'report, first version');
  assert.equal((await p.once()).code, 0);
  const d = startDaemon(t, p.configFile, 'info', UNSHARE);
  await waitUntil(() => logLines(d.output(), 'watching').length > 0, 'the "watching" log line', d);

  // written, then made unreadable before the daemon's quiet time is over
  const secret = 'a new file nobody may read yet';
  const report = 'report, second version (saved by another user, unreadable)';
  p.write('secret.txt', secret);
  p.write('report.txt', report);
  makeUnreadable(join(p.local, 'secret.txt'));
  makeUnreadable(join(p.local, 'report.txt'));
  p.write('dir/fine.txt', 'fine');
  await p.putRemote('from-drive.txt', 'made on the Drive');

  await waitUntil(
    async () => (await failing(p)).length === 2 && (await p.tree()).has('dir/fine.txt'),
    'both unreadable files failing, the readable one on the Drive',
    d,
  );
  await waitUntil(() => p.localFiles().includes('from-drive.txt'), 'the Drive file came down', d);
  for (const f of await failing(p)) {
    assert.equal(f.permanent, false, `${f.path} is tried again`);
    assert.match(f.lastError ?? '', /^no permission on this computer .*EACCES/, `${f.path}: the reason`);
  }
  assert.deepEqual((await failing(p)).map((f) => f.path).sort(), ['report.txt', 'secret.txt']);
  const tree = await p.tree();
  assert.equal(tree.get('dir/fine.txt')?.sha256, sha('fine'));
  assert.equal(tree.has('secret.txt'), false);
  assert.equal(tree.get('report.txt')?.sha256, sha('report, first version'), "the Drive's version kept");
  assert.equal(d.child.exitCode, null, 'the daemon keeps running');

  // readable again (the owner fixed): sent by the daemon on its own
  for (const f of ['secret.txt', 'report.txt']) {
    makeReadable(join(p.local, f));
  }
  await waitUntil(
    async () => {
      const now = await p.tree();
      return now.get('secret.txt')?.sha256 === sha(secret) && now.get('report.txt')?.sha256 === sha(report);
    },
    'both files on the Drive once readable',
    d,
    90_000,
  );
  await waitUntil(async () => (await failing(p)).length === 0, 'nothing failing any more', d);
  assert.deepEqual(await remoteShas(p), localShas(p), 'both sides the same');
  assert.equal(p.read('report.txt'), report, 'the local save kept');
  assert.equal((await d.stop()).code, 0);
});

test('daemon: a local folder replaced by a file of the same name: the file reaches the Drive, both sides converge', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('report/part1.txt', 'p1');
  p.write('report/part2.txt', 'p2');
  for (const k of KEEP) p.write(k, k); // enough besides, so that the deletes stay under the mass-delete guard
  assert.equal((await p.once()).code, 0);
  const d = await running(t, p);
  rmSync(join(p.local, 'report'), { recursive: true });
  p.write('report', 'the whole report in one file');
  const want = { ...keepShas(), report: sha('the whole report in one file') };
  await waitUntil(
    async () => sameFiles(await remoteShas(p), want),
    'the file in place of the folder on the Drive',
    d,
  );
  assert.equal((await p.tree()).get('report')?.type, 'file');
  assert.deepEqual(localShas(p), want);
  assert.deepEqual(await failing(p), []);
  assert.equal((await d.stop()).code, 0);
});

test('daemon: a folder on the Drive replaced by a file of the same name: the file comes down and both sides converge', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('report/part1.txt', 'p1');
  for (const k of KEEP) p.write(k, k); // enough besides, so that the deletes stay under the mass-delete guard
  assert.equal((await p.once()).code, 0);
  const d = await running(t, p);
  const folder = await p.remoteAt('report');
  await p.other.delete(folder.resourceKey);
  await p.putRemote('report', 'the whole report in one file, from the Drive');
  await waitUntil(
    () => readLocalFile(p, 'report') === 'the whole report in one file, from the Drive',
    'the file in place of the folder locally',
    d,
  );
  const want = { ...keepShas(), report: sha('the whole report in one file, from the Drive') };
  await waitUntil(
    async () => sameFiles(localShas(p), want) && sameFiles(await remoteShas(p), want),
    'both sides converged',
    d,
  );
  await quietAfterwards(p, d);
  assert.equal((await d.stop()).code, 0);
});

function readLocalFile(p: Pair, path: string): string | null {
  try {
    return readFileSync(join(p.local, path), 'utf8');
  } catch {
    return null;
  }
}

test('daemon: a folder on the Drive replaced by a file while a file in it is edited locally: the edit is kept as a conflicted copy, both sides converge', async (t) => {
  // the local edit waits out a long quiet time, so the poll meets the Drive's change first
  const p = await setupPair(t, { sync: 'remote_poll_seconds = 1\nlocal_quiet_ms = 3000' });
  p.write('report/part1.txt', 'p1');
  for (const k of KEEP) p.write(k, k);
  assert.equal((await p.once()).code, 0);
  const d = await running(t, p);
  p.write('report/part1.txt', 'p1, edited locally');
  const folder = await p.remoteAt('report');
  await p.other.delete(folder.resourceKey);
  await p.putRemote('report', 'the whole report in one file, from the Drive');
  const copyOfEdit = (files: Record<string, string>): string | undefined =>
    Object.keys(files).find(
      (f) => /^report \(conflicted copy .*\)\/part1\.txt$/.test(f) && files[f] === sha('p1, edited locally'),
    );
  await waitUntil(
    async () => {
      const local = localShas(p);
      return (
        copyOfEdit(local) !== undefined &&
        local.report === sha('the whole report in one file, from the Drive') &&
        sameFiles(local, await remoteShas(p))
      );
    },
    'the edit kept as a conflicted copy, the Drive file in place, both sides the same',
    d,
  );
  await quietAfterwards(p, d);
  assert.equal((await d.stop()).code, 0);
});

/** Sorted entries: two maps are the same files with the same content. */
function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

/** Two more seconds of polling once converged: no work fails, nothing is listed failing. */
async function quietAfterwards(p: Pair, d: Daemon): Promise<void> {
  const mark = d.output().length;
  await new Promise((r) => setTimeout(r, 2_000));
  assert.deepEqual(logLines(d.output().slice(mark), 'sync work failed; trying again later'), [], d.output());
  assert.deepEqual(await failing(p), []);
  assert.equal(d.child.exitCode, null, 'the daemon keeps running');
}
