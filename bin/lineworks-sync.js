#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=8 --expose-gc
// The package's command: runs the compiled CLI (built by `npm install` through the `prepare` script).
// Memory settings for a process that may run for months next to a big tree (README
// "Benchmarks"): V8's young generation held to 8 MB per semi-space (Node's default grows it to 16),
// and glibc's malloc to two arenas (by default each of V8's and libuv's threads may get its own).
// `--expose-gc` lets the daemon collect at once what a full rescan or pass left behind, instead of
// keeping it for as long as V8 sees no pressure (src/engine/daemon.ts `releaseMemory`).
// On a 100,000-file no-op `--once` they take the peak RSS from ~150-170 MB to ~130-140 MB, at the
// same speed. They apply when the command is run as installed (`lineworks-sync`, the systemd
// units), not under `node bin/lineworks-sync.js`.
import '../dist/cli/main.js';
