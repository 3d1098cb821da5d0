/** `emulator …` (contracts.md §3): argv passes through untouched. */
export async function emulatorCommand(argv: string[]): Promise<number> {
  const { emulatorCommand: run } = await import('../../emulator/cli.js');
  return run(argv);
}
