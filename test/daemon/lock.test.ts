/**
 * A second daemon on a state directory already held (issue 12 "first-week rough edges"): it exits
 * 75 at once with one message naming the holder's pid, and the first keeps running. The systemd
 * units do not restart on 75 (test/systemd/units.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setupPair } from '../e2e/harness.js';
import { running } from './helpers.js';

test('a second daemon on a held state directory exits 75 once, naming the holder pid', async (t) => {
  const p = await setupPair(t, { sync: 'remote_poll_seconds = 1\nlocal_quiet_ms = 200', firstSync: true });
  const first = await running(t, p);
  const second = await p.cli(['--config', p.configFile]);
  assert.equal(second.code, 75, `${second.stdout}\n${second.stderr}`);
  const said = `${second.stdout}${second.stderr}`;
  assert.equal(said.match(/is in use by another lineworks-sync process/g)?.length, 1, said);
  assert.match(said, new RegExp(`\\(pid ${first.child.pid}\\)`));
  assert.match(said, new RegExp(p.stateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(first.child.exitCode, null, 'the first daemon still runs');
  assert.equal((await first.stop()).code, 0, first.output());
});
