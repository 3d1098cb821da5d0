/**
 * Random edits on both sides of a pair between two runs (issue 11): files created, edited, deleted,
 * renamed and moved; folders created, renamed, moved and deleted at any depth; non-ASCII names; the
 * same path touched on both sides. Each write is a new version: its bytes start with a serial
 * number, so every version ever written is known by its sha256 (`Versions`).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pair } from './harness.js';
import { sha } from './harness.js';
import { localTree, remoteTree } from './sides.js';

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Names distinct under case folding and NFC (so no name is refused or clashes by case). */
const NAMES = [
  'a',
  'b.txt',
  'notes.md',
  'データ',
  'café',
  'Ünï ü',
  'x y',
  'résumé.txt',
  '日本語.bin',
  'f1',
  'sub',
  'Σ',
];

export class Fuzz {
  readonly random: () => number;
  serial = 0;

  constructor(
    readonly seed: number,
    readonly p: Pair,
    readonly versions: Versions,
  ) {
    this.random = rng(seed);
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** New bytes, never written before: a serial number, then filler of a random size. */
  content(): Buffer {
    const head = Buffer.from(`v${this.seed}.${++this.serial}\n`);
    const r = this.random();
    const size = r < 0.7 ? this.int(200) : r < 0.95 ? 1_000 + this.int(20_000) : 150_000 + this.int(100_000);
    const body = Buffer.alloc(size);
    for (let i = 0; i < size; i++) body[i] = 97 + ((i * 7 + this.serial) % 26);
    const c = Buffer.concat([head, body]);
    this.versions.wrote(c);
    return c;
  }

  /** A path not taken in `tree`, in a folder of `tree` (or the root). */
  freePath(tree: ReadonlyMap<string, string>, notUnder?: string): string | undefined {
    const folders = ['', ...[...tree].filter(([, v]) => v === 'folder').map(([p]) => p)].filter(
      (f) => notUnder === undefined || !(f === notUnder || f.startsWith(`${notUnder}/`)),
    );
    for (let i = 0; i < 8; i++) {
      const parent = this.pick(folders);
      const path = parent === '' ? this.pick(NAMES) : `${parent}/${this.pick(NAMES)}`;
      const taken = [...tree.keys()].some((k) => k.toLowerCase() === path.toLowerCase());
      if (!taken) return path;
    }
    return undefined;
  }

  /** One random edit on the local side; `at`: prefer this path (touch what the other side touched). */
  local(at?: string): string {
    const root = this.p.local;
    const tree = localTree(root);
    const files = [...tree].filter(([, v]) => v !== 'folder').map(([p]) => p);
    const folders = [...tree].filter(([, v]) => v === 'folder').map(([p]) => p);
    const target = at !== undefined && tree.has(at) ? at : undefined;
    const op = this.int(9);
    const file =
      target && tree.get(target) !== 'folder' ? target : files.length ? this.pick(files) : undefined;
    const folder =
      target && tree.get(target) === 'folder' ? target : folders.length ? this.pick(folders) : undefined;
    const abs = (p: string) => join(root, p);
    if (op <= 1 || (!file && !folder)) {
      const path = this.freePath(tree);
      if (!path) return 'local: none';
      writeFileSync(abs(path), this.content());
      return `local: create ${path}`;
    }
    if (op === 2 && file) {
      this.versions.dropped(tree.get(file)!);
      writeFileSync(abs(file), this.content());
      return `local: edit ${file}`;
    }
    if (op === 3 && file) {
      this.versions.dropped(tree.get(file)!);
      rmSync(abs(file));
      return `local: delete ${file}`;
    }
    if ((op === 4 || op === 5) && file) {
      const to = this.freePath(tree);
      if (!to) return 'local: none';
      renameSync(abs(file), abs(to));
      return `local: move ${file} -> ${to}`;
    }
    if (op === 6) {
      const path = this.freePath(tree);
      if (!path) return 'local: none';
      mkdirSync(abs(path));
      return `local: mkdir ${path}`;
    }
    if (op === 7 && folder) {
      const to = this.freePath(tree, folder);
      if (!to) return 'local: none';
      renameSync(abs(folder), abs(to));
      return `local: move folder ${folder} -> ${to}`;
    }
    if (op === 8 && folder) {
      for (const [p, v] of tree) if (p.startsWith(`${folder}/`) && v !== 'folder') this.versions.dropped(v);
      rmSync(abs(folder), { recursive: true });
      return `local: delete folder ${folder}`;
    }
    return 'local: none';
  }

  /** One random edit on the Drive, through another device's client. */
  async remote(at?: string): Promise<string> {
    const { p } = this;
    const items = await p.tree();
    const tree = await remoteTree(p);
    const rootKey = (await p.other.resolvePath(p.remotePath)) as { resourceKey: string };
    const keyOf = (path: string) => (path === '' ? rootKey.resourceKey : items.get(path)!.fileId);
    const parentOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
    const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
    const files = [...tree].filter(([, v]) => v !== 'folder').map(([x]) => x);
    const folders = [...tree].filter(([, v]) => v === 'folder').map(([x]) => x);
    const target = at !== undefined && tree.has(at) ? at : undefined;
    const op = this.int(9);
    const file =
      target && tree.get(target) !== 'folder' ? target : files.length ? this.pick(files) : undefined;
    const folder =
      target && tree.get(target) === 'folder' ? target : folders.length ? this.pick(folders) : undefined;
    const moveTo = async (from: string, to: string) => {
      const key = keyOf(from);
      const moving = parentOf(from) !== parentOf(to);
      const renaming = nameOf(from) !== nameOf(to);
      // the old name may be taken in the new folder: move under a name no other item has
      if (moving && renaming) await p.other.rename(key, `tmp-${this.seed}-${++this.serial}`);
      if (moving) await p.other.move(key, keyOf(parentOf(to)));
      if (renaming) await p.other.rename(key, nameOf(to));
    };
    if (op <= 1 || (!file && !folder)) {
      const path = this.freePath(tree);
      if (!path) return 'remote: none';
      await p.putRemote(path, this.content());
      return `remote: create ${path}`;
    }
    if (op === 2 && file) {
      this.versions.dropped(tree.get(file)!);
      await p.putRemote(file, this.content());
      return `remote: edit ${file}`;
    }
    if (op === 3 && file) {
      await p.other.delete(keyOf(file));
      return `remote: delete ${file}`;
    }
    if ((op === 4 || op === 5) && file) {
      const to = this.freePath(tree);
      if (!to) return 'remote: none';
      await moveTo(file, to);
      return `remote: move ${file} -> ${to}`;
    }
    if (op === 6) {
      const path = this.freePath(tree);
      if (!path) return 'remote: none';
      await p.other.mkdir(keyOf(parentOf(path)), nameOf(path));
      return `remote: mkdir ${path}`;
    }
    if (op === 7 && folder) {
      const to = this.freePath(tree, folder);
      if (!to) return 'remote: none';
      await moveTo(folder, to);
      return `remote: move folder ${folder} -> ${to}`;
    }
    if (op === 8 && folder) {
      await p.other.delete(keyOf(folder));
      return `remote: delete folder ${folder}`;
    }
    return 'remote: none';
  }

  /** Faults for the next run (contracts.md §3 `POST admin/faults`). */
  fault(): Record<string, unknown> | undefined {
    if (!this.chance(0.5)) return undefined;
    const operation = this.pick([
      'list',
      'upload-url',
      'upload',
      'download',
      'createfolder',
      'delete',
      'move',
      'rename',
    ]);
    const r = this.int(6);
    if (r === 0) return { operation, status: 429, resetSeconds: 0 };
    if (r === 1) return { operation, status: this.pick([500, 502, 503]) };
    if (r === 2) return { operation, status: 598, apply: false };
    if (r === 3) return { operation, status: 598, apply: true };
    if (r === 4) return { operation, status: this.pick([500, 503]), apply: true };
    return { operation: this.pick(['download', 'upload', 'list']), dropAfterBytes: this.int(3000) };
  }
}

/**
 * Every version written, and the ones that must not be lost: a version written by an edit is kept
 * until an edit on its side replaces or deletes it there (the user's own doing), or until it is on
 * both sides.
 */
export class Versions {
  readonly written = new Set<string>();
  readonly keep = new Set<string>();

  wrote(c: Buffer): void {
    const h = sha(c);
    this.written.add(h);
    this.keep.add(h);
  }

  /** An edit replaced or deleted this version on one side. */
  dropped(h: string): void {
    this.keep.delete(h);
  }

  /** Versions on both sides are in sync: from now on a newer edit may replace them. */
  settled(local: Iterable<string>, remote: Iterable<string>): void {
    const r = new Set(remote);
    for (const h of local) if (r.has(h)) this.keep.delete(h);
  }
}
