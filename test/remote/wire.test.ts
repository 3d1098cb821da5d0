import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc3339, readList, toEntry, toRfc3339 } from '../../src/remote/wire.js';

test('any RFC 3339 date-time is read to the millisecond, fractions and offsets included', () => {
  const t = Date.UTC(2026, 10, 24, 1, 15, 52);
  const rows: [string, number][] = [
    ['2026-11-24T10:15:52+09:00', t],
    ['2026-11-24T01:15:52Z', t],
    ['2026-11-24t01:15:52z', t],
    ['2026-11-24 01:15:52Z', t],
    ['2026-11-24T01:15:52.5Z', t + 500],
    ['2026-11-24T01:15:52.123456789Z', t + 123],
    ['2026-11-23T20:15:52.999-05:00', t + 999],
    ['2026-11-24T01:15:52.120+00:00', t + 120],
  ];
  for (const [text, ms] of rows) assert.equal(parseRfc3339(text), ms, text);
  assert.ok(Number.isNaN(parseRfc3339('yesterday')));
  assert.equal(parseRfc3339(toRfc3339(t + 7)), t + 7);
});

test('a File becomes a RemoteEntry with its path relative to the walk root in NFC', () => {
  const decomposed = 'Cafe\u0301.txt';
  const e = toEntry(
    {
      fileId: 'F1',
      parentFileId: 'P1',
      fileName: decomposed,
      fileSize: 12,
      filePath: `/docs/${decomposed}`,
      fileType: 'DOC',
      modifiedTime: '2026-11-24T10:15:52.250+09:00',
    },
    `docs/${decomposed.normalize('NFC')}`,
  );
  assert.deepEqual(e, {
    resourceKey: 'F1',
    parentKey: 'P1',
    name: decomposed,
    path: 'docs/Café.txt',
    kind: 'file',
    size: 12,
    updateDate: Date.UTC(2026, 10, 24, 1, 15, 52, 250),
  });
});

test('a File without a walk root gets its drive path, and root items have no parent', () => {
  const folder = toEntry({
    fileId: 'D1',
    parentFileId: '',
    fileName: 'docs',
    fileSize: 0,
    filePath: '/docs/',
    fileType: 'FOLDER',
    modifiedTime: '2026-11-24T10:15:52+09:00',
  });
  assert.equal(folder.path, 'docs');
  assert.equal(folder.parentKey, null);
  assert.equal(folder.kind, 'folder');
});

test('a listing ends when nextCursor is absent, null or empty', () => {
  const f = { fileId: 'a', fileName: 'a', modifiedTime: '2026-01-01T00:00:00Z' };
  assert.equal(readList({ files: [f] }).nextCursor, null);
  assert.equal(readList({ files: [f], responseMetaData: {} }).nextCursor, null);
  assert.equal(readList({ files: [f], responseMetaData: { nextCursor: null } }).nextCursor, null);
  assert.equal(readList({ files: [f], responseMetaData: { nextCursor: '' } }).nextCursor, null);
  assert.equal(readList({ files: [f], responseMetaData: { nextCursor: 'c2' } }).nextCursor, 'c2');
});

test('a File without fileId is refused at the edge', () => {
  assert.throws(() => readList({ files: [{ fileName: 'x' }] }), /fileId/);
});
