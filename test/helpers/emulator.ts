/**
 * In-process emulator for tests (port 0, in memory) and a real-HTTP OAuth login against it.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js';

export const CLIENT_ID = 'emulator-client';
export const CLIENT_SECRET = 'emulator-secret';
export const TEST_REDIRECT_URI = 'http://127.0.0.1:9/callback';

export type { Emulator, EmulatorOptions };

export function startTestEmulator(knobs: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ port: 0, storagePort: 0, ...knobs });
}

export interface TestTokens {
  accessToken: string;
  refreshToken: string;
}

/** GET authorize (loopback redirect) → the 302's code → POST token; throws on any other answer. */
export async function loginTestUser(emu: { urls: Emulator['urls'] }, scope = 'file'): Promise<TestTokens> {
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: TEST_REDIRECT_URI,
    scope,
    response_type: 'code',
    state: 'test-state',
  });
  const auth = await fetch(`${emu.urls.auth}/authorize?${q}`, { redirect: 'manual' });
  const location = auth.headers.get('location');
  if (auth.status !== 302 || !location) throw new Error(`authorize answered ${auth.status}`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`authorize redirect has no code: ${location}`);
  const res = await fetch(`${emu.urls.auth}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: TEST_REDIRECT_URI,
    }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200 || typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string')
    throw new Error(`token answered ${res.status} ${JSON.stringify(body)}`);
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}
