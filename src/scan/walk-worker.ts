/**
 * Worker-thread entry of walkLocalParallel (walk-parallel.ts): walks the WalkJob in `workerData`
 * and posts one WalkResult, its number buffer transferred, then ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { packWalk, type WalkJob } from './walk-parallel.js';

if (parentPort === null) throw new Error('walk-worker runs only as a worker thread');
const result = packWalk(workerData as WalkJob);
parentPort.postMessage(result, [result.nums.buffer]);
