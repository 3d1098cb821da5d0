import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEmu, sha256 } from './util.js';

type File = Record<string, unknown> & { fileId: string };

test('a folder created at the root answers 201 with the File object of reference §3', async () => {
  await withEmu({}, async (e) => {
    const r = await e.call('POST', '/files/createfolder', { fileName: 'Docs' });
    assert.equal(r.status, 201);
    const f = r.body as File;
    assert.equal(f.fileName, 'Docs');
    assert.equal(f.filePath, '/Docs');
    assert.equal(f.fileType, 'FOLDER');
    assert.equal(f.fileSize, 0);
    assert.equal('parentFileId' in f, false);
    assert.match(String(f.modifiedTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    const child = await e.mkdir('sub', f.fileId);
    assert.equal(child.parentFileId, f.fileId);
    assert.equal(child.filePath, '/Docs/sub');
  });
});

test('files get their fileType from the extension', async () => {
  await withEmu({}, async (e) => {
    const types: Record<string, string> = {
      'a.mp3': 'AUDIO',
      'b.pdf': 'DOC',
      'c.exe': 'EXE',
      'd.PNG': 'IMAGE',
      'e.mp4': 'VIDEO',
      'f.zip': 'ZIP',
      g: 'ETC',
    };
    for (const [name, type] of Object.entries(types)) {
      const r = await e.upload(name, 'x');
      assert.equal(r.status, 201);
      assert.equal((r.body as File).fileType, type, name);
    }
  });
});

test('the percent-encoded email and the plain email name the same My Drive as me', async () => {
  await withEmu({}, async (e) => {
    await e.mkdir('shared-name');
    for (const user of ['user1%40example.com', 'user1@example.com', 'me']) {
      const r = await e.call('GET', `${e.emu.urls.api}/users/${user}/drive/files`);
      assert.equal(r.status, 200, user);
      assert.deepEqual(
        (r.body as { files: File[] }).files.map((f) => f.fileName),
        ['shared-name'],
      );
    }
    const other = await e.call('GET', `${e.emu.urls.api}/users/nobody%40example.com/drive/files`);
    assert.equal(other.status, 404);
  });
});

test('listing pages by count with an opaque cursor, omits nextCursor on the last page and honours orderBy', async () => {
  await withEmu({}, async (e) => {
    for (const n of ['c', 'a', 'e', 'b', 'd']) await e.upload(`${n}.txt`, n.repeat(n.charCodeAt(0) - 96));
    const p1 = await e.call('GET', '/files?count=2');
    const b1 = p1.body as { files: File[]; responseMetaData: { nextCursor?: string } };
    assert.deepEqual(
      b1.files.map((f) => f.fileName),
      ['a.txt', 'b.txt'],
    );
    const cursor = encodeURIComponent(String(b1.responseMetaData.nextCursor));
    const p2 = (await e.call('GET', `/files?count=2&cursor=${cursor}`)).body as typeof b1;
    assert.deepEqual(
      p2.files.map((f) => f.fileName),
      ['c.txt', 'd.txt'],
    );
    const p3 = (
      await e.call(
        'GET',
        `/files?count=2&cursor=${encodeURIComponent(String(p2.responseMetaData.nextCursor))}`,
      )
    ).body as typeof b1;
    assert.deepEqual(
      p3.files.map((f) => f.fileName),
      ['e.txt'],
    );
    assert.equal('nextCursor' in p3.responseMetaData, false);
    const bySize = (await e.call('GET', '/files?orderBy=fileSize+desc')).body as typeof b1;
    assert.deepEqual(
      bySize.files.map((f) => f.fileName),
      ['e.txt', 'd.txt', 'c.txt', 'b.txt', 'a.txt'],
    );
  });
});

for (const [knob, expected] of [
  ['null', null],
  ['empty', ''],
] as const) {
  test(`with --end-cursor ${knob} the last page carries nextCursor ${JSON.stringify(expected)}`, async () => {
    await withEmu({ endCursor: knob }, async (e) => {
      await e.mkdir('x');
      const r = (await e.call('GET', '/files')).body as { responseMetaData: Record<string, unknown> };
      assert.equal(r.responseMetaData.nextCursor, expected);
    });
  });
}

test('children of a folder are listed, and get answers the same File', async () => {
  await withEmu({}, async (e) => {
    const d = await e.mkdir('d');
    const up = (await e.upload('f.txt', 'hello', d.fileId)).body as File;
    const list = (await e.call('GET', `/files/${d.fileId}/children`)).body as { files: File[] };
    assert.deepEqual(
      list.files.map((f) => f.fileId),
      [up.fileId],
    );
    const got = await e.call('GET', `/files/${up.fileId}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, up);
  });
});

test('a name that clashes case-insensitively answers 409 ALREADY_EXIST and creates nothing', async () => {
  await withEmu({}, async (e) => {
    await e.mkdir('Report');
    const r = await e.call('POST', '/files/createfolder', { fileName: 'report' });
    assert.equal(r.status, 409);
    assert.equal((r.body as { code: string }).code, 'ALREADY_EXIST');
    const u = await e.call('POST', '/files', { fileName: 'REPORT', fileSize: 1 });
    assert.equal(u.status, 409);
    assert.equal((await e.tree()).length, 1);
  });
});

test('with --case-sensitive, names differing only in case live side by side', async () => {
  await withEmu({ caseSensitive: true }, async (e) => {
    await e.mkdir('Report');
    assert.equal((await e.call('POST', '/files/createfolder', { fileName: 'report' })).status, 201);
    assert.deepEqual(
      (await e.tree()).map((t) => t.path),
      ['/Report', '/report'],
    );
  });
});

test('names are compared after NFC normalisation', async () => {
  await withEmu({}, async (e) => {
    await e.mkdir('Caf\u00e9');
    const r = await e.call('POST', '/files/createfolder', { fileName: 'Cafe\u0301' });
    assert.equal(r.status, 409);
  });
});

test('delete answers 204 and moves the item and its subtree to the trash', async () => {
  await withEmu({}, async (e) => {
    const d = await e.mkdir('d');
    await e.upload('f.bin', Buffer.alloc(100, 1), d.fileId);
    const r = await e.call('DELETE', `/files/${d.fileId}`);
    assert.equal(r.status, 204);
    assert.deepEqual(await e.tree(), []);
    const q = (await e.call('GET', '')).body as { quota: Record<string, number> };
    assert.equal(q.quota.used, 0);
    assert.equal(q.quota.trash, 100);
    assert.equal((await e.call('GET', `/files/${d.fileId}`)).status, 404);
  });
});

test('drive properties report the quota in bytes and the trash cycle', async () => {
  await withEmu({ quota: 1000 }, async (e) => {
    await e.upload('a', Buffer.alloc(300));
    const r = await e.call('GET', '');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      quota: { total: 1000, used: 300, unused: 700, trash: 0 },
      trashEmptyCycle: 30,
    });
  });
});

test('copy duplicates a folder with its contents under a new fileId and answers 201', async () => {
  await withEmu({}, async (e) => {
    const src = await e.mkdir('src');
    const dst = await e.mkdir('dst');
    await e.upload('f.txt', 'copy me', src.fileId);
    const r = await e.call('POST', `/files/${src.fileId}/copy`, { toParentFileId: dst.fileId });
    assert.equal(r.status, 201);
    assert.notEqual((r.body as File).fileId, src.fileId);
    const tree = await e.tree();
    assert.deepEqual(
      tree.map((t) => t.path),
      ['/dst', '/dst/src', '/dst/src/f.txt', '/src', '/src/f.txt'],
    );
    assert.equal(tree.find((t) => t.path === '/dst/src/f.txt')?.sha256, sha256('copy me'));
    assert.equal(
      (await e.call('POST', `/files/${src.fileId}/copy`, { toParentFileId: dst.fileId })).status,
      409,
    );
  });
});

test('move keeps the fileId and changes the path; moving to the root uses an empty body', async () => {
  await withEmu({}, async (e) => {
    const a = await e.mkdir('a');
    const f = (await e.upload('f.txt', 'x', a.fileId)).body as File;
    const r = await e.call('POST', `/files/${f.fileId}/move`, {});
    assert.equal(r.status, 200);
    assert.equal((r.body as File).fileId, f.fileId);
    assert.equal((r.body as File).filePath, '/f.txt');
    assert.equal('parentFileId' in (r.body as File), false);
    const back = await e.call('POST', `/files/${f.fileId}/move`, { toParentFileId: a.fileId });
    assert.equal((back.body as File).filePath, '/a/f.txt');
  });
});

test('rename keeps the fileId, and a clash with a sibling answers 409', async () => {
  await withEmu({}, async (e) => {
    const f = (await e.upload('f.txt', 'x')).body as File;
    await e.upload('g.txt', 'y');
    const r = await e.call('POST', `/files/${f.fileId}/rename`, { fileName: 'h.txt' });
    assert.equal(r.status, 200);
    assert.equal((r.body as File).fileId, f.fileId);
    assert.equal((r.body as File).filePath, '/h.txt');
    assert.equal((await e.call('POST', `/files/${f.fileId}/rename`, { fileName: 'G.TXT' })).status, 409);
    assert.equal((await e.call('POST', `/files/${f.fileId}/rename`, { fileName: 'H.txt' })).status, 200);
  });
});

test('shared drives and group folders created by the admin API serve the same file operations', async () => {
  await withEmu({}, async (e) => {
    assert.equal((await e.admin('POST', 'drives', { sharedrive: '@2101000000000008' })).status, 201);
    assert.equal((await e.admin('POST', 'drives', { group: 'team1' })).status, 201);
    for (const [base, drive] of [
      [`${e.emu.urls.api}/sharedrives/%402101000000000008`, 'sharedrive:@2101000000000008'],
      [`${e.emu.urls.api}/groups/team1/folder`, 'group:team1'],
    ]) {
      const r = await e.call('POST', `${base}/files/createfolder`, { fileName: 'in-drive' });
      assert.equal(r.status, 201, base);
      const props = await e.call('GET', base as string);
      assert.equal(props.status, 200);
      assert.deepEqual(
        (await e.tree(drive)).map((t) => t.path),
        ['/in-drive'],
      );
    }
    assert.deepEqual(await e.tree(), []);
    assert.equal((await e.call('GET', `${e.emu.urls.api}/sharedrives/@nope/files`)).status, 404);
  });
});

test('--time-precision ms answers fractional seconds with a +09:00 offset', async () => {
  await withEmu({ timePrecision: 'ms' }, async (e) => {
    const f = await e.mkdir('x');
    assert.match(f.modifiedTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+09:00$/);
  });
});

test('a folder modifiedTime does not change when a child is added', async () => {
  await withEmu({ timePrecision: 'ms' }, async (e) => {
    const d = await e.mkdir('d');
    await new Promise((r) => setTimeout(r, 5));
    await e.upload('f', 'x', d.fileId);
    assert.equal(((await e.call('GET', `/files/${d.fileId}`)).body as File).modifiedTime, d.modifiedTime);
  });
});
