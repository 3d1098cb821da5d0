/**
 * Every unit under systemd/ passes `systemd-analyze verify` with no warning and no error.
 * systemd-analyze exits 0 on some problems (an unknown key is "ignored"), so any output line fails.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ANALYZE = '/usr/bin/systemd-analyze';
const UNITS = fileURLToPath(new URL('../../systemd/', import.meta.url));

/** The copy's ExecStart runs an absolute binary that exists here (node), keeping the arguments. */
function resolvable(text: string): string {
  return text.replace(/^ExecStart=(\/usr\/bin\/)?lineworks-sync /m, `ExecStart=${process.execPath} `);
}

function verify(unitNames: string[]): { dir: string; output: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-units-'));
  const copied: string[] = [];
  for (const name of unitNames) {
    const target = name.endsWith('@.service') ? name.replace('@.service', '@check.service') : name;
    writeFileSync(join(dir, target), resolvable(readFileSync(join(UNITS, name), 'utf8')));
    copied.push(target);
  }
  const r = spawnSync(ANALYZE, ['verify', '--man=no', ...copied.map((n) => join(dir, n))], {
    cwd: dir,
    encoding: 'utf8',
  });
  rmSync(dir, { recursive: true, force: true });
  return { dir, output: `${r.stdout}${r.stderr}`.trim(), status: r.status };
}

const units = readdirSync(UNITS).filter((n) => /\.(service|timer)$/.test(n));

test('systemd-analyze is installed, because the units are verified rather than skipped', () => {
  assert.ok(existsSync(ANALYZE), `${ANALYZE} is missing: install systemd to verify the units`);
});

test('the units shipped are the user service, the system template, and the once timer pair', () => {
  assert.deepEqual(units.sort(), [
    'lineworks-sync-once.service',
    'lineworks-sync-once.timer',
    'lineworks-sync.service',
    'lineworks-sync@.service',
  ]);
});

for (const name of units) {
  test(`${name} verifies without any warning or error`, () => {
    const group = name === 'lineworks-sync-once.timer' ? [name, 'lineworks-sync-once.service'] : [name];
    const r = verify(group);
    assert.equal(r.output, '', `systemd-analyze verify ${name} printed:\n${r.output}`);
    assert.equal(r.status, 0);
  });
}

for (const name of units.filter((n) => n.endsWith('.service') && n !== 'lineworks-sync-once.service')) {
  test(`${name} restarts on failure but never on exit codes 2, 3, 75 (state directory held) or 78`, () => {
    const text = readFileSync(join(UNITS, name), 'utf8');
    assert.match(text, /^Restart=on-failure$/m);
    assert.match(text, /^RestartPreventExitStatus=2 3 75 78$/m);
  });
}

test('the system template reads /etc/lineworks-sync/<instance>.toml with hardening on', () => {
  const text = readFileSync(join(UNITS, 'lineworks-sync@.service'), 'utf8');
  assert.match(text, /^ExecStart=\S*lineworks-sync --config \/etc\/lineworks-sync\/%i\.toml$/m);
  for (const d of [
    'StateDirectory=',
    'ConfigurationDirectory=',
    'ProtectSystem=strict',
    'ReadWritePaths=',
    'NoNewPrivileges=true',
    'PrivateTmp=true',
    'ProtectHome=true',
  ])
    assert.ok(text.includes(`\n${d}`), `missing ${d}`);
});

test('every directive in every unit is preceded by a comment', () => {
  for (const name of units) {
    const lines = readFileSync(join(UNITS, name), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!/^[A-Za-z]+=/.test(line)) return;
      let j = i - 1;
      while (j >= 0 && /^[A-Za-z]+=/.test(lines[j] as string)) j--;
      assert.ok(j >= 0 && (lines[j] as string).startsWith('#'), `${name}:${i + 1} ${line} has no comment`);
    });
  }
});

test('a bad directive is caught by this check, so a silent pass means something', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwsync-units-'));
  const unit = join(dir, 'bad.service');
  writeFileSync(unit, `[Service]\nExecStart=${process.execPath}\nNoSuchDirective=1\n`);
  const r = spawnSync(ANALYZE, ['verify', '--man=no', unit], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  assert.match(`${r.stdout}${r.stderr}`, /NoSuchDirective/);
});
