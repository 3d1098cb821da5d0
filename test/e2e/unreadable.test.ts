/**
 * An unreadable local file (issue 13 item 2) with `--once`: the file is reported as failing (exit 1,
 * contracts.md §1), the rest syncs, nothing is lost on either side, and the file goes up once it can
 * be read.
 *
 * The tests run as root, which reads any file whatever its mode. So the CLI runs in a user namespace
 * of its own (`unshare -Ur`: root inside, mapped to root outside), and the file is owned by a uid the
 * namespace does not map, with mode 000: the kernel then grants the namespace's root no override,
 * and the read really fails (EACCES). A machine without user namespaces fails the setup, loudly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { makeReadable, makeUnreadable, UNSHARE } from '../helpers/unreadable.js';
import { expectExit, setupPair, sha, type Pair } from './harness.js';

const onceInNamespace = (p: Pair) =>
  runCli(['--config', p.configFile, '--once'], { env: { LWSYNC_LOG_LEVEL: 'warn' }, wrap: UNSHARE });

interface Failing {
  path: string;
  errorClass: string | null;
  lastError: string | null;
  permanent: boolean;
}

test('an unreadable file is reported (exit 1), the rest syncs, nothing is lost, and it goes up once readable', async (t) => {
  const p = await setupPair(t);
  p.write('report.txt', 'report, first version');
  expectExit(await p.once(), 0);

  // a new file and an edited one that the CLI cannot read, next to files it can
  const secret = Buffer.from('a new file nobody may read yet');
  const report = 'report, second version (saved by another user, unreadable)';
  p.write('secret.txt', secret);
  p.write('report.txt', report);
  p.write('dir/fine.txt', 'fine');
  await p.putRemote('from-drive.txt', 'made on the Drive');
  makeUnreadable(join(p.local, 'secret.txt'));
  makeUnreadable(join(p.local, 'report.txt'));

  const r = await onceInNamespace(p);
  expectExit(r, 1);
  assert.match(r.stdout + r.stderr, /secret\.txt/);
  const tree = await p.tree();
  assert.equal(tree.get('dir/fine.txt')?.sha256, sha('fine'), 'the rest went up');
  assert.equal(p.read('from-drive.txt'), 'made on the Drive', 'and came down');
  assert.equal(tree.has('secret.txt'), false);
  assert.equal(tree.get('report.txt')?.sha256, sha('report, first version'), "the Drive's version is kept");
  assert.equal(sha(readFileSync(join(p.local, 'secret.txt'))), sha(secret), 'the local files are untouched');
  assert.equal(p.read('report.txt'), report);
  assert.deepEqual(p.localFiles(), ['dir/fine.txt', 'from-drive.txt', 'report.txt', 'secret.txt']);

  const status = await p.cli(['status', '--config', p.configFile, '--json']);
  expectExit(status, 0);
  const failing = (JSON.parse(status.stdout) as { pairs: { failing: Failing[] }[] }).pairs[0]!.failing;
  assert.deepEqual(failing.map((f) => f.path).sort(), ['report.txt', 'secret.txt']);
  for (const f of failing) {
    assert.equal(f.permanent, false, `${f.path} is tried again`);
    assert.match(f.lastError ?? '', /^no permission on this computer .*EACCES/, `${f.path}: the reason`);
  }

  // readable again: the next run sends both and is in sync
  makeReadable(join(p.local, 'secret.txt'));
  makeReadable(join(p.local, 'report.txt'));
  expectExit(await onceInNamespace(p), 0);
  const after = await p.tree();
  assert.equal(after.get('secret.txt')?.sha256, sha(secret));
  assert.equal(after.get('report.txt')?.sha256, sha(report));
  assert.deepEqual([...after.keys()].sort(), [
    'dir',
    'dir/fine.txt',
    'from-drive.txt',
    'report.txt',
    'secret.txt',
  ]);
  expectExit(await p.once(), 0);
});
