/** Temporary config files for the CLI tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir as tempDirFor } from '../helpers/tmp.js';

export function tempDir(): string {
  return tempDirFor('lwsync-cli-');
}

export function writeConfig(dir: string, text: string, name = 'config.toml'): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function goodConfig(dir: string, extra = ''): string {
  return `state_dir = "${join(dir, 'state')}"
[auth]
client_id = "cid"
client_secret = "top-secret-value"
${extra}
[[pairs]]
name = "docs"
local = "${join(dir, 'docs')}"
drive = "me"
remote_path = "/Docs"
`;
}
