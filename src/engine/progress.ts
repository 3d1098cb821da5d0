/**
 * `--once` on a terminal shows files and bytes done and the transfers in flight on one status line
 * (issue 6 "Progress and logs"); on anything else it writes nothing. The line is drawn through the
 * terminal's one writer (log/terminal.ts), so log lines appear above it instead of over it.
 */
import { processTerminal, Terminal } from '../log/terminal.js';

export interface Progress {
  plan(files: number, bytes: number): void;
  start(path: string, bytes: number): void;
  advance(path: string, bytesDone: number): void;
  finish(path: string): void;
  close(): void;
}

const SILENT: Progress = { plan() {}, start() {}, advance() {}, finish() {}, close() {} };

function mib(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

class TerminalProgress implements Progress {
  #files = 0;
  #bytes = 0;
  #filesDone = 0;
  #bytesDone = 0;
  readonly #active = new Map<string, { done: number; total: number }>();
  #last = 0;

  constructor(
    readonly out: NodeJS.WriteStream,
    readonly terminal: Terminal,
  ) {}

  plan(files: number, bytes: number): void {
    this.#files += files;
    this.#bytes += bytes;
    this.#draw(true);
  }
  start(path: string, bytes: number): void {
    this.#active.set(path, { done: 0, total: bytes });
    this.#draw(false);
  }
  advance(path: string, bytesDone: number): void {
    const t = this.#active.get(path);
    if (t) t.done = bytesDone;
    this.#draw(false);
  }
  finish(path: string): void {
    const t = this.#active.get(path);
    this.#active.delete(path);
    this.#filesDone++;
    this.#bytesDone += t?.total ?? 0;
    this.#draw(true);
  }
  close(): void {
    this.terminal.status('');
  }
  #draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#last < 200) return;
    this.#last = now;
    let inFlight = 0;
    for (const t of this.#active.values()) inFlight += t.done;
    const names = [...this.#active.keys()].slice(0, 3).join(', ');
    const line =
      `${this.#filesDone}/${this.#files} items, ${mib(this.#bytesDone + inFlight)}/${mib(this.#bytes)}` +
      (names ? `  ${names}` : '');
    const width = this.out.columns ?? 100;
    this.terminal.status(line.slice(0, width - 1));
  }
}

/** `terminal`: the writer shared with the logger; by default the process's for stderr. */
export function createProgress(out: NodeJS.WriteStream = process.stderr, terminal?: Terminal): Progress {
  if (!out.isTTY) return SILENT;
  const t =
    terminal ?? (out === process.stderr ? processTerminal() : new Terminal({ logs: out, status: out }));
  return new TerminalProgress(out, t);
}

export function silentProgress(): Progress {
  return SILENT;
}
