/**
 * Keys that apply to the whole process (contracts.md §2): `remote_list_share`, `bwlimit_up`,
 * `bwlimit_down` and `metrics_port` are valid in `[sync]` and refused, naming the key, inside a
 * `[[pairs]]` entry.
 */
import { z } from 'zod';

const KiB = 1024;
const MiB = 1024 * 1024;

/**
 * Bytes per second: a whole number, or a number with a `k` (KiB) or `M` (MiB) suffix, as rclone's
 * `--bwlimit` reads them ("500k", "2M", "1.5M"); an optional trailing "B" or "iB" is accepted.
 * Returns null for anything else.
 */
export function parseByteRate(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKM])?(?:i?B)?\s*$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]) * (m[2] === 'M' ? MiB : m[2] ? KiB : 1);
  return Number.isFinite(n) ? Math.floor(n) : null;
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? 'a table or array' : String(v);
}

const byteRate = z.unknown().superRefine((v, ctx) => {
  if (v !== undefined && parseByteRate(v) === null)
    ctx.addIssue({
      code: 'custom',
      message: `expected bytes per second: a whole number >= 0, or a number with a k or M suffix ("500k", "2M"); 0 = unlimited; got ${show(v)}`,
    });
});

const port = z.unknown().superRefine((v, ctx) => {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535))
    ctx.addIssue({
      code: 'custom',
      message: `expected a TCP port from 1 to 65535 (the endpoint listens on 127.0.0.1 only), or 0 = off; got ${show(v)}`,
    });
});

const notInPair = z.unknown().superRefine((v, ctx) => {
  if (v !== undefined)
    ctx.addIssue({
      code: 'custom',
      message: 'applies to the whole process: set it in [sync], not in a [[pairs]] entry',
    });
});

/** A share of the list budget: every pair's poller together spends at most this much of it. */
const share = z.unknown().superRefine((v, ctx) => {
  if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v) || v < 0.01 || v > 1))
    ctx.addIssue({ code: 'custom', message: `expected a number from 0.01 to 1, got ${show(v)}` });
});

/** Added to the `[sync]` table's keys. */
export const processShape = {
  remote_list_share: share.optional(),
  bwlimit_up: byteRate.optional(),
  bwlimit_down: byteRate.optional(),
  metrics_port: port.optional(),
};

/** Added to each `[[pairs]]` entry's keys: present = an error naming the key. */
export const refusedInPair = {
  remote_list_share: notInPair.optional(),
  bwlimit_up: notInPair.optional(),
  bwlimit_down: notInPair.optional(),
  metrics_port: notInPair.optional(),
};
