// The floor of any Node walk: readdirSync(withFileTypes) + lstatSync of every entry, nothing else
// (no ignore rules, no journal, no comparison), to set the local side of a no-op run
// (bench/noop-once-local.mjs) against. Time it next to find as a whole process:
//   /usr/bin/time -f '%e s %U user %S sys' node bench/walk-floor.mjs DIR
//   /usr/bin/time -f '%e s %U user %S sys' find DIR -printf '%s %T@\n' >/dev/null
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node bench/walk-floor.mjs DIR');
  process.exit(2);
}
const stack = [root];
let entries = 0;
let bytes = 0;
while (stack.length > 0) {
  const dir = stack.pop();
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    bytes += lstatSync(path).size;
    entries++;
    if (d.isDirectory()) stack.push(path);
  }
}
console.log(JSON.stringify({ entries, bytes }));
