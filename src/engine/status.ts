/** `status` (contracts.md §1). Placeholder until the journal report is built. */
import type { Config } from '../config/types.js';

export interface StatusOptions {
  json: boolean;
}

export async function statusCommand(_config: Config, _opts: StatusOptions): Promise<number> {
  console.error('status: not available yet');
  return 1;
}
