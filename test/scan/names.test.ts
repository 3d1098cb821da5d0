import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseKey, isAtOrUnder, remoteNameProblem, unsafeRemoteName } from '../../src/scan/names.js';

test('names the Drive accepts have no problem', () => {
  for (const n of ['a.txt', 'résumé.pdf', '日本語', '.hidden', 'x'.repeat(200), 'a..b'])
    assert.equal(remoteNameProblem(n), null, n);
});

test('names the Drive refuses get a reason', () => {
  for (const n of [
    '',
    'x'.repeat(201),
    'a/b',
    'a\\b',
    'a\u0001',
    '.',
    '...',
    'a:b',
    'a*',
    'a?',
    'a"',
    'a<',
    'a>',
    'a|',
  ]) {
    assert.equal(typeof remoteNameProblem(n), 'string', JSON.stringify(n));
  }
});

test('length is counted after NFC', () => {
  assert.equal(remoteNameProblem('e\u0301'.repeat(200)), null);
});

test('remote names that would leave the root are unsafe', () => {
  for (const n of ['', '.', '..', 'a/b', 'a\\b', 'a\0b'])
    assert.equal(typeof unsafeRemoteName(n), 'string', n);
  assert.equal(unsafeRemoteName('..a'), null);
});

test('names differing only in case or normalisation share a case key', () => {
  assert.equal(caseKey('A/Café'), caseKey('a/cafe\u0301'));
  assert.notEqual(caseKey('a'), caseKey('b'));
});

test('at-or-under matches whole segments only', () => {
  assert.ok(isAtOrUnder('a/b', 'a'));
  assert.ok(isAtOrUnder('a', 'a'));
  assert.ok(!isAtOrUnder('ab', 'a'));
  assert.ok(isAtOrUnder('x', ''));
});
