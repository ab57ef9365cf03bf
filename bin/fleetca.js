#!/usr/bin/env node
import module from 'node:module';

// Node ≥ 22.1 can keep the compiled code of fleetca's modules between runs (V8's code cache), which a one-shot
// command spends much of its start-up on. The cache goes where Node puts it by default — NODE_COMPILE_CACHE, else
// <os tmpdir>/node-compile-cache — never in the data directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off. Node 20
// has no such function and runs as before. main is imported after this so that its modules are cached too.
module.enableCompileCache?.();

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
