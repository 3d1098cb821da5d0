/**
 * Configuration problems (contracts.md §2; exit code 2 of §1). One ConfigError carries every
 * problem found in a file, each naming the file and the exact key path (`pairs[0].drive`).
 * Messages never contain secret values.
 */
export interface ConfigProblem {
  /** Key path inside the file, e.g. `sync.max_delete_count` or `pairs[1].drive`; "" = whole file. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly file: string;
  readonly problems: ConfigProblem[];

  constructor(file: string, problems: ConfigProblem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

export function formatProblem(file: string, p: ConfigProblem): string {
  return p.path ? `${file}: ${p.path}: ${p.message}` : `${file}: ${p.message}`;
}

/** Renders a zod issue path (`['pairs', 1, 'drive']`) as `pairs[1].drive`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
