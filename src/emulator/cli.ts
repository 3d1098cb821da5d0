/** `lineworks-sync emulator` (contracts.md §3). */
export async function emulatorCommand(_argv: string[]): Promise<number> {
  console.error('emulator: not built yet');
  return 2;
}
