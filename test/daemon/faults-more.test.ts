/**
 * Faults end to end in daemon mode, the Drive's side (issue 13 item 2; test/INCIDENTS.md "Faults end
 * to end"): a 598 whose write happened, and a login revoked while the daemon runs. Each ends
 * converged, or stopped in a reported safe state (exit 78, contracts.md §1), with no version lost.
 */
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Journal } from '../../src/journal/index.js';
import { setupPair, sha, type Pair } from '../e2e/harness.js';
import { CLIENT_ID, CLIENT_SECRET, loginTestUser } from '../helpers/emulator.js';
import { running, startDaemon, waitUntil, withTimeout, WAIT_MS } from './helpers.js';

const SYNC = 'remote_poll_seconds = 1\nlocal_quiet_ms = 200';

const pendingFaults = async (p: Pair): Promise<number> =>
  ((await (await fetch(`${p.emu.urls.admin}/faults`)).json()) as unknown[]).length;

/** Path → sha256 of every file below the pair's remote folder (folders left out). */
async function remoteFiles(p: Pair): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [path, item] of await p.tree()) if (item.sha256) out[path] = item.sha256;
  return out;
}

function localFilesSha(p: Pair): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of p.localFiles()) out[f] = sha(readFileSync(join(p.local, f)));
  return out;
}

test('daemon: a 598 after the Drive stored an upload, an overwrite, a move and a rename: converges, each file once, no conflicted copy', async (t) => {
  const p = await setupPair(t, { sync: SYNC });
  p.write('moved.txt', 'moved, unchanged');
  p.write('renamed.txt', 'renamed, unchanged');
  p.write('edited.txt', 'edited, first version');
  expectZero((await p.once()).code);
  const before = await p.tree();
  const d = await running(t, p);

  // each answer says it failed, each write happened (fault `apply`)
  await p.fault({ operation: 'upload', times: 2, status: 598, apply: true });
  p.write('new.bin', Buffer.alloc(300 * 1024, 7));
  p.write('edited.txt', 'edited, second version');
  await waitUntil(async () => (await pendingFaults(p)) === 0, 'both uploads answered 598', d);

  await p.fault({ operation: 'move', times: 1, status: 598, apply: true });
  await p.fault({ operation: 'rename', times: 1, status: 598, apply: true });
  p.write('archive/.keep', '');
  await waitUntil(async () => (await p.tree()).has('archive/.keep'), 'the archive folder on the Drive', d);
  renameSync(join(p.local, 'moved.txt'), join(p.local, 'archive/moved.txt'));
  renameSync(join(p.local, 'renamed.txt'), join(p.local, 'renamed-now.txt'));

  const want = {
    'archive/.keep': sha(''),
    'archive/moved.txt': sha('moved, unchanged'),
    'edited.txt': sha('edited, second version'),
    'new.bin': sha(Buffer.alloc(300 * 1024, 7)),
    'renamed-now.txt': sha('renamed, unchanged'),
  };
  await waitUntil(
    async () =>
      (await pendingFaults(p)) === 0 &&
      JSON.stringify(await remoteFiles(p)) === JSON.stringify(want) &&
      JSON.stringify(localFilesSha(p)) === JSON.stringify(want),
    'both sides converged on the five files',
    d,
    40_000,
  );
  // a little longer: a duplicate or a conflicted copy would come from the work that follows
  await new Promise((r) => setTimeout(r, 2_500));
  assert.deepEqual(await remoteFiles(p), want, 'each file once on the Drive, no conflicted copy');
  assert.deepEqual(localFilesSha(p), want, 'no conflicted copy locally');
  const after = await p.tree();
  assert.equal(after.get('archive/moved.txt')?.fileId, before.get('moved.txt')?.fileId, 'moved, not copied');
  assert.equal(
    after.get('renamed-now.txt')?.fileId,
    before.get('renamed.txt')?.fileId,
    'renamed, not copied',
  );
  assert.equal(after.get('edited.txt')?.fileId, before.get('edited.txt')?.fileId, 'overwritten in place');
  const status = await p.cli(['status', '--config', p.configFile, '--json']);
  const pair = (JSON.parse(status.stdout) as { pairs: { failing: unknown[]; conflicts: unknown[] }[] })
    .pairs[0]!;
  assert.deepEqual(pair.failing, [], 'nothing failing');
  assert.deepEqual(pair.conflicts, [], 'no conflict');
  assert.equal(d.child.exitCode, null, 'the daemon is still running');
  assert.equal((await d.stop()).code, 0);
});

function expectZero(code: number | null): void {
  assert.equal(code, 0, 'the first sync');
}

/** The emulator's revoke endpoint (RFC 7009), as an administrator revoking the app's grant would. */
async function revoke(p: Pair, token: string): Promise<void> {
  const res = await fetch(`${p.emu.urls.auth}/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token }),
  });
  assert.equal(res.status, 200, `revoke answered ${res.status}`);
}

test('daemon: a login revoked while it runs stops it with exit 78 and the login hint; nothing lost, and after a new login it converges', async (t) => {
  const p = await setupPair(t, { sync: SYNC, firstSync: true });
  p.write('synced.txt', 'synced before');
  const d = await running(t, p);
  await waitUntil(async () => (await p.tree()).has('synced.txt'), 'synced.txt on the Drive', d);

  const tokenFile = join(p.stateDir, 'tokens.json');
  const tokens = JSON.parse(readFileSync(tokenFile, 'utf8')) as { accessToken: string; refreshToken: string };
  await revoke(p, tokens.refreshToken);
  await revoke(p, tokens.accessToken);
  p.write('written-after.txt', 'written after the revocation');
  p.write('synced.txt', 'synced before, edited after the revocation');

  const r = await withTimeout(d.exited, WAIT_MS, () => `the daemon did not stop\n${d.output()}`);
  assert.equal(r.code, 78, d.output());
  assert.match(d.output(), /lineworks-sync login --config/);
  for (const secret of [tokens.refreshToken, tokens.accessToken])
    assert.equal(d.output().includes(secret), false, 'no token in the output');
  assert.equal(p.read('written-after.txt'), 'written after the revocation', 'local files untouched');
  assert.equal(p.read('synced.txt'), 'synced before, edited after the revocation');
  assert.equal((await p.tree()).get('synced.txt')?.sha256, sha('synced before'), 'the Drive unchanged');
  const j = Journal.openReadOnly(p.stateDir);
  assert.ok(j, 'the journal opens');
  assert.equal(
    j.getBaseRow('docs', 'synced.txt')?.localSha256,
    sha('synced before'),
    'the base still records the version both sides last agreed on',
  );
  j.close();

  // `lineworks-sync login` writes a new token file; a new daemon sends what waited
  const fresh = await loginTestUser(p.emu);
  const now = Date.now();
  writeFileSync(
    tokenFile,
    JSON.stringify({ ...fresh, expiresAt: now + 3600_000, obtainedAt: now, scope: 'file' }),
    { mode: 0o600 },
  );
  const again = startDaemon(t, p.configFile);
  await waitUntil(
    async () => {
      const tree = await p.tree();
      return (
        tree.get('written-after.txt')?.sha256 === sha('written after the revocation') &&
        tree.get('synced.txt')?.sha256 === sha('synced before, edited after the revocation')
      );
    },
    'what waited reached the Drive',
    again,
  );
  assert.deepEqual(p.localFiles(), ['synced.txt', 'written-after.txt'], 'no conflicted copy');
  assert.equal((await again.stop()).code, 0);
});
