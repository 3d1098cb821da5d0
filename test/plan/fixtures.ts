import type { BaseRow } from '../../src/journal/types.js';
import type { RemoteEntry } from '../../src/remote/types.js';
import { makeIgnore } from '../../src/scan/ignore.js';
import type { LocalEntry } from '../../src/scan/types.js';
import { plan } from '../../src/plan/index.js';
import type { Action, Plan, PlanOptions } from '../../src/plan/index.js';

type Kind = 'file' | 'folder';
let nextIno = 1000;

export interface Synced {
  base: BaseRow;
  local: LocalEntry;
  remote: RemoteEntry;
}

/** A path both sides agreed on at the last sync. */
export function synced(path: string, kind: Kind = 'file', size = kind === 'file' ? 10 : 0): Synced {
  const ino = nextIno++;
  return {
    base: {
      path,
      kind,
      localSize: size,
      localMtimeMs: 1_000,
      localIno: ino,
      localSha256: kind === 'file' ? `sha-${path}` : null,
      remoteKey: `key-${path}`,
      remoteUpdateMs: 2_000,
      remoteSize: size,
      remoteParentKey: null,
    },
    local: { path, kind, size, mtimeMs: 1_000, ino },
    remote: {
      resourceKey: `key-${path}`,
      parentKey: null,
      name: path.split('/').at(-1)!,
      path,
      kind,
      size,
      updateDate: 2_000,
    },
  };
}

export const localFile = (path: string, size = 10, ino = nextIno++): LocalEntry => ({
  path,
  kind: 'file',
  size,
  mtimeMs: 5_000,
  ino,
});
export const localFolder = (path: string): LocalEntry => ({
  path,
  kind: 'folder',
  size: 0,
  mtimeMs: 5_000,
  ino: nextIno++,
});
export const remoteFile = (path: string, size = 10, key = `new-${path}`): RemoteEntry => ({
  resourceKey: key,
  parentKey: null,
  name: path.split('/').at(-1)!,
  path,
  kind: 'file',
  size,
  updateDate: 9_000,
});
export const remoteFolder = (path: string): RemoteEntry => ({ ...remoteFile(path, 0), kind: 'folder' });

/** The local file edited (new size and mtime). */
export const editedLocal = (s: Synced, size = s.local.size + 5): LocalEntry => ({
  ...s.local,
  size,
  mtimeMs: 7_000,
});
/** The remote file edited (new size and update date). */
export const editedRemote = (s: Synced, size = s.remote.size + 5): RemoteEntry => ({
  ...s.remote,
  size,
  updateDate: 8_000,
});

export interface World {
  base?: BaseRow[];
  local?: LocalEntry[];
  remote?: RemoteEntry[];
  localFailures?: string[];
  remoteFailures?: string[];
  ignore?: string[];
  options?: Partial<PlanOptions>;
}

export const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

export function run(w: World): Plan {
  return plan({
    base: new Map((w.base ?? []).map((b) => [b.path, b])),
    local: new Map((w.local ?? []).map((l) => [l.path, l])),
    remote: new Map((w.remote ?? []).map((r) => [r.path, r])),
    localFailures: w.localFailures ?? [],
    remoteFailures: w.remoteFailures ?? [],
    rules: makeIgnore(w.ignore ?? []),
    options: { resync: false, caseInsensitiveRemote: true, host: 'box', nowMs: NOW, ...w.options },
  });
}

/** Every action as a line, including journal-only ones. */
export function line(a: Action): string {
  if (a.kind === 'move-remote' || a.kind === 'move-local') return `${a.kind} ${a.from} -> ${a.path}`;
  if (a.kind === 'conflict') return `conflict ${a.path}${a.verify ? ' (verify)' : ''}`;
  return `${a.kind} ${a.path}`;
}

export const lines = (p: Plan) => p.actions.map(line);

/** Shorthand: the three sides of several synced items. */
export function sides(...xs: Synced[]) {
  return { base: xs.map((x) => x.base), local: xs.map((x) => x.local), remote: xs.map((x) => x.remote) };
}
