/**
 * `login --config FILE [--no-browser]` (contracts.md §1): OAuth authorization code on a loopback
 * redirect `http://127.0.0.1:<port>/callback`; tokens stored by the session in
 * `<stateDir>/tokens.json` (mode 0600). The code and tokens are never printed or logged.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSession } from '../../remote/session.js';
import { createLogger } from '../../log/logger.js';
import { EXIT } from '../exit-codes.js';
import { loadOrReport } from './common.js';

export interface LoginFlags {
  config: string;
  browser: boolean;
  /** How long to wait for the redirect. @default 300000 */
  timeoutMs?: number;
}

export async function loginCommand(flags: LoginFlags): Promise<number> {
  const loaded = await loadOrReport(flags.config);
  if (!loaded.ok) return loaded.code;
  const { config } = loaded;
  await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
  const session = createSession({
    apiBaseUrl: config.api.baseUrl,
    authUrl: config.api.authUrl,
    clientId: config.auth.clientId,
    clientSecret: config.auth.clientSecret,
    scope: config.auth.scope,
    tokenFile: join(config.stateDir, 'tokens.json'),
    logger: createLogger(),
  });
  const state = randomBytes(16).toString('hex');
  const server = createServer();
  try {
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(0, '127.0.0.1', () => res());
    });
    const port = (server.address() as AddressInfo).port;
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const url = session.authorizeUrl(redirectUri, state);
    console.log('Open this URL in a browser to log in:');
    console.log(url);
    if (flags.browser) openBrowser(url);
    const code = await waitForCode(server, state, flags.timeoutMs ?? 300_000);
    await session.exchangeCode(code, redirectUri);
    console.log(`Logged in; tokens stored in ${join(config.stateDir, 'tokens.json')}`);
    return EXIT.OK;
  } catch (err) {
    console.error(`login failed: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.LOGIN;
  } finally {
    server.close();
    session.close();
  }
}

function openBrowser(url: string): void {
  try {
    const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener: the printed URL is enough.
  }
}

/** Resolves with the `code` of the first /callback request whose `state` matches. */
function waitForCode(server: Server, state: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no authorization arrived within ${timeoutMs / 1000} s; run login again`)),
      timeoutMs,
    );
    server.on('request', (req, res) => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (u.pathname !== '/callback') {
        res.writeHead(404).end();
        return;
      }
      const code = u.searchParams.get('code');
      const error = u.searchParams.get('error');
      if (u.searchParams.get('state') !== state) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('state mismatch; ignored');
        return;
      }
      clearTimeout(timer);
      if (!code) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('login refused');
        reject(new Error(`the authorization server refused: ${error ?? 'no code'}`));
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('lineworks-sync: logged in, you can close this tab.');
      resolve(code);
    });
  });
}
