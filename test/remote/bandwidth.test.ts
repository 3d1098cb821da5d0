/**
 * Bandwidth limits (contracts.md §2 `bwlimit_up` / `bwlimit_down`, issue 12): one budget per
 * direction for the whole session, shared fairly by concurrent transfers, resumed ones included.
 * Over the emulator, with real bytes: 20 MiB each way at 2 MiB/s must take at least 9 s (no upper
 * bound: a busy machine only makes it slower), and two concurrent transfers of one direction must
 * have moved shares within 20 % of each other when the first of them completes. One transfer each
 * way resumes an earlier run's: its bytes are paced like the others.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { row, sha256, withHarness } from './harness.js';
import type { UploadSession } from '../../src/remote/types.js';

const MiB = 1024 * 1024;
const LIMIT = 2 * MiB;
const EACH = 10 * MiB;

interface Tracked {
  name: string;
  done: number;
  finishedAt: number | null;
}

/** Elapsed time of a group of transfers, and each one's bytes when the first of them completed. */
async function together(
  runs: { name: string; go: (moved: (n: number) => void) => Promise<unknown> }[],
): Promise<{ ms: number; atFirstFinish: Record<string, number> }> {
  const start = performance.now();
  const tracked: Tracked[] = runs.map((r) => ({ name: r.name, done: 0, finishedAt: null }));
  let atFirstFinish: Record<string, number> | null = null;
  await Promise.all(
    runs.map(async (r, i) => {
      const t = tracked[i]!;
      await r.go((n) => (t.done = n));
      t.finishedAt = performance.now();
      atFirstFinish ??= Object.fromEntries(tracked.map((x) => [x.name, x.done]));
    }),
  );
  return { ms: performance.now() - start, atFirstFinish: atFirstFinish ?? {} };
}

function assertFair(shares: Record<string, number>, what: string): void {
  const values = Object.values(shares);
  assert.equal(values.length, 2);
  const [a, b] = values as [number, number];
  assert.ok(
    Math.min(a, b) >= 0.8 * Math.max(a, b),
    `${what}: shares when the first completed differ by more than 20 %: ${JSON.stringify(shares)}`,
  );
}

test('20 MiB up and 20 MiB down at a 2 MiB/s limit take at least 9 s each, shared fairly, resumes included', async () => {
  await withHarness({}, async (h) => {
    // Each direction: one fresh transfer of 10 MiB, and one of 11 MiB that resumes an earlier
    // run's transfer after its first MiB, so 20 MiB move each way, all of them under the limit.
    const up = [randomBytes(EACH), randomBytes(EACH + MiB)];
    const down = [randomBytes(EACH), randomBytes(EACH + MiB)];
    const stored = await Promise.all(
      down.map((b, i) => h.remote.upload(h.file(`src-${i}`, b), null, `down-${i}.bin`)),
    );
    writeFileSync(join(h.dir, 'down-1.part'), down[1]!.subarray(0, MiB));
    await h.fault({ operation: 'upload', times: 1, dropAfterBytes: MiB });
    let broken: UploadSession | null = null;
    await assert.rejects(
      h
        .newSession({ retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 } })
        .remote({ kind: 'user', userId: 'me' })
        .upload(h.file('up-1', up[1]!), null, 'up-1.bin', { onSession: (s) => (broken = s) }),
    );
    assert.ok(broken, 'the first run of the upload left a session');
    await h.clearRequests();

    const limited = h.newSession({ bwlimitUp: LIMIT, bwlimitDown: LIMIT });
    const remote = limited.remote({ kind: 'user', userId: 'me' }, 'bw');
    let resumedFrom = 0;
    const [upload, download] = await Promise.all([
      together(
        up.map((b, i) => ({
          name: `up-${i}`,
          go: (moved) =>
            remote.upload(i === 0 ? h.file('up-0', b) : join(h.dir, 'up-1'), null, `up-${i}.bin`, {
              session: i === 0 ? null : broken,
              onSession: (s) => {
                if (i === 1) resumedFrom = s.offset;
              },
              onProgress: (p) => moved(p.bytesDone - (i === 1 ? resumedFrom : 0)),
            }),
        })),
      ),
      together(
        stored.map((e, i) => ({
          name: `down-${i}`,
          go: (moved) =>
            remote.download(e.resourceKey, join(h.dir, `down-${i}.part`), {
              resume: true,
              version: { updateDate: e.updateDate, size: e.size },
              onProgress: (p) => moved(p.bytesDone - (i === 1 ? MiB : 0)),
            }),
        })),
      ),
    ]);
    console.log(
      `bandwidth: 20 MiB up in ${(upload.ms / 1000).toFixed(1)} s, 20 MiB down in ${(download.ms / 1000).toFixed(1)} s at 2 MiB/s; moved when the first completed: up ${JSON.stringify(upload.atFirstFinish)} down ${JSON.stringify(download.atFirstFinish)}`,
    );

    const tree = await h.tree();
    up.forEach((b, i) => assert.equal(row(tree, `up-${i}.bin`)?.sha256, sha256(b)));
    down.forEach((b, i) => assert.equal(sha256(readFileSync(join(h.dir, `down-${i}.part`))), sha256(b)));
    assert.equal(resumedFrom, MiB, 'the second upload continued the earlier session');
    const contents = (await h.requests()).filter((r) => r.operation === 'download-content');
    assert.deepEqual(contents.map((r) => r.status).sort(), [200, 206], 'the second download continued');

    assert.ok(upload.ms >= 9000, `20 MiB uploaded at 2 MiB/s in ${upload.ms.toFixed(0)} ms`);
    assert.ok(download.ms >= 9000, `20 MiB downloaded at 2 MiB/s in ${download.ms.toFixed(0)} ms`);
    assertFair(upload.atFirstFinish, 'uploads');
    assertFair(download.atFirstFinish, 'downloads');

    const c = limited.counters().pairs['bw'];
    assert.ok(c, 'the transfers counted under their pair');
    assert.equal(c.transfersUp, 2);
    assert.equal(c.transfersDown, 2);
    assert.equal(c.bytesUp, 2 * EACH);
    assert.equal(c.bytesDown, 2 * EACH);
  });
});
