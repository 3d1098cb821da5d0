#!/usr/bin/env -S node --max-semi-space-size=8
// The package's command: runs the compiled CLI (built by `npm install` through the `prepare` script).
// V8's young generation is held to 8 MB per semi-space (Node's default grows it to 16 MB): on a
// 100,000-file no-op `--once` that is ~20 MB less peak RSS for no loss of speed (README "Benchmarks").
// The flag applies when the command is run as installed (`lineworks-sync`, the systemd units), not
// under `node bin/lineworks-sync.js`.
import '../dist/cli/main.js';
