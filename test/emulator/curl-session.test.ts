/**
 * The README's curl session stays true: bench/emulator-curl-session.sh runs it against the built
 * `lineworks-sync emulator` (checking every status and body on the way), and every command it
 * prints appears, character for character, in the README's emulator section.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'bench/emulator-curl-session.sh');
const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;

test('the README curl session runs against `lineworks-sync emulator --port 0`', () => {
  assert.ok(hasCurl, 'curl is needed for this test (the README session is a curl session)');
  const r = spawnSync('bash', [SCRIPT], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `the session failed:\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.stderr, '', 'nothing on stderr');
  const commands = r.stdout.split('\n').filter((l) => l.startsWith('$ '));
  assert.ok(commands.length >= 15, `${commands.length} commands`);
  for (const op of [
    'authorize',
    'token',
    'createfolder',
    'UPLOAD_URL',
    'children',
    'download',
    'Range',
    'DELETE',
  ])
    assert.ok(
      commands.some((c) => c.includes(op)),
      `the session has a ${op} step`,
    );

  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.search(/^## The emulator$/m);
  assert.ok(start >= 0, 'README has "## The emulator"');
  const next = readme.slice(start + 1).search(/^## /m);
  const section = new Set(
    readme
      .slice(start, next < 0 ? undefined : start + 1 + next)
      .split('\n')
      .map((l) => l.trimEnd()),
  );
  const missing = commands.filter((c) => !section.has(c));
  assert.deepEqual(missing, [], 'every command of the script is in the README, as typed');
});
