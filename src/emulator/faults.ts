/**
 * Fault injector of contracts §3: `POST admin/faults` queues faults per operation name; each of
 * the next `times` calls of that operation takes one. With `pathContains`, only calls whose URL path
 * contains that text take it (one folder's listing, one file's download), so a test can fail one part
 * of a tree and leave the rest working.
 */
import type { AnyDialect } from './errors/dialects.js';

export const OPERATIONS = [
  'list',
  'get',
  'createfolder',
  'upload-url',
  'upload',
  'download',
  'download-content',
  'delete',
  'copy',
  'move',
  'rename',
  'token',
  'drive',
  'authorize',
  'revoke',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface Fault {
  operation: Operation;
  times: number;
  status?: number;
  apply: boolean;
  dialect?: AnyDialect;
  dropAfterBytes?: number;
  delayMs?: number;
  resetSeconds?: number;
  pathContains?: string;
}

const DIALECTS = ['api2', 'v2', 'v1', 'storage'];

function int(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw new Error(`${name} must be an integer in ${min}..${max}`);
  return v;
}

/** Validates a fault object; throws with a message naming the bad field. */
export function parseFault(body: unknown): Fault {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error('fault must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.operation !== 'string' || !(OPERATIONS as readonly string[]).includes(b.operation))
    throw new Error(`operation must be one of ${OPERATIONS.join(', ')}`);
  if (b.apply !== undefined && typeof b.apply !== 'boolean') throw new Error('apply must be true or false');
  if (b.dialect !== undefined && (typeof b.dialect !== 'string' || !DIALECTS.includes(b.dialect)))
    throw new Error(`dialect must be one of ${DIALECTS.join(', ')}`);
  const f: Fault = {
    operation: b.operation as Operation,
    times: int(b.times, 'times', 1, 1_000_000) ?? 1,
    status: int(b.status, 'status', 100, 599),
    apply: b.apply === true,
    dialect: b.dialect as AnyDialect | undefined,
    dropAfterBytes: int(b.dropAfterBytes, 'dropAfterBytes', 0, Number.MAX_SAFE_INTEGER),
    delayMs: int(b.delayMs, 'delayMs', 0, 600_000),
    resetSeconds: int(b.resetSeconds, 'resetSeconds', 0, 86_400),
  };
  if (b.pathContains !== undefined) {
    if (typeof b.pathContains !== 'string' || b.pathContains === '')
      throw new Error('pathContains must be a non-empty string');
    f.pathContains = b.pathContains;
  }
  if (f.status === undefined && f.dropAfterBytes === undefined && f.delayMs === undefined)
    throw new Error('a fault needs status, dropAfterBytes or delayMs');
  return f;
}

export class FaultQueue {
  private queue: Fault[] = [];

  add(f: Fault): void {
    this.queue.push(f);
  }

  /** Takes one use of the first fault queued for `operation` that matches the request's URL path. */
  take(operation: string, urlPath = ''): Fault | undefined {
    const f = this.queue.find(
      (q) =>
        q.operation === operation &&
        q.times > 0 &&
        (q.pathContains === undefined || urlPath.includes(q.pathContains)),
    );
    if (!f) return undefined;
    f.times--;
    if (f.times === 0) this.queue.splice(this.queue.indexOf(f), 1);
    return { ...f };
  }

  list(): Fault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  clear(): void {
    this.queue = [];
  }
}
