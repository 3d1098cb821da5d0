import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINIMAL, ok, paths, problems, withPair } from './helpers.js';

test('a pair syncs both ways and cleans nothing up unless it says otherwise', () => {
  const p = ok(MINIMAL).pairs[0]!;
  assert.equal(p.direction, 'both');
  assert.equal(p.cleanupLocal, false);
  assert.equal(p.cleanupRemote, false);
});

test('direction and its cleanup key are read per pair', () => {
  const down = ok(`${withPair('direction', '"download"')}cleanup_local = true\n`).pairs[0]!;
  assert.equal(down.direction, 'download');
  assert.equal(down.cleanupLocal, true);
  const up = ok(`${withPair('direction', '"upload"')}cleanup_remote = true\n`).pairs[0]!;
  assert.equal(up.direction, 'upload');
  assert.equal(up.cleanupRemote, true);
});

test('a bad direction names pairs[0].direction and lists the accepted words', () => {
  const ps = problems(withPair('direction', '"down"'));
  assert.deepEqual(paths(ps), ['pairs[0].direction']);
  assert.equal(ps[0]!.message, 'expected "both", "download" or "upload", got "down"');
  assert.match(problems(withPair('direction', 'true'))[0]!.message, /got true$/);
});

test('a cleanup key must be true or false and match the pair direction', () => {
  const ps = problems(`${withPair('direction', '"download"')}cleanup_local = "yes"\n`);
  assert.deepEqual(paths(ps), ['pairs[0].cleanup_local']);
  assert.equal(ps[0]!.message, 'expected true or false, got "yes"');
  const wrong = problems(`${withPair('direction', '"upload"')}cleanup_local = true\n`);
  assert.deepEqual(paths(wrong), ['pairs[0].cleanup_local']);
  assert.equal(
    wrong[0]!.message,
    'applies only to direction = "download" (this pair\'s direction is "upload")',
  );
  assert.deepEqual(paths(problems(withPair('cleanup_remote', 'true'))), ['pairs[0].cleanup_remote']);
  // false is harmless anywhere
  assert.equal(ok(withPair('cleanup_remote', 'false')).pairs[0]!.cleanupRemote, false);
});

test('the one-way keys are refused in [sync], with where they belong', () => {
  for (const key of ['direction = "download"', 'cleanup_local = true', 'cleanup_remote = false']) {
    const ps = problems(`${MINIMAL}\n[sync]\n${key}\n`);
    assert.deepEqual(paths(ps), [`sync.${key.split(' ')[0]}`]);
    assert.match(ps[0]!.message, /set it in each \[\[pairs\]\] entry/);
  }
});
