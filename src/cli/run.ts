/**
 * Dispatches the command line (contracts.md §1) and returns the exit code; never calls
 * process.exit. Usage errors return 2 with commander's message naming the bad flag.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { checkConfigCommand } from './commands/check-config.js';
import { demoCommand } from './commands/demo.js';
import { emulatorCommand } from './commands/emulator.js';
import { loginCommand } from './commands/login.js';
import { statusCommand } from './commands/status.js';
import { syncCommand } from './commands/sync.js';
import { EXIT_CODES_HELP, examples } from './help.js';

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'emulator') return emulatorCommand(argv.slice(1));
  let code: number = EXIT.OK;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    throw err;
  }
  return code;
}

function configOption(): Option {
  return new Option(
    '--config <file>',
    'the configuration file (TOML, contracts.md §2)',
  ).makeOptionMandatory();
}

function buildProgram(setCode: (c: number) => void): Command {
  const program = new Command('lineworks-sync')
    .description('Two-way folder sync for LINE WORKS Drive')
    .option('--config <file>', 'the configuration file (TOML, contracts.md §2)')
    .option('--once', 'one reconciliation pass over every pair, then exit')
    .option('--dry-run', 'with --once: print the plan and change nothing')
    .option('--force', 'run even though a safety guard (mass delete) would stop the run')
    .option('--resync', 'with --once: rebuild the journal by merging both sides (never deletes)')
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      examples([
        'lineworks-sync --config ~/.config/lineworks-sync/config.toml',
        'lineworks-sync --config config.toml --once --dry-run',
        'lineworks-sync login --config config.toml',
        'lineworks-sync check-config --config config.toml',
      ]) + EXIT_CODES_HELP,
    )
    .action(
      async (o: { config?: string; once?: boolean; dryRun?: boolean; force?: boolean; resync?: boolean }) => {
        if (o.config === undefined) {
          console.error(
            "error: required option '--config <file>' not specified\n(run with --help for usage)",
          );
          setCode(EXIT.USAGE);
          return;
        }
        setCode(
          await syncCommand({
            config: o.config,
            once: o.once === true,
            dryRun: o.dryRun === true,
            force: o.force === true,
            resync: o.resync === true,
          }),
        );
      },
    );

  program
    .command('login')
    .description('log in with OAuth (loopback redirect) and store the tokens in the state directory')
    .addOption(configOption())
    .option('--no-browser', 'only print the authorize URL; do not try to open a browser')
    .option('--timeout <seconds>', 'give up waiting for the redirect after this long', '300')
    .addHelpText(
      'after',
      examples(['lineworks-sync login --config config.toml --no-browser']) + EXIT_CODES_HELP,
    )
    .action(async (o: { config: string; browser: boolean; timeout: string }) => {
      const seconds = Number(o.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0) {
        console.error(`error: option '--timeout <seconds>' expects a positive number, got '${o.timeout}'`);
        setCode(EXIT.USAGE);
        return;
      }
      setCode(await loginCommand({ config: o.config, browser: o.browser, timeoutMs: seconds * 1000 }));
    });

  program
    .command('status')
    .description('what the journal says: per pair last sync, items, pending work, conflicts, errors')
    .addOption(configOption())
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      examples([
        'lineworks-sync status --config config.toml',
        'lineworks-sync status --config /etc/lineworks-sync/work.toml --json',
      ]) +
        '\nExit codes: 0 the report was printed (whatever it says), 1 the journal could not be read,\n' +
        '2 usage or configuration error. Safe to run while the daemon runs (read-only, no lock).\n',
    )
    .action(async (o: { config: string; json?: boolean }) => {
      setCode(await statusCommand(o.config, o.json === true));
    });

  program
    .command('check-config')
    .description('validate the configuration file and explain every problem (exit 0 or 2)')
    .addOption(configOption())
    .addHelpText(
      'after',
      examples(['lineworks-sync check-config --config /etc/lineworks-sync/work.toml']) + EXIT_CODES_HELP,
    )
    .action(async (o: { config: string }) => {
      setCode(await checkConfigCommand(o.config));
    });

  program
    .command('demo')
    .description("a newcomer's first run: an emulator with sample content, synced both ways")
    .option('--dir <dir>', 'put the demo here (a new or empty folder; default: a new temp folder)')
    .option('--keep', 'leave the emulator running until Ctrl-C, to try the printed commands')
    .addHelpText(
      'after',
      examples(['lineworks-sync demo', 'lineworks-sync demo --dir ./lwsync-demo --keep']) +
        '\nExit codes: 0 everything happened as the demo says (it reads both sides to check),\n' +
        '1 something did not (the message says what), 2 usage error (e.g. --dir is not empty).\n',
    )
    .action(async (o: { dir?: string; keep?: boolean }) => {
      setCode(await demoCommand({ dir: o.dir, keep: o.keep === true }));
    });

  program
    .command('emulator')
    .description('run the LINE WORKS Drive emulator (options: lineworks-sync emulator --help)')
    .allowUnknownOption()
    .helpOption(false)
    .addHelpText('after', examples(['lineworks-sync emulator --port 0 --data ./emu']));

  program.commands.forEach((c) => c.exitOverride());
  return program;
}
