/**
 * One writer per state directory: `<stateDir>/journal.lock`, created with O_EXCL and holding the
 * writer's pid and, where /proc exists, its start time. A lock whose pid is no longer alive — or is
 * alive but started at another time (the pid was reused, e.g. after a reboot) — is stale and taken
 * over, so a stale lock never keeps a service from starting. Readers (`status`) take no lock.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_NAME = 'journal.lock';

export class JournalLockedError extends Error {
  constructor(
    readonly stateDir: string,
    readonly holderPid: number,
  ) {
    super(
      `state directory ${stateDir} is in use by another lineworks-sync process (pid ${holderPid}); ` +
        `stop it first, or use a different state_dir`,
    );
    this.name = 'JournalLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's start time (/proc/PID/stat field 22, clock ticks since boot); null without /proc. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // field 2, the command name, may hold spaces and parentheses: count the fields after its last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The lock's pid and recorded start time (absent in locks written before it was recorded). */
function lockInfo(path: string): { pid: number; started: string | null } | null {
  try {
    const [p, started] = readFileSync(path, 'utf8').trim().split(/\s+/);
    const pid = Number.parseInt(p ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? { pid, started: started ?? null } : null;
  } catch {
    return null;
  }
}

function holder(path: string): number | null {
  return lockInfo(path)?.pid ?? null;
}

/** The lock's writer is still running: its pid is alive and, when both are known, started then. */
function held(info: { pid: number; started: string | null }): boolean {
  if (!alive(info.pid)) return false;
  const now = info.started === null ? null : startTime(info.pid);
  return now === null || now === info.started;
}

/** Takes the lock; returns the function that releases it. Throws JournalLockedError. */
export function acquireLock(stateDir: string): () => void {
  const path = join(stateDir, LOCK_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid} ${startTime(process.pid) ?? ''}`.trim() + '\n');
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (holder(path) === process.pid) unlinkSync(path);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const info = lockInfo(path);
      const pid = info?.pid ?? null;
      if (info !== null && pid !== process.pid && held(info))
        throw new JournalLockedError(stateDir, info.pid);
      if (pid === process.pid) throw new JournalLockedError(stateDir, pid);
      try {
        unlinkSync(path);
      } catch {
        // another process removed the stale lock first; try again
      }
    }
  }
  throw new JournalLockedError(stateDir, holder(path) ?? 0);
}
