/**
 * The TOML file's shape (contracts.md §2), key names exactly as users write them. Every table is
 * strict: an unknown key is an error, so a typo never passes silently.
 */
import { z } from 'zod';
import { DRIVE_EXPECTED, parseDrive } from './drive.js';
import { normaliseRemotePath } from './paths.js';
import { processShape, refusedInPair } from './process-wide.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https, or http to a loopback host (the emulator). TLS is never turned off for the real service. */
const serviceUrl = z.string().superRefine((s, ctx) => {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected an absolute URL, got ${JSON.stringify(s)}` });
    return;
  }
  if (u.protocol === 'https:') return;
  if (u.protocol === 'http:' && (LOOPBACK.has(u.hostname) || u.hostname.startsWith('127.'))) return;
  ctx.addIssue({
    code: 'custom',
    message: `expected an https:// URL (http:// only for a loopback host), got ${JSON.stringify(s)}`,
  });
});

/** A whole number >= min, with a message that shows what was given. */
function wholeAtLeast(min: number): z.ZodType<number> {
  return z.unknown().superRefine((v, ctx) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      ctx.addIssue({ code: 'custom', message: `expected a whole number >= ${min}, got ${show(v)}` });
  }) as unknown as z.ZodType<number>;
}

/** A number within [min, max]. */
function numberWithin(min: number, max: number): z.ZodType<number> {
  return z.unknown().superRefine((v, ctx) => {
    if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max)
      ctx.addIssue({ code: 'custom', message: `expected a number from ${min} to ${max}, got ${show(v)}` });
  }) as unknown as z.ZodType<number>;
}

function show(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'a table'
        : String(v);
}

const positiveInt = wholeAtLeast(1);

/** [sync] keys; also accepted on each [[pairs]] entry as overrides. */
export const syncShape = {
  max_delete_percent: numberWithin(0, 100).optional(),
  max_delete_count: wholeAtLeast(0).optional(),
  remote_poll_seconds: positiveInt.optional(),
  local_quiet_ms: wholeAtLeast(0).optional(),
  ignore: z.array(z.string()).optional(),
};

/** One of a few words, with a message that lists them and shows what was given. */
function oneOf<T extends string>(words: readonly T[]): z.ZodType<T> {
  const list = words.map((w) => JSON.stringify(w));
  const expected = `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
  return z.unknown().superRefine((v, ctx) => {
    if (typeof v !== 'string' || !(words as readonly string[]).includes(v))
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${show(v)}` });
  }) as unknown as z.ZodType<T>;
}

const flag = z.unknown().superRefine((v, ctx) => {
  if (typeof v !== 'boolean')
    ctx.addIssue({ code: 'custom', message: `expected true or false, got ${show(v)}` });
}) as unknown as z.ZodType<boolean>;

export const DIRECTIONS = ['both', 'download', 'upload'] as const;

/** Keys of a [[pairs]] entry only (issue 14): what a pair is for is said next to the pair. */
export const pairOnlyShape = {
  direction: oneOf(DIRECTIONS).optional(),
  cleanup_local: flag.optional(),
  cleanup_remote: flag.optional(),
};

const nonEmpty = z.string().min(1, 'must not be empty');

export const pairSchema = z.strictObject({
  name: nonEmpty,
  local: nonEmpty.refine((s) => s.startsWith('/'), {
    message: 'expected an absolute path (starting with "/")',
  }),
  drive: z.string().superRefine((s, ctx) => {
    if (!parseDrive(s))
      ctx.addIssue({ code: 'custom', message: `${DRIVE_EXPECTED}, got ${JSON.stringify(s)}` });
  }),
  remote_path: z.string().superRefine((s, ctx) => {
    if (normaliseRemotePath(s) === null)
      ctx.addIssue({
        code: 'custom',
        message: `expected a folder path starting with "/" and without "..", got ${JSON.stringify(s)}`,
      });
  }),
  ...syncShape,
  ...pairOnlyShape,
  ...refusedInPair,
});

export const fileSchema = z.strictObject({
  state_dir: nonEmpty.optional(),
  auth: z.strictObject({
    client_id: nonEmpty,
    client_secret: nonEmpty.optional(),
    scope: nonEmpty.optional(),
  }),
  api: z
    .strictObject({
      base_url: serviceUrl.optional(),
      auth_url: serviceUrl.optional(),
      rate_limit_per_minute: wholeAtLeast(0).optional(),
      concurrency: positiveInt.optional(),
    })
    .optional(),
  sync: z
    .strictObject({
      ...syncShape,
      ...processShape,
    })
    .optional(),
  pairs: z.array(pairSchema).min(1, 'expected at least one [[pairs]] entry'),
});

export type ConfigFile = z.infer<typeof fileSchema>;
export type PairFile = z.infer<typeof pairSchema>;
