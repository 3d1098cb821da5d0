/** The terminal progress line of `--once` (issue 6 "Progress and logs"). */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createProgress } from '../../src/engine/progress.js';

function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString('utf8')));
  Object.assign(s, { isTTY, columns: 120 });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => out };
}

test('on a terminal, progress shows items and bytes done and the transfers in flight, then clears its line', () => {
  const t = terminal(true);
  const p = createProgress(t.stream);
  p.plan(2, 3 * 1048576);
  p.start('a/big.bin', 2 * 1048576);
  p.finish('a/big.bin');
  p.start('b.txt', 1048576);
  p.advance('b.txt', 524288);
  p.finish('b.txt');
  p.close();
  const text = t.text();
  assert.match(text, /0\/2 items, 0\.0 MiB\/3\.0 MiB/);
  assert.match(text, /1\/2 items, 2\.0 MiB\/3\.0 MiB/);
  assert.match(text, /2\/2 items, 3\.0 MiB\/3\.0 MiB/);
  assert.ok(text.endsWith('\r\x1b[K'));
});

test('anywhere else, progress writes nothing', () => {
  const t = terminal(false);
  const p = createProgress(t.stream);
  p.plan(1, 10);
  p.start('x', 10);
  p.finish('x');
  p.close();
  assert.equal(t.text(), '');
});
