/**
 * Reads both sides of the demo pair for real — the local folder from disk, the Drive folder through
 * the product's client (listing and downloading every file) — so the demo checks what it claims.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Remote } from '../remote/types.js';

/** What one side holds: file path → content (utf8), and its folders. Paths are "/"-separated. */
export interface Side {
  files: Map<string, string>;
  folders: Set<string>;
}

/** The pair's marker file in the local root (contracts.md §1); never uploaded, left out here. */
export const MARKER = '.lineworks-sync';

export function readLocal(root: string): Side {
  const side: Side = { files: new Map(), folders: new Set() };
  const walk = (abs: string, rel: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (p === MARKER) continue;
      if (e.isDirectory()) {
        side.folders.add(p);
        walk(join(abs, e.name), p);
      } else if (e.isFile()) {
        side.files.set(p, readFileSync(join(abs, e.name), 'utf8'));
      }
    }
  };
  walk(root, '');
  return side;
}

/** Walks the Drive folder `folderKey` and downloads every file into `scratch` to read it. */
export async function readRemote(remote: Remote, folderKey: string, scratch: string): Promise<Side> {
  const side: Side = { files: new Map(), folders: new Set() };
  mkdirSync(scratch, { recursive: true });
  const failures: string[] = [];
  let n = 0;
  for await (const e of remote.walk(folderKey, (path, err) => failures.push(`${path}: ${err.message}`))) {
    if (e.kind === 'folder') {
      side.folders.add(e.path);
      continue;
    }
    const tmp = join(scratch, `download-${n++}`);
    try {
      await remote.download(e.resourceKey, tmp);
      side.files.set(e.path, readFileSync(tmp, 'utf8'));
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  if (failures.length > 0) throw new Error(`could not list the Drive folder: ${failures.join('; ')}`);
  return side;
}

/** Differences between what a side holds and what it should hold, in plain words. */
export function compareSide(label: string, side: Side, expected: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, content] of expected) {
    const got = side.files.get(path);
    if (got === undefined) problems.push(`${label}: "${path}" is missing`);
    else if (got !== content) problems.push(`${label}: "${path}" does not hold the expected content`);
  }
  for (const path of side.files.keys())
    if (!expected.has(path)) problems.push(`${label}: unexpected file "${path}"`);
  return problems;
}

/**
 * An indented tree of a side, one line per folder and file, files with their size; `notes` adds a
 * remark after a path.
 */
export function formatTree(side: Side, indent: string, notes: Map<string, string> = new Map()): string[] {
  const items: { path: string; folder: boolean }[] = [
    ...[...side.folders].map((path) => ({ path, folder: true })),
    ...[...side.files.keys()].map((path) => ({ path, folder: false })),
  ];
  items.sort((a, b) => comparePaths(a.path, b.path));
  return items.map(({ path, folder }) => {
    const segments = path.split('/');
    const name = segments[segments.length - 1] ?? path;
    const pad = '  '.repeat(segments.length - 1);
    const size = folder ? '' : `  (${Buffer.byteLength(side.files.get(path) ?? '')} B)`;
    const note = notes.get(path);
    return `${indent}${pad}${name}${folder ? '/' : ''}${size}${note ? `   ← ${note}` : ''}`;
  });
}

/** Segment by segment, so that a folder comes right before its own children. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const s = x[i] as string;
    const t = y[i] as string;
    if (s !== t) return s < t ? -1 : 1;
  }
  return x.length - y.length;
}
