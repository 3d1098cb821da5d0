import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, truncateSync, utimesSync } from 'node:fs';
import { row, sha256, withHarness } from './harness.js';
import { LocalChangedError, RemoteError } from '../../src/remote/errors.js';
import type { RemoteEntry, UploadSession } from '../../src/remote/types.js';

test('a new file is uploaded with its bytes, size and modification time', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(100_000);
    const path = h.file('a.bin', bytes);
    utimesSync(path, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
    const progress: number[] = [];
    const sessions: UploadSession[] = [];
    const e = await h.remote.upload(path, null, 'a.bin', {
      onProgress: (p) => progress.push(p.bytesDone),
      onSession: (s) => sessions.push(s),
    });
    assert.equal(e.size, bytes.length);
    assert.equal(e.name, 'a.bin');
    assert.equal(e.updateDate, Date.parse('2026-01-02T03:04:05Z'));
    assert.equal(row(await h.tree(), 'a.bin')?.sha256, sha256(bytes));
    assert.equal(progress.at(-1), bytes.length);
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.offset, 0);
    assert.equal(sessions[0]?.size, bytes.length);
  });
});

test('an empty file uploads', async () => {
  await withHarness({}, async (h) => {
    const e = await h.remote.upload(h.file('empty', 0), null, 'empty.txt');
    assert.equal(e.size, 0);
    assert.equal(row(await h.tree(), 'empty.txt')?.size, 0);
  });
});

test('uploading over an existing name fails as "exists" unless overwrite is asked, which keeps the fileId', async () => {
  await withHarness({}, async (h) => {
    const first = await h.remote.upload(h.file('v1', 10), null, 'doc.txt');
    await assert.rejects(
      h.remote.upload(h.file('v2', 20), null, 'doc.txt'),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'exists',
    );
    const v3 = randomBytes(30);
    const second = await h.remote.upload(h.file('v3', v3), null, 'doc.txt', { overwrite: true });
    assert.equal(second.resourceKey, first.resourceKey);
    assert.equal(second.size, 30);
    assert.equal(row(await h.tree(), 'doc.txt')?.sha256, sha256(v3));
  });
});

test('a dropped upload resumes from the offset the server holds, not from byte 0', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(3 * 1024 * 1024);
    await h.fault({ operation: 'upload', times: 2, dropAfterBytes: 1024 * 1024 });
    const sessions: UploadSession[] = [];
    const e = await h.remote.upload(h.file('big', bytes), null, 'big.bin', {
      onSession: (s) => sessions.push(s),
    });
    assert.equal(e.size, bytes.length);
    assert.equal(row(await h.tree(), 'big.bin')?.sha256, sha256(bytes));
    const offsets = sessions.map((s) => s.offset);
    assert.equal(offsets.length, 3, `sessions: ${offsets.join(',')}`);
    assert.equal(offsets[0], 0);
    assert.ok(
      (offsets[1] ?? 0) > 0 && (offsets[2] ?? 0) > (offsets[1] ?? 0),
      `offsets grow: ${offsets.join(',')}`,
    );
    assert.ok(
      sessions.every((s) => s.uploadUrl === sessions[0]?.uploadUrl),
      'the same server session all along',
    );
    const puts = (await h.requests()).filter((r) => r.operation === 'upload');
    assert.equal(puts.length, 3);
    assert.equal(puts.at(-1)?.status, 201);
  });
});

test('a session persisted by an earlier run is resumed when the file is unchanged', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const path = h.file('p', bytes);
    await h.fault({ operation: 'upload', times: 1, dropAfterBytes: 1024 * 1024 });
    let saved: UploadSession | null = null;
    const s1 = h.newSession({ retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    await assert.rejects(
      s1
        .remote({ kind: 'user', userId: 'me' })
        .upload(path, null, 'p.bin', { onSession: (s) => (saved = s) }),
    );
    assert.ok(saved);
    const later: UploadSession[] = [];
    const e = await h.remote.upload(path, null, 'p.bin', { session: saved, onSession: (s) => later.push(s) });
    assert.equal(row(await h.tree(), 'p.bin')?.sha256, sha256(bytes));
    assert.equal(e.size, bytes.length);
    assert.ok((later[0]?.offset ?? 0) > 0, 'resumed from the server offset');
    assert.equal(later[0]?.uploadUrl, (saved as UploadSession).uploadUrl);
  });
});

test('a pending session of an older version of the file is not resumed', async () => {
  await withHarness({}, async (h) => {
    const old = randomBytes(1024 * 1024);
    const path = h.file('v', old);
    await h.fault({ operation: 'upload', times: 1, dropAfterBytes: 512 * 1024 });
    let saved: UploadSession | null = null;
    const s1 = h.newSession({ retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    await assert.rejects(
      s1
        .remote({ kind: 'user', userId: 'me' })
        .upload(path, null, 'v.bin', { onSession: (s) => (saved = s) }),
    );
    const fresh = randomBytes(1024 * 1024);
    h.file('v', fresh);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const later: UploadSession[] = [];
    await h.remote.upload(path, null, 'v.bin', { session: saved, onSession: (s) => later.push(s) });
    assert.equal(row(await h.tree(), 'v.bin')?.sha256, sha256(fresh));
    assert.equal(later[0]?.offset, 0);
  });
});

test('an upload whose answer was lost after the file was complete is found, not repeated', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(50_000);
    await h.fault({ operation: 'upload', times: 1, status: 500, apply: true });
    const e = await h.remote.upload(h.file('done', bytes), null, 'done.bin');
    assert.equal(row(await h.tree(), 'done.bin')?.fileId, e.resourceKey);
    assert.equal(row(await h.tree(), 'done.bin')?.sha256, sha256(bytes));
    const puts = (await h.requests()).filter((r) => r.operation === 'upload');
    assert.deepEqual(
      puts.map((r) => r.status),
      [500],
    );
  });
});

test('an upload answered 598 after completing is found, and one answered 598 before is sent again', async () => {
  await withHarness({}, async (h) => {
    const a = randomBytes(40_000);
    await h.fault({ operation: 'upload', times: 1, status: 598, apply: true });
    await h.remote.upload(h.file('a', a), null, 'a.bin');
    const b = randomBytes(40_000);
    await h.fault({ operation: 'upload', times: 1, status: 598, apply: false });
    await h.remote.upload(h.file('b', b), null, 'b.bin');
    const tree = await h.tree();
    assert.equal(row(tree, 'a.bin')?.sha256, sha256(a));
    assert.equal(row(tree, 'b.bin')?.sha256, sha256(b));
  });
});

test('a file that changes while it is uploaded fails as transient, naming the file the Drive completed', async () => {
  await withHarness({}, async (h) => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const path = h.file('moving', bytes);
    let touched = false;
    let completed: RemoteEntry | undefined;
    await assert.rejects(
      h.remote.upload(path, null, 'moving.bin', {
        onProgress: () => {
          if (touched) return;
          touched = true;
          appendFileSync(path, 'more');
        },
      }),
      (e: unknown) => {
        completed = e instanceof LocalChangedError ? e.entry : undefined;
        return e instanceof RemoteError && e.errorClass === 'transient' && e.code === 'LOCAL_CHANGED';
      },
    );
    const stored = row(await h.tree(), 'moving.bin');
    assert.equal(stored?.sha256, sha256(bytes), 'the declared length was sent');
    assert.equal(completed?.resourceKey, stored?.fileId, 'the error names the file the Drive holds');
    assert.equal(completed?.size, bytes.length);
  });
});

test(
  'a file that shrinks while it is uploaded fails at once as changed, not after the stall watchdog',
  {
    timeout: 60_000,
  },
  async () => {
    await withHarness({}, async (h) => {
      const path = h.file('shrinking', randomBytes(32 * 1024 * 1024));
      // the storage host reads nothing for a while: the client is still reading the file when it shrinks
      await h.fault({ operation: 'upload', times: 1, delayMs: 300 });
      // a watchdog that would fire only after the test's timeout (without the early end it waits for it)
      const remote = h.newSession({ stallMs: 90_000 }).remote({ kind: 'user', userId: 'me' });
      let cut = false;
      await assert.rejects(
        remote.upload(path, null, 'shrinking.bin', {
          onProgress: () => {
            if (cut) return;
            cut = true;
            truncateSync(path, 1000);
          },
        }),
        (e: unknown) => e instanceof LocalChangedError && e.entry === undefined,
      );
      assert.equal(row(await h.tree(), 'shrinking.bin'), undefined, 'no file completed on the Drive');
    });
  },
);

test('an expired upload URL starts the upload over', async () => {
  await withHarness({ uploadUrlTtl: 1 }, async (h) => {
    const bytes = randomBytes(1024 * 1024);
    const path = h.file('exp', bytes);
    await h.fault({ operation: 'upload', times: 1, dropAfterBytes: 256 * 1024 });
    let saved: UploadSession | null = null;
    const s1 = h.newSession({ retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 } });
    await assert.rejects(
      s1
        .remote({ kind: 'user', userId: 'me' })
        .upload(path, null, 'exp.bin', { onSession: (s) => (saved = s) }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const e = await h.remote.upload(path, null, 'exp.bin', { session: saved });
    assert.equal(e.size, bytes.length);
    assert.equal(row(await h.tree(), 'exp.bin')?.sha256, sha256(bytes));
  });
});

test('a storage-host refusal is classified by its numeric code', async () => {
  await withHarness({ blockedExtensions: 'exe' }, async (h) => {
    await h.fault({ operation: 'upload', times: 1, status: 507, dialect: 'storage' });
    await assert.rejects(
      h.remote.upload(h.file('q', 10), null, 'q.bin'),
      (e: unknown) => e instanceof RemoteError,
    );
    await assert.rejects(
      h.remote.upload(h.file('x', 10), null, 'x.exe'),
      (e: unknown) => e instanceof RemoteError && e.errorClass === 'rejected-content',
    );
  });
});
