/**
 * Helpers of the one-way pair tests (issue 14): the pair's direction keys written into the test
 * config, the same tree of changes made on each side, and what a run left of the other side.
 */
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { trashRoot } from '../../src/local/trash.js';
import type { Pair } from './harness.js';

const originals = new WeakMap<Pair, string>();

/** Sets the pair's one-way keys (the [[pairs]] entry is the config file's last table). */
export function configure(p: Pair, keys: string): void {
  const text = originals.get(p) ?? readFileSync(p.configFile, 'utf8');
  originals.set(p, text);
  writeFileSync(p.configFile, `${text}${keys}\n`);
}

/** Files the first (two-way) sync puts on both sides; `keepN.txt` are never touched afterwards. */
export const START: Record<string, string> = {
  'edit.txt': 'edit v1',
  'del.txt': 'del',
  'ren.txt': 'ren',
  'mv.txt': 'mv',
  'F/x.txt': 'fx',
  'F/y.txt': 'fy',
  'sub/s.txt': 's',
  'r-edit.txt': 'r-edit v1',
  'r-del.txt': 'r-del',
  'r-ren.txt': 'r-ren',
  'r-mv.txt': 'r-mv',
  'RF/z.txt': 'rfz',
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`keep${i}.txt`, `keep ${i}`])),
};

export function writeStart(p: Pair): void {
  for (const [path, content] of Object.entries(START)) p.write(path, content);
}

/** Every change of the decision table on this computer: modify, delete, rename, move, folder rename, create. */
export function changeLocal(p: Pair): void {
  const at = (x: string) => join(p.local, x);
  p.write('edit.txt', 'edit v2, changed here');
  rmSync(at('del.txt'));
  renameSync(at('ren.txt'), at('ren2.txt'));
  renameSync(at('mv.txt'), at('sub/mv.txt'));
  renameSync(at('F'), at('F2'));
  p.write('new.txt', 'new here');
}

/** The same changes on the Drive (another device): r-edit, r-del, r-ren, r-mv, RF, r-new. */
export async function changeRemote(p: Pair): Promise<void> {
  await p.putRemote('r-edit.txt', 'r-edit v2, changed on the Drive');
  await p.other.delete((await p.remoteAt('r-del.txt')).resourceKey);
  await p.other.rename((await p.remoteAt('r-ren.txt')).resourceKey, 'r-ren2.txt');
  await p.other.move((await p.remoteAt('r-mv.txt')).resourceKey, (await p.remoteAt('sub')).resourceKey);
  await p.other.rename((await p.remoteAt('RF')).resourceKey, 'RF2');
  await p.putRemote('r-new.txt', 'new on the Drive');
}

export interface Facts {
  ino: number;
  mtimeMs: number;
  kind: 'file' | 'folder';
  content?: string;
}

/** Every local item below the root (the marker included): inode, mtime and bytes. */
export function snapshot(root: string): Map<string, Facts> {
  const out = new Map<string, Facts>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      const s = lstatSync(abs);
      const rel = relative(root, abs);
      if (e.isDirectory()) {
        out.set(rel, { ino: s.ino, mtimeMs: s.mtimeMs, kind: 'folder' });
        walk(abs);
      } else
        out.set(rel, { ino: s.ino, mtimeMs: s.mtimeMs, kind: 'file', content: readFileSync(abs, 'utf8') });
    }
  };
  walk(root);
  return out;
}

/** Files in the pair's local trash (all runs): relative path → content. */
export function trashed(p: Pair): Map<string, string> {
  const out = new Map<string, string>();
  const root = trashRoot(p.stateDir, 'docs');
  let stamps: string[];
  try {
    stamps = readdirSync(root);
  } catch {
    return out;
  }
  for (const stamp of stamps) {
    for (const [rel, f] of snapshot(join(root, stamp))) if (f.kind === 'file') out.set(rel, f.content!);
  }
  return out;
}

/** API operations that change the Drive (contracts.md §3 operation names). */
export const DRIVE_WRITES = new Set([
  'createfolder',
  'upload-url',
  'upload',
  'delete',
  'copy',
  'move',
  'rename',
]);
export const DOWNLOADS = new Set(['download', 'download-content']);

/** The status report of the pair, as `status --json` prints it. */
export async function statusOf(p: Pair): Promise<{
  direction: string | null;
  localOnly: { path: string }[];
  remoteOnly: { path: string }[];
  skipped: { path: string }[];
}> {
  const r = await p.cli(['status', '--config', p.configFile, '--json']);
  if (r.code !== 0) throw new Error(`status exited ${r.code}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { pairs: never[] }).pairs[0]!;
}
