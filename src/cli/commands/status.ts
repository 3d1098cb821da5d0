/** `status --config FILE [--json]` (contracts.md §1); the report itself lives in src/engine/status.ts. */
import { statusCommand as engineStatus } from '../../engine/status.js';
import { loadOrReport } from './common.js';

export async function statusCommand(file: string, json: boolean): Promise<number> {
  const loaded = await loadOrReport(file);
  if (!loaded.ok) return loaded.code;
  return engineStatus(loaded.config, { json });
}
