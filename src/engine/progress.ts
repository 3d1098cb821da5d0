/**
 * `--once` on a terminal shows files and bytes done and the transfers in flight on one status line
 * (issue 6 "Progress and logs"); on anything else it writes nothing.
 */
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

  constructor(readonly out: NodeJS.WriteStream) {}

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
    if (this.#files > 0) this.out.write('\r\x1b[K');
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
    this.out.write(`\r\x1b[K${line.slice(0, width - 1)}`);
  }
}

export function createProgress(out: NodeJS.WriteStream = process.stderr): Progress {
  return out.isTTY ? new TerminalProgress(out) : SILENT;
}

export function silentProgress(): Progress {
  return SILENT;
}
