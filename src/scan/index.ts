export * from './names.js';
export * from './ignore.js';
export * from './scan.js';
export { walkLocal, type WalkSinks } from './walk.js';
export { sha256File } from './hash.js';
export type * from './types.js';
export { scanPaths, type PathAsked, type PathScan } from './scan-paths.js';
