import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { goodConfig, tempDir, writeConfig } from './helpers.js';

test('check-config on a good file exits 0 and describes each pair', async () => {
  const dir = tempDir();
  const file = writeConfig(dir, goodConfig(dir));
  const r = await runCli(['check-config', '--config', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /valid/);
  assert.match(r.stdout, /pair docs: .*docs <-> me:\/Docs/);
  assert.ok(!(r.stdout + r.stderr).includes('top-secret-value'));
});

test('check-config on the shipped example exits 0 with the secret from the environment', async () => {
  const example = fileURLToPath(new URL('../../config/lineworks-sync.example.toml', import.meta.url));
  const r = await runCli(['check-config', '--config', example], { env: { LINEWORKS_CLIENT_SECRET: 's' } });
  assert.equal(r.code, 0, r.stderr);
});

test('check-config on a bad file exits 2 and explains every problem with its key', async () => {
  const dir = tempDir();
  const text = goodConfig(dir, '[sync]\nmax_delete_count = -3\nmax_deletes = 1\n')
    .replace('drive = "me"', 'drive = "mydrive"')
    .replace('remote_path = "/Docs"', 'remote_path = "Docs"');
  const file = writeConfig(dir, text);
  const r = await runCli(['check-config', '--config', file]);
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  for (const key of ['pairs[0].drive', 'pairs[0].remote_path', 'sync.max_delete_count', 'sync.max_deletes'])
    assert.ok(
      lines.some((l) => l.startsWith(`${file}: ${key}: `)),
      `${key} not named in:\n${r.stderr}`,
    );
  assert.ok(!r.stderr.includes('top-secret-value'));
});

test('check-config on a missing file exits 2 and names the file', async () => {
  const r = await runCli(['check-config', '--config', '/nonexistent/lw.toml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/nonexistent\/lw\.toml: cannot read the file/);
});

test('check-config explains a bad bwlimit or metrics_port value naming the key (exit 2)', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = writeConfig(dir, goodConfig(dir, '[sync]\nbwlimit_up = "10 Mbit"\nmetrics_port = -1\n'));
  const r = await runCli(['check-config', '--config', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`${file}: sync\\.bwlimit_up: expected bytes per second.*got "10 Mbit"`));
  assert.match(r.stderr, new RegExp(`${file}: sync\\.metrics_port: expected a TCP port.*got -1`));
});

test('check-config explains a bad direction naming the key, and shows a one-way pair', async () => {
  const dir = tempDir();
  const bad = writeConfig(
    dir,
    goodConfig(dir).replace('remote_path = "/Docs"', 'remote_path = "/Docs"\ndirection = "mirror"'),
  );
  const r = await runCli(['check-config', '--config', bad]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /: pairs\[0\]\.direction: expected "both", "download" or "upload", got "mirror"/);
  const good = writeConfig(
    dir,
    goodConfig(dir).replace(
      'remote_path = "/Docs"',
      'remote_path = "/Docs"\ndirection = "download"\ncleanup_local = true',
    ),
  );
  const g = await runCli(['check-config', '--config', good]);
  assert.equal(g.code, 0, g.stderr);
  assert.match(g.stdout, /pair docs: .*docs <-> me:\/Docs {2}\(direction download, cleanup_local\)/);
  rmSync(dir, { recursive: true, force: true });
});
