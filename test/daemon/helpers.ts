/** The daemon through the real CLI, as a child process: start, wait for log lines, stop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { BIN } from '../helpers/cli.js';
import type { Pair } from '../e2e/harness.js';

export const WAIT_MS = 20_000;

export interface Daemon {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM; resolves with the exit and the time it took. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** `wrap`: a command that runs the daemon's command line (given as its arguments), e.g. `unshare`. */
export function startDaemon(t: TestContext, configFile: string, level = 'info', wrap: string[] = []): Daemon {
  const argv = [...wrap, process.execPath, BIN, '--config', configFile];
  const child = spawn(argv[0]!, argv.slice(1), {
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
      const start = Date.now();
      child.kill('SIGTERM');
      const r = await withTimeout(
        exited,
        10_000,
        () => `the daemon did not exit within 10 s of SIGTERM\n${out}`,
      );
      return { ...r, ms: Date.now() - start };
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

/** Log lines (JSON, one per line) whose msg is `msg`. */
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

export async function running(t: TestContext, p: Pair, level?: string): Promise<Daemon> {
  const d = startDaemon(t, p.configFile, level);
  await waitUntil(() => logLines(d.output(), 'watching').length > 0, 'the "watching" log line', d);
  return d;
}

export const readLocal = (p: Pair, path: string): string | null => {
  try {
    return readFileSync(join(p.local, path), 'utf8');
  } catch {
    return null;
  }
};
