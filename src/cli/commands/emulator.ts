import { SpapiError, UsageError } from '../../core/errors.js';
import type { EmulatorOptions } from '../../emulator/index.js';
import type { IO } from '../io.js';
import type { CommandContext } from '../program.js';

/** The flags of `spapi emulator`, as commander hands them over (strings until parsed). */
export interface EmulatorFlags {
  port?: string;
  host?: string;
  models?: string;
  rateScale?: string;
  faults?: string;
  seed?: string;
  orders?: string;
  autoApprove?: boolean;
}

/** What `spapi emulator` prints on stdout, as one JSON line: URLs and the default app's public facts. */
export interface EmulatorAnnouncement {
  spApi: string;
  lwa: string;
  consent: string;
  documents: string;
  app: { clientId: string; applicationId: string | undefined; name: string | undefined; draft: boolean; redirectUris: string[]; sellingPartnerId: string };
}

/**
 * Flags -> startEmulator options, every problem at once. Pure, apart from loading the fault-spec
 * parser, so flag handling is testable without starting a server.
 */
export async function parseEmulatorFlags(flags: EmulatorFlags): Promise<EmulatorOptions> {
  const [{ isLoopbackHost }, { parseFaultSpec }] = await Promise.all([import('../../emulator/options.js'), import('../../emulator/fault-spec.js')]);
  const problems: string[] = [];
  const options: EmulatorOptions = {};
  const integer = (flag: string, value: string | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    if (/^\d+$/.test(value.trim()) && Number(value) >= min && Number(value) <= max) return Number(value);
    problems.push(`${flag} takes a whole number from ${min} to ${max}; got "${value}"`);
    return undefined;
  };
  const port = integer('--port', flags.port, 0, 65535);
  if (port !== undefined) options.port = port;
  const seed = integer('--seed', flags.seed, 0, 4_294_967_295);
  if (seed !== undefined) options.seed = seed;
  const orders = integer('--orders', flags.orders, 0, 100_000);
  if (orders !== undefined) options.orders = orders;
  if (flags.rateScale !== undefined) {
    const scale = /^\d*\.?\d+(?:e[-+]?\d+)?$/i.test(flags.rateScale.trim()) ? Number(flags.rateScale) : Number.NaN;
    if (scale > 0 && Number.isFinite(scale)) options.rateScale = scale;
    else problems.push(`--rate-scale takes a number above 0, e.g. 100 or 0.01; got "${flags.rateScale}"`);
  }
  if (flags.host !== undefined) {
    // The emulator hands out tokens and serves fake buyer data without real authentication.
    if (isLoopbackHost(flags.host)) options.host = flags.host;
    else problems.push(`--host ${flags.host} is not a loopback address: the emulator listens only on 127.0.0.1 (127.0.0.0/8), ::1 or localhost`);
  }
  if (flags.models !== undefined) options.models = flags.models;
  if (flags.autoApprove) options.autoApprove = true;
  if (flags.faults !== undefined) {
    try {
      options.faults = parseFaultSpec(flags.faults);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(...(error.problems.length > 0 ? error.problems.map((p) => `--faults: ${p}`) : [error.message]));
    }
  }
  if (problems.length > 0) {
    const [first] = problems;
    throw new UsageError(problems.length === 1 ? (first ?? '') : `${problems.length} problems with the emulator flags`, {
      problems,
      hint: 'see `spapi emulator --help`',
    });
  }
  return options;
}

/**
 * `spapi emulator`: runs the local SP-API + LWA + consent emulator until SIGINT or SIGTERM. Stdout
 * gets exactly one JSON line (EmulatorAnnouncement), so scripts and tests read the URLs from it;
 * everything for people goes to stderr. A server asked to stop has done its job: exit 0, not 130.
 */
export async function run({ factory, signal }: CommandContext, _args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const options = await parseEmulatorFlags(flags as EmulatorFlags);
  const { io } = factory;
  const { startEmulator, DEFAULT_APP, DEFAULT_SELLING_PARTNER_ID } = await import('../../emulator/index.js');
  const { describeFaults } = await import('../../emulator/fault-spec.js');
  // Listen for SIGTERM before anything is printed: a supervisor that sends it as soon as it sees
  // the JSON line must find a handler, or the kernel's default action kills the process mid-way.
  const stopped = untilStopped(signal);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    stopped.cancel();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new SpapiError('network', `cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0} (${code})`, {
        hint: code === 'EADDRINUSE' ? 'another process uses that port: pick another --port, or --port 0 for a free one' : 'pick another --port or --host',
        cause: error,
      });
    }
    throw error;
  }

  const announcement: EmulatorAnnouncement = {
    spApi: emulator.urls.spApi,
    lwa: emulator.urls.lwa,
    consent: emulator.urls.consent,
    documents: emulator.urls.documents,
    app: {
      clientId: DEFAULT_APP.clientId,
      applicationId: DEFAULT_APP.applicationId,
      name: DEFAULT_APP.name,
      draft: DEFAULT_APP.draft ?? false,
      redirectUris: [...(DEFAULT_APP.redirectUris ?? [])],
      sellingPartnerId: DEFAULT_SELLING_PARTNER_ID,
    },
  };
  printHints(io, announcement, {
    clientSecret: DEFAULT_APP.clientSecret,
    refreshToken: DEFAULT_APP.refreshTokens[0]?.token ?? '',
    faults: options.faults ? describeFaults(options.faults) : undefined,
    models: options.models,
  });
  // The JSON line comes last: whoever reads it knows the server listens and the hints are out.
  io.out(`${JSON.stringify(announcement)}\n`);

  await stopped.done;
  await emulator.close();
  io.err('spapi emulator: stopped');
}

function printHints(io: IO, urls: EmulatorAnnouncement, extra: { clientSecret: string; refreshToken: string; faults: string | undefined; models: string | undefined }): void {
  io.err(`spapi emulator: SP-API and LWA on ${urls.spApi}, documents on ${urls.documents}; Ctrl-C stops it`);
  if (extra.models !== undefined) io.err(`static sandbox examples from ${extra.models}`);
  if (extra.faults !== undefined) io.err(`faults: ${extra.faults}`);
  io.err('To point spapi at it, in another shell:');
  const env: Array<[string, string]> = [
    ['SPAPI_ENDPOINT', urls.spApi],
    ['SPAPI_LWA_ENDPOINT', urls.lwa],
    ['SPAPI_CONSENT_URL', urls.spApi],
    ['SPAPI_REGION', 'na'],
    ['SPAPI_CLIENT_ID', urls.app.clientId],
    // Printing a client secret and a refresh token is acceptable here ONLY because these are the
    // emulator's own fixed, published, fake fixtures (DEFAULT_APP): they open nothing but this
    // local server. Never print real credentials this way.
    ['SPAPI_CLIENT_SECRET', extra.clientSecret],
    ['SPAPI_REFRESH_TOKEN', extra.refreshToken],
    // The emulator forgets its access tokens when it stops; a cached one would be refused (403).
    ['SPAPI_TOKEN_CACHE', 'off'],
  ];
  for (const [name, value] of env) io.err(`  export ${name}=${shellQuote(value)}`);
  io.err("(the client secret and refresh token are the emulator's public test fixtures, not secrets)");
}

/** `done` resolves on SIGINT (main aborts `signal`) or SIGTERM (a service manager or `kill`). */
function untilStopped(signal: AbortSignal): { done: Promise<void>; cancel: () => void } {
  let stop = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    stop = (): void => {
      signal.removeEventListener('abort', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
  });
  if (signal.aborted) stop();
  else {
    signal.addEventListener('abort', stop, { once: true });
    // Only this long-running command owns SIGTERM; every other command keeps Node's default.
    process.once('SIGTERM', stop);
  }
  return { done, cancel: stop };
}

/** A POSIX shell word: bare when safe, else single-quoted. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
