// makeIgnore answers the defaults without the `ignore` package: it must answer what the package
// answers for the same patterns, on any path (odd ones included) and with any configured patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import ignore from 'ignore';
import { DEFAULT_IGNORES, makeIgnore } from '../../src/scan/ignore.js';

type Kind = 'file' | 'folder';

/** The matcher as it was: every pattern through the package. */
function reference(patterns: readonly string[]): (path: string, kind: Kind) => boolean {
  const ig = ignore().add([...DEFAULT_IGNORES, ...patterns]);
  return (path, kind) => {
    if (path === '') return false;
    try {
      return ig.ignores(kind === 'folder' ? `${path}/` : path);
    } catch {
      return false;
    }
  };
}

const WORDS = [
  '.lwsync-tmp-',
  '.lineworks-sync',
  '.~lock.',
  '.swp',
  '.partial',
  '~',
  '.',
  '..',
  'a',
  'x.txt',
  // one character off, where only exact comparison tells (0x0e | 0x20 is '.', '^' | 0x20 is '~')
  '\u000elwsync-tmp-',
  '.lwsync\rtmp-',
  '.^lock.',
  'x\u000eswp',
  'a\u000epartial',
];
// letters the defaults spell, their other cases, and characters that fold to them only under
// Unicode rules (Kelvin sign, long s, dotted capital I), which the package's regexps do not apply
const CHARS = [...'.~-/lLwWsSpPkKiIaAtT \n#!*', '\u212a', '\u017f', '\u0130', 'é', 'e\u0301'];

const piece = fc.oneof(
  fc.mixedCase(fc.constantFrom(...WORDS)),
  fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 4 }),
);
const segment = fc.array(piece, { maxLength: 3 }).map((xs) => xs.join(''));
const path = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((xs) => xs.join('/')),
  fc.constantFrom(
    '',
    '.',
    '..',
    './a',
    '../a',
    '/a',
    'a//b~',
    'a/',
    'a~/',
    '/a~',
    './b~',
    '../c.partial',
    '.~',
  ),
);
const kind = fc.constantFrom<Kind>('file', 'folder');

const PATTERNS = [
  '*.log',
  'build/',
  '/top',
  'a/b',
  'x?',
  '[ab]*',
  '\\#lit',
  '#comment',
  '',
  '   ',
  '\t',
  'sub/**',
  '**/deep',
  '\uFEFFbom',
  '.L*',
  'A',
  '!keep.partial',
  '!*~',
  '!.lineworks-sync',
];

test('the default rules answer as the ignore package does, for any path', () => {
  const ours = makeIgnore([]);
  const theirs = reference([]);
  fc.assert(
    fc.property(path, kind, (p, k) => {
      assert.equal(ours.ignores(p, k), theirs(p, k), `${JSON.stringify(p)} ${k}`);
    }),
    { numRuns: 20_000 },
  );
});

test('defaults with configured patterns, negations included, answer as the ignore package does', () => {
  fc.assert(
    fc.property(
      fc.subarray(PATTERNS).chain((ps) => fc.shuffledSubarray(ps, { minLength: ps.length })),
      fc.array(fc.tuple(path, kind), { minLength: 1, maxLength: 30 }),
      (patterns, cases) => {
        const ours = makeIgnore(patterns);
        const theirs = reference(patterns);
        for (const [p, k] of cases)
          assert.equal(ours.ignores(p, k), theirs(p, k), `${JSON.stringify(p)} ${k} with ${patterns}`);
      },
    ),
    { numRuns: 3_000 },
  );
});

test('each default pattern hides its examples at any depth, in any letter case', () => {
  const rules = makeIgnore([]);
  for (const p of [
    '.lineworks-sync',
    '.LINEWORKS-SYNC',
    '.lwsync-tmp-1',
    'd/.LWSYNC-TMP-x',
    'a~',
    'd/e/~',
    '.a.swp',
    'd/.x.SWP',
    '.~lock.x#',
    'x.partial',
    'd/.partial',
    'ign~/inside.txt',
  ]) {
    assert.ok(rules.ignores(p, 'file'), p);
  }
  for (const p of ['d/.lineworks-sync', '.swp', 'a.swp', 'x.partialx', '~a', '.~lockx', 'keep.txt', ''])
    assert.ok(!rules.ignores(p, 'file'), p);
});
