/**
 * One error of the emulator, named by its API 2.0 code (reference §7); the dialect renderers
 * turn it into the body of the active dialect.
 */
export type ApiCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'SERVICE_ACCOUNT_NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'ALREADY_EXIST'
  | 'INVALID_PARAMETER'
  | 'BAD_REQUEST'
  | 'METHOD_NOT_ALLOWED'
  | 'TOO_MANY_REQUESTS'
  | 'LIMIT_EXCEEDED'
  | 'BLOCKED_EXTENSION_FILE'
  | 'INTERNAL_SERVER_ERROR'
  | 'SERVICE_MAINTENANCE'
  | 'LONG_RUNNING_TRANSACTION'
  | 'RANGE_NOT_SATISFIABLE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiCode,
    readonly description: string,
    /** Storage-host code of seed 000 Table 2, when this error comes from the storage host. */
    readonly storageCode?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }

  /** Legacy v1 gateway body `{errorCode, errorMessage}` (seeds 000/002) instead of a Table 1 code. */
  gateway?: [string, string];
}

export const invalid = (what: string): ApiError => new ApiError(400, 'INVALID_PARAMETER', what);
export const notFound = (what = 'Resource not found.'): ApiError => new ApiError(404, 'NOT_FOUND', what);
export const exists = (what = 'The same name already exists.'): ApiError =>
  new ApiError(409, 'ALREADY_EXIST', what);
export function unauthorized(headerMissing: boolean): ApiError {
  const e = new ApiError(401, 'UNAUTHORIZED', 'Authentication failed.');
  e.gateway = headerMissing ? ['028', 'Authentication header not exists'] : ['024', 'Invalid token'];
  return e;
}

/** The API code that fits a bare HTTP status (injected faults). */
export function codeForStatus(status: number): ApiCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'ALREADY_EXIST';
    case 416:
      return 'RANGE_NOT_SATISFIABLE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 503:
      return 'SERVICE_MAINTENANCE';
    case 507:
      return 'LIMIT_EXCEEDED';
    case 598:
      return 'LONG_RUNNING_TRANSACTION';
    default:
      return 'INTERNAL_SERVER_ERROR';
  }
}

export function faultError(status: number): ApiError {
  const code = codeForStatus(status);
  return new ApiError(status, code, `Injected fault ${status}`);
}
