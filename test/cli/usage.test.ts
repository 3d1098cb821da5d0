/** The built command: usage errors exit 2 naming the flag; help texts (contracts.md §1). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN, runCli } from '../helpers/cli.js';
import { goodConfig, tempDir, writeConfig } from './helpers.js';

test('an unknown flag exits 2 and names the flag', async () => {
  const r = await runCli(['--config', 'x.toml', '--once', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--bogus'/);
});

test('running without --config exits 2 and names --config', async () => {
  const r = await runCli([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--config/);
});

test('every subcommand that needs --config exits 2 naming it when it is missing', async () => {
  for (const cmd of ['login', 'status', 'check-config']) {
    const r = await runCli([cmd]);
    assert.equal(r.code, 2, cmd);
    assert.match(r.stderr, /required option '--config <file>'/, cmd);
  }
});

test('--dry-run without --once exits 2 and names both flags', async () => {
  const dir = tempDir();
  const r = await runCli(['--config', writeConfig(dir, goodConfig(dir)), '--dry-run']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /'--dry-run' requires '--once'/);
});

test('an unknown subcommand option exits 2 and names it', async () => {
  const r = await runCli(['status', '--config', 'x.toml', '--jsn']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--jsn'/);
});

test('a sync run with a bad config exits 2 and names the bad key', async () => {
  const dir = tempDir();
  const file = writeConfig(dir, goodConfig(dir).replace('drive = "me"', 'drive = "mydrive"'));
  const r = await runCli(['--config', file, '--once']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pairs\[0\]\.drive: expected "me"/);
});

test('the top-level help lists the exit codes and examples, and exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /Exit codes:/);
  for (const code of ['0', '1', '2', '3', '75', '78'])
    assert.match(r.stdout, new RegExp(`^  ${code} +\\S`, 'm'));
  for (const cmd of ['login', 'status', 'check-config', 'demo', 'emulator'])
    assert.match(r.stdout, new RegExp(cmd));
});

test('every command has a help text with examples', async () => {
  for (const cmd of ['login', 'status', 'check-config', 'demo']) {
    const r = await runCli([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, /Examples:\n {2}\$ lineworks-sync /, cmd);
    assert.match(r.stdout, /Exit codes:/, cmd);
  }
});

test('the command runs as installed, through its own #! line (with its memory settings)', async () => {
  const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(BIN, ['--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout }));
  });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: lineworks-sync/);
  assert.match(
    readFileSync(BIN, 'utf8').split('\n')[0]!,
    /^#!\/usr\/bin\/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=\d+ --expose-gc$/,
  );
});
