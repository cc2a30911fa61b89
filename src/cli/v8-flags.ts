import { setFlagsFromString } from 'node:v8';

/*
 * The only WebAssembly a spapi process runs is undici's HTTP parser (llhttp) and Node's CommonJS
 * export lexer. V8 compiles them with TurboFan, synchronously, on first use: ~35 MB of peak RSS
 * and ~200 ms of every command that makes a request (`spapi call`: 94 → 60 MB, 0.53 → 0.31 s).
 * Liftoff, V8's baseline compiler, parses just as fast here: a 1 GiB report download measured
 * 242–273 MB/s with TurboFan and 261–276 MB/s with Liftoff only (bench/documents-download.mjs).
 * The CLI owns its process, so it may choose; the library leaves V8 alone.
 */
export const V8_FLAGS = ['--liftoff-only'] as const;

/** Must run before any module that compiles WebAssembly is loaded. */
export function applyV8Flags(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}
