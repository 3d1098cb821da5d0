/** The Drive client's public surface: what the engine and the CLI import. */
export { createSession, type DriveSession, type SessionOptions, type SessionStats } from './session.js';
export {
  RemoteError,
  LoginRequiredError,
  UnreachableError,
  PERMANENT_CLASSES,
  UNSUPPORTED_CODE,
} from './errors.js';
export type { ErrorClass } from './errors.js';
export type * from './types.js';
export type { RetryOptions } from './transport.js';
export type { Operation } from './pacer.js';
export type { CountersSnapshot, PairCounters } from './counters.js';
