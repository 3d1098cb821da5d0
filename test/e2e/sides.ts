/** Both sides of a pair as comparable maps: path → 'folder' or the file's sha256. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha, type Pair } from './harness.js';

const MARKER = '.lineworks-sync';
/** The product's temporary files (ignored by default, src/scan/ignore.ts). */
const TEMP_PREFIX = '.lwsync-tmp-';

/** Local items below `root` (the marker left out), NFC paths. */
export function localTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if ((rel === '' && e.name === MARKER) || e.name.startsWith(TEMP_PREFIX)) continue;
      const path = (rel === '' ? e.name : `${rel}/${e.name}`).normalize('NFC');
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        out.set(path, 'folder');
        walk(abs, path);
      } else out.set(path, sha(readFileSync(abs)));
    }
  };
  walk(root, '');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The Drive's items below the pair's folder, from the emulator's own view. */
export async function remoteTree(p: Pair): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [path, it] of await p.tree())
    out.set(path.normalize('NFC'), it.type === 'folder' ? 'folder' : (it.sha256 ?? ''));
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}
