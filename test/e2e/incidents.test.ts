/**
 * The rows of incidents.md that no other end-to-end test already plays: each test is named after
 * its row and plays the incident through the real CLI against the emulator (`--once`). Where the
 * incident cannot happen by design, the test sets up the situation and shows the guard acting.
 * test/INCIDENTS.md maps every row to its test.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JOURNAL_FILE } from '../../src/journal/journal.js';
import { loginTestUser } from '../helpers/emulator.js';
import { expectExit, localShas, remoteShas, setupPair, sha, type Pair } from './harness.js';
import { configure } from './one-way.js';

type Ctx = Parameters<typeof setupPair>[0];

async function synced(t: Ctx, files: Record<string, string>, sync?: string): Promise<Pair> {
  const p = await setupPair(t, { sync });
  for (const [path, content] of Object.entries(files)) p.write(path, content);
  expectExit(await p.once(), 0);
  return p;
}

const READS = new Set(['list', 'get', 'token', 'download', 'download-content', 'drive']);
/** Calls that change the Drive, from the emulator's request log. */
const writeCalls = async (p: Pair): Promise<string[]> =>
  (await p.requests()).filter((q) => !READS.has(q.operation)).map((q) => `${q.operation} ${q.path}`);

const TEN = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`doc${i}.txt`, `version 1 of ${i}`]));

test('onedrive #3393: a replica that slept while the Drive was edited does not revert those edits', async (t) => {
  const p = await synced(t, TEN);
  // while this computer sleeps, 6 files are edited elsewhere (another device, days of work)
  for (let i = 0; i < 6; i++) await p.putRemote(`doc${i}.txt`, `edited elsewhere ${i}`);
  const edited = await remoteShas(p);
  expectExit(await p.once(), 0);
  assert.deepEqual(await remoteShas(p), edited, 'no edit reverted on the Drive');
  for (let i = 0; i < 6; i++) assert.equal(p.read(`doc${i}.txt`), `edited elsewhere ${i}`);
  assert.equal(p.read('doc7.txt'), 'version 1 of 7');
});

test('onedrive #1169/#1507: after an expired login and a new login, the newer local file wins', async (t) => {
  const p = await synced(t, { 'plan.txt': 'old plan' });
  p.write('plan.txt', 'newer plan, written while the login lapsed');
  const tokens = join(p.stateDir, 'tokens.json');
  const stored = JSON.parse(readFileSync(tokens, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    tokens,
    JSON.stringify({
      ...stored,
      accessToken: 'expired',
      refreshToken: 'revoked',
      expiresAt: Date.now() - 1000,
    }),
    { mode: 0o600 },
  );
  const lapsed = await p.once();
  expectExit(lapsed, 78);
  assert.match(lapsed.stderr, /lineworks-sync login/);
  assert.equal((await p.tree()).get('plan.txt')?.sha256, sha('old plan'));
  // the user logs in again
  const fresh = await loginTestUser(p.emu);
  const now = Date.now();
  writeFileSync(
    tokens,
    JSON.stringify({ ...fresh, expiresAt: now + 3600_000, obtainedAt: now, scope: 'file' }),
    { mode: 0o600 },
  );
  expectExit(await p.once(), 0);
  assert.equal(p.read('plan.txt'), 'newer plan, written while the login lapsed');
  assert.equal((await p.tree()).get('plan.txt')?.sha256, sha('newer plan, written while the login lapsed'));
});

test('onedrive #3363: a download pair with cleanup_local and --resync over an incomplete view deletes nothing', async (t) => {
  const p = await synced(t, { 'shared/a.txt': 'a', 'shared/b.txt': 'b' });
  configure(p, 'direction = "download"\ncleanup_local = true');
  // files only this computer has, and a Drive view that lost an item since the journal was written
  p.write('mine/notes.txt', 'only here');
  p.write('draft.txt', 'only here too');
  await p.other.delete((await p.remoteAt('shared/b.txt')).resourceKey);
  await p.clearRequests();
  expectExit(await p.once('--resync'), 0);
  assert.deepEqual(p.localFiles(), ['draft.txt', 'mine/notes.txt', 'shared/a.txt', 'shared/b.txt']);
  assert.equal(p.read('shared/b.txt'), 'b');
  assert.deepEqual(await writeCalls(p), [], 'a download pair never writes to the Drive');
});

test('rclone #7042: --resync is a one-off: the next plain run deletes again', async (t) => {
  const p = await synced(t, { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
  rmSync(join(p.local, 'a.txt'));
  expectExit(await p.once('--resync'), 0);
  assert.deepEqual(p.localFiles(), ['a.txt', 'b.txt', 'c.txt'], '--resync copies back, never deletes');
  const daemon = await p.cli(['--config', p.configFile, '--resync']);
  expectExit(daemon, 2);
  assert.match(daemon.stderr, /--resync' requires '--once'/);
  rmSync(join(p.local, 'a.txt'));
  expectExit(await p.once(), 0);
  assert.deepEqual([...(await p.tree()).keys()].sort(), ['b.txt', 'c.txt'], 'a plain run deletes again');
});

test('rclone #9939: a file equal on both sides before the first run is recorded, so a later one-sided delete reaches the other side', async (t) => {
  const p = await setupPair(t);
  p.write('same.txt', 'identical bytes');
  p.write('local.txt', 'l');
  await p.putRemote('same.txt', 'identical bytes');
  expectExit(await p.once(), 0);
  const status = await p.cli(['status', '--config', p.configFile]);
  assert.match(status.stdout, /items tracked: 2/);
  rmSync(join(p.local, 'same.txt'));
  expectExit(await p.once(), 0);
  assert.deepEqual([...(await p.tree()).keys()], ['local.txt']);
});

test('hermes-agent #46746: every stop has its own exit code and a line saying why', async (t) => {
  const p = await synced(t, { 'a.txt': 'a' });
  const seen = new Map<number, string>();
  const stop = async (code: number, why: RegExp, args: string[] = []): Promise<void> => {
    const r = await p.once(...args);
    expectExit(r, code);
    const said = `${r.stderr}${r.stdout}`;
    assert.match(said, why);
    seen.set(code, said.trim().split('\n').at(-1) ?? '');
  };
  await p.knobs({ blockedExtensions: ['exe'] });
  p.write('tool.exe', 'MZ');
  await stop(1, /tool\.exe/);
  rmSync(join(p.local, 'tool.exe'));
  renameSync(join(p.local, '.lineworks-sync'), join(p.dir, 'marker-away'));
  await stop(3, /marker/);
  renameSync(join(p.dir, 'marker-away'), join(p.local, '.lineworks-sync'));
  const tokens = readFileSync(join(p.stateDir, 'tokens.json'));
  rmSync(join(p.stateDir, 'tokens.json'));
  await stop(78, /login/);
  writeFileSync(join(p.stateDir, 'tokens.json'), tokens, { mode: 0o600 });
  const good = readFileSync(p.configFile, 'utf8');
  writeFileSync(p.configFile, good.replace('[sync]', '[sync]\nmax_delete_percent = "lots"'));
  await stop(2, /max_delete_percent/);
  writeFileSync(p.configFile, good);
  await p.emu.close();
  await stop(75, /reach|unreachable|ECONNREFUSED|connect/i);
  assert.deepEqual(
    [...seen.keys()].sort((a, b) => a - b),
    [1, 2, 3, 75, 78],
  );
  for (const [code, line] of seen) assert.ok(line.length > 10, `exit ${code} explained: ${line}`);
  assert.deepEqual(p.localFiles(), ['a.txt']);
});

test('unison #989: a remote listing that fails part-way plans no deletes under the part it could not read', async (t) => {
  const p = await synced(t, { 'big/a.txt': 'a', 'big/b.txt': 'b', 'big/c.txt': 'c', 'small/d.txt': 'd' });
  p.write('small/new.txt', 'n');
  const big = (await p.remoteAt('big')).resourceKey;
  await p.fault({ operation: 'list', times: 1000, status: 500, pathContains: big });
  const r = await p.once();
  assert.notEqual(r.code, 0, 'the run says it did not see everything');
  assert.deepEqual(p.localFiles(), ['big/a.txt', 'big/b.txt', 'big/c.txt', 'small/d.txt', 'small/new.txt']);
  await fetch(`${p.emu.urls.admin}/faults`, { method: 'DELETE' });
  expectExit(await p.once(), 0);
  assert.deepEqual(localShas(p), await remoteShas(p));
  assert.equal(Object.keys(await remoteShas(p)).length, 5);
});

test('unison #457: a journal that belongs to another tree is refused, not applied', async (t) => {
  const p = await synced(t, { 'a.txt': 'a', 'b.txt': 'b' });
  // the same pair name now points at another local tree, which lacks a.txt and b.txt
  const elsewhere = join(p.dir, 'elsewhere');
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'c.txt'), 'c');
  writeFileSync(
    p.configFile,
    readFileSync(p.configFile, 'utf8').replace(JSON.stringify(p.local), JSON.stringify(elsewhere)),
  );
  const before = await remoteShas(p);
  await p.clearRequests();
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /another tree than its journal/);
  assert.deepEqual(await remoteShas(p), before, 'a.txt and b.txt were not deleted from the Drive');
  assert.deepEqual(await writeCalls(p), []);
  assert.deepEqual(readdirSync(elsewhere), ['c.txt']);
});

test('syncthing-android #708: a root presented empty, its marker gone with the files, stops the run; nothing deleted', async (t) => {
  const p = await synced(t, { 'a.txt': 'a', 'photos/b.jpg': 'b' });
  const before = await remoteShas(p);
  for (const name of readdirSync(p.local)) rmSync(join(p.local, name), { recursive: true });
  await p.clearRequests();
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /marker/);
  assert.deepEqual(await remoteShas(p), before);
  assert.deepEqual(await writeCalls(p), []);
});

test('syncthing #10487: a root that is an empty mount point (not mounted) stops the run; nothing deleted', async (t) => {
  const p = await synced(t, { 'a.txt': 'a', 'sub/b.txt': 'b' });
  const before = await remoteShas(p);
  // the share is unmounted: its mount point is an empty folder of the same name
  renameSync(p.local, join(p.dir, 'share-contents'));
  mkdirSync(p.local);
  await p.clearRequests();
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /marker/);
  assert.deepEqual(await remoteShas(p), before);
  assert.deepEqual(await writeCalls(p), []);
  assert.deepEqual(readdirSync(p.local), [], 'nothing downloaded into the mount point');
});

test('syncthing #6605: with the journal deleted, the next run merges both sides and deletes nothing', async (t) => {
  const p = await synced(t, { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
  rmSync(join(p.local, 'a.txt'));
  await p.other.delete((await p.remoteAt('b.txt')).resourceKey);
  p.write('c.txt', 'c edited here');
  for (const f of readdirSync(p.stateDir)) if (f.startsWith(JOURNAL_FILE)) rmSync(join(p.stateDir, f));
  const r = await p.once();
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}\n${r.stderr}`);
  const files = p.localFiles();
  for (const f of ['a.txt', 'b.txt']) assert.ok(files.includes(f), `${f} came back: ${files.join(', ')}`);
  const remote = await remoteShas(p);
  for (const f of ['a.txt', 'b.txt']) assert.ok(remote[f], `${f} on the Drive`);
  assert.ok(
    Object.values(localShas(p)).includes(sha('c edited here')) &&
      Object.values(remote).includes(sha('c edited here')),
    'the local edit survives on both sides',
  );
  assert.ok(Object.values(remote).includes(sha('c')), 'the Drive version of c.txt survives too');
});

test('nextcloud #9259: an emptied remote folder with a full journal stops the run (guard); no local deletes', async (t) => {
  const p = await synced(t, TEN);
  for (const path of Object.keys(TEN)) await p.other.delete((await p.remoteAt(path)).resourceKey);
  const r = await p.once();
  expectExit(r, 3);
  assert.match(r.stderr, /max_delete/);
  assert.deepEqual(p.localFiles(), Object.keys(TEN).sort());
});

test('nextcloud #1238: an ignore rule added later never deletes the now-ignored files on either side', async (t) => {
  const p = await synced(t, {
    'keep.txt': 'k',
    'build/out.bin': 'o',
    'build/log.txt': 'l',
    'notes.tmp': 't',
  });
  const before = await remoteShas(p);
  writeFileSync(join(p.local, '.lwsyncignore'), 'build/\n*.tmp\n');
  expectExit(await p.once(), 0);
  expectExit(await p.once(), 0);
  assert.deepEqual(p.localFiles(), [
    '.lwsyncignore',
    'build/log.txt',
    'build/out.bin',
    'keep.txt',
    'notes.tmp',
  ]);
  const after = await remoteShas(p);
  for (const [path, digest] of Object.entries(before))
    assert.equal(after[path], digest, `${path} kept on the Drive`);
});

test('remotely-save #1064: a root that vanishes and comes back within a run causes no deletes', async (t) => {
  // the percent and count guards are opened wide: the root guard alone must hold
  const p = await synced(t, TEN, 'max_delete_percent = 100\nmax_delete_count = 100000');
  const before = await remoteShas(p);
  const pending = async (): Promise<number> =>
    ((await (await fetch(`${p.emu.urls.admin}/faults`)).json()) as unknown[]).length;
  // the run's first listing (finding the pair's folder) and second (walking it) are slow
  await p.fault({ operation: 'list', times: 1, delayMs: 2500 });
  await p.fault({ operation: 'list', times: 1, delayMs: 2500 });
  await p.clearRequests();
  const run = p.once();
  const away = join(p.dir, 'remounting');
  const until = async (n: number): Promise<void> => {
    for (let i = 0; i < 300 && (await pending()) > n; i++) await new Promise((r) => setTimeout(r, 20));
  };
  await until(1); // the run checked the root and is finding its remote folder
  renameSync(p.local, away);
  await until(0); // the run is walking both sides now
  renameSync(away, p.local);
  const r = await run;
  assert.deepEqual(await writeCalls(p), []);
  assert.deepEqual(await remoteShas(p), before, 'nothing deleted on the Drive');
  expectExit(r, 3);
  assert.deepEqual(p.localFiles(), Object.keys(TEN).sort());
  expectExit(await p.once(), 0);
  assert.deepEqual(await remoteShas(p), before);
});

test('nextcloud #3076: the local disk fills up during downloads: nothing deleted on the Drive, the run reports and stops; it converges once there is room', async (t) => {
  const p = await setupPair(t);
  // the local root is a 1 MiB tmpfs (needs the right to mount, as root in CI)
  mkdirSync(p.local);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', p.local]);
  try {
    p.write('a.txt', 'a');
    expectExit(await p.once(), 0);
    const big = (i: number): Buffer => Buffer.alloc(400 * 1024, i);
    for (let i = 1; i <= 4; i++) await p.putRemote(`photo${i}.jpg`, big(i));
    const before = await remoteShas(p);
    await p.clearRequests();
    const r = await p.once();
    assert.notEqual(r.code, 0, 'the run says not everything arrived');
    assert.match(`${r.stdout}${r.stderr}`, /ENOSPC|no space/i);
    assert.deepEqual(await writeCalls(p), [], 'no write reached the Drive, no delete above all');
    assert.deepEqual(await remoteShas(p), before);
    const status = await p.cli(['status', '--config', p.configFile]);
    assert.match(status.stdout, /photo\d\.jpg/, 'status names what did not arrive');
    for (const f of p.localFiles()) {
      if (f === 'a.txt' || f.startsWith('.lwsync-tmp-')) continue; // a partial download keeps its temp name
      assert.equal(sha(readFileSync(join(p.local, f))), before[f], `${f} is whole or absent`);
    }
    execFileSync('mount', ['-o', 'remount,size=4m', p.local]);
    expectExit(await p.once(), 0);
    assert.deepEqual(localShas(p), before);
  } finally {
    execFileSync('umount', [p.local]);
  }
});
