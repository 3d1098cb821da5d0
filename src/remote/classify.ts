/**
 * Error classification (lineworks-drive-api.md §7): every dialect the documents describe is read,
 * and every failure maps onto one ErrorClass of errors.ts.
 *
 * Dialects are told apart by the body's shape, not by the host (a fault may put any dialect on any
 * host): API 2.0 `{code:"NAME",description}`, legacy v2 `{domain,code:"NAME",message}`, legacy v1
 * `{code:"3101",message}` (numeric string, seed 000 Table 1) and its gateway
 * `{errorCode:"028",errorMessage}`, storage `{code:1009,message}` (a JSON number, seed 000
 * Table 2), and OAuth `{error,error_description}` (§1).
 */
import type { ErrorClass } from './errors.js';

/** Named codes of API 2.0 and legacy v2 (seed 003 "Common Error Codes", reference §1, §4, §7). */
const NAMED: Record<string, ErrorClass> = {
  TOO_MANY_REQUESTS: 'rate-limited',
  LONG_RUNNING_TRANSACTION: 'long-running',
  INTERNAL_SERVER_ERROR: 'transient',
  SERVICE_MAINTENANCE: 'transient',
  SERVICE_UNAVAILABLE: 'transient',
  UNAUTHORIZED: 'auth',
  ALREADY_EXIST: 'exists',
  ALREADY_EXISTS: 'exists',
  PERMISSION_ALREADY_EXIST: 'exists',
  NOT_FOUND: 'not-found',
  RESOURCE_NOT_FOUND: 'not-found',
  DELETED: 'not-found',
  LOCKED_FILE: 'locked',
  NOT_SUPPORTED_DURING_STORAGE_MOVE: 'locked',
  LIMIT_EXCEEDED: 'quota',
  RESOURCE_HAS_VIRUS: 'rejected-content',
  BLOCKED_EXTENSION_FILE: 'rejected-content',
  BAD_REQUEST: 'bad-request',
  READ_ONLY: 'permission',
  AUTH_FAIL: 'permission',
  WRITE_PERMISSION_NEEDED: 'permission',
  FORBIDDEN: 'permission',
  SERVICE_ACCOUNT_NOT_ALLOWED: 'permission',
  NOT_SUPPORTED_OPERATION: 'unknown',
};

/** Legacy v1 numeric codes (seed 000/002 Table 1). */
function v1Class(code: number): ErrorClass | undefined {
  if (code === 1000 || code === 1002 || code === 1003) return 'transient';
  if (code === 1001 || code === 3011) return 'bad-request';
  if (code === 1005) return 'long-running';
  if (code === 1004 || code === 4103 || code === 2004) return 'unknown';
  if (code === 1006 || code === 1101 || code === 1102) return 'permission';
  if (code === 2001) return 'auth';
  if (code === 2005) return 'locked';
  if (code === 2003 || (code >= 2101 && code <= 2107)) return 'permission';
  if ((code >= 3101 && code <= 3105) || code === 3111) return 'not-found';
  if (code >= 3201 && code <= 3206) return 'exists';
  if (code >= 3211 && code <= 3215) return 'permission';
  if (code === 3301) return 'quota';
  if (code >= 3302 && code <= 3305) return 'rejected-name';
  if (code === 3306 || code === 3404) return 'locked';
  if (code === 3402 || code === 3403) return 'rejected-content';
  if (code === 4101 || code === 4102) return 'permission';
  if (code >= 4104 && code <= 4106) return 'bad-request';
  return undefined;
}

/** Storage-host numeric codes (seed 000 Table 2, reference §5). */
function storageClass(code: number): ErrorClass | undefined {
  switch (code) {
    case 10000:
    case 2001:
      return 'transient';
    case 2002:
      return 'auth';
    case 1001:
    case 1011:
    case 1036:
    case 1037:
    case 1202:
      return 'not-found';
    case 1009:
      return 'exists';
    case 1059:
    case 1068:
    case 1078:
      return 'locked';
    case 1003:
    case 1022:
      return 'quota';
    case 1071:
    case 1076:
      return 'rejected-content';
    case 1016:
    case 1042:
    case 1063:
      return 'rejected-name';
    case 1007:
    case 1120:
    case 1210:
    case 1216:
    case 1600:
      return 'permission';
    default:
      return undefined;
  }
}

/** API gateway codes of the v1 generation (seed 000 "Response - Common Information"). */
const GATEWAY_AUTH = new Set(['024', '028', '029']);

/** OAuth token-endpoint errors (reference §1). */
const OAUTH: Record<string, ErrorClass> = {
  invalid_grant: 'auth',
  invalid_client: 'auth',
  unauthorized_client: 'auth',
  invalid_token: 'auth',
  access_denied: 'auth',
  invalid_request: 'bad-request',
  unsupported_grant_type: 'bad-request',
  invalid_scope: 'bad-request',
  server_error: 'transient',
  temporarily_unavailable: 'transient',
};

/** When the body says nothing we know: the HTTP status decides (seed 003 "HTTP Status Code"). */
export function statusClass(status: number): ErrorClass {
  if (status === 429) return 'rate-limited';
  if (status === 598) return 'long-running';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'exists';
  if (status === 423) return 'locked';
  if (status === 507) return 'quota';
  if (status === 405 || status === 501) return 'unknown';
  if (status === 408 || status >= 500) return 'transient';
  if (status >= 400) return 'bad-request';
  return 'unknown';
}

export interface Classified {
  errorClass: ErrorClass;
  /** The body's code as a string ("NOT_FOUND", "3101", "1009", "028", "invalid_grant"). */
  code?: string;
  message: string;
}

export interface ClassifyInput {
  status: number;
  body: unknown;
  /**
   * The request carried a name the server judges (create folder, upload, rename, move, copy):
   * a 400 `INVALID_PARAMETER` then means "rejected name" (reference §7), otherwise "bad request".
   */
  nameInRequest?: boolean;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Maps an HTTP error answer (any dialect) to its class. Never throws. */
export function classifyResponse({ status, body, nameInRequest }: ClassifyInput): Classified {
  const b = parseBody(body);
  const text = str(b.description) ?? str(b.message) ?? str(b.errorMessage) ?? str(b.error_description);
  const fallback = (code?: string): Classified => ({
    errorClass: statusClass(status),
    ...(code !== undefined ? { code } : {}),
    message: text ?? `HTTP ${status}`,
  });

  if (typeof b.error === 'string') {
    return { errorClass: OAUTH[b.error] ?? statusClass(status), code: b.error, message: text ?? b.error };
  }
  if (b.errorCode !== undefined) {
    const code = String(b.errorCode);
    if (GATEWAY_AUTH.has(code)) return { errorClass: 'auth', code, message: text ?? 'gateway auth error' };
    return fallback(code);
  }
  if (typeof b.code === 'number') {
    const code = String(b.code);
    const c = storageClass(b.code) ?? v1Class(b.code);
    return c ? { errorClass: c, code, message: text ?? code } : fallback(code);
  }
  if (typeof b.code === 'string' && b.code !== '') {
    const code = b.code;
    if (/^\d+$/.test(code)) {
      const c = v1Class(Number(code));
      return c ? { errorClass: c, code, message: text ?? code } : fallback(code);
    }
    if (code === 'INVALID_PARAMETER') {
      return { errorClass: nameInRequest ? 'rejected-name' : 'bad-request', code, message: text ?? code };
    }
    const c = NAMED[code];
    return c ? { errorClass: c, code, message: text ?? code } : fallback(code);
  }
  return fallback();
}

function parseBody(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as Record<string, unknown>;
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Node error codes meaning "the host cannot be reached at all" (contracts.md §1 exit 75). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A failure with no HTTP answer (reset, refused, stalled) is transient (reference §7). */
export function classifyNetwork(code: string | undefined): { errorClass: ErrorClass; unreachable: boolean } {
  return { errorClass: 'transient', unreachable: code !== undefined && UNREACHABLE.has(code) };
}
