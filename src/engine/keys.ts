/**
 * Where each remote folder is: path (relative to the pair's remote folder, NFC) → fileId. Filled
 * from the walk and the base, kept current as the executor creates and moves folders, so an upload
 * finds its parent without another listing.
 */
import { isAtOrUnder, parentOf } from '../scan/names.js';

export class RemoteKeys {
  readonly #keys = new Map<string, string>();

  /** `rootKey` is the pair's remote folder (null = the drive root). */
  constructor(readonly rootKey: string | null) {}

  set(path: string, key: string): void {
    this.#keys.set(path, key);
  }

  get(path: string): string | null | undefined {
    return path === '' ? this.rootKey : this.#keys.get(path);
  }

  /** The key of the folder holding `path`; throws when the plan never created it. */
  parentKey(path: string): string | null {
    const parent = parentOf(path);
    const key = this.get(parent);
    if (key === undefined) throw new Error(`the remote folder "${parent}" is not known`);
    return key;
  }

  /** Everything at or under `from` now lives under `to`. */
  move(from: string, to: string): void {
    const moved: [string, string][] = [];
    for (const [p, k] of this.#keys) if (isAtOrUnder(p, from)) moved.push([p, k]);
    for (const [p] of moved) this.#keys.delete(p);
    for (const [p, k] of moved) this.#keys.set(to + p.slice(from.length), k);
  }

  delete(path: string): void {
    for (const p of [...this.#keys.keys()]) if (isAtOrUnder(p, path)) this.#keys.delete(p);
  }
}
