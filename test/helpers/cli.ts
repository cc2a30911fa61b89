import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll } from 'vitest';
import { SELLER, type Emulator } from './emulator.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'spapi.js');

/** The e2e suites run the built CLI: fail at once, and clearly, when there is nothing built. */
export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The whole environment of the child: nothing is inherited from this process. */
  env: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/** Runs `node bin/spapi.js <args>` and never throws on a non-zero exit. Output is kept byte for byte. */
export async function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: options.env,
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  if (result.timedOut) throw new Error(`spapi ${args.join(' ')} timed out\n${result.stderr}`);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Fresh temporary directories, removed when the suite ends. */
export function tempDirs(prefix = 'spapi-e2e-'): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/**
 * The environment a CLI run against the emulator needs, built from nothing: PATH, HOME (the config
 * dir, so no real profile can leak in), the emulator's URLs and the DEFAULT_APP credentials.
 * `overrides` set or (with undefined) remove variables.
 */
export function cliEnv(emulator: Emulator, configDir: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: configDir,
    NO_COLOR: '1',
    SPAPI_ENDPOINT: emulator.urls.spApi,
    SPAPI_LWA_ENDPOINT: emulator.urls.lwa,
    SPAPI_CLIENT_ID: SELLER.clientId,
    SPAPI_CLIENT_SECRET: SELLER.clientSecret,
    SPAPI_REFRESH_TOKEN: SELLER.refreshToken,
    SPAPI_REGION: 'na',
    SPAPI_SECRET_STORE: 'none',
    SPAPI_CONFIG_DIR: configDir,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Every file under `dir`, recursively, with its content (binary files as latin1 text). */
export function filesUnder(dir: string): Array<{ path: string; content: string }> {
  if (!existsSync(dir)) return [];
  const out: Array<{ path: string; content: string }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, content: readFileSync(path, 'latin1') });
  }
  return out;
}

/** Non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** Parses ndjson output: one JSON document per line. */
export function ndjson(text: string): unknown[] {
  return lines(text).map((line) => JSON.parse(line) as unknown);
}
