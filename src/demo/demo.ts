/**
 * `lineworks-sync demo` (contracts.md §1): a newcomer's first run. It starts the built-in emulator
 * in this process, puts sample files on the Drive (through the product's client, as another device
 * would) and in a local folder, logs in with the real OAuth code flow, writes a real configuration
 * file and runs the real engine (`runOnce`, as `--once` does) twice: once to sync both ways, once
 * after a change on each side and a conflict. It reads both sides after each run and fails (exit 1)
 * when they do not hold what it says they hold.
 */
import { untilStopSignal } from '../cli/stop-signal.js';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { EXIT } from '../cli/exit-codes.js';
import { loadConfig } from '../config/load.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { runOnce } from '../engine/once.js';
import { openSession, TOKEN_FILE } from '../engine/session.js';
import { JOURNAL_FILE } from '../journal/journal.js';
import { createLogger } from '../log/logger.js';
import { createSession, type DriveSession } from '../remote/index.js';
import type { Remote } from '../remote/types.js';
import { loginWithCodeFlow } from './login.js';
import {
  CONFLICT,
  isConflictCopyOf,
  LOCAL_EDIT,
  LOCAL_SEED,
  REMOTE_ADD,
  REMOTE_FOLDER,
  REMOTE_SEED,
} from './sample.js';
import { compareSide, formatTree, readLocal, readRemote, type Side } from './sides.js';

export interface DemoOptions {
  /** Where to put the demo: a new or empty folder. @default a new folder under the OS temp dir */
  dir?: string;
  /** Leave the emulator running until SIGINT/SIGTERM, so that the printed commands work. */
  keep?: boolean;
}

/** The emulator's registered OAuth client (contracts.md §3). */
const CLIENT_ID = 'emulator-client';
const CLIENT_SECRET = 'emulator-secret';
const PAIR = 'demo';

class DemoFailure extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

class UsageError extends Error {}

interface Layout {
  dir: string;
  config: string;
  local: string;
  state: string;
  emulatorData: string;
  /** The second device's token file and scratch space. */
  other: string;
}

const say = (line = ''): void => console.log(line);

export async function demoCommand(opts: DemoOptions = {}): Promise<number> {
  let dir: string;
  try {
    dir = prepareDir(opts.dir);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  }
  const at: Layout = {
    dir,
    config: join(dir, 'config.toml'),
    local: join(dir, 'LINEWORKS'),
    state: join(dir, 'state'),
    emulatorData: join(dir, 'emulator-data'),
    other: join(dir, 'other-device'),
  };
  say(`lineworks-sync demo, in ${dir}`);
  say();
  let emu: Emulator | null = null;
  let other: DriveSession | null = null;
  let code: number = EXIT.OK;
  try {
    // The documented default rate limit (240 requests per minute per operation) on both ends: the
    // demo sends far fewer, and the state it leaves behaves like the shipped configuration.
    emu = await startEmulator({ port: 0, storagePort: 0, dataDir: at.emulatorData });
    say(`1. Started the LINE WORKS Drive emulator in this process: ${emu.urls.api}`);
    say(`   (its state is kept in ${at.emulatorData})`);

    other = createSession({
      apiBaseUrl: emu.urls.api,
      authUrl: emu.urls.auth,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tokenFile: join(at.other, TOKEN_FILE),
      logger: createLogger({ level: 'silent' }),
    });
    mkdirSync(at.other, { recursive: true, mode: 0o700 });
    await loginWithCodeFlow(other);
    const drive = other.remote({ kind: 'user', userId: 'me' });
    const folder = await drive.mkdir(null, REMOTE_FOLDER);
    for (const [path, content] of Object.entries(REMOTE_SEED))
      await putRemote(drive, folder.resourceKey, path, content, at.other);
    for (const [path, content] of Object.entries(LOCAL_SEED)) writeLocal(at.local, path, content);
    say(`2. Put sample files on the Drive, in /${REMOTE_FOLDER} (with a second login, as another device):`);
    for (const path of Object.keys(REMOTE_SEED)) say(`     ${path}`);
    say(`   and in the local folder ${at.local}:`);
    for (const path of Object.keys(LOCAL_SEED)) say(`     ${path}`);

    writeFileSync(at.config, configText(at, emu));
    const config = await loadConfig(at.config);
    say(`3. Wrote the configuration file ${at.config}`);

    mkdirSync(at.state, { recursive: true, mode: 0o700 });
    const session = openSession(config, createLogger({ level: 'silent' }));
    try {
      await loginWithCodeFlow(session);
    } finally {
      session.close();
    }
    const tokens = join(at.state, TOKEN_FILE);
    const mode = statSync(tokens).mode & 0o777;
    if (mode !== 0o600) throw new DemoFailure([`${tokens} has mode ${mode.toString(8)}, not 600`]);
    say(`4. Logged in with the OAuth authorization-code flow (as \`lineworks-sync login\` does);`);
    say(`   the tokens are in ${tokens} (mode 0600)`);
    say();

    const engineLog = new EngineLog();
    const log = createLogger({ level: 'warn', destination: engineLog });
    const flags = { dryRun: false, force: false, resync: false };

    say(`5. First sync (what \`lineworks-sync --config ${at.config} --once\` runs):`);
    const first = await runOnce(config, flags, log);
    say(`   exit code ${first}${first === EXIT.OK ? ' (in sync)' : ''}`);
    engineLog.flush('   ');
    const expected = new Map(Object.entries({ ...REMOTE_SEED, ...LOCAL_SEED }));
    const afterFirst = await check(at, drive, folder.resourceKey, expected);
    const firstProblems = [...(first === EXIT.OK ? [] : [`the first sync exited ${first}, not 0`])];
    firstProblems.push(...afterFirst.problems);
    if (firstProblems.length > 0) throw new DemoFailure(firstProblems);
    say(`   Both sides now hold the same ${expected.size} files (read back from each side):`);
    printSides(at, afterFirst, new Map());
    say();

    writeLocal(at.local, LOCAL_EDIT.path, LOCAL_EDIT.content);
    await putRemote(drive, folder.resourceKey, REMOTE_ADD.path, REMOTE_ADD.content, at.other);
    writeLocal(at.local, CONFLICT.path, CONFLICT.local);
    await putRemote(drive, folder.resourceKey, CONFLICT.path, CONFLICT.remote, at.other);
    say('6. Changed both sides:');
    say(`     this computer: edited ${LOCAL_EDIT.path}`);
    say(`     the Drive:     added  ${REMOTE_ADD.path}`);
    say(`     both sides:    edited ${CONFLICT.path}, differently (a conflict)`);
    say();

    say('7. Second sync:');
    const second = await runOnce(config, flags, log);
    say(`   exit code ${second}${second === EXIT.OK ? ' (in sync)' : ''}`);
    engineLog.flush('   ');
    const copy = [...readLocal(at.local).files.keys()].find((p) => isConflictCopyOf(CONFLICT.path, p));
    expected.set(LOCAL_EDIT.path, LOCAL_EDIT.content);
    expected.set(REMOTE_ADD.path, REMOTE_ADD.content);
    expected.set(CONFLICT.path, CONFLICT.remote);
    if (copy !== undefined) expected.set(copy, CONFLICT.local);
    const afterSecond = await check(at, drive, folder.resourceKey, expected);
    const problems = second === EXIT.OK ? [] : [`the second sync exited ${second}, not 0`];
    if (copy === undefined) problems.push(`no conflicted copy of "${CONFLICT.path}" was kept in ${at.local}`);
    problems.push(...afterSecond.problems);
    if (problems.length > 0) throw new DemoFailure(problems);
    say(`   ✓ the Drive's new file arrived here: ${REMOTE_ADD.path}`);
    say(`   ✓ the local edit arrived on the Drive: ${LOCAL_EDIT.path}`);
    say(`   ✓ the conflict kept both versions, on both sides:`);
    say(`       ${CONFLICT.path}  holds the Drive's version`);
    say(`       ${copy}  holds this computer's version`);
    say('   Both sides now (read back from each side):');
    printSides(
      at,
      afterSecond,
      new Map([
        [LOCAL_EDIT.path, 'edited here, uploaded'],
        [REMOTE_ADD.path, 'added on the Drive, downloaded'],
        [CONFLICT.path, "conflict: the Drive's version"],
        [copy as string, "conflict: this computer's version"],
      ]),
    );
    say();
    whereToLook(at, emu, opts.keep === true);
  } catch (e) {
    code = EXIT.PARTIAL;
    if (e instanceof DemoFailure) {
      console.error('demo failed: the sync did not do what the demo expected:');
      for (const p of e.problems) console.error(`  - ${p}`);
    } else {
      console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    console.error(`The demo folder is left for inspection: ${dir}`);
  } finally {
    other?.close();
  }
  if (emu) {
    if (opts.keep) await untilStopSignal();
    await emu.close();
  }
  return code;
}

function prepareDir(dir: string | undefined): string {
  if (dir === undefined) return mkdtempSync(join(tmpdir(), 'lineworks-sync-demo-'));
  const abs = resolve(dir);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UsageError(`--dir ${abs} is not a folder`);
    if (readdirSync(abs).length > 0)
      throw new UsageError(`--dir ${abs} is not empty; give a new or empty folder`);
  }
  mkdirSync(abs, { recursive: true });
  return abs;
}

function configText(at: Layout, emu: Emulator): string {
  const s = JSON.stringify;
  return [
    '# Written by `lineworks-sync demo`. Every key: config/lineworks-sync.example.toml',
    `state_dir = ${s(at.state)}   # journal, tokens, trash`,
    '',
    '[auth]',
    `client_id = "${CLIENT_ID}"          # the emulator's registered client`,
    `client_secret = "${CLIENT_SECRET}"`,
    'scope = "file"',
    '',
    '[api]                                 # the demo emulator; leave [api] out for the real service',
    `base_url = ${s(emu.urls.api)}`,
    `auth_url = ${s(emu.urls.auth)}`,
    '',
    '[[pairs]]',
    `name = "${PAIR}"`,
    `local = ${s(at.local)}`,
    'drive = "me"',
    `remote_path = "/${REMOTE_FOLDER}"`,
    '',
  ].join('\n');
}

function writeLocal(root: string, path: string, content: string): void {
  const abs = join(root, ...path.split('/'));
  mkdirSync(join(abs, '..'), { recursive: true });
  writeFileSync(abs, content);
}

/** Writes a file below the pair's Drive folder through the client, creating its folders. */
async function putRemote(
  drive: Remote,
  folderKey: string,
  path: string,
  content: string,
  scratch: string,
): Promise<void> {
  const segments = path.split('/');
  const name = segments.pop() as string;
  let parent = folderKey;
  for (const seg of segments) parent = (await drive.mkdir(parent, seg)).resourceKey;
  const existing = (await drive.list(parent)).find((e) => e.name === name);
  const tmp = join(scratch, 'upload');
  writeFileSync(tmp, content);
  try {
    await drive.upload(tmp, parent, name, { overwrite: existing !== undefined });
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function check(
  at: Layout,
  drive: Remote,
  folderKey: string,
  expected: Map<string, string>,
): Promise<{ local: Side; remote: Side; problems: string[] }> {
  const local = readLocal(at.local);
  const remote = await readRemote(drive, folderKey, at.other);
  return {
    local,
    remote,
    problems: [
      ...compareSide('this computer', local, expected),
      ...compareSide('the Drive', remote, expected),
    ],
  };
}

function printSides(at: Layout, s: { local: Side; remote: Side }, notes: Map<string, string>): void {
  say(`   this computer, ${at.local}:`);
  for (const line of formatTree(s.local, '     ', notes)) say(line);
  say(`   LINE WORKS Drive, /${REMOTE_FOLDER}:`);
  for (const line of formatTree(s.remote, '     ', notes)) say(line);
}

function whereToLook(at: Layout, emu: Emulator, keep: boolean): void {
  const cfg = sh(at.config);
  const port = (url: string): string => new URL(url).port;
  say('Where to look');
  say(`  configuration   ${at.config}`);
  say(`  local folder    ${at.local}`);
  say(`  state           ${at.state}`);
  say(`                  ${JOURNAL_FILE}: what was synced; ${TOKEN_FILE}: the login (mode 0600);`);
  say(`                  trash/${PAIR}/: local files removed because they were deleted on the Drive`);
  say(`  emulator state  ${at.emulatorData}`);
  say();
  say('Try next');
  say(`  npx lineworks-sync status --config ${cfg}   # reads the journal; works any time`);
  if (keep) {
    say(`  The emulator keeps running at ${emu.urls.api}; edit files on either side, then:`);
  } else {
    say('  The emulator has stopped. Start it again with the same state on the same ports (the URLs');
    say('  in the configuration file) and leave it running; edit files on either side, then:');
    say(
      `    npx lineworks-sync emulator --data ${sh(at.emulatorData)} --port ${port(emu.urls.api)} --storage-port ${port(emu.urls.storage)}`,
    );
  }
  say(`    npx lineworks-sync --config ${cfg} --once --dry-run   # the plan; changes nothing`);
  say(`    npx lineworks-sync --config ${cfg} --once`);
  say(`    npx lineworks-sync --config ${cfg}                    # the daemon; Ctrl-C stops it`);
  if (keep) {
    say(`  The emulator's own view of the Drive: ${emu.urls.admin}/tree?drive=me`);
    say();
    say('Press Ctrl-C to stop the emulator.');
  } else {
    say('  (Ports taken? Start it with --port 0 and put the URLs it prints into [api].');
    say('  Or run the demo with --keep to leave its emulator running.)');
  }
}

/** Quotes a path for a POSIX shell when it needs it. */
function sh(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Receives the engine's log lines (level warn and above) and prints them as narration. */
class EngineLog extends Writable {
  #pending = '';
  #lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.#pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = this.#pending.indexOf('\n')) >= 0) {
      const line = this.#pending.slice(0, nl);
      this.#pending = this.#pending.slice(nl + 1);
      try {
        this.#lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.#lines.push({ msg: line });
      }
    }
    done();
  }

  /** Prints what was logged since the last flush, one line per entry. */
  flush(indent: string): void {
    for (const l of this.#lines) {
      const where = typeof l.path === 'string' ? `: ${l.path}` : '';
      say(`${indent}the engine logged: ${String(l.msg ?? '')}${where}`);
    }
    this.#lines = [];
  }
}
