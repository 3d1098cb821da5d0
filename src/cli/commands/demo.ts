/** `demo` (contracts.md §1); implemented in src/demo/demo.ts. */
import { demoCommand as runDemo } from '../../demo/demo.js';

export function demoCommand(): Promise<number> {
  return runDemo();
}
