/** Path rules of contracts.md §2: remote_path normalisation, the XDG state dir, nested roots. */
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Normalises a remote folder: must start with "/"; collapses repeated slashes, drops a trailing
 * "/" (except the root) and "." segments. Returns null for a relative path or one with "..".
 */
export function normaliseRemotePath(p: string): string | null {
  if (!p.startsWith('/')) return null;
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..')) return null;
  return '/' + parts.join('/');
}

/** `$XDG_STATE_HOME/lineworks-sync`, else `~/.local/state/lineworks-sync`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'lineworks-sync');
  return join(env.HOME || homedir(), '.local', 'state', 'lineworks-sync');
}

/** True when `a` and `b` are the same folder or one lies inside the other. */
export function overlaps(a: string, b: string): boolean {
  const inside = (x: string, y: string): boolean => {
    const r = relative(resolve(x), resolve(y));
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  return inside(a, b) || inside(b, a);
}
