/** Entry point of the `lineworks-sync` command (contracts.md §1). */
import { run } from './run.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // contracts.md §1: a stopped daemon exits within 10 s; a handle left open must not hold it.
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
