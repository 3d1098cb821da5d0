/** mkdir-remote / mkdir-local: folders are created before their contents (plan/order.ts). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toBaseRow } from '../../journal/index.js';
import { baseName } from '../../scan/names.js';
import type { LocalEntry } from '../../scan/types.js';
import type { RemoteEntry } from '../../remote/types.js';
import type { PairRun } from '../context.js';
import { diskPath, statFacts } from '../local-facts.js';
import type { StepResult } from './upload.js';

export async function mkdirRemote(run: PairRun, a: { path: string; local: LocalEntry }): Promise<StepResult> {
  const entry = await run.remote.mkdir(run.keys.parentKey(a.path), baseName(a.path));
  run.keys.set(a.path, entry.resourceKey);
  const facts = statFacts(diskPath(run.root, a.local)) ?? a.local;
  run.journal.putBase(run.pair.name, toBaseRow(a.path, { ...facts, kind: 'folder' }, entry));
  run.log.info({ pair: run.pair.name, action: 'mkdir-remote', path: a.path }, 'created remote folder');
  return 'done';
}

export function mkdirLocal(run: PairRun, a: { path: string; remote: RemoteEntry }): StepResult {
  const abs = join(run.root, a.path);
  mkdirSync(abs, { recursive: true });
  const facts = statFacts(abs);
  if (!facts || facts.kind !== 'folder') return 'deferred';
  run.keys.set(a.path, a.remote.resourceKey);
  run.journal.putBase(run.pair.name, toBaseRow(a.path, facts, a.remote));
  run.log.info({ pair: run.pair.name, action: 'mkdir-local', path: a.path }, 'created local folder');
  return 'done';
}
