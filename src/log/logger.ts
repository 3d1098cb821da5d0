/**
 * The product's logger (pino): JSON lines on stdout for journald, pretty on a TTY.
 * Secrets never reach a log line: known secret keys are redacted and errors go through
 * errSerializer, which keeps only method, url (query stripped), status and code (design.md, pino trap).
 */
import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { processTerminal, type Terminal } from './terminal.js';

export type { Logger };

const SECRET_KEYS = [
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'client_secret',
  'clientSecret',
  'authorization',
  'Authorization',
  'token',
  'assertion',
  'password',
  'authCode',
  'authorizationCode',
  'authorization_code',
];

/**
 * Where an OAuth authorization `code` can appear: the callback's query, the token request's form
 * body. `code` elsewhere is an error code (ENOENT, NOT_FOUND) and stays visible, except a top-level
 * `code` field, which is redacted too (nothing tells what it is).
 */
const CODE_CONTAINERS = ['query', 'searchParams', 'params', 'body', 'form', 'data'];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'code',
  ...CODE_CONTAINERS.flatMap((c) => [`${c}.code`, `*.${c}.code`, `*.*.${c}.code`]),
  'headers.authorization',
  '*.headers.authorization',
];

/** Strips query strings (codes, tokens) and credentials from a URL before it is logged. */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return url.split('?')[0];
  }
}

interface ErrLike {
  name?: string;
  message?: string;
  code?: unknown;
  status?: number;
  errorClass?: string;
  config?: { method?: string; url?: string };
  response?: { status?: number };
}

/** Keeps only what helps a reader and can never hold a secret. */
export function errSerializer(err: unknown): Record<string, unknown> {
  if (!err || typeof err !== 'object') return { message: String(err) };
  const e = err as ErrLike;
  const out: Record<string, unknown> = { type: e.name, message: scrub(e.message ?? '') };
  if (e.errorClass) out.class = e.errorClass;
  if (e.code !== undefined) out.code = e.code;
  const status = e.status ?? e.response?.status;
  if (status !== undefined) out.status = status;
  if (e.config?.method) out.method = e.config.method.toUpperCase();
  if (e.config?.url) out.url = safeUrl(e.config.url);
  return out;
}

/** Removes bearer tokens and token-looking query parameters from free text. */
export function scrub(text: string): string {
  return text
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/((?:access_token|refresh_token|code|token|client_secret)=)[^&\s"]+/gi, '$1[redacted]');
}

export interface LoggerOptions {
  level?: string;
  /** Pretty output (default: when stdout is a TTY). */
  pretty?: boolean;
  /** Write here instead of stdout (tests capture lines this way). */
  destination?: NodeJS.WritableStream;
  /**
   * The terminal that also shows the progress line (terminal.ts); log lines go above it.
   * @default the process's terminal, when stdout is a TTY
   */
  terminal?: Terminal;
  /** Colours in pretty output. @default stdout is a TTY */
  colorize?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.LWSYNC_LOG_LEVEL ?? 'info';
  const base = {
    level,
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: errSerializer, error: errSerializer },
  };
  if (opts.destination) return pino(base, opts.destination as pino.DestinationStream);
  const tty = Boolean(process.stdout.isTTY);
  const pretty = opts.pretty ?? tty;
  const terminal = opts.terminal ?? (tty ? processTerminal() : null);
  if (!terminal && !pretty) return pino(base, pino.destination({ fd: 1, sync: true }));
  // In this thread and synchronous (no transport worker): each line reaches the terminal whole,
  // in order with the progress line, and none is lost when the process exits.
  const format = pretty
    ? prettyFactory({ colorize: opts.colorize ?? tty, translateTime: 'SYS:HH:MM:ss' })
    : (line: string) => line;
  const write = terminal
    ? (text: string) => terminal.log(text)
    : (text: string) => void process.stdout.write(text);
  return pino(base, { write: (line: string) => write(format(line)) });
}
