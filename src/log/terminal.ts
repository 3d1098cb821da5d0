/**
 * One writer owns an interactive terminal (issue 12 "first-week rough edges"): log lines scroll
 * above, the progress line of `--once` stays at the bottom. Before a log line is written the
 * progress line is cleared, and it is drawn again below the log line, so neither overwrites the
 * other. Logs go to `logs` (stdout) and the progress line to `status` (stderr); on one terminal
 * both reach the same screen, and writes to a TTY are synchronous, so the order holds.
 */
export interface TerminalStreams {
  logs: NodeJS.WritableStream;
  status: NodeJS.WritableStream;
}

const CLEAR_LINE = '\r\x1b[K';

export class Terminal {
  readonly #logs: NodeJS.WritableStream;
  readonly #status: NodeJS.WritableStream;
  /** The progress line on screen now; '' when none. */
  #line = '';

  constructor(streams: TerminalStreams) {
    this.#logs = streams.logs;
    this.#status = streams.status;
  }

  /** Writes whole log lines (ending in a newline) above the progress line. */
  log(text: string): void {
    if (this.#line) this.#status.write(CLEAR_LINE);
    this.#logs.write(text);
    if (this.#line) this.#status.write(this.#line);
  }

  /** Replaces the progress line; '' clears it. */
  status(line: string): void {
    if (line === '' && this.#line === '') return;
    this.#status.write(CLEAR_LINE + line);
    this.#line = line;
  }
}

let shared: Terminal | null = null;

/** The process's terminal: logs on stdout, progress on stderr. */
export function processTerminal(): Terminal {
  shared ??= new Terminal({ logs: process.stdout, status: process.stderr });
  return shared;
}
