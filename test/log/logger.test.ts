import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, errSerializer } from '../../src/log/logger.js';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

test('secret fields and bearer tokens never reach a log line', () => {
  const { stream, lines } = capture();
  const log = createLogger({ destination: stream });
  const secret = 'tok-SECRET-123';
  log.info({ access_token: secret, auth: { refresh_token: secret, client_secret: secret } }, 'tokens');
  const axiosLike = Object.assign(new Error(`Request failed: Bearer ${secret}`), {
    config: {
      method: 'get',
      url: `https://x.example/files?access_token=${secret}`,
      headers: { Authorization: `Bearer ${secret}` },
    },
    response: { status: 401, config: { headers: { Authorization: `Bearer ${secret}` } } },
  });
  log.error({ err: axiosLike }, 'failed');
  assert.equal(lines.length, 2);
  for (const line of lines) assert.ok(!line.includes(secret), line);
  const parsed = JSON.parse(lines[1]!) as { err: { status: number; method: string; url: string } };
  assert.equal(parsed.err.status, 401);
  assert.equal(parsed.err.method, 'GET');
  assert.equal(parsed.err.url, 'https://x.example/files');
});

test('the error serializer keeps class and code of a remote error', () => {
  const e = Object.assign(new Error('gone'), { errorClass: 'not-found', status: 404, code: 'NOT_FOUND' });
  assert.deepEqual(errSerializer(e), {
    type: 'Error',
    message: 'gone',
    class: 'not-found',
    code: 'NOT_FOUND',
    status: 404,
  });
});

test('an error code such as ENOENT stays visible in a log line', () => {
  const { stream, lines } = capture();
  const log = createLogger({ destination: stream });
  const err = Object.assign(new Error('no such file'), { code: 'ENOENT' });
  log.warn({ err }, 'scan failed');
  log.warn({ err: Object.assign(new Error('gone'), { code: 'NOT_FOUND', status: 404 }) }, 'remote');
  const first = JSON.parse(lines[0]!) as { err: { code: string } };
  const second = JSON.parse(lines[1]!) as { err: { code: string } };
  assert.equal(first.err.code, 'ENOENT');
  assert.equal(second.err.code, 'NOT_FOUND');
});

test('an OAuth authorization code in a query, form body or top-level field stays redacted', () => {
  const { stream, lines } = capture();
  const log = createLogger({ destination: stream });
  const secret = 'secret-auth-code';
  log.info({ query: { code: secret, state: 's1' } }, 'callback');
  log.info({ request: { body: { grant_type: 'authorization_code', code: secret } } }, 'token request');
  log.info({ req: { query: { code: secret } }, params: { code: secret }, form: { code: secret } }, 'more');
  log.info({ code: secret }, 'top level');
  log.info({ authCode: secret, ctx: { authorizationCode: secret } }, 'named');
  assert.equal(lines.length, 5);
  for (const line of lines) assert.ok(!line.includes(secret), line);
  const callback = JSON.parse(lines[0]!) as { query: { code: string; state: string } };
  assert.equal(callback.query.code, '[redacted]');
  assert.equal(callback.query.state, 's1');
});
