import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, type Env } from './util.js';

const SD = '@2101000000000009';

async function quota(
  e: Env,
  base = '',
): Promise<{ total: number; used: number; trash: number; unused: number }> {
  const r = await e.call('GET', base);
  assert.equal(r.status, 200, r.text);
  return (r.body as { quota: { total: number; used: number; trash: number; unused: number } }).quota;
}

async function uploaded(e: Env, ...args: Parameters<Env['upload']>): Promise<string> {
  const r = await e.upload(...args);
  assert.equal(r.status, 201, r.text);
  return (r.body as { fileId: string }).fileId;
}

test('drive usage follows uploads, overwrites, copies, deletes, other drives, a restart with a data dir and a reset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-emu-usage-'));
  const knobs = { dataDir: dir, quota: 10_000 };
  const sd = (e: Env): string => `${e.emu.urls.api}/sharedrives/${encodeURIComponent(SD)}`;
  let e = await setup(knobs);
  try {
    assert.deepEqual(await quota(e), { total: 10_000, used: 0, unused: 10_000, trash: 0 });
    const a = await uploaded(e, 'a.bin', Buffer.alloc(300, 1));
    const d = await e.mkdir('d');
    await uploaded(e, 'b.bin', Buffer.alloc(200, 2), d.fileId);
    assert.deepEqual(await quota(e), { total: 10_000, used: 500, unused: 9_500, trash: 0 });

    assert.equal(await uploaded(e, 'a.bin', Buffer.alloc(100, 3), undefined, { overwrite: true }), a);
    assert.equal((await quota(e)).used, 300, 'an overwrite counts the new size only');
    await uploaded(e, 'a.bin', Buffer.alloc(1000, 4), undefined, { overwrite: true });
    assert.equal((await quota(e)).used, 1200);
    await uploaded(e, 'a.bin', Buffer.alloc(50, 5), undefined, { suffixOnDuplicate: true });
    assert.equal((await quota(e)).used, 1250);

    const into = await e.mkdir('into');
    const c = await e.call('POST', `/files/${d.fileId}/copy`, { toParentFileId: into.fileId });
    assert.equal(c.status, 201, c.text);
    assert.equal((await quota(e)).used, 1450, 'a copy adds its bytes');

    assert.equal((await e.call('DELETE', `/files/${d.fileId}`)).status, 204);
    assert.deepEqual(await quota(e), { total: 10_000, used: 1250, unused: 8_750, trash: 200 });

    // The quota check sees the running total: 8,751 more bytes do not fit, 8,750 do (and are not kept).
    const over = await e.uploadUrl('big.bin', 8_751);
    const r = await e.raw(over.uploadUrl, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${e.token}` },
      body: Buffer.alloc(8_751),
    });
    assert.equal(r.status, 403);
    assert.equal((await quota(e)).used, 1250, 'a refused upload counts nothing');
    const fits = await uploaded(e, 'fits.bin', Buffer.alloc(8_750));
    assert.deepEqual(await quota(e), { total: 10_000, used: 10_000, unused: 0, trash: 200 });
    assert.equal((await e.call('DELETE', `/files/${fits}`)).status, 204);
    assert.deepEqual(await quota(e), { total: 10_000, used: 1250, unused: 8_750, trash: 8_950 });

    assert.equal((await e.admin('POST', 'drives', { sharedrive: SD })).status, 201);
    assert.deepEqual(await quota(e, sd(e)), { total: 10_000, used: 0, unused: 10_000, trash: 0 });
    const up = await e.call('POST', `${sd(e)}/files`, { fileName: 's.bin', fileSize: 70 });
    assert.equal(up.status, 200, up.text);
    const put = await e.raw((up.body as { uploadUrl: string }).uploadUrl, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${e.token}` },
      body: Buffer.alloc(70),
    });
    assert.equal(put.status, 201, put.text);
    assert.equal((await quota(e, sd(e))).used, 70);
    assert.equal((await quota(e)).used, 1250, 'each drive has its own total');

    await e.close();
    e = await setup(knobs);
    assert.deepEqual(await quota(e), { total: 10_000, used: 1250, unused: 8_750, trash: 8_950 });
    assert.deepEqual(await quota(e, sd(e)), { total: 10_000, used: 70, unused: 9_930, trash: 0 });
    assert.equal((await e.call('DELETE', `/files/${a}`)).status, 204);
    assert.deepEqual(await quota(e), { total: 10_000, used: 250, unused: 9_750, trash: 9_950 });
    const tree = await e.tree();
    assert.equal(
      tree.reduce((n, t) => n + t.size, 0),
      250,
      'used is the sum of the live files the tree shows',
    );

    assert.equal((await e.admin('POST', 'reset')).status, 200);
    await e.close();
    e = await setup(knobs);
    assert.deepEqual(await quota(e), { total: 10_000, used: 0, unused: 10_000, trash: 0 });
    assert.equal((await e.call('GET', sd(e))).status, 404, 'the reset dropped the shared drive');
  } finally {
    await e.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
