/**
 * One writer per state directory: `<stateDir>/journal.lock`, created with O_EXCL and holding the
 * writer's pid. A lock whose pid is no longer alive is stale and taken over. Readers (`status`) take
 * no lock.
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

function holder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the lock; returns the function that releases it. Throws JournalLockedError. */
export function acquireLock(stateDir: string): () => void {
  const path = join(stateDir, LOCK_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (holder(path) === process.pid) unlinkSync(path);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = holder(path);
      if (pid !== null && pid !== process.pid && alive(pid)) throw new JournalLockedError(stateDir, pid);
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
