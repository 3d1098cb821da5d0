/**
 * An upload's bytes sent straight from the local file (reference §5 step 2) at a small cost per
 * byte: a few buffers of a mebibyte, each read from disk, written to the request and read into
 * again once the socket has taken it, so a transfer allocates almost nothing. With a bandwidth
 * limit each slice first waits for its share (bandwidth.ts), as through the Throttle stream.
 *
 * The request goes through node's http/https with the Transport's agents, so TLS is verified
 * exactly as for every other request; axios is not used for it because a piped body hides when a
 * written buffer may be reused. The answer is read like axios' `json` answers: parsed JSON, or the
 * text when it is not JSON.
 */
import http from 'node:http';
import https from 'node:https';
import { open, type FileHandle } from 'node:fs/promises';
import type { Bandwidth } from './bandwidth.js';

/** Bytes `start` to `end` (exclusive) of a local file. */
export interface FileRange {
  path: string;
  start: number;
  end: number;
  /** null: unlimited. */
  bandwidth: Bandwidth | null;
  /** `n` more bytes were handed to the request. */
  onBytes?: (n: number) => void;
}

export interface PutAnswer {
  status: number;
  headers: Record<string, unknown>;
  data: unknown;
}

const CHUNK = 1 << 20;
/** Buffers in turn: one being read from disk while the others are written. */
const BUFFERS = 3;
/** Of an answer's body, at most this much is kept. */
const MAX_ANSWER = 1 << 20;

function parse(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function putFile(
  method: 'PUT' | 'POST',
  url: string,
  headers: Record<string, string>,
  agents: { http: http.Agent; https: https.Agent },
  file: FileRange,
  signal?: AbortSignal,
): Promise<PutAnswer> {
  const fh = await open(file.path, 'r');
  try {
    return await send(method, url, headers, agents, file, fh, signal);
  } finally {
    // Waits for a read still in flight (FileHandle.close).
    await fh.close();
  }
}

function send(
  method: 'PUT' | 'POST',
  url: string,
  headers: Record<string, string>,
  agents: { http: http.Agent; https: https.Agent },
  file: FileRange,
  fh: FileHandle,
  signal?: AbortSignal,
): Promise<PutAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise<PutAnswer>((resolve, reject) => {
    let settled = false;
    let answered = false;
    let wake: (() => void) | null = null;
    /** Stops the pump, a wait for its bandwidth share included. */
    const halt = new AbortController();
    const finish = (err: unknown, answer?: PutAnswer): void => {
      if (settled) return;
      settled = true;
      halt.abort();
      wake?.();
      // A request whose answer came before its body was all sent cannot carry another.
      if (err !== undefined || !req.writableEnded) req.destroy();
      if (err !== undefined) reject(err);
      else resolve(answer!);
    };
    const options = {
      method,
      headers,
      agent: secure ? agents.https : agents.http,
      ...(signal ? { signal } : {}),
    };
    const req = secure ? https.request(target, options) : http.request(target, options);
    // An answer that arrived first is the outcome; the write it cut short is not.
    req.on('error', (err) => {
      if (!answered) finish(err);
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (c: Buffer) => {
        if (kept < MAX_ANSWER) chunks.push(c);
        kept += c.length;
      });
      res.on('end', () =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, unknown>,
          data: parse(Buffer.concat(chunks)),
        }),
      );
      res.on('error', (err) => finish(err));
      res.on('close', () => finish(new Error('the answer to the upload ended early')));
    });

    const free: Buffer[] = [];
    let made = 0;
    const release = (b: Buffer): void => {
      free.push(b);
      const w = wake;
      wake = null;
      w?.();
    };
    const stopped = (): boolean => settled || answered;
    const pump = async (): Promise<void> => {
      const bw = file.bandwidth;
      for (let at = file.start; at < file.end;) {
        if (stopped()) return;
        let buf = free.pop();
        if (!buf && made < BUFFERS) {
          made++;
          buf = Buffer.allocUnsafeSlow(CHUNK);
        }
        if (!buf) {
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, file.end - at), at);
        if (bytesRead === 0) throw new Error(`${file.path} ended at byte ${at} of ${file.end}`);
        at += bytesRead;
        const data = buf.subarray(0, bytesRead);
        const b = buf;
        const step = bw ? bw.slice : bytesRead;
        for (let off = 0; off < bytesRead; off += step) {
          const part = data.subarray(off, off + step);
          if (bw) await bw.take(part.length, halt.signal);
          if (stopped()) return;
          file.onBytes?.(part.length);
          // Writes complete in order: the last slice's callback frees the whole buffer.
          req.write(part, off + step >= bytesRead ? () => release(b) : undefined);
        }
      }
      if (!stopped()) req.end();
    };
    pump().catch((err: unknown) => finish(err));
  });
}
