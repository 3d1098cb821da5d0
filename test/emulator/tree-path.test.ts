import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEmu } from './util.js';

test('admin/tree?path= answers the rows at and under that path only; a path naming nothing has none', async () => {
  await withEmu({}, async (e) => {
    const a = await e.mkdir('A');
    const b = await e.mkdir('B', a.fileId);
    assert.equal((await e.upload('x.txt', 'xx', b.fileId)).status, 201);
    assert.equal((await e.upload('y.txt', 'y', a.fileId)).status, 201);
    await e.mkdir('Other');
    const paths = async (p: string): Promise<string[]> => {
      const r = await e.admin('GET', `tree?drive=me&path=${encodeURIComponent(p)}`);
      assert.equal(r.status, 200, r.text);
      return (r.body as { path: string }[]).map((x) => x.path);
    };
    assert.deepEqual(await paths('/A/B'), ['/A/B', '/A/B/x.txt']);
    assert.deepEqual(await paths('/a/b/X.TXT'), ['/A/B/x.txt'], 'names compare as the drive does');
    assert.deepEqual(await paths('/A'), ['/A', '/A/B', '/A/B/x.txt', '/A/y.txt']);
    assert.deepEqual(await paths('/A/nothing'), []);
    assert.deepEqual(await paths('/A/y.txt/below'), []);
    assert.equal((await paths('/')).length, 5);
    const row = (await e.admin('GET', 'tree?drive=me&path=/A/B/x.txt')).body as Record<string, unknown>[];
    assert.deepEqual(Object.keys(row[0] ?? {}).sort(), [
      'fileId',
      'modifiedTime',
      'path',
      'sha256',
      'size',
      'type',
    ]);
  });
});
