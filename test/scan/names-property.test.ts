// remoteNameProblem counts characters without building an array of them: it must count what
// `[...name]` counts (code points after NFC; a lone surrogate is one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_NAME_CHARS, remoteNameProblem } from '../../src/scan/names.js';

test('a name is too long exactly when it has more than the limit of code points after NFC', () => {
  const unit = fc.constantFrom('a', '\u{1F600}', '\ud800', '\udc00', 'e\u0301', '\u00e9');
  fc.assert(
    fc.property(fc.string({ unit, minLength: 90, maxLength: 260 }), (name) => {
      const tooLong = [...name.normalize('NFC')].length > MAX_NAME_CHARS;
      assert.equal(remoteNameProblem(name) === `name longer than ${MAX_NAME_CHARS} characters`, tooLong);
    }),
    { numRuns: 5_000 },
  );
});
