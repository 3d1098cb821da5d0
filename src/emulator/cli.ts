/**
 * `lineworks-sync emulator [--host] [--port] [--storage-port] [--data DIR] [knobs…]` (contracts §3):
 * prints the JSON line of URLs first on stdout, serves until SIGINT/SIGTERM, returns 0; a bad flag
 * is named and returns 2.
 */
import { untilStopSignal } from '../cli/stop-signal.js';
import { coerceKnob, DEFAULT_KNOBS, isKnob, kebab, KNOB_KINDS, type Knobs } from './config.js';
import { startEmulator, type EmulatorOptions } from './server.js';

const USAGE = `Usage: lineworks-sync emulator [options]

Serves the LINE WORKS Drive API emulator on loopback. The first stdout line is a JSON object
with the api, auth, storage and admin URLs.

Options:
  --host HOST                 loopback address to listen on (default 127.0.0.1)
  --port N                    API/auth/admin port (default 0: a free port)
  --storage-port N            storage host port (default 0: a free port)
  --data DIR                  keep state in DIR across restarts (default: in memory)
  --rate-limit N              requests per minute per operation (default 240, 0 = off)
  --concurrency N             concurrent requests before 429 (default 0 = off)
  --token-ttl S               access-token lifetime in seconds (default 86400)
  --error-dialect D           api2|v2|v1 (default api2)
  --case-sensitive            names differing only in case do not clash
  --time-precision P          s|ms (default s)
  --storage-auth A            required|none (default required)
  --end-cursor E              absent|null|empty (default absent)
  --upload-url-ttl S          upload URL lifetime in seconds (default 86400)
  --quota BYTES               drive quota (default 107374182400)
  --max-file-size BYTES       largest file accepted, else storage 1022 (default 0 = no limit)
  --blocked-extensions LIST   e.g. exe,bat
  --no-move                   move and rename answer 404
  --latency MS                delay before every answer (default 0)
  --folder-mtime M            none|parent|ancestors: a change inside a folder also sets that
                              folder's / every ancestor's modifiedTime (default none)
  --jwt-public-key FILE       PEM public key that verifies jwt-bearer assertions
  -h, --help                  this text

Example:
  lineworks-sync emulator --port 8080 --data /tmp/lwemu --rate-limit 0
`;

type Parsed = { help: true } | { help: false; opts: EmulatorOptions } | { error: string };

export function parseEmulatorArgs(argv: string[]): Parsed {
  const opts: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') return { help: true };
    if (!arg.startsWith('--')) return { error: `unexpected argument ${arg}` };
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const camel = flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    if (flag === 'host' || flag === 'data') {
      const v = value();
      if (v === undefined || v === '') return { error: `--${flag} needs a value` };
      opts[flag === 'data' ? 'dataDir' : 'host'] = v;
      continue;
    }
    if (flag === 'port' || flag === 'storage-port') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535)
        return { error: `--${flag} needs a port number 0-65535` };
      opts[camel] = Number(v);
      continue;
    }
    if (flag === 'jwt-public-key') {
      const v = value();
      if (!v) return { error: '--jwt-public-key needs a file' };
      opts.jwtPublicKeyFile = v;
      continue;
    }
    if (!isKnob(camel) || kebab(camel) !== flag) return { error: `unknown flag --${flag}` };
    const kind = KNOB_KINDS[camel];
    let raw: unknown;
    if (kind === 'bool') {
      if (inline !== undefined && !['true', 'false'].includes(inline))
        return { error: `--${flag} takes no value` };
      raw = inline === undefined ? true : inline === 'true';
    } else {
      raw = value();
      if (raw === undefined) return { error: `--${flag} needs a value` };
    }
    const r = coerceKnob(camel as keyof Knobs, raw);
    if ('error' in r) return { error: `--${flag}: ${r.error.replace(camel, 'value')}` };
    opts[camel] = r.value;
  }
  return { help: false, opts: opts as EmulatorOptions };
}

export async function emulatorCommand(argv: string[]): Promise<number> {
  const parsed = parseEmulatorArgs(argv);
  if ('error' in parsed) {
    process.stderr.write(`emulator: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let emu;
  try {
    emu = await startEmulator(parsed.opts);
  } catch (e) {
    process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  process.stdout.write(JSON.stringify(emu.urls) + '\n');
  await untilStopSignal();
  await emu.close();
  return 0;
}

export { DEFAULT_KNOBS };
