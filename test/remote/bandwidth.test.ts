/**
 * Bandwidth limits (contracts.md §2 `bwlimit_up` / `bwlimit_down`, issue 12): one budget per
 * direction for the whole session, shared fairly by concurrent transfers, resumed ones included.
 * Over the emulator, with real bytes: 20 MiB each way at 2 MiB/s must take at least 9 s (no upper
 * bound: a busy machine only makes it slower), and two concurrent transfers of one direction must
 * have moved shares within 20 % of each other when the first of them completes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { row, sha256, withHarness } from './harness.js';

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
  runs: { name: string; go: (onBytes: (n: number) => void) => Promise<unknown> }[],
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
    const up = [randomBytes(EACH), randomBytes(EACH)];
    const down = [randomBytes(EACH), randomBytes(EACH)];
    // The files to download are put there without a limit.
    const stored = await Promise.all(
      down.map((b, i) => h.remote.upload(h.file(`src-${i}`, b), null, `down-${i}.bin`)),
    );
    const limited = h.newSession({ bwlimitUp: LIMIT, bwlimitDown: LIMIT });
    const remote = limited.remote({ kind: 'user', userId: 'me' }, 'bw');
    // One download breaks after 1 MiB and resumes with a Range request: the rest is paced too.
    await h.fault({ operation: 'download-content', times: 1, dropAfterBytes: MiB });
    await h.clearRequests();

    const [upload, download] = await Promise.all([
      together(
        up.map((b, i) => ({
          name: `up-${i}`,
          go: (onBytes) =>
            remote.upload(h.file(`up-${i}`, b), null, `up-${i}.bin`, {
              onProgress: (p) => onBytes(p.bytesDone),
            }),
        })),
      ),
      together(
        stored.map((e, i) => ({
          name: `down-${i}`,
          go: (onBytes) =>
            remote.download(e.resourceKey, join(h.dir, `down-${i}.part`), {
              onProgress: (p) => onBytes(p.bytesDone),
            }),
        })),
      ),
    ]);
    console.log(
      `bandwidth: 20 MiB up in ${(upload.ms / 1000).toFixed(1)} s, 20 MiB down in ${(download.ms / 1000).toFixed(1)} s at 2 MiB/s; shares up ${JSON.stringify(upload.atFirstFinish)} down ${JSON.stringify(download.atFirstFinish)}`,
    );

    const tree = await h.tree();
    up.forEach((b, i) => assert.equal(row(tree, `up-${i}.bin`)?.sha256, sha256(b)));
    down.forEach((b, i) => assert.equal(sha256(readFileSync(join(h.dir, `down-${i}.part`))), sha256(b)));
    const contents = (await h.requests()).filter((r) => r.operation === 'download-content');
    assert.ok(
      contents.some((r) => r.status === 206),
      'the broken download was resumed with a Range request',
    );

    assert.ok(upload.ms >= 9000, `20 MiB uploaded at 2 MiB/s in ${upload.ms.toFixed(0)} ms`);
    assert.ok(download.ms >= 9000, `20 MiB downloaded at 2 MiB/s in ${download.ms.toFixed(0)} ms`);
    assertFair(upload.atFirstFinish, 'uploads');
    assertFair(download.atFirstFinish, 'downloads');

    const c = limited.counters().pairs['bw'];
    assert.ok(c, 'the transfers counted under their pair');
    assert.equal(c.transfersUp, 2);
    assert.equal(c.transfersDown, 2);
    assert.ok(c.bytesUp >= 2 * EACH, `bytes up ${c.bytesUp}`);
    assert.ok(c.bytesDown >= 2 * EACH - MiB, `bytes down ${c.bytesDown}`);
    assert.equal(c.retries['transient'], 1, 'the broken download was retried once');
  });
});
