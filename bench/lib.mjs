// Shared helpers for the benchmarks: statistics, child processes with a time bound, temp dirs,
// the CLI's environment against an emulator, and plain-text tables. No dependencies.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'spapi.js');
/** The V8 flags bin/spapi.js sets, for children that stand in for the CLI (benchmarks run after a build). */
export const { V8_FLAGS } = await import(pathToFileURL(join(ROOT, 'dist', 'cli', 'v8-flags.js')).href);

/** Median of a non-empty list (mean of the two middle values for an even count). */
/** The built emulator (dist/), with a message that says to build when it is missing. */
export async function loadEmulator() {
  const url = pathToFileURL(join(ROOT, 'dist', 'emulator', 'index.js')).href;
  try {
    return await import(url);
  } catch (error) {
    throw new Error(`cannot load the built emulator (${url}); run \`npm run build\` first: ${error.message}`);
  }
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1];
}

export const round = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? x : Number(x.toFixed(digits)));

/** A fresh temporary directory and its remover. */
export function tempDir(prefix) {
  const path = mkdtempSync(join(tmpdir(), `spapi-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** What `spapi` needs to talk to an emulator and nothing else (no keychain, isolated config). */
export function cliEnv(emulator, app, configDir) {
  const env = { ...process.env };
  // Nothing from the caller's shell may leak into the measurement (real credentials, debug tracing).
  for (const name of Object.keys(env)) if (name.startsWith('SPAPI_') || name.startsWith('LWA_') || name.startsWith('SELLING_PARTNER_') || name === 'SP_API_REFRESH_TOKEN') delete env[name];
  return {
    ...env,
    NO_COLOR: '1',
    SPAPI_ENDPOINT: emulator.urls.spApi,
    SPAPI_LWA_ENDPOINT: emulator.urls.lwa,
    SPAPI_CLIENT_ID: app.clientId,
    SPAPI_CLIENT_SECRET: app.clientSecret,
    SPAPI_REFRESH_TOKEN: app.refreshTokens[0].token,
    SPAPI_REGION: 'na',
    SPAPI_SECRET_STORE: 'none',
    SPAPI_CONFIG_DIR: configDir,
  };
}

/**
 * Runs a child asynchronously (the in-process emulator must keep serving meanwhile) and resolves
 * with its exit code, wall time (spawn → exit, performance.now()), stdout and stderr. The child is
 * killed after `timeoutMs` or when `signal` aborts; either way the result says so.
 */
export function runChild(command, args, { env, cwd = ROOT, timeoutMs = 60_000, signal, captureStdout = true } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout?.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    let killedBy;
    const kill = (why) => {
      killedBy ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => kill('aborted: the benchmark ran out of time');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (code, sig) => {
      const ended = performance.now();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal: sig,
        killedBy,
        started,
        ended,
        wallMs: ended - started,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** A plain-text table; numbers right-aligned. */
export function table(headers, rows) {
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const isNum = headers.map((_, i) => cells.every((r) => /^-?[\d.]+[x%]?$|^-$/.test(r[i])));
  const line = (r) => r.map((c, i) => (isNum[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** A goal as a figure: `met` false prints GOAL MISSED; it never throws. */
export function goal(name, value, limit, comparison = '<=') {
  const met = value !== undefined && value !== null && !Number.isNaN(value) && (comparison === '<=' ? value <= limit : value === limit);
  return { goal: name, value, limit, comparison, met };
}

export function formatGoal(g) {
  const shown = typeof g.value === 'number' ? round(g.value, 3) : g.value;
  return `${g.met ? 'goal met   ' : 'GOAL MISSED'}  ${g.goal}: ${shown} (goal ${g.comparison} ${g.limit})`;
}

/** True when the module at `url` is the script node was started with. */
export function isMain(url) {
  return process.argv[1] !== undefined && fileURLToPath(url) === process.argv[1];
}

/** A benchmark module run on its own (`node bench/x.mjs`): run it, print its table and its JSON line. */
export async function runIfMain(url, run, render) {
  if (!isMain(url)) return;
  const result = await run();
  console.log(render(result));
  console.log(JSON.stringify(result));
}

/** mulberry32: small, fast, good enough to make text. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => next() < p;
  const chars = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  return { next, int, pick, chance, chars };
}
