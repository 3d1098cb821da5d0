/** Builds config texts and captures ConfigError problems for the config tests. */
import assert from 'node:assert/strict';
import { ConfigError, formatProblem, type ConfigProblem } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';

export const FILE = '/etc/lineworks-sync/test.toml';

export const MINIMAL = `
[auth]
client_id = "cid"
client_secret = "s3cret-value"

[[pairs]]
name = "docs"
local = "/srv/docs"
drive = "me"
remote_path = "/"
`;

export function ok(text: string, env: NodeJS.ProcessEnv = { HOME: '/home/u' }): Config {
  return parseConfig(text, FILE, { env });
}

/** Parses `text`, expects a ConfigError, returns its problems. */
export function problems(text: string, env: NodeJS.ProcessEnv = { HOME: '/home/u' }): ConfigProblem[] {
  try {
    parseConfig(text, FILE, { env });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    for (const p of err.problems) assert.ok(err.message.includes(formatProblem(FILE, p)));
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

export function paths(ps: ConfigProblem[]): string[] {
  return ps.map((p) => p.path).sort();
}

/** MINIMAL with one pair key replaced or added. */
export function withPair(key: string, value: string): string {
  const re = new RegExp(`^${key} = .*$`, 'm');
  return re.test(MINIMAL) ? MINIMAL.replace(re, `${key} = ${value}`) : `${MINIMAL}${key} = ${value}\n`;
}
