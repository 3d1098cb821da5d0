/** `demo` (contracts.md §1). Placeholder until the demo is built. */
export async function demoCommand(): Promise<number> {
  console.error('demo: not available yet');
  return 1;
}
