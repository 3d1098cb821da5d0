import type { RemoteEntry } from './types.js';

/**
 * Error classes of lineworks-drive-api.md §7 ("What each class means for a sync client").
 * Every failure of a Remote call surfaces as a RemoteError carrying one of these classes.
 */
export type ErrorClass =
  | 'rate-limited'
  | 'long-running'
  | 'transient'
  | 'auth'
  | 'exists'
  | 'not-found'
  | 'locked'
  | 'quota'
  | 'rejected-content'
  | 'rejected-name'
  | 'permission'
  | 'bad-request'
  | 'unknown';

export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    readonly status?: number,
    readonly code?: string,
    details?: RemoteErrorDetails,
  ) {
    super(message);
    if (details?.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details?.networkCode !== undefined) this.networkCode = details.networkCode;
    if (details?.unreachable) this.unreachable = true;
  }
  /** The server's own wait (`rateLimit-reset` / `Retry-After`, reference §8), when it sent one. */
  readonly retryAfterMs?: number;
  /** Node's error code (ECONNRESET, …) when no HTTP answer arrived. */
  readonly networkCode?: string;
  /** True when the host could not be connected to at all (refused, DNS, unreachable). */
  readonly unreachable?: boolean;
}

export interface RemoteErrorDetails {
  retryAfterMs?: number;
  networkCode?: string;
  unreachable?: boolean;
}

/**
 * `code` of the RemoteError (class 'unknown') thrown when the server has no route for a move or
 * rename and no honest fallback exists (a file rename: see src/remote/move.ts).
 */
export const UNSUPPORTED_CODE = 'UNSUPPORTED_BY_SERVER';

/** `code` of a LocalChangedError. */
export const LOCAL_CHANGED_CODE = 'LOCAL_CHANGED';

/**
 * The local file changed while it was being uploaded (class 'transient': the next attempt sends the
 * new version). `entry`: the Drive completed the upload all the same and now holds this file, made of
 * bytes read while the file changed (any mix of its versions); absent when no file was completed.
 */
export class LocalChangedError extends RemoteError {
  constructor(
    message: string,
    readonly entry?: RemoteEntry,
  ) {
    super('transient', message, undefined, LOCAL_CHANGED_CODE);
  }
}

/** The refresh token was refused: a new `login` is needed (exit code 78, contracts.md §1). */
export class LoginRequiredError extends Error {
  override readonly name = 'LoginRequiredError';
}

/** The remote could not be reached at all (exit code 75, contracts.md §1). */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

/** Classes that will not succeed by retrying the same request (report per file, skip). */
export const PERMANENT_CLASSES: ReadonlySet<ErrorClass> = new Set([
  'rejected-content',
  'rejected-name',
  'bad-request',
]);
