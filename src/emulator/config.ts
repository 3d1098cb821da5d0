/**
 * Run-time knobs of the emulator (contracts.md §3). Flags are kebab-case, `POST admin/config`
 * fields and `EmulatorOptions` are the same names in camelCase.
 */
export type Dialect = 'api2' | 'v2' | 'v1';

export interface Knobs {
  rateLimit: number;
  concurrency: number;
  tokenTtl: number;
  errorDialect: Dialect;
  caseSensitive: boolean;
  timePrecision: 's' | 'ms';
  storageAuth: 'required' | 'none';
  endCursor: 'absent' | 'null' | 'empty';
  uploadUrlTtl: number;
  quota: number;
  /** Largest file the storage host accepts, in bytes (storage 1022, seed 000); 0 = no limit. */
  maxFileSize: number;
  blockedExtensions: string[];
  noMove: boolean;
  latency: number;
  /** PEM of the service account's public key (jwt-bearer grant, reference §1); file path as a flag. */
  jwtPublicKey: string;
  /** Whether a change inside a folder sets that folder's / every ancestor's `modifiedTime` (contracts §3). */
  folderMtime: 'none' | 'parent' | 'ancestors';
}

export const DEFAULT_KNOBS: Knobs = {
  rateLimit: 240,
  concurrency: 0,
  tokenTtl: 86400,
  errorDialect: 'api2',
  caseSensitive: false,
  timePrecision: 's',
  storageAuth: 'required',
  endCursor: 'absent',
  uploadUrlTtl: 86400,
  quota: 100 * 1024 ** 3,
  maxFileSize: 0,
  blockedExtensions: [],
  noMove: false,
  latency: 0,
  jwtPublicKey: '',
  folderMtime: 'none',
};

type Kind = 'int' | 'bool' | 'list' | 'string' | readonly string[];

export const KNOB_KINDS: Record<keyof Knobs, Kind> = {
  rateLimit: 'int',
  concurrency: 'int',
  tokenTtl: 'int',
  errorDialect: ['api2', 'v2', 'v1'],
  caseSensitive: 'bool',
  timePrecision: ['s', 'ms'],
  storageAuth: ['required', 'none'],
  endCursor: ['absent', 'null', 'empty'],
  uploadUrlTtl: 'int',
  quota: 'int',
  maxFileSize: 'int',
  blockedExtensions: 'list',
  noMove: 'bool',
  latency: 'int',
  jwtPublicKey: 'string',
  folderMtime: ['none', 'parent', 'ancestors'],
};

export function isKnob(name: string): name is keyof Knobs {
  return Object.prototype.hasOwnProperty.call(KNOB_KINDS, name);
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Checks one knob value given as JSON (admin config, options); returns an error text or the value. */
export function coerceKnob(name: keyof Knobs, value: unknown): { value: unknown } | { error: string } {
  const kind = KNOB_KINDS[name];
  if (kind === 'int') {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      return { error: `${name} must be a non-negative integer` };
    return { value: n };
  }
  if (kind === 'bool') {
    if (typeof value !== 'boolean') return { error: `${name} must be true or false` };
    return { value };
  }
  if (kind === 'list') {
    const list = typeof value === 'string' ? value.split(',') : value;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))
      return { error: `${name} must be a list of extensions` };
    return {
      value: (list as string[]).map((x) => x.trim().replace(/^\./, '').toLowerCase()).filter((x) => x !== ''),
    };
  }
  if (kind === 'string') {
    if (typeof value !== 'string') return { error: `${name} must be a string` };
    return { value };
  }
  if (typeof value !== 'string' || !kind.includes(value))
    return { error: `${name} must be one of ${kind.join('|')}` };
  return { value };
}

/** Applies a partial knob object; throws with the first bad field's message, changing nothing. */
export function applyKnobs(target: Knobs, patch: Record<string, unknown>): void {
  const next: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (!isKnob(k)) throw new Error(`unknown knob ${k}`);
    const r = coerceKnob(k, v);
    if ('error' in r) throw new Error(r.error);
    next[k] = r.value;
  }
  Object.assign(target, next);
}
