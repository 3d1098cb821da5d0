/** `GET admin/trash?drive=…`: the drive's trashed items, with the sha256 of a trashed file's bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEmu, sha256 } from './util.js';

test("a deleted folder and the file in it are listed in the drive's trash, and no longer in its tree", async () => {
  await withEmu({}, async (e) => {
    const folder = await e.mkdir('old');
    const up = await e.upload('kept.txt', 'trashed bytes', folder.fileId);
    assert.equal(up.status, 201, up.text);
    await e.upload('live.txt', 'live');
    assert.deepEqual((await e.admin('GET', '/trash?drive=me')).body, []);
    const del = await e.call('DELETE', `/files/${folder.fileId}`);
    assert.equal(del.status, 204);
    const trash = (await e.admin('GET', '/trash?drive=me')).body as {
      name: string;
      type: string;
      sha256: string | null;
    }[];
    assert.deepEqual(trash.map((t) => [t.name, t.type, t.sha256]).sort(), [
      ['kept.txt', 'file', sha256('trashed bytes')],
      ['old', 'folder', null],
    ]);
    assert.deepEqual(
      (await e.tree()).map((t) => t.path),
      ['/live.txt'],
    );
    assert.equal((await e.admin('GET', '/trash?drive=nobody:x')).status, 404);
  });
});
