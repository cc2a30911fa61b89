/**
 * `spapi demo` (and `npm run demo`): the main job end to end against the built-in emulator, with
 * real output. Starts the emulator in-process on a free port, uses a temporary SPAPI_CONFIG_DIR,
 * runs the package's own bin as a user would, and leaves nothing behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_APP, startEmulator } from '../emulator/index.js';
import { writeDemoFiles } from './fixtures.js';
import { demoSteps } from './steps.js';

export interface DemoOptions {
  /** Where the demo's own lines go; the steps write to the inherited stdout and stderr. */
  out: (text: string) => void;
  /** Bold step headers (a terminal without NO_COLOR). */
  bold?: boolean;
  /** The caller's environment: only PATH, HOME, TMPDIR and NO_COLOR reach the steps. */
  env?: Record<string, string | undefined>;
  /** Ctrl-C: the running step is stopped, everything removed, and the abort reason thrown. */
  signal?: AbortSignal;
}

export interface DemoResult {
  steps: number;
  /** The steps that ended with another exit code than expected: `title: exit N, expected M`. */
  failed: string[];
}

/** This package's bin: the installed one when the package is installed, the repository's in a checkout. */
const BIN = fileURLToPath(new URL('../../bin/spapi.js', import.meta.url));
const BROWSER = fileURLToPath(new URL('./browser.js', import.meta.url));

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { out, signal } = options;
  const caller = options.env ?? process.env;
  signal?.throwIfAborted();
  const configDir = mkdtempSync(join(tmpdir(), 'spapi-demo-'));
  const requestLog = join(configDir, 'emulator-requests.ndjson');
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  try {
    // Reports (and feeds) finish 1.5 s after they are created, so the demo shows the wait without making anyone wait long.
    emulator = await startEmulator({ port: 0, log: requestLog, reports: { msToDone: 1500 } });
    const passed = (name: string): Record<string, string> => (caller[name] ? { [name]: caller[name] } : {});
    const env: Record<string, string> = {
      PATH: caller['PATH'] ?? '',
      HOME: caller['HOME'] ?? '',
      ...passed('TMPDIR'),
      ...passed('NO_COLOR'),
      SPAPI_CONFIG_DIR: configDir,
      SPAPI_ENDPOINT: `${emulator.urls.spApi}/{region}`,
      SPAPI_LWA_ENDPOINT: emulator.urls.lwa,
      SPAPI_CONSENT_URL: emulator.urls.spApi,
      // A fresh machine may have no keychain: the demo keeps its secrets in the temporary config dir.
      SPAPI_SECRET_STORE: 'file',
      BROWSER: `${process.execPath} ${BROWSER}`,
    };
    const files = writeDemoFiles(configDir);
    const steps = demoSteps(configDir, files, { applicationId: DEFAULT_APP.applicationId ?? '', clientId: DEFAULT_APP.clientId });
    const failed: string[] = [];
    for (const step of steps) {
      const header = `$ spapi ${step.args.join(' ')}`;
      out(`\n${options.bold ? `\u001b[1m${header}\u001b[0m` : header}   # ${step.title}\n`);
      const stepEnv = step.withClientSecret ? { ...env, SPAPI_CLIENT_SECRET: DEFAULT_APP.clientSecret } : env;
      const status = await runStep(step.args, stepEnv, signal);
      if (status !== step.expectedExit) {
        failed.push(`${step.title}: exit ${status}, expected ${step.expectedExit}`);
        out(`demo step failed: exit ${status}, expected ${step.expectedExit}\n`);
      }
    }
    const listing = readFileSync(join(configDir, 'listings.csv'), 'utf8').split('\n');
    out(`\nlistings.csv: ${listing.length - 1} rows; the first two:\n${listing.slice(0, 3).join('\n')}\n`);
    const stats = emulator.stats();
    out(`\nemulator: ${stats.requests} SP-API requests, ${stats.throttled} throttled, ${stats.lwaRequests} LWA token request(s)\n`);
    // Closed before the log is read: it is flushed on close.
    await emulator.close();
    const logged = readFileSync(requestLog, 'utf8').trim().split('\n');
    out(`emulator request log (--log): ${logged.length} lines, e.g. ${logged.find((line) => line.includes('"operation":"sellers.'))}\n`);
    return { steps: steps.length, failed };
  } finally {
    await emulator?.close();
    rmSync(configDir, { recursive: true, force: true });
  }
}

/**
 * One step as its own process, on the inherited terminal. Asynchronous on purpose: the emulator
 * answers from this very process's event loop.
 */
function runStep(args: string[], env: Record<string, string>, signal: AbortSignal | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'inherit' });
    // Ctrl-C reaches the step from the terminal too; an abort from elsewhere must stop it here.
    const stop = (): void => void child.kill('SIGINT');
    signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) reject(signal.reason);
      else resolve(code ?? 128 + (killedBy ? constants.signals[killedBy] : 0));
    });
  });
}
