/** Help texts shared by every command (exit codes of contracts.md §1). */
export const EXIT_CODES_HELP = `
Exit codes:
  0   in sync
  1   finished, but some items could not be synced (see status)
  2   usage or configuration error (the message names the bad key or flag)
  3   stopped by a safety guard (mass delete, missing root, marker or remote folder); nothing deleted
  75  the remote could not be reached (temporary)
  78  the login is no longer valid: run login again
`;

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
