/**
 * An unreadable local file for tests that run as root (root reads any file): the CLI runs inside
 * `unshare -Ur` and the file belongs to a uid that namespace does not map, mode 000.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync } from 'node:fs';

/** The wrapper the CLI or daemon runs under (runCli / startDaemon `wrap`). */
export const UNSHARE = ['unshare', '-Ur'];
/** A uid and gid no user namespace made by `unshare -Ur` maps. */
const STRANGER = 54_321;

/** Makes `path` unreadable inside `unshare -Ur`; throws when the machine cannot. */
export function makeUnreadable(path: string): void {
  const probe = spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), 'true'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `setup: this test needs a user namespace (\`unshare -Ur\`) to make a file unreadable for root; ` +
        `the machine refused: ${probe.error?.message ?? probe.stderr.trim()}`,
    );
  chownSync(path, STRANGER, STRANGER);
  chmodSync(path, 0o000);
  const read = spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), 'cat', path], { encoding: 'utf8' });
  if (read.status === 0)
    throw new Error(`setup: ${path} is still readable inside the namespace; the test would prove nothing`);
}

export function makeReadable(path: string): void {
  chownSync(path, 0, 0);
  chmodSync(path, 0o644);
}
