/** `demo` (contracts.md §1); implemented in src/demo/demo.ts. */
import { demoCommand as runDemo, type DemoOptions } from '../../demo/demo.js';

export function demoCommand(opts: DemoOptions = {}): Promise<number> {
  return runDemo(opts);
}
