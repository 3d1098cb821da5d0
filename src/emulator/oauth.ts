/**
 * The auth host of reference §1: authorize (immediate consent), token (authorization_code,
 * refresh_token, jwt-bearer), revoke, and the Bearer check of the API and storage hosts.
 */
import { createPublicKey, verify } from 'node:crypto';
import { ApiError, unauthorized } from './errors/api-error.js';
import { bearer, readForm, sendJson, type Ctx } from './http.js';
import { CLIENT_ID, CLIENT_SECRET, USER, type Env } from './env.js';
import { newId, type Token } from './store.js';

const CODE_TTL_MS = 10 * 60_000;
const REFRESH_TTL_MS = 90 * 86_400_000;
const KNOWN_SCOPES = ['file', 'file.read', 'openid', 'profile', 'email'];

class OAuthError extends ApiError {
  constructor(
    status: number,
    readonly error: string,
    description: string,
  ) {
    super(status, 'BAD_REQUEST', description);
  }
}

function sendOAuthError(ctx: Ctx, e: OAuthError): void {
  sendJson(ctx, e.status, { error: e.error, error_description: e.description });
}

/** Loopback redirect URIs of any port (RFC 8252 §7.3, reference §1 **[chosen]**). */
export function isLoopbackRedirect(uri: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.hash === '';
}

function scopesOf(raw: string | null): string {
  return (raw ?? '')
    .split(/[\s+]+/)
    .filter((s) => KNOWN_SCOPES.includes(s))
    .filter((s, i, a) => a.indexOf(s) === i)
    .join(' ');
}

export function authorize(ctx: Ctx, env: Env): void {
  const q = ctx.url.searchParams;
  const redirect = q.get('redirect_uri') ?? '';
  if (q.get('client_id') !== CLIENT_ID)
    return sendOAuthError(ctx, new OAuthError(400, 'invalid_client', 'unknown client_id'));
  if (!isLoopbackRedirect(redirect))
    return sendOAuthError(
      ctx,
      new OAuthError(400, 'invalid_request', 'redirect_uri must be a loopback http URI'),
    );
  const target = new URL(redirect);
  const state = q.get('state');
  if (q.get('response_type') !== 'code') {
    target.searchParams.set('error', 'unsupported_response_type');
  } else {
    const code = newId('c');
    env.store.insertCode({
      code,
      client: CLIENT_ID,
      redirect,
      scope: scopesOf(q.get('scope')),
      expires: Date.now() + CODE_TTL_MS,
      used: 0,
    });
    target.searchParams.set('code', code);
  }
  if (state !== null) target.searchParams.set('state', state);
  sendJson(ctx, 302, undefined, { Location: target.toString() });
}

function issue(
  env: Env,
  user: string,
  scope: string,
  service: boolean,
  withRefresh: boolean,
): Record<string, string> {
  const now = Date.now();
  const ttl = env.knobs.tokenTtl;
  const access: Token = {
    token: newId('a'),
    kind: 'access',
    user,
    scope,
    service: service ? 1 : 0,
    expires: now + ttl * 1000,
    revoked: 0,
  };
  env.store.insertToken(access);
  const out: Record<string, string> = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: String(ttl),
    scope,
  };
  if (withRefresh) {
    const refresh: Token = { ...access, token: newId('r'), kind: 'refresh', expires: now + REFRESH_TTL_MS };
    env.store.insertToken(refresh);
    out.refresh_token = refresh.token;
  }
  return out;
}

function b64json(part: string | undefined): Record<string, unknown> | null {
  if (!part) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** RS256 service-account assertion (docs/auth-jwt): `iss` = client id, `sub`, `iat`, `exp` ≤ 60 min. */
function verifyAssertion(env: Env, assertion: string): string {
  const bad = (why: string): OAuthError => new OAuthError(400, 'invalid_grant', `assertion ${why}`);
  if (!env.knobs.jwtPublicKey) throw bad('cannot be checked: no public key configured (--jwt-public-key)');
  const parts = assertion.split('.');
  if (parts.length !== 3) throw bad('is not a JWT');
  const header = b64json(parts[0]);
  const claims = b64json(parts[1]);
  if (!header || !claims) throw bad('is not a JWT');
  if (header.alg !== 'RS256') throw bad('must be signed with RS256');
  let ok = false;
  try {
    const key = createPublicKey(env.knobs.jwtPublicKey);
    ok = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      key,
      Buffer.from(parts[2] as string, 'base64url'),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw bad('signature does not verify');
  const now = Math.floor(Date.now() / 1000);
  const { iss, sub, iat, exp } = claims;
  if (iss !== CLIENT_ID) throw bad('iss must be the client id');
  if (typeof sub !== 'string' || sub === '') throw bad('needs sub');
  if (typeof iat !== 'number' || typeof exp !== 'number') throw bad('needs iat and exp');
  if (exp <= now) throw bad('has expired');
  if (exp - iat > 3600) throw bad('lifetime exceeds 60 minutes');
  return sub;
}

export async function token(ctx: Ctx, env: Env): Promise<void> {
  let form: URLSearchParams;
  try {
    form = await readForm(ctx.req);
  } catch {
    return sendOAuthError(ctx, new OAuthError(400, 'invalid_request', 'request body too large'));
  }
  try {
    if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET)
      throw new OAuthError(401, 'invalid_client', 'client authentication failed');
    const grant = form.get('grant_type');
    const now = Date.now();
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const c = code ? env.store.takeCode(code) : undefined;
      if (!c || c.used || c.expires < now)
        throw new OAuthError(400, 'invalid_grant', 'code is invalid, used or expired');
      if (form.get('redirect_uri') !== c.redirect)
        throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the authorize request');
      return sendJson(ctx, 200, issue(env, USER, c.scope, false, true));
    }
    if (grant === 'refresh_token') {
      const t = env.store.token(form.get('refresh_token') ?? '');
      if (!t || t.kind !== 'refresh' || t.revoked || t.expires < now)
        throw new OAuthError(400, 'invalid_grant', 'refresh_token is invalid, revoked or expired');
      return sendJson(ctx, 200, issue(env, t.user, t.scope, t.service === 1, false));
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const sub = verifyAssertion(env, form.get('assertion') ?? '');
      return sendJson(ctx, 200, issue(env, `service:${sub}`, scopesOf(form.get('scope')), true, true));
    }
    throw new OAuthError(400, 'unsupported_grant_type', 'grant_type is not supported');
  } catch (e) {
    if (e instanceof OAuthError) return sendOAuthError(ctx, e);
    throw e;
  }
}

export async function revoke(ctx: Ctx, env: Env): Promise<void> {
  const form = await readForm(ctx.req).catch(() => new URLSearchParams());
  if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET)
    return sendOAuthError(ctx, new OAuthError(401, 'invalid_client', 'client authentication failed'));
  const t = form.get('token');
  if (!t) return sendOAuthError(ctx, new OAuthError(400, 'invalid_request', 'token is required'));
  env.store.revoke(t);
  sendJson(ctx, 200, {});
}

/** The caller's access token, or 401/403 per reference §1. */
export function authenticate(ctx: Ctx, env: Env, write: boolean): Token {
  const raw = bearer(ctx.req);
  if (raw === null) throw unauthorized(true);
  const t = raw ? env.store.token(raw) : undefined;
  if (!t || t.kind !== 'access' || t.revoked || t.expires < Date.now()) throw unauthorized(false);
  if (t.service)
    throw new ApiError(403, 'SERVICE_ACCOUNT_NOT_ALLOWED', 'A service account token cannot call Drive APIs.');
  const scopes = t.scope.split(' ');
  if (!scopes.includes('file') && !(scopes.includes('file.read') && !write))
    throw new ApiError(
      403,
      'FORBIDDEN',
      write ? 'The token lacks the file scope.' : 'The token lacks a file scope.',
    );
  return t;
}
