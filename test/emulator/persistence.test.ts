import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loginTestUser, startTestEmulator } from '../helpers/emulator.js';
import { sendPartial, sha256 } from './util.js';

test('with a data dir, tree, contents, trash, upload sessions and tokens survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-emu-persist-'));
  try {
    const bytes = randomBytes(40_000);
    const partial = randomBytes(30_000);
    let emu = await startTestEmulator({ dataDir: dir, rateLimit: 0 });
    const { accessToken } = await loginTestUser(emu);
    const H = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
    const base = () => `${emu.urls.api}/users/me/drive`;
    const post = async (path: string, body: unknown) =>
      (
        await fetch(`${base()}${path}`, { method: 'POST', headers: H, body: JSON.stringify(body) })
      ).json() as Promise<Record<string, string>>;
    const folder = await post('/files/createfolder', { fileName: 'keep' });
    const gone = await post('/files/createfolder', { fileName: 'gone' });
    const { uploadUrl } = await post(`/files/${folder.fileId}`, {
      fileName: 'k.bin',
      fileSize: bytes.length,
    });
    const up = await fetch(uploadUrl as string, {
      method: 'PUT',
      headers: { Authorization: H.Authorization },
      body: bytes,
    });
    const file = (await up.json()) as Record<string, string>;
    await fetch(`${base()}/files/${gone.fileId}`, { method: 'DELETE', headers: H });
    const s = await post('/files', { fileName: 'half.bin', fileSize: 60_000, resume: true });
    await sendPartial(s.uploadUrl as string, accessToken, 60_000, partial);
    const treeBefore = await (await fetch(`${emu.urls.admin}/tree?drive=me`)).json();
    await emu.close();

    emu = await startTestEmulator({ dataDir: dir, rateLimit: 0 });
    assert.deepEqual(await (await fetch(`${emu.urls.admin}/tree?drive=me`)).json(), treeBefore);
    const got = await fetch(`${base()}/files/${file.fileId}/download`, { headers: H, redirect: 'manual' });
    assert.equal(got.status, 302, 'the old token still works');
    const storageUrl = new URL(got.headers.get('location') ?? '');
    const content = await fetch(`${emu.urls.storage}${storageUrl.pathname}`, {
      headers: { Authorization: H.Authorization },
    });
    assert.equal(sha256(Buffer.from(await content.arrayBuffer())), sha256(bytes));
    const props = (await (await fetch(base(), { headers: H })).json()) as { quota: { trash: number } };
    assert.equal(props.quota.trash, 0, 'the trashed folder holds no bytes');
    assert.equal((await fetch(`${base()}/files/${gone.fileId}`, { headers: H })).status, 404);
    const resumed = await post('/files', { fileName: 'half.bin', fileSize: 60_000, resume: true });
    assert.equal(resumed.offset as unknown as number, 30_000);
    await emu.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a data dir, the private temp dir is removed on close', async () => {
  const emu = await startTestEmulator({});
  const { accessToken } = await loginTestUser(emu);
  const r = await fetch(`${emu.urls.api}/users/me/drive/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ fileName: 'a', fileSize: 1 }),
  });
  assert.equal(r.status, 200);
  await emu.close();
  const again = await startTestEmulator({});
  assert.deepEqual(await (await fetch(`${again.urls.admin}/tree?drive=me`)).json(), []);
  await again.close();
});
