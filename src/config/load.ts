/**
 * Reads, validates and resolves the configuration file (contracts.md §2) into a Config.
 * Every problem is collected and thrown together as one ConfigError (exit 2, contracts.md §1).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import {
  DEFAULT_API,
  DEFAULT_DIRECTION,
  DEFAULT_PROCESS,
  DEFAULT_REMOTE_LIST_SHARE,
  DEFAULT_SCOPE,
  DEFAULT_SYNC,
  SECRET_ENV,
} from './defaults.js';
import { parseDrive } from './drive.js';
import { ConfigError, keyPath, type ConfigProblem } from './errors.js';
import { defaultStateDir, normaliseRemotePath, overlaps } from './paths.js';
import { parseByteRate } from './process-wide.js';
import { fileSchema, pairOnlyShape, type ConfigFile, type PairFile } from './schema.js';
import type { Config, PairConfig, SyncOptions } from './types.js';

export interface LoadOptions {
  /** Environment for LINEWORKS_CLIENT_SECRET, XDG_STATE_HOME, HOME. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Reads `file` and returns the resolved Config, or throws ConfigError naming every bad key. */
export async function loadConfig(file: string, opts: LoadOptions = {}): Promise<Config> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(abs, [{ path: '', message: `cannot read the file (${code})` }]);
  }
  return parseConfig(text, abs, opts);
}

/** Validates TOML text as if read from `file` (which anchors a relative state_dir). */
export function parseConfig(text: string, file: string, opts: LoadOptions = {}): Config {
  const abs = resolve(file);
  const env = opts.env ?? process.env;
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    const first = err instanceof Error ? (err.message.split('\n')[0] ?? '') : '';
    throw new ConfigError(abs, [{ path: '', message: `not valid TOML${where}: ${first}` }]);
  }
  const problems: ConfigProblem[] = [];
  const result = fileSchema.safeParse(raw);
  if (!result.success) problems.push(...issuesToProblems(result.error.issues, raw));
  problems.push(...crossChecks(raw, env));
  if (!result.success || problems.length > 0) throw new ConfigError(abs, sortProblems(problems));
  return resolveConfig(result.data, abs, env);
}

function issuesToProblems(issues: readonly z.core.$ZodIssue[], raw: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: keyPath([...issue.path, key]), message: unknownKey(issue.path, key) });
    } else if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) {
      out.push({ path: keyPath(issue.path), message: 'required key is missing' });
    } else {
      out.push({ path: keyPath(issue.path), message: issue.message });
    }
  }
  return out;
}

/** "unknown key", or where the key belongs when it is a [[pairs]]-only key written in [sync]. */
function unknownKey(table: readonly PropertyKey[], key: string): string {
  if (table.length === 1 && table[0] === 'sync' && key in pairOnlyShape)
    return 'unknown key in [sync]: set it in each [[pairs]] entry it applies to';
  return 'unknown key';
}

/**
 * A cleanup key set to true on a pair of another direction would do nothing: refused, so that no
 * one believes a two-way pair cleans up (issue 14).
 */
function cleanupChecks(p: Record<string, unknown>, i: number): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const direction = typeof p.direction === 'string' ? p.direction : DEFAULT_DIRECTION;
  const wants: [string, string][] = [
    ['cleanup_local', 'download'],
    ['cleanup_remote', 'upload'],
  ];
  for (const [key, needed] of wants) {
    if (p[key] === true && direction !== needed)
      out.push({
        path: `pairs[${i}].${key}`,
        message: `applies only to direction = "${needed}" (this pair's direction is "${direction}")`,
      });
  }
  return out;
}

/** Checks across keys: the secret, unique pair names, overlapping local roots. */
function crossChecks(raw: unknown, env: NodeJS.ProcessEnv): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const obj = isRecord(raw) ? raw : {};
  const auth = isRecord(obj.auth) ? obj.auth : undefined;
  if (auth && auth.client_secret === undefined && !env[SECRET_ENV])
    out.push({
      path: 'auth.client_secret',
      message: `required key is missing (or set the environment variable ${SECRET_ENV})`,
    });
  const pairs = Array.isArray(obj.pairs) ? obj.pairs : [];
  const names = new Map<string, number>();
  const roots: { index: number; local: string }[] = [];
  pairs.forEach((p: unknown, i) => {
    if (!isRecord(p)) return;
    out.push(...cleanupChecks(p, i));
    if (typeof p.name === 'string' && p.name !== '') {
      const first = names.get(p.name);
      if (first === undefined) names.set(p.name, i);
      else
        out.push({
          path: `pairs[${i}].name`,
          message: `duplicate name ${JSON.stringify(p.name)} (also pairs[${first}].name)`,
        });
    }
    if (typeof p.local === 'string' && p.local.startsWith('/')) {
      for (const other of roots) {
        if (overlaps(other.local, p.local))
          out.push({
            path: `pairs[${i}].local`,
            message: `overlaps pairs[${other.index}].local (${other.local}): local roots must be distinct and not nested`,
          });
      }
      roots.push({ index: i, local: p.local });
    }
  });
  return out;
}

function resolveConfig(data: ConfigFile, file: string, env: NodeJS.ProcessEnv): Config {
  const sync: SyncOptions = {
    ...DEFAULT_SYNC,
    ...syncFrom(data.sync ?? {}),
    ignore: data.sync?.ignore ?? [...DEFAULT_SYNC.ignore],
  };
  const stateDir = data.state_dir
    ? isAbsolute(data.state_dir)
      ? resolve(data.state_dir)
      : resolve(dirname(file), data.state_dir)
    : defaultStateDir(env);
  const pairs = data.pairs.map((p) => resolvePair(p, sync));
  return {
    file,
    stateDir,
    auth: {
      clientId: data.auth.client_id,
      clientSecret: data.auth.client_secret ?? (env[SECRET_ENV] as string),
      scope: data.auth.scope ?? DEFAULT_SCOPE,
    },
    api: {
      baseUrl: data.api?.base_url ?? DEFAULT_API.baseUrl,
      authUrl: data.api?.auth_url ?? DEFAULT_API.authUrl,
      rateLimitPerMinute: data.api?.rate_limit_per_minute ?? DEFAULT_API.rateLimitPerMinute,
      concurrency: data.api?.concurrency ?? DEFAULT_API.concurrency,
    },
    sync,
    remoteListShare: (data.sync?.remote_list_share as number | undefined) ?? DEFAULT_REMOTE_LIST_SHARE,
    process: {
      bwlimitUp: parseByteRate(data.sync?.bwlimit_up) ?? DEFAULT_PROCESS.bwlimitUp,
      bwlimitDown: parseByteRate(data.sync?.bwlimit_down) ?? DEFAULT_PROCESS.bwlimitDown,
      metricsPort: (data.sync?.metrics_port as number | undefined) ?? DEFAULT_PROCESS.metricsPort,
    },
    pairs,
  };
}

function resolvePair(p: PairFile, base: SyncOptions): PairConfig {
  return {
    ...base,
    ...syncFrom(p),
    ignore: p.ignore ?? [...base.ignore],
    name: p.name,
    local: resolve(p.local),
    driveSpec: p.drive,
    drive: parseDrive(p.drive)!,
    remotePath: normaliseRemotePath(p.remote_path)!,
    direction: p.direction ?? DEFAULT_DIRECTION,
    cleanupLocal: p.cleanup_local ?? false,
    cleanupRemote: p.cleanup_remote ?? false,
  };
}

/** The [sync] keys present in `t`, renamed to SyncOptions fields (ignore handled by the caller). */
function syncFrom(t: ConfigFile['sync'] & object): Partial<Omit<SyncOptions, 'ignore'>> {
  const out: Partial<Omit<SyncOptions, 'ignore'>> = {};
  if (t.max_delete_percent !== undefined) out.maxDeletePercent = t.max_delete_percent;
  if (t.max_delete_count !== undefined) out.maxDeleteCount = t.max_delete_count;
  if (t.remote_poll_seconds !== undefined) out.remotePollSeconds = t.remote_poll_seconds;
  if (t.local_quiet_ms !== undefined) out.localQuietMs = t.local_quiet_ms;
  return out;
}

function sortProblems(ps: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.path}\0${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[part];
  }
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
