/**
 * OAuth tokens (reference §1): the authorization-code exchange, refresh ahead of expiry and once
 * after a 401, and persistence in a 0600 file replaced atomically. A refused refresh is
 * LoginRequiredError (contracts.md §1 exit 78); a refresh that could not reach the server is not.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LoginRequiredError, RemoteError } from './errors.js';

/** What the token file holds. */
interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
  /** Epoch ms at which it was issued (to size the refresh margin). */
  obtainedAt: number;
  scope?: string;
}

/** Sends one form to `AUTH/token` and returns the parsed JSON (errors as RemoteError). */
export type TokenRequest = (form: Record<string, string>) => Promise<unknown>;

export interface TokenStoreOptions {
  file: string;
  clientId: string;
  clientSecret: string;
  request: TokenRequest;
  now?: () => number;
}

/** Refresh when this share of the lifetime is left (at most 5 minutes before expiry). */
const MARGIN_SHARE = 0.1;
const MARGIN_MAX_MS = 5 * 60_000;

function readTokenResponse(v: unknown): {
  access: string;
  refresh?: string;
  expiresInS: number;
  scope?: string;
} {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || o.access_token === '') {
    throw new RemoteError('unknown', 'token response without access_token');
  }
  // expires_in arrives as a string ("86400") or a number (reference §1).
  const n = Number(o.expires_in);
  return {
    access: o.access_token,
    ...(typeof o.refresh_token === 'string' && o.refresh_token !== '' ? { refresh: o.refresh_token } : {}),
    expiresInS: Number.isFinite(n) && n > 0 ? n : 3600,
    ...(typeof o.scope === 'string' ? { scope: o.scope } : {}),
  };
}

/** Writes `data` to `file` with mode 0600: a temporary file in the same folder, fsync, rename. */
export function writeFileAtomic0600(file: string, data: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is best-effort (not every filesystem allows it).
  }
}

export class TokenStore {
  readonly #o: TokenStoreOptions;
  readonly #now: () => number;
  #tokens: StoredTokens | null;
  #refreshing: Promise<string> | null = null;

  constructor(opts: TokenStoreOptions) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    this.#tokens = this.#load();
  }

  #load(): StoredTokens | null {
    let text: string;
    try {
      text = readFileSync(this.#o.file, 'utf8');
    } catch {
      return null;
    }
    try {
      const t = JSON.parse(text) as Partial<StoredTokens>;
      if (typeof t.accessToken !== 'string' || typeof t.refreshToken !== 'string') return null;
      return {
        accessToken: t.accessToken,
        refreshToken: t.refreshToken,
        expiresAt: Number(t.expiresAt) || 0,
        obtainedAt: Number(t.obtainedAt) || 0,
        ...(t.scope !== undefined ? { scope: t.scope } : {}),
      };
    } catch {
      return null;
    }
  }

  #save(t: StoredTokens): void {
    this.#tokens = t;
    writeFileAtomic0600(this.#o.file, JSON.stringify(t) + '\n');
  }

  hasTokens(): boolean {
    return this.#tokens !== null;
  }

  /** Authorization-code grant (reference §1); stores the tokens. */
  async exchangeCode(code: string, redirectUri: string): Promise<void> {
    const r = readTokenResponse(
      await this.#o.request({
        grant_type: 'authorization_code',
        code,
        client_id: this.#o.clientId,
        client_secret: this.#o.clientSecret,
        redirect_uri: redirectUri,
      }),
    );
    if (!r.refresh) throw new RemoteError('unknown', 'token response without refresh_token');
    const now = this.#now();
    this.#save({
      accessToken: r.access,
      refreshToken: r.refresh,
      expiresAt: now + r.expiresInS * 1000,
      obtainedAt: now,
      ...(r.scope !== undefined ? { scope: r.scope } : {}),
    });
  }

  /** A usable access token, refreshed first when it is near or past expiry. */
  async accessToken(): Promise<string> {
    const t = this.#tokens;
    if (!t) throw new LoginRequiredError('not logged in: run `lineworks-sync login`');
    const margin = Math.min(MARGIN_MAX_MS, (t.expiresAt - t.obtainedAt) * MARGIN_SHARE);
    if (this.#now() < t.expiresAt - margin) return t.accessToken;
    return this.#refresh();
  }

  /** After a 401 with `rejected`: refresh, unless another request already did. */
  async afterUnauthorized(rejected: string): Promise<string> {
    const t = this.#tokens;
    if (!t) throw new LoginRequiredError('not logged in: run `lineworks-sync login`');
    if (t.accessToken !== rejected) return t.accessToken;
    return this.#refresh();
  }

  #refresh(): Promise<string> {
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #doRefresh(): Promise<string> {
    const t = this.#tokens;
    if (!t) throw new LoginRequiredError('not logged in: run `lineworks-sync login`');
    let raw: unknown;
    try {
      raw = await this.#o.request({
        grant_type: 'refresh_token',
        refresh_token: t.refreshToken,
        client_id: this.#o.clientId,
        client_secret: this.#o.clientSecret,
      });
    } catch (err) {
      if (err instanceof RemoteError && (err.errorClass === 'auth' || err.errorClass === 'bad-request')) {
        throw new LoginRequiredError(
          `the refresh token was refused (${err.code ?? err.status ?? 'error'}): run \`lineworks-sync login\``,
        );
      }
      throw err;
    }
    const r = readTokenResponse(raw);
    const now = this.#now();
    // A refresh answer usually carries no new refresh_token: keep the old one (reference §1).
    this.#save({
      accessToken: r.access,
      refreshToken: r.refresh ?? t.refreshToken,
      expiresAt: now + r.expiresInS * 1000,
      obtainedAt: now,
      ...((r.scope ?? t.scope) !== undefined ? { scope: (r.scope ?? t.scope) as string } : {}),
    });
    return r.access;
  }
}
