/**
 * Bad input never crashes the emulator nor changes its state: each request answers the documented
 * 4xx with an error body of its dialect, and the tree stays as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { setup, type Env } from './util.js';

interface Case {
  name: string;
  status: number;
  /** Expected `code` of the body (API 2.0 string, storage number, or OAuth `error`). */
  code: string | number;
  send(e: Env, ids: Ids): Promise<{ status: number; body: unknown }>;
}

interface Ids {
  folder: string;
  file: string;
  uploadUrl: string;
}

/** A request with exactly these bytes and headers (fetch would fix some of them). */
function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (e: Env, method: string, path: string, body: string) =>
  rawRequest(
    `${e.base}${path}`,
    method,
    { Authorization: `Bearer ${e.token}`, 'Content-Type': 'application/json' },
    body,
  );
const get = (e: Env, path: string) =>
  rawRequest(`${e.base}${path}`, 'GET', { Authorization: `Bearer ${e.token}` });

const cases: Case[] = [
  {
    name: 'createfolder with a body that is not JSON',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '{"fileName":'),
  },
  {
    name: 'createfolder with a JSON array body',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '["a"]'),
  },
  {
    name: 'createfolder with a JSON string body',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '"a"'),
  },
  {
    name: 'createfolder without fileName',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '{}'),
  },
  {
    name: 'createfolder with a numeric fileName',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '{"fileName":42}'),
  },
  {
    name: 'createfolder named ..',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '{"fileName":".."}'),
  },
  {
    name: 'createfolder with a slash in the name',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '{"fileName":"a/../b"}'),
  },
  {
    name: 'createfolder with a NUL in the name',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', '{"fileName":"a\\u0000b"}'),
  },
  {
    name: 'createfolder with a 201-character name',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files/createfolder', JSON.stringify({ fileName: 'n'.repeat(201) })),
  },
  {
    name: 'createfolder under an unknown fileId',
    status: 404,
    code: 'NOT_FOUND',
    send: (e) => json(e, 'POST', '/files/nope/createfolder', '{"fileName":"x"}'),
  },
  {
    name: 'createfolder under a file',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e, ids) => json(e, 'POST', `/files/${ids.file}/createfolder`, '{"fileName":"x"}'),
  },
  {
    name: 'list with count 0',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => get(e, '/files?count=0'),
  },
  {
    name: 'list with count 201',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => get(e, '/files?count=201'),
  },
  {
    name: 'list with a count that is not a number',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => get(e, '/files?count=ten'),
  },
  {
    name: 'list with a forged cursor',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => get(e, '/files?cursor=%%%'),
  },
  {
    name: 'list with an unknown orderBy field',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => get(e, '/files?orderBy=owner+asc'),
  },
  {
    name: 'list with an unknown orderBy direction',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => get(e, '/files?orderBy=fileName+sideways'),
  },
  {
    name: 'children of an unknown fileId',
    status: 404,
    code: 'NOT_FOUND',
    send: (e) => get(e, '/files/nope/children'),
  },
  { name: 'get of an unknown fileId', status: 404, code: 'NOT_FOUND', send: (e) => get(e, '/files/nope') },
  {
    name: 'a path with broken percent-encoding',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => get(e, '/files/%E0%A4%A'),
  },
  {
    name: 'an unknown user drive',
    status: 404,
    code: 'NOT_FOUND',
    send: (e) =>
      rawRequest(`${e.emu.urls.api}/users/ghost/drive/files`, 'GET', { Authorization: `Bearer ${e.token}` }),
  },
  {
    name: 'an unknown shared drive',
    status: 404,
    code: 'NOT_FOUND',
    send: (e) =>
      rawRequest(`${e.emu.urls.api}/sharedrives/@999/files`, 'GET', { Authorization: `Bearer ${e.token}` }),
  },
  { name: 'an unknown API path', status: 404, code: 'NOT_FOUND', send: (e) => get(e, '/files/a/b/c/d') },
  {
    name: 'a method the route does not serve',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    send: (e) => rawRequest(`${e.base}/files`, 'PATCH', { Authorization: `Bearer ${e.token}` }),
  },
  {
    name: 'a malformed Authorization header',
    status: 401,
    code: 'UNAUTHORIZED',
    send: (e) => rawRequest(`${e.base}/files`, 'GET', { Authorization: 'Basic abc' }),
  },
  {
    name: 'upload URL without fileSize',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files', '{"fileName":"a.txt"}'),
  },
  {
    name: 'upload URL with a negative fileSize',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files', '{"fileName":"a.txt","fileSize":-1}'),
  },
  {
    name: 'upload URL with a fileSize over 10 GiB',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files', '{"fileName":"a.txt","fileSize":10737418241}'),
  },
  {
    name: 'upload URL with a fileSize given as a string',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files', '{"fileName":"a.txt","fileSize":"3"}'),
  },
  {
    name: 'upload URL with a modifiedTime that is not RFC 3339',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files', '{"fileName":"a.txt","fileSize":3,"modifiedTime":"yesterday"}'),
  },
  {
    name: 'upload URL with overwrite given as a string',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e) => json(e, 'POST', '/files', '{"fileName":"a.txt","fileSize":3,"overwrite":"yes"}'),
  },
  {
    name: 'upload URL into a file',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e, ids) => json(e, 'POST', `/files/${ids.file}`, '{"fileName":"a.txt","fileSize":3}'),
  },
  {
    name: 'move with toParentFileId of the wrong type',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e, ids) => json(e, 'POST', `/files/${ids.file}/move`, '{"toParentFileId":7}'),
  },
  {
    name: 'move to an unknown folder',
    status: 404,
    code: 'NOT_FOUND',
    send: (e, ids) => json(e, 'POST', `/files/${ids.file}/move`, '{"toParentFileId":"nope"}'),
  },
  {
    name: 'copy into a file',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e, ids) =>
      json(e, 'POST', `/files/${ids.folder}/copy`, JSON.stringify({ toParentFileId: ids.file })),
  },
  {
    name: 'rename to a name with a backslash',
    status: 400,
    code: 'INVALID_PARAMETER',
    send: (e, ids) => json(e, 'POST', `/files/${ids.file}/rename`, '{"fileName":"a\\\\b"}'),
  },
  {
    name: 'delete of an unknown fileId',
    status: 404,
    code: 'NOT_FOUND',
    send: (e) => rawRequest(`${e.base}/files/nope`, 'DELETE', { Authorization: `Bearer ${e.token}` }),
  },
  {
    name: 'storage upload with a malformed Content-Range',
    status: 400,
    code: 10000,
    send: (e, ids) =>
      rawRequest(
        ids.uploadUrl,
        'PUT',
        { Authorization: `Bearer ${e.token}`, 'Content-Range': 'bytes a-b/c' },
        'abc',
      ),
  },
  {
    name: 'storage upload with a Content-Range total that is not the file size',
    status: 400,
    code: 10000,
    send: (e, ids) =>
      rawRequest(
        ids.uploadUrl,
        'PUT',
        { Authorization: `Bearer ${e.token}`, 'Content-Range': 'bytes 0-2/4' },
        'abc',
      ),
  },
  {
    name: 'storage upload starting past the server offset',
    status: 416,
    code: 10000,
    send: (e, ids) =>
      rawRequest(
        ids.uploadUrl,
        'PUT',
        { Authorization: `Bearer ${e.token}`, 'Content-Range': 'bytes 1-2/3' },
        'bc',
      ),
  },
  {
    name: 'storage upload to an unknown session',
    status: 404,
    code: 1011,
    send: (e) =>
      rawRequest(`${e.emu.urls.storage}/upload/nope`, 'PUT', { Authorization: `Bearer ${e.token}` }, 'abc'),
  },
  {
    name: 'storage multipart upload without a boundary',
    status: 400,
    code: 10000,
    send: (e, ids) =>
      rawRequest(
        ids.uploadUrl,
        'POST',
        { Authorization: `Bearer ${e.token}`, 'Content-Type': 'multipart/form-data' },
        'abc',
      ),
  },
  {
    name: 'storage multipart upload without a Filedata part',
    status: 400,
    code: 10000,
    send: (e, ids) =>
      rawRequest(
        ids.uploadUrl,
        'POST',
        { Authorization: `Bearer ${e.token}`, 'Content-Type': 'multipart/form-data; boundary=XX' },
        '--XX\r\nContent-Disposition: form-data; name="other"\r\n\r\nabc\r\n--XX--\r\n',
      ),
  },
  {
    name: 'storage upload shorter than the file',
    status: 400,
    code: 10000,
    send: (e, ids) =>
      rawRequest(
        ids.uploadUrl,
        'PUT',
        { Authorization: `Bearer ${e.token}`, 'Transfer-Encoding': 'chunked' },
        'ab',
      ),
  },
  {
    name: 'storage download of an unknown fileId',
    status: 404,
    code: 1036,
    send: (e) =>
      rawRequest(`${e.emu.urls.storage}/download/nope`, 'GET', { Authorization: `Bearer ${e.token}` }),
  },
  {
    name: 'storage download with a garbled Range',
    status: 416,
    code: 10000,
    send: (e, ids) =>
      rawRequest(`${e.emu.urls.storage}/download/${ids.file}`, 'GET', {
        Authorization: `Bearer ${e.token}`,
        Range: 'pages=1-2',
      }),
  },
  {
    name: 'token with an unknown grant type',
    status: 400,
    code: 'unsupported_grant_type',
    send: (e) =>
      rawRequest(
        `${e.emu.urls.auth}/token`,
        'POST',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        'grant_type=magic&client_id=emulator-client&client_secret=emulator-secret',
      ),
  },
  {
    name: 'token with an unknown code',
    status: 400,
    code: 'invalid_grant',
    send: (e) =>
      rawRequest(
        `${e.emu.urls.auth}/token`,
        'POST',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        'grant_type=authorization_code&code=nope&redirect_uri=http://127.0.0.1:9/cb&client_id=emulator-client&client_secret=emulator-secret',
      ),
  },
  {
    name: 'token with a JSON body instead of a form',
    status: 401,
    code: 'invalid_client',
    send: (e) =>
      rawRequest(
        `${e.emu.urls.auth}/token`,
        'POST',
        { 'Content-Type': 'application/json' },
        '{"grant_type":"refresh_token"}',
      ),
  },
  {
    name: 'token with a jwt-bearer assertion that is not a JWT',
    status: 400,
    code: 'invalid_grant',
    send: (e) =>
      rawRequest(
        `${e.emu.urls.auth}/token`,
        'POST',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=xx&client_id=emulator-client&client_secret=emulator-secret',
      ),
  },
  {
    name: 'authorize with an unknown client',
    status: 400,
    code: 'invalid_client',
    send: (e) =>
      rawRequest(
        `${e.emu.urls.auth}/authorize?client_id=x&redirect_uri=http://127.0.0.1:9/cb&response_type=code`,
        'GET',
        {},
      ),
  },
];

test(`at least 30 distinct malformed requests are covered (${cases.length})`, () => {
  assert.ok(cases.length >= 30);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

for (const c of cases) {
  test(`${c.name} answers ${c.status} with code ${c.code} and leaves the tree unchanged`, async () => {
    const e = await setup({});
    try {
      const folder = await e.mkdir('folder');
      const up = await e.upload('file.txt', 'abc', folder.fileId);
      const file = (up.body as { fileId: string }).fileId;
      const { uploadUrl } = await e.uploadUrl('pending.txt', 3);
      const before = await e.tree();
      const r = await c.send(e, { folder: folder.fileId, file, uploadUrl });
      assert.equal(r.status, c.status, JSON.stringify(r.body));
      const body = r.body as Record<string, unknown>;
      assert.equal(typeof c.code === 'string' && /^[a-z_]+$/.test(c.code) ? body.error : body.code, c.code);
      assert.deepEqual(await e.tree(), before);
      assert.equal((await e.call('GET', '/files')).status, 200, 'the emulator still serves');
    } finally {
      await e.close();
    }
  });
}
