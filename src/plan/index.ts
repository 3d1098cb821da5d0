export { plan } from './plan.js';
export { conflictPath, conflictStamp } from './conflict-name.js';
export { localState, remoteState, type SideState } from './state.js';
export { formatAction } from './format.js';
export type * from './types.js';
