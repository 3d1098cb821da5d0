import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Journal, type BaseRow } from '../../src/journal/index.js';
import { readApiUse, recordApiUse } from '../../src/engine/api-use.js';
import { readPending, savePending } from '../../src/engine/pending.js';
import { humanBytes, localTime, relative, type StatusReport } from '../../src/engine/status.js';
import { runCli } from '../helpers/cli.js';
import { tempDir as tempDirFor } from '../helpers/tmp.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** 2024-05-01 12:00:00 UTC: the CLI runs with TZ=UTC, so local times print as UTC. */
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
/** A next-try time in the future whatever the clock says: 2099-01-01 00:00:00 UTC. */
const LATER = Date.UTC(2099, 0, 1);

function tempDir(): string {
  return tempDirFor('lwsync-status-');
}

function writeConfig(dir: string, extra = ''): string {
  const file = join(dir, 'config.toml');
  writeFileSync(
    file,
    `state_dir = "${join(dir, 'state')}"
[auth]
client_id = "cid"
client_secret = "top-secret-value"
[api]
rate_limit_per_minute = 120
${extra}
[[pairs]]
name = "docs"
local = "${join(dir, 'docs')}"
drive = "me"
remote_path = "/Docs"

[[pairs]]
name = "photos"
local = "${join(dir, 'photos')}"
drive = "sharedrive:@team"
remote_path = "/Pics"
`,
  );
  return file;
}

const row = (path: string): BaseRow => ({
  path,
  kind: 'file',
  localSize: 3,
  localMtimeMs: 1000,
  localIno: 42,
  localSha256: 'ab',
  remoteKey: `k-${path}`,
  remoteUpdateMs: 2000,
  remoteSize: 3,
  remoteParentKey: null,
});

/** A journal with a bit of everything: pair docs busy and troubled, pair old no longer configured. */
function populate(dir: string): Journal {
  const j = Journal.open(join(dir, 'state'));
  j.putPair({
    name: 'docs',
    localRoot: join(dir, 'docs'),
    driveSpec: 'me',
    remotePath: '/Docs',
    remoteFolderKey: 'root-docs',
    createdMs: T0 - HOUR,
  });
  j.putPair({
    name: 'old',
    localRoot: '/srv/old',
    driveSpec: 'me',
    remotePath: '/Old',
    remoteFolderKey: null,
    createdMs: T0 - HOUR,
  });
  j.transaction(() => {
    for (const p of ['a.txt', 'b.txt', 'sub/c.txt']) j.putBase('docs', row(p));
    j.putBase('old', row('legacy.txt'));
  });
  j.setLastSync('docs', T0 - 3 * MIN);
  j.setLastSync('old', T0 - 2 * HOUR);
  j.recordFailure(
    { pair: 'docs', path: 'flaky.txt', action: 'upload' },
    {
      message: 'HTTP 503 from the storage host',
      errorClass: 'transient',
      nextTryMs: LATER,
      permanent: false,
    },
  );
  j.recordFailure(
    { pair: 'docs', path: 'flaky.txt', action: 'upload' },
    {
      message: 'HTTP 503 from the storage host',
      errorClass: 'transient',
      nextTryMs: LATER,
      permanent: false,
    },
  );
  j.recordFailure(
    { pair: 'docs', path: 'virus.exe', action: 'upload' },
    {
      message: 'extension .exe is blocked',
      errorClass: 'rejected-content',
      nextTryMs: 0,
      permanent: true,
    },
  );
  j.recordProblem({
    pair: 'docs',
    path: 'report.docx',
    kind: 'conflict',
    reason: 'both sides changed; the remote copy was kept as report (conflict).docx',
    atMs: T0 - 10 * MIN,
  });
  j.recordProblem({
    pair: 'docs',
    path: 'huge.iso',
    kind: 'skipped',
    reason: 'larger than the Drive accepts',
    atMs: T0 - 20 * MIN,
  });
  j.recordProblem({
    pair: 'docs',
    path: 'locked.xlsx',
    kind: 'error',
    reason: 'the file is locked on the Drive',
    atMs: T0 - 5 * MIN,
  });
  j.saveUploadSession('docs', {
    path: 'big.bin',
    uploadUrl: 'https://storage.example/upload/SESSION-SECRET',
    offset: 4 * 1024 * 1024,
    size: 10 * 1024 * 1024,
    mtimeMs: T0 - HOUR,
    sha256: null,
    parentKey: 'root-docs',
    name: 'big.bin',
    createdMs: T0 - 2 * MIN,
  });
  savePending(j, 'docs', [
    { kind: 'upload', path: 'big.bin', bytes: 10 * 1024 * 1024 },
    { kind: 'upload', path: 'new.txt', bytes: 100 },
    { kind: 'download', path: 'remote.pdf', bytes: 2048 },
    { kind: 'delete-remote', path: 'gone.txt', bytes: 0 },
    { kind: 'delete-remote', path: 'gone2.txt', bytes: 0 },
    { kind: 'mkdir-local', path: 'newdir', bytes: 0 },
  ]);
  const now = Date.now();
  recordApiUse(j, now - 10 * MIN, 30);
  recordApiUse(j, now - 2 * HOUR, 999);
  recordApiUse(j, now, 7);
  j.setLast429(T0 - 30 * MIN);
  return j;
}

test('pending items round-trip; an empty list clears them; unreadable meta reads as none', () => {
  const dir = tempDir();
  const j = Journal.open(dir);
  j.putPair({
    name: 'p',
    localRoot: '/x',
    driveSpec: 'me',
    remotePath: '/',
    remoteFolderKey: null,
    createdMs: 1,
  });
  assert.deepEqual(readPending(j, 'p'), []);
  const items = [
    { kind: 'upload', path: 'a', bytes: 5 },
    { kind: 'move-remote', path: 'b', bytes: 0 },
  ];
  savePending(j, 'p', items);
  assert.deepEqual(readPending(j, 'p'), items);
  assert.deepEqual(readPending(j, 'other'), []);
  savePending(j, 'p', []);
  assert.deepEqual(readPending(j, 'p'), []);
  j.setMeta('p', 'pending', '{not json');
  assert.deepEqual(readPending(j, 'p'), []);
  j.setMeta('p', 'pending', JSON.stringify([{ kind: 'upload', path: 'ok', bytes: 1 }, { kind: 3 }]));
  assert.deepEqual(readPending(j, 'p'), [{ kind: 'upload', path: 'ok', bytes: 1 }]);
  j.close();
});

test('API use: counts per minute and hour, older than an hour is dropped, survives reopening', () => {
  const dir = tempDir();
  const j = Journal.open(dir);
  assert.deepEqual(readApiUse(j, T0), { lastMinute: 0, lastHour: 0, windowStartMs: null });
  recordApiUse(j, T0 - 3 * HOUR, 500);
  recordApiUse(j, T0 - 30 * MIN, 40);
  recordApiUse(j, T0 - 30 * MIN + 1, 2);
  recordApiUse(j, T0 - 20_000, 5);
  recordApiUse(j, T0, 3);
  recordApiUse(j, T0, 0);
  j.close();
  const r = Journal.openReadOnly(dir)!;
  assert.deepEqual(readApiUse(r, T0), { lastMinute: 8, lastHour: 50, windowStartMs: T0 - 30 * MIN });
  assert.deepEqual(readApiUse(r, T0 + 2 * HOUR), { lastMinute: 0, lastHour: 0, windowStartMs: null });
  const stored = JSON.parse(r.getMeta('', 'api_use')!) as { buckets: [number, number][] };
  assert.ok(
    stored.buckets.every(([start]) => start > T0 - HOUR),
    'buckets older than an hour are dropped',
  );
  r.close();
});

test('time and size formatting', () => {
  assert.equal(relative(T0 - 3 * MIN, T0), '3 min ago');
  assert.equal(relative(T0 + 2 * HOUR + 5 * MIN, T0), 'in 2 h 5 min');
  assert.equal(relative(T0 - 1000, T0), 'just now');
  assert.equal(relative(T0 - 3 * 24 * HOUR, T0), '3 days ago');
  assert.match(localTime(T0), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/);
  assert.equal(humanBytes(100), '100 B');
  assert.equal(humanBytes(4 * 1024 * 1024), '4.0 MiB');
});

test('status prints each pair: last sync, items, pending, failing, sessions, conflicts, skipped, API use', async () => {
  const dir = tempDir();
  const config = writeConfig(dir);
  populate(dir).close();
  const r = await runCli(['status', '--config', config], { env: { TZ: 'UTC' } });
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /pair docs: .*docs <-> me:\/Docs/);
  assert.match(out, /last successful sync: 2024-05-01 11:57:00 \+00:00 \(\d+ days? ago\)/);
  assert.match(out, /items tracked: 3/);
  assert.match(
    out,
    /pending: 2 uploads \(10\.0 MiB\), 1 download \(2\.0 KiB\), 3 other \(delete-remote 2, mkdir-local 1\)/,
  );
  assert.match(out, /uploading big\.bin: 4\.0 MiB of 10\.0 MiB sent \(40%\)/);
  assert.match(
    out,
    /upload flaky\.txt: a temporary Drive or network failure: HTTP 503 from the storage host \(class transient; 2 attempts; next try 2099-01-01 00:00:00 \+00:00 \(in \d+ days\)\)/,
  );
  assert.match(
    out,
    /upload virus\.exe: the Drive refuses it: extension \.exe is blocked; rename it or ignore it/,
  );
  assert.match(out, /errors \(1\):\n {4}locked\.xlsx: the file is locked on the Drive/);
  assert.match(out, /conflicts \(1\):\n {4}report\.docx: both sides changed/);
  assert.match(out, /skipped \(1\):\n {4}huge\.iso: larger than the Drive accepts/);
  assert.match(out, /pair photos: .*photos <-> sharedrive:@team:\/Pics\n {2}never synced/);
  assert.match(out, /pair old: \/srv\/old <-> me:\/Old {2}\(in the journal, not in the configuration\)/);
  assert.match(
    out,
    /API requests: \d+ in the last minute \(budget 120\/min per operation\), \d+ in the last hour; last 429: 2024-05-01 11:30:00 \+00:00 \(\d+ days ago\)/,
  );
  assert.ok(!out.includes('SESSION-SECRET'), 'the upload URL is not printed');
  assert.ok(!(out + r.stderr).includes('top-secret-value'));
});

test('status --json prints one document with stable keys', async () => {
  const dir = tempDir();
  const config = writeConfig(dir);
  populate(dir).close();
  const r = await runCli(['status', '--config', config, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as StatusReport;
  assert.equal(doc.journal, true);
  assert.deepEqual(
    doc.pairs.map((p) => [p.name, p.inConfig, p.tracked]),
    [
      ['docs', true, 3],
      ['photos', true, 0],
      ['old', false, 1],
    ],
  );
  const docs = doc.pairs[0]!;
  assert.equal(docs.remote, 'me:/Docs');
  assert.equal(docs.lastSyncMs, T0 - 3 * MIN);
  assert.deepEqual(docs.pending, {
    uploads: { count: 2, bytes: 10 * 1024 * 1024 + 100 },
    downloads: { count: 1, bytes: 2048 },
    other: { count: 3, kinds: { 'delete-remote': 2, 'mkdir-local': 1 } },
  });
  assert.deepEqual(
    docs.failing.map((f) => [f.action, f.path, f.attempts, f.errorClass, f.permanent, f.nextTryMs === null]),
    [
      ['upload', 'virus.exe', 1, 'rejected-content', true, true],
      ['upload', 'flaky.txt', 2, 'transient', false, false],
    ],
  );
  assert.equal(docs.failing[1]!.lastError, 'HTTP 503 from the storage host');
  assert.equal(docs.failing[1]!.explanation, 'a temporary Drive or network failure');
  assert.deepEqual(
    docs.conflicts.map((c) => c.path),
    ['report.docx'],
  );
  assert.deepEqual(docs.skipped, [
    { path: 'huge.iso', reason: 'larger than the Drive accepts', atMs: T0 - 20 * MIN },
  ]);
  assert.deepEqual(
    docs.errors.map((e) => e.path),
    ['locked.xlsx'],
  );
  assert.deepEqual(docs.uploadSessions, [
    { path: 'big.bin', sentBytes: 4 * 1024 * 1024, sizeBytes: 10 * 1024 * 1024, startedMs: T0 - 2 * MIN },
  ]);
  assert.equal(doc.pairs[1]!.lastSyncMs, null);
  assert.equal(doc.pairs[2]!.lastSyncMs, T0 - 2 * HOUR);
  // The figures are relative to the moment status ran (doc.nowMs); the 2-hour-old requests never count.
  const ro = Journal.openReadOnly(join(dir, 'state'))!;
  const use = readApiUse(ro, doc.nowMs);
  ro.close();
  assert.deepEqual(doc.api, {
    lastMinute: use.lastMinute,
    lastHour: use.lastHour,
    budgetPerMinute: 120,
    last429Ms: T0 - 30 * MIN,
  });
  assert.ok(doc.api.lastHour > 0 && doc.api.lastHour < 999, JSON.stringify(doc.api));
  assert.ok(!r.stdout.includes('SESSION-SECRET'));
});

test('status works while another process holds the journal open for writing', async () => {
  const dir = tempDir();
  const config = writeConfig(dir);
  const writer = populate(dir);
  try {
    // A write the writer has not checkpointed yet is seen too (WAL).
    writer.putBase('docs', row('while-running.txt'));
    const r = await runCli(['status', '--config', config, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as StatusReport;
    assert.equal(doc.pairs[0]!.tracked, 4);
    const text = await runCli(['status', '--config', config]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /items tracked: 4/);
    // The writer still holds its lock and can keep writing.
    writer.putBase('docs', row('after.txt'));
    assert.equal(writer.countBase('docs'), 5);
  } finally {
    writer.close();
  }
});

test('status before anything ran says there is no journal yet and exits 0', async () => {
  const dir = tempDir();
  const config = writeConfig(dir);
  const r = await runCli(['status', '--config', config]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /No journal yet in .*state: nothing has been synced/);
  assert.match(r.stdout, /pair docs: .* <-> me:\/Docs\n {2}never synced/);
  assert.match(r.stdout, /last 429: never/);
  const j = await runCli(['status', '--config', config, '--json']);
  assert.equal(j.code, 0, j.stderr);
  const doc = JSON.parse(j.stdout) as StatusReport;
  assert.equal(doc.journal, false);
  assert.deepEqual(
    doc.pairs.map((p) => [p.name, p.tracked, p.lastSyncMs]),
    [
      ['docs', 0, null],
      ['photos', 0, null],
    ],
  );
  assert.deepEqual(doc.api, { lastMinute: 0, lastHour: 0, budgetPerMinute: 120, last429Ms: null });
});

test('status with a bad config exits 2 and names the key', async () => {
  const dir = tempDir();
  const config = writeConfig(dir, '[sync]\nmax_delete_count = -1\n');
  const r = await runCli(['status', '--config', config]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /sync\.max_delete_count/);
});
