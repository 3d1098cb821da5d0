/**
 * The process-wide keys of `[sync]` (contracts.md §2, issue 12): `bwlimit_up`, `bwlimit_down`
 * (bytes per second, `k`/`M` suffixes, 0 = unlimited) and `metrics_port` (0 = off). A bad value
 * is explained naming the key; inside a `[[pairs]]` entry they are refused naming the key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINIMAL, ok, paths, problems, withPair } from './helpers.js';

function one(text: string, path: string): string {
  const ps = problems(text);
  assert.deepEqual(paths(ps), [path]);
  return ps[0]!.message;
}

test('bandwidth limits accept bytes per second, with k and M suffixes; the defaults are off', () => {
  assert.deepEqual(ok(MINIMAL).process, { bwlimitUp: 0, bwlimitDown: 0, metricsPort: 0 });
  const c = ok(`${MINIMAL}\n[sync]\nbwlimit_up = "2M"\nbwlimit_down = "500k"\nmetrics_port = 9464\n`);
  assert.deepEqual(c.process, { bwlimitUp: 2 * 1048576, bwlimitDown: 500 * 1024, metricsPort: 9464 });
  assert.equal(ok(`${MINIMAL}\n[sync]\nbwlimit_up = 123456\n`).process.bwlimitUp, 123456);
  assert.equal(ok(`${MINIMAL}\n[sync]\nbwlimit_up = "1.5MiB"\n`).process.bwlimitUp, 1572864);
  assert.equal(ok(`${MINIMAL}\n[sync]\nbwlimit_down = "0"\n`).process.bwlimitDown, 0);
});

test('a bad bandwidth limit is explained naming the key', () => {
  const msg = one(`${MINIMAL}\n[sync]\nbwlimit_up = "fast"\n`, 'sync.bwlimit_up');
  assert.match(msg, /bytes per second.*"2M".*got "fast"/);
  one(`${MINIMAL}\n[sync]\nbwlimit_down = -5\n`, 'sync.bwlimit_down');
  one(`${MINIMAL}\n[sync]\nbwlimit_down = "2G"\n`, 'sync.bwlimit_down');
  one(`${MINIMAL}\n[sync]\nbwlimit_up = 1.5\n`, 'sync.bwlimit_up');
});

test('a bad metrics_port is explained naming the key', () => {
  const msg = one(`${MINIMAL}\n[sync]\nmetrics_port = 70000\n`, 'sync.metrics_port');
  assert.match(msg, /port from 1 to 65535.*127\.0\.0\.1.*got 70000/);
  one(`${MINIMAL}\n[sync]\nmetrics_port = "9464"\n`, 'sync.metrics_port');
});

test('the process-wide keys are refused inside a [[pairs]] entry, naming the key', () => {
  for (const [key, value] of [
    ['bwlimit_up', '"1M"'],
    ['bwlimit_down', '0'],
    ['metrics_port', '9464'],
  ] as const) {
    assert.match(one(withPair(key, value), `pairs[0].${key}`), /whole process: set it in \[sync\]/);
  }
});
