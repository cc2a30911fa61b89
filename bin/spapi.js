#!/usr/bin/env node
import { applyV8Flags } from '../dist/cli/v8-flags.js';

// Before main.js is imported: its imports may compile WebAssembly (see v8-flags.ts).
applyV8Flags();
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
