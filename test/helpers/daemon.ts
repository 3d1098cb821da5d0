/**
 * The daemon as a child process of the real CLI (`lineworks-sync --config FILE`), for tests that
 * watch it run: its output, a stop with SIGTERM, and polling waits that fail with what they waited
 * for (no timing thresholds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { BIN } from './cli.js';

export const WAIT_MS = 30_000;

export interface Daemon {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then the exit (fails if it takes more than the contract's 10 s). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startDaemon(t: TestContext, configFile: string, level = 'info'): Daemon {
  const child = spawn(process.execPath, [BIN, '--config', configFile], {
    env: { ...process.env, LWSYNC_LOG_LEVEL: level },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  t.after(() => {
    if (!done) child.kill('SIGKILL');
  });
  return {
    child,
    output: () => out,
    exited,
    async stop() {
      child.kill('SIGTERM');
      return withTimeout(exited, 10_000, () => `the daemon did not exit within 10 s of SIGTERM\n${out}`);
    },
  };
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns true; fails after `ms` with `what` and the daemon's output. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  d?: Daemon,
  ms = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out after ${ms} ms waiting for: ${what}${d ? `\n--- daemon output\n${d.output()}` : ''}`,
  );
}

/** JSON log lines whose msg is `msg`. */
export function logLines(text: string, msg: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o.msg === msg) out.push(o);
    } catch {
      // not a log line
    }
  }
  return out;
}

/** A daemon that has reported "watching". */
export async function runningDaemon(t: TestContext, configFile: string, level?: string): Promise<Daemon> {
  const d = startDaemon(t, configFile, level);
  await waitUntil(() => logLines(d.output(), 'watching').length > 0, 'the "watching" log line', d);
  return d;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
