import { CREDENTIAL_ENV } from '../core/auth/credentials.js';
import { ApiError, SpapiError, ThrottledError, UsageError } from '../core/errors.js';
import { scrubSecrets } from '../core/http/redact.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import type { Factory, FactoryDeps } from './factory.js';
import { systemIO, type IO } from './io.js';
import { spapiVersion } from './version.js';

const SECRET_ENV = [...CREDENTIAL_ENV.clientSecret, ...CREDENTIAL_ENV.refreshToken];

/** What an in-process run replaces: the terminal, the environment, prompts, the browser and time. */
export interface MainDeps extends FactoryDeps {
  io?: IO;
  env?: Record<string, string | undefined>;
  /** Ctrl-C for an in-process run (the CLI itself listens for SIGINT). */
  signal?: AbortSignal;
}

/** Prints a typed error as one line plus a hint; the stack only with --debug. */
function report(error: unknown, factory: Factory): number {
  const { io, env } = factory;
  const secrets = SECRET_ENV.map((name) => env[name]);
  const say = (line: string): void => io.err(scrubSecrets(line, secrets));
  if (error instanceof SpapiError) {
    // Any SP-API or document-store answer carries its request id (S3's x-amz-request-id too).
    const requestId = 'requestId' in error && typeof error.requestId === 'string' ? error.requestId : undefined;
    const code = error instanceof ApiError ? (error.errors[0]?.code ?? `HTTP ${error.status}`) : error.kind;
    const message = error instanceof ApiError ? error.message.replace(/^\d+ [^:]+: /, `${error.status} `) : error.message;
    say(`spapi: ${code}: ${message}${requestId ? ` (request ${requestId})` : ''}`);
    if (error instanceof UsageError && error.problems.length > 1) for (const problem of error.problems) say(`  - ${problem}`);
    if (error.hint) say(`hint: ${error.hint}`);
    if (factory.debug && error.stack) say(error.stack);
    return exitCodeFor(error.kind);
  }
  const err = error as Error;
  say(`spapi: internal error: ${err?.message ?? String(error)}`);
  say(factory.debug && err?.stack ? err.stack : 'hint: run again with --debug for details, and report it if it persists');
  return EXIT_CODES.internal;
}

/** argv → exit code. The one catch-all of the CLI: nothing below it exits or prints errors. */
export async function main(argv: string[], deps: MainDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const io = deps.io ?? systemIO(env);
  // Fast path: `--version` loads neither commander nor the catalog.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.out(`${spapiVersion()}\n`);
    return EXIT_CODES.ok;
  }
  const { Factory } = await import('./factory.js');
  const factory = new Factory(io, env, deps);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new SpapiError('interrupted', 'interrupted'));
  process.once('SIGINT', onSigint);
  deps.signal?.addEventListener('abort', onSigint, { once: true });
  try {
    const { runProgram } = await import('./program.js');
    return await runProgram(argv, factory, controller.signal);
  } catch (error) {
    return report(error, factory);
  } finally {
    process.off('SIGINT', onSigint);
    deps.signal?.removeEventListener('abort', onSigint);
    await factory.close().catch(() => undefined);
  }
}
