/**
 * Stale locks (src/journal/lock.ts): a lock whose pid is alive but belongs to a process started at
 * another time (a pid reused after a crash and reboot) is taken over, so that a stale lock never
 * keeps the service from starting now that systemd does not restart on exit 75.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Journal, JournalLockedError, LOCK_NAME } from '../../src/journal/index.js';

function stateDir(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'lwsync-lock-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('the lock records the writer pid and its start time', (t) => {
  const d = stateDir(t);
  const j = Journal.open(d);
  const [pid, started] = readFileSync(join(d, LOCK_NAME), 'utf8').trim().split(' ');
  assert.equal(pid, String(process.pid));
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  assert.equal(started, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  j.close();
});

test('a lock naming a live pid with another start time is stale and taken over', (t) => {
  const d = stateDir(t);
  writeFileSync(join(d, LOCK_NAME), `${process.ppid} 1\n`);
  const j = Journal.open(d);
  assert.match(readFileSync(join(d, LOCK_NAME), 'utf8'), new RegExp(`^${process.pid} `));
  j.close();
});

test('a lock naming a live pid with its own start time is refused, naming the pid', async (t) => {
  const d = stateDir(t);
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((r) => child.once('spawn', r));
  const pid = child.pid!;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  writeFileSync(join(d, LOCK_NAME), `${pid} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}\n`);
  assert.throws(
    () => Journal.open(d),
    (e: unknown) => e instanceof JournalLockedError && e.message.includes(`pid ${pid}`),
  );
});
