/** `check-config --config FILE`: validate and explain every problem; exit 0 or 2. */
import { EXIT } from '../exit-codes.js';
import { loadOrReport } from './common.js';

export async function checkConfigCommand(file: string): Promise<number> {
  const loaded = await loadOrReport(file);
  if (!loaded.ok) return loaded.code;
  const c = loaded.config;
  console.log(`${c.file}: valid`);
  console.log(`state_dir: ${c.stateDir}`);
  for (const p of c.pairs) {
    const oneWay =
      p.direction === 'both'
        ? ''
        : `  (direction ${p.direction}${p.cleanupLocal ? ', cleanup_local' : ''}${p.cleanupRemote ? ', cleanup_remote' : ''})`;
    console.log(`pair ${p.name}: ${p.local} <-> ${p.driveSpec}:${p.remotePath}${oneWay}`);
  }
  return EXIT.OK;
}
