/**
 * The OAuth authorization-code login of `lineworks-sync login` (contracts.md §1), with the demo
 * playing the browser: a loopback listener receives `/callback`, the authorize URL is fetched and
 * its 302 followed to that listener, and the session trades the code for tokens, which it stores
 * (mode 0600) in its token file. The emulator consents at once (contracts.md §3).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DriveSession } from '../remote/index.js';

export async function loginWithCodeFlow(session: DriveSession): Promise<void> {
  const state = randomBytes(16).toString('hex');
  let received: { code: string | null; error: string | null } | null = null;
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/callback' || u.searchParams.get('state') !== state) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('unexpected request');
      return;
    }
    received = { code: u.searchParams.get('code'), error: u.searchParams.get('error') };
    res.writeHead(200, { 'content-type': 'text/plain' }).end('logged in');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    const res = await fetch(session.authorizeUrl(redirectUri, state), { redirect: 'follow' });
    await res.arrayBuffer();
    const got = received as { code: string | null; error: string | null } | null;
    if (!got) throw new Error(`the authorize endpoint answered ${res.status} and never redirected back`);
    if (!got.code) throw new Error(`the authorization server refused: ${got.error ?? 'no code'}`);
    await session.exchangeCode(got.code, redirectUri);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}
