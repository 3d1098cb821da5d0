import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conflictPath } from '../../src/plan/index.js';
import { NOW } from './fixtures.js';

const none = () => false;

test('the conflicted copy keeps the folder and the extension', () => {
  assert.equal(
    conflictPath('d/report.final.pdf', 'pc', NOW, none),
    'd/report.final (conflicted copy pc 2026-01-02 030405).pdf',
  );
});

test('a name without an extension or starting with a dot gets the suffix at the end', () => {
  assert.equal(conflictPath('Makefile', 'pc', NOW, none), 'Makefile (conflicted copy pc 2026-01-02 030405)');
  assert.equal(conflictPath('.env', 'pc', NOW, none), '.env (conflicted copy pc 2026-01-02 030405)');
});

test('a conflicted-copy name already taken gets a counter', () => {
  const first = 'a (conflicted copy pc 2026-01-02 030405).txt';
  assert.equal(
    conflictPath('a.txt', 'pc', NOW, (p) => p === first),
    'a (conflicted copy pc 2026-01-02 030405 2).txt',
  );
});
