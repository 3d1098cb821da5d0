import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyNetwork, classifyResponse } from '../../src/remote/classify.js';
import type { ErrorClass } from '../../src/remote/errors.js';

type Row = [status: number, body: unknown, expected: ErrorClass, name?: boolean];

const api2: Row[] = [
  [429, { code: 'TOO_MANY_REQUESTS', description: 'API rate limit exceeded' }, 'rate-limited'],
  [598, { code: 'LONG_RUNNING_TRANSACTION', description: '…' }, 'long-running'],
  [500, { code: 'INTERNAL_SERVER_ERROR', description: '…' }, 'transient'],
  [503, { code: 'SERVICE_MAINTENANCE', description: '…' }, 'transient'],
  [401, { code: 'UNAUTHORIZED', description: 'Authentication failed.' }, 'auth'],
  [409, { code: 'ALREADY_EXIST', description: '…' }, 'exists'],
  [404, { code: 'NOT_FOUND', description: '…' }, 'not-found'],
  [410, { code: 'DELETED', description: '…' }, 'not-found'],
  [400, { code: 'LOCKED_FILE', description: '…' }, 'locked'],
  [403, { code: 'LIMIT_EXCEEDED', description: '…' }, 'quota'],
  [400, { code: 'RESOURCE_HAS_VIRUS', description: '…' }, 'rejected-content'],
  [400, { code: 'BLOCKED_EXTENSION_FILE', description: '…' }, 'rejected-content'],
  [400, { code: 'INVALID_PARAMETER', description: 'bad name' }, 'rejected-name', true],
  [400, { code: 'INVALID_PARAMETER', description: 'count' }, 'bad-request', false],
  [403, { code: 'READ_ONLY', description: '…' }, 'permission'],
  [403, { code: 'AUTH_FAIL', description: '…' }, 'permission'],
  [403, { code: 'WRITE_PERMISSION_NEEDED', description: '…' }, 'permission'],
  [403, { code: 'FORBIDDEN', description: '…' }, 'permission'],
  [403, { code: 'SERVICE_ACCOUNT_NOT_ALLOWED', description: '…' }, 'permission'],
];

const v2: Row[] = [
  [400, { domain: 'drive', code: 'INVALID_PARAMETER', message: 'Invalid Parameters' }, 'bad-request'],
  [400, { domain: 'drive', code: 'RESOURCE_HAS_VIRUS', message: 'Virus File' }, 'rejected-content'],
  [400, { domain: 'drive', code: 'BAD_REQUEST', message: 'Not supported Request' }, 'bad-request'],
  [400, { domain: 'drive', code: 'LOCKED_FILE', message: 'Locked File' }, 'locked'],
  [401, { domain: 'drive', code: 'UNAUTHORIZED', message: 'Authentication Fail' }, 'auth'],
  [403, { domain: 'drive', code: 'READ_ONLY', message: 'Read Only User' }, 'permission'],
  [403, { domain: 'drive', code: 'NOT_SUPPORTED_DURING_STORAGE_MOVE', message: '…' }, 'locked'],
  [404, { domain: 'drive', code: 'RESOURCE_NOT_FOUND', message: 'File Not Exist' }, 'not-found'],
  [409, { domain: 'drive', code: 'PERMISSION_ALREADY_EXIST', message: '…' }, 'exists'],
  [500, { domain: 'drive', code: 'INTERNAL_SERVER_ERROR', message: 'Resource Lock' }, 'transient'],
  [501, { domain: 'drive', code: 'NOT_SUPPORTED_OPERATION', message: '…' }, 'unknown'],
  [503, { domain: 'drive', code: 'SERVICE_MAINTENANCE', message: '…' }, 'transient'],
  [598, { domain: 'drive', code: 'LONG_RUNNING_TRANSACTION', message: '…' }, 'long-running'],
];

const v1Codes: [string, ErrorClass][] = [
  ['1000', 'transient'],
  ['1001', 'bad-request'],
  ['1002', 'transient'],
  ['1003', 'transient'],
  ['1005', 'long-running'],
  ['2001', 'auth'],
  ['2003', 'permission'],
  ['3101', 'not-found'],
  ['3102', 'not-found'],
  ['3103', 'not-found'],
  ['3104', 'not-found'],
  ['3105', 'not-found'],
  ['3111', 'not-found'],
  ['3201', 'exists'],
  ['3202', 'exists'],
  ['3203', 'exists'],
  ['3204', 'exists'],
  ['3205', 'exists'],
  ['3206', 'exists'],
  ['3301', 'quota'],
  ['3302', 'rejected-name'],
  ['3303', 'rejected-name'],
  ['3304', 'rejected-name'],
  ['3305', 'rejected-name'],
  ['3306', 'locked'],
  ['3402', 'rejected-content'],
  ['3403', 'rejected-content'],
  ['3404', 'locked'],
  ['4101', 'permission'],
  ['4102', 'permission'],
];

const storageCodes: [number, ErrorClass][] = [
  [10000, 'transient'],
  [2001, 'transient'],
  [2002, 'auth'],
  [1001, 'not-found'],
  [1011, 'not-found'],
  [1036, 'not-found'],
  [1037, 'not-found'],
  [1009, 'exists'],
  [1059, 'locked'],
  [1068, 'locked'],
  [1078, 'locked'],
  [1003, 'quota'],
  [1022, 'quota'],
  [1071, 'rejected-content'],
  [1076, 'rejected-content'],
  [1016, 'rejected-name'],
  [1042, 'rejected-name'],
  [1063, 'rejected-name'],
  [1120, 'permission'],
  [1210, 'permission'],
];

test('every API 2.0 error code of the reference maps to its class', () => {
  for (const [status, body, expected, name] of api2) {
    assert.equal(
      classifyResponse({ status, body, nameInRequest: name ?? false }).errorClass,
      expected,
      JSON.stringify(body),
    );
  }
});

test('every legacy v2 error code of seed 003 maps to its class', () => {
  for (const [status, body, expected, name] of v2) {
    assert.equal(
      classifyResponse({ status, body, nameInRequest: name ?? false }).errorClass,
      expected,
      JSON.stringify(body),
    );
  }
});

test('legacy v1 numeric-string codes of seed 000 Table 1 map to their class whatever the HTTP status', () => {
  for (const [code, expected] of v1Codes) {
    for (const status of [200, 400, 500]) {
      const c = classifyResponse({ status, body: { code, message: 'x', result: null } });
      assert.equal(c.errorClass, expected, `v1 ${code} (HTTP ${status})`);
      assert.equal(c.code, code);
    }
  }
});

test('storage numeric codes of seed 000 Table 2 are read as storage codes, not v1 codes', () => {
  for (const [code, expected] of storageCodes) {
    const c = classifyResponse({ status: 400, body: { code, message: 'x' } });
    assert.equal(c.errorClass, expected, `storage ${code}`);
    assert.equal(c.code, String(code));
  }
  // 2001 and 1003 mean different things in the two numeric tables.
  assert.equal(
    classifyResponse({ status: 500, body: { code: 2001, message: 'File Storage Error' } }).errorClass,
    'transient',
  );
  assert.equal(
    classifyResponse({ status: 401, body: { code: '2001', message: 'Authentication Fail' } }).errorClass,
    'auth',
  );
  assert.equal(
    classifyResponse({ status: 507, body: { code: 1003, message: 'Over Upload Quota' } }).errorClass,
    'quota',
  );
  assert.equal(
    classifyResponse({ status: 503, body: { code: '1003', message: 'File operation API not Available' } })
      .errorClass,
    'transient',
  );
});

test('gateway errors of the v1 generation are authentication failures', () => {
  for (const errorCode of ['024', '028', '029']) {
    const c = classifyResponse({
      status: 401,
      body: { errorCode, errorMessage: 'Authentication header not exists' },
    });
    assert.equal(c.errorClass, 'auth');
    assert.equal(c.code, errorCode);
  }
  assert.equal(
    classifyResponse({ status: 503, body: { errorCode: '999', errorMessage: '?' } }).errorClass,
    'transient',
  );
});

test('OAuth token errors are read from the error field', () => {
  assert.equal(
    classifyResponse({ status: 400, body: { error: 'invalid_grant', error_description: 'x' } }).errorClass,
    'auth',
  );
  assert.equal(classifyResponse({ status: 401, body: { error: 'invalid_client' } }).errorClass, 'auth');
  assert.equal(
    classifyResponse({ status: 503, body: { error: 'temporarily_unavailable' } }).errorClass,
    'transient',
  );
});

test('bodies that say nothing known fall back to the HTTP status', () => {
  const rows: [number, unknown, ErrorClass][] = [
    [429, '', 'rate-limited'],
    [598, undefined, 'long-running'],
    [502, '<html>bad gateway</html>', 'transient'],
    [500, Buffer.from('{"code":"SOMETHING_NEW"}'), 'transient'],
    [401, null, 'auth'],
    [403, {}, 'permission'],
    [404, { code: 'WHATEVER' }, 'not-found'],
    [409, 'conflict', 'exists'],
    [405, '', 'unknown'],
    [400, { code: '9999', message: 'new v1 code' }, 'bad-request'],
    [503, { code: 99999, message: 'new storage code' }, 'transient'],
  ];
  for (const [status, body, expected] of rows) {
    assert.equal(classifyResponse({ status, body }).errorClass, expected, `${status} ${String(body)}`);
  }
});

test('the message of the body is kept and a JSON body given as text or bytes is parsed', () => {
  const c = classifyResponse({ status: 404, body: '{"code":"NOT_FOUND","description":"no such file"}' });
  assert.deepEqual(c, { errorClass: 'not-found', code: 'NOT_FOUND', message: 'no such file' });
});

test('network failures are transient, and failures to connect at all are marked unreachable', () => {
  assert.deepEqual(classifyNetwork('ECONNRESET'), { errorClass: 'transient', unreachable: false });
  assert.deepEqual(classifyNetwork('ERR_CANCELED'), { errorClass: 'transient', unreachable: false });
  assert.deepEqual(classifyNetwork('ECONNREFUSED'), { errorClass: 'transient', unreachable: true });
  assert.deepEqual(classifyNetwork('ENOTFOUND'), { errorClass: 'transient', unreachable: true });
});
