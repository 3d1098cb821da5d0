// A planner input as the engine builds it: the base as a BaseTable, each side as a SideTable filled
// in the same order (entries equal to their base row kept as the row's index).
import { BaseTable } from '../../src/journal/base-table.js';
import { SideTable } from '../../src/journal/side-table.js';
import { remoteCodec } from '../../src/engine/remote-codec.js';
import type { PlanInput } from '../../src/plan/index.js';
import { localCodec } from '../../src/scan/local-codec.js';

export function tabled(input: PlanInput): PlanInput {
  const base = BaseTable.of(input.base.values());
  const local = new SideTable(base, localCodec);
  for (const l of input.local.values()) local.set(l);
  const remote = new SideTable(base, remoteCodec);
  for (const r of input.remote.values()) remote.set(r);
  return { ...input, base, local, remote };
}
