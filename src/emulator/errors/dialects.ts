/**
 * Error bodies of reference §7: API 2.0, legacy v2 (seed 003), legacy v1 (seed 000 Table 1 and
 * gateway errors) and the storage host (seed 000 Table 2).
 */
import type { ApiCode, ApiError } from './api-error.js';

export type AnyDialect = 'api2' | 'v2' | 'v1' | 'storage';

/** Legacy v2 codes (seed 003); ALREADY_EXIST → RESOURCE_ALREADY_EXIST and the rest **[chosen]**. */
const V2: Record<ApiCode, [string, string]> = {
  UNAUTHORIZED: ['UNAUTHORIZED', 'Authentication Fail'],
  FORBIDDEN: ['WRITE_PERMISSION_NEEDED', 'Write Permission Needed'],
  SERVICE_ACCOUNT_NOT_ALLOWED: ['AUTH_FAIL', 'Auth Fail'],
  NOT_FOUND: ['RESOURCE_NOT_FOUND', 'Resource Not Exist'],
  ALREADY_EXIST: ['RESOURCE_ALREADY_EXIST', 'Resource already Exist'],
  INVALID_PARAMETER: ['INVALID_PARAMETER', 'Invalid Parameters'],
  BAD_REQUEST: ['BAD_REQUEST', 'Not supported Request'],
  METHOD_NOT_ALLOWED: ['BAD_REQUEST', 'Not supported Request'],
  TOO_MANY_REQUESTS: ['TOO_MANY_REQUESTS', 'Too Many Requests'],
  LIMIT_EXCEEDED: ['LIMIT_EXCEEDED', 'Exceeds Data Capacity'],
  BLOCKED_EXTENSION_FILE: ['BLOCKED_EXTENSION_FILE', 'Blocked Extension File'],
  INTERNAL_SERVER_ERROR: ['INTERNAL_SERVER_ERROR', 'Internal Server Error'],
  SERVICE_MAINTENANCE: ['SERVICE_MAINTENANCE', 'Service Not Available'],
  LONG_RUNNING_TRANSACTION: ['LONG_RUNNING_TRANSACTION', 'Your request is currently being processed.'],
  RANGE_NOT_SATISFIABLE: ['INVALID_PARAMETER', 'Invalid Parameters'],
};

/** Legacy v1 numeric codes (seed 000 Table 1); null = a gateway error `{errorCode, errorMessage}`. */
const V1: Record<ApiCode, [string, string] | null> = {
  UNAUTHORIZED: null,
  FORBIDDEN: ['4102', 'Write Permission Needed'],
  SERVICE_ACCOUNT_NOT_ALLOWED: ['2105', 'Forbidden User'],
  NOT_FOUND: ['3101', 'Resource Not Exist'],
  ALREADY_EXIST: ['3201', 'Resource already Exist'],
  INVALID_PARAMETER: ['1001', 'Invalid Parameters'],
  BAD_REQUEST: ['1004', 'Not Supported Operation'],
  METHOD_NOT_ALLOWED: ['1004', 'Not Supported Operation'],
  TOO_MANY_REQUESTS: null,
  LIMIT_EXCEEDED: ['3301', 'Exceeds Data Capacity'],
  BLOCKED_EXTENSION_FILE: ['3403', 'Blocked Extension File'],
  INTERNAL_SERVER_ERROR: ['1000', 'Internal Server Error'],
  SERVICE_MAINTENANCE: ['1002', 'Service Not Available'],
  LONG_RUNNING_TRANSACTION: [
    '1005',
    'Your request is currently being processed. You can check again later to see the request has been processed.',
  ],
  RANGE_NOT_SATISFIABLE: ['1001', 'Invalid Parameters'],
};

/** Storage codes (seed 000 Table 2) for errors that carry none of their own **[chosen]**. */
const STORAGE: Record<ApiCode, [number, string]> = {
  UNAUTHORIZED: [2002, 'Invalidation Cookie'],
  FORBIDDEN: [1210, 'Need Write Auth'],
  SERVICE_ACCOUNT_NOT_ALLOWED: [1600, 'WORKS AUTH FAIL'],
  NOT_FOUND: [1011, 'Not Exist Path'],
  ALREADY_EXIST: [1009, 'Duplicated File Exist'],
  INVALID_PARAMETER: [10000, 'System Error'],
  BAD_REQUEST: [10000, 'System Error'],
  METHOD_NOT_ALLOWED: [10000, 'System Error'],
  TOO_MANY_REQUESTS: [10000, 'System Error'],
  LIMIT_EXCEEDED: [1003, 'Over Upload Quota'],
  BLOCKED_EXTENSION_FILE: [1076, 'Restrict Upload File Extension'],
  INTERNAL_SERVER_ERROR: [10000, 'System Error'],
  SERVICE_MAINTENANCE: [2001, 'File Storage Error'],
  LONG_RUNNING_TRANSACTION: [10000, 'System Error'],
  RANGE_NOT_SATISFIABLE: [10000, 'System Error'],
};

export function renderError(err: ApiError, dialect: AnyDialect): Record<string, unknown> {
  switch (dialect) {
    case 'api2':
      return { code: err.code, description: err.description };
    case 'v2': {
      const [code, message] = V2[err.code];
      return { domain: 'drive', code, message };
    }
    case 'v1': {
      const v1 = V1[err.code];
      if (v1 === null) {
        const [errorCode, errorMessage] =
          err.gateway ??
          (err.code === 'TOO_MANY_REQUESTS' ? ['429', 'API rate limit exceeded'] : ['024', 'Invalid token']);
        return { errorCode, errorMessage };
      }
      return { code: v1[0], message: v1[1], result: null };
    }
    case 'storage': {
      if (err.storageCode !== undefined) return { code: err.storageCode, message: err.description };
      const [code, message] = STORAGE[err.code];
      return { code, message };
    }
  }
}
