/** Shared by the commands: load the config or report every problem with exit 2 (contracts.md §1). */
import { ConfigError } from '../../config/errors.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/types.js';
import { EXIT } from '../exit-codes.js';

export type Loaded = { ok: true; config: Config } | { ok: false; code: number };

export async function loadOrReport(file: string): Promise<Loaded> {
  try {
    return { ok: true, config: await loadConfig(file) };
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return { ok: false, code: EXIT.USAGE };
    }
    throw err;
  }
}
