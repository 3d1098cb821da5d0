import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';

const EXAMPLE = fileURLToPath(new URL('../../config/lineworks-sync.example.toml', import.meta.url));

test('the example config validates and shows every default', async () => {
  const c = await loadConfig(EXAMPLE, { env: { HOME: '/home/u', LINEWORKS_CLIENT_SECRET: 's' } });
  assert.deepEqual(c.sync, {
    maxDeletePercent: 50,
    maxDeleteCount: 1000,
    remotePollSeconds: 60,
    localQuietMs: 500,
    ignore: [],
  });
  assert.equal(c.remoteListShare, 0.5);
  assert.deepEqual(c.process, { bwlimitUp: 0, bwlimitDown: 0, metricsPort: 0 });
  assert.equal(c.api.rateLimitPerMinute, 240);
  assert.equal(c.api.concurrency, 5);
  assert.equal(c.pairs.length, 1);
  assert.equal(c.pairs[0]!.direction, 'both');
  assert.equal(c.pairs[0]!.cleanupLocal, false);
  assert.equal(c.pairs[0]!.cleanupRemote, false);
});

test('the example documents the one-way keys of a pair', async () => {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(EXAMPLE, 'utf8');
  for (const key of ['direction = "both"', 'cleanup_local = false', 'cleanup_remote = false'])
    assert.match(text, new RegExp(`^${key}$`, 'm'), key);
  for (const word of ['"download"', '"upload"', 'local only', 'remote only'])
    assert.ok(text.includes(word), word);
});

test('the example config shows the process-wide keys in [sync] with their defaults', () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  const sync = text.slice(text.indexOf('[sync]'), text.indexOf('[[pairs]]'));
  for (const line of ['bwlimit_up = 0', 'bwlimit_down = 0', 'metrics_port = 0'])
    assert.match(sync, new RegExp(`^${line}$`, 'm'), `[sync] shows ${line}`);
});

test('a missing file is a ConfigError that names the file', async () => {
  await assert.rejects(loadConfig('/nonexistent/x.toml'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /^\/nonexistent\/x\.toml: cannot read the file \(ENOENT\)$/);
    return true;
  });
});
