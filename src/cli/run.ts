/** Dispatches the command line to a command; returns the exit code (contracts.md §1). */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'emulator') {
    const { emulatorCommand } = await import('../emulator/cli.js');
    return emulatorCommand(argv.slice(1));
  }
  console.error('usage: lineworks-sync [emulator|login|status|demo] [--config FILE] [--once]');
  return 2;
}
