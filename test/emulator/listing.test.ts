import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEmu, type Env } from './util.js';

interface Page {
  files: { fileId: string; fileName: string; fileSize: number; filePath: string }[];
  responseMetaData: { nextCursor?: string | null };
}

async function page(e: Env, folder: string, query: string): Promise<Page> {
  const r = await e.call('GET', `/files/${folder}/children?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.body as Page;
}

async function all(e: Env, folder: string, query: string): Promise<string[]> {
  const names: string[] = [];
  let cursor = '';
  do {
    const p = await page(e, folder, `${query}${cursor ? `&cursor=${cursor}` : ''}`);
    names.push(...p.files.map((f) => f.fileName));
    cursor = p.responseMetaData.nextCursor ?? '';
  } while (cursor);
  return names;
}

test('the pages after the first see every change made between them (a listing longer than a page is kept)', async () => {
  await withEmu({}, async (e) => {
    const d = await e.mkdir('d');
    const ids: Record<string, string> = {};
    for (const n of ['a', 'c', 'e', 'g', 'i']) {
      const r = await e.upload(`${n}.txt`, n, d.fileId);
      ids[n] = (r.body as { fileId: string }).fileId;
    }
    const first = await page(e, d.fileId, 'count=2');
    assert.deepEqual(
      first.files.map((f) => f.fileName),
      ['a.txt', 'c.txt'],
    );
    const cursor = first.responseMetaData.nextCursor as string;
    assert.deepEqual(
      (await page(e, d.fileId, `count=2&cursor=${cursor}`)).files.map((f) => f.fileName),
      ['e.txt', 'g.txt'],
    );
    await e.upload('b.txt', 'b', d.fileId);
    assert.deepEqual(
      (await page(e, d.fileId, `count=2&cursor=${cursor}`)).files.map((f) => f.fileName),
      ['c.txt', 'e.txt'],
      'an upload between pages',
    );
    assert.equal((await e.call('DELETE', `/files/${ids.c}`)).status, 204);
    assert.deepEqual(
      (await page(e, d.fileId, `count=2&cursor=${cursor}`)).files.map((f) => f.fileName),
      ['e.txt', 'g.txt'],
      'a delete between pages',
    );
    assert.equal((await e.call('POST', `/files/${ids.a}/rename`, { fileName: 'z.txt' })).status, 200);
    assert.deepEqual(await all(e, d.fileId, 'count=2'), ['b.txt', 'e.txt', 'g.txt', 'i.txt', 'z.txt']);
    const bySize = async (): Promise<[string, number][]> =>
      (await page(e, d.fileId, 'count=2&orderBy=fileSize%20desc')).files.map((f) => [f.fileName, f.fileSize]);
    assert.equal((await bySize())[0]?.[1], 1);
    await e.upload('e.txt', 'longer e', d.fileId, { overwrite: true });
    assert.deepEqual((await bySize())[0], ['e.txt', 8], 'an overwrite between listings');
    const byPath = async (): Promise<string[]> =>
      (await page(e, d.fileId, 'count=2&orderBy=filePath%20asc')).files.map((f) => f.filePath);
    assert.deepEqual(await byPath(), ['/d/b.txt', '/d/e.txt']);
    const m = await e.mkdir('m');
    const mv = await e.call('POST', `/files/${d.fileId}/move`, { toParentFileId: m.fileId });
    assert.equal(mv.status, 200, mv.text);
    assert.deepEqual(await byPath(), ['/m/d/b.txt', '/m/d/e.txt'], 'a folder move between listings');
  });
});
