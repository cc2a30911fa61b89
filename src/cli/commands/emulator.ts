import type { Command } from '@commander-js/extra-typings';
import { SpapiError, UsageError } from '../../core/errors.js';
import type { EmulatorOptions } from '../../emulator/index.js';
import type { CommandContext } from '../command.js';
import type { IO } from '../io.js';
import { environment } from './shared/help.js';
import { shellQuote } from './shared/resume.js';

/** The flags of `spapi emulator`, as commander hands them over (strings until parsed, all at once). */
export interface EmulatorFlags {
  port?: string | undefined;
  host?: string | undefined;
  models?: string | undefined;
  rateScale?: string | undefined;
  faults?: string | undefined;
  seed?: string | undefined;
  orders?: string | undefined;
  autoApprove?: boolean | undefined;
  log?: string | undefined;
  tokenLifetime?: string | undefined;
}

export function register(command: Command, context: CommandContext): void {
  command
    .option('--port <n>', 'port for SP-API, LWA and the consent page (default 0: a free port); documents get another free port')
    .option('--host <address>', 'loopback address to listen on: 127.0.0.1 (default), ::1 or localhost; nothing else')
    .option('--models <dir>', 'answer operations without emulated state from the static sandbox examples of this models folder')
    .option('--rate-scale <x>', 'multiply every usage-plan rate: 100 for fast tests, 0.01 to throttle easily (default 1)')
    .option('--faults <spec>', 'inject failures, e.g. 500@3,7;503~0.1;latency=200;throttle;reset-doc@2;upload-500@1 (grammar below)')
    .option('--seed <n>', 'seed of the generated orders, reports and probability faults (default 1)')
    .option('--orders <n>', 'number of generated orders (default 120)')
    .option('--auto-approve', 'the consent page redirects at once instead of showing its Authorize button')
    .option('--token-lifetime <duration>', 'lifetime of the access tokens and RDTs it issues, e.g. 30s or 5m, to exercise refresh handling (default 1h, as LWA)')
    .option('--log <file>', 'append one JSON line per answered request: time, method, path, operation, status, request id, throttled, region, ms')
    .addHelpText('after', `
Stdout gets exactly one JSON line once the server listens:
  {"spApi":…,"spApiRegions":{"na":…,"eu":…,"fe":…},"lwa":…,"consent":…,"documents":…,"app":{…}}
app holds the default app: clientId, clientSecret, refreshToken (its public test fixtures, not
secrets), applicationId, name, draft, redirectUris, sellingPartnerId.
<spApi>/na, /eu and /fe act as the three regional hosts (each serves only its region's
marketplaces and orders); <spApi> itself serves every region, for clients with one base URL.
SPAPI_ENDPOINT=<spApi>/{region} lets spapi pick the host of each call's region.
stderr says how to point spapi at it (SPAPI_ENDPOINT, SPAPI_LWA_ENDPOINT and the emulator's fixed,
public test credentials). Ctrl-C (SIGINT) or SIGTERM closes it; that is a clean stop: exit 0.

--faults: clauses joined with ; or , (numbers count SP-API calls, document downloads, uploads or feeds from 1):
  500@3,7       500 InternalFailure on the 3rd and 7th call (ranges too: 503@1-3)
  503~0.1       503 ServiceUnavailable on each call with probability 0.1, reproducible with --seed
  latency=200   every SP-API answer 200 ms late
  throttle      every SP-API call answers 429 QuotaExceeded
  reset-doc@2   the 2nd report document download drops its connection mid-body
  expire-doc@1  the 1st document download is answered as an expired presigned URL (S3's 403)
  upload-reset@1  the 1st feed document upload (PUT) has its connection destroyed mid-body
  upload-500@2  the 2nd upload answers S3's 500 InternalError (nothing stored; retry the PUT)
  feed-fatal@1  the 1st accepted createFeed ends FATAL, without a processing report

Consent (GET /apps/authorize/consent?application_id=…&state=…[&redirect_uri=…][&version=beta]):
the Authorize button redirects to redirect_uri with state, selling_partner_id and spapi_oauth_code;
the code is good for one authorization_code grant within 5 minutes, with the same redirect_uri, and
buys a new refresh token. Redirect URIs match exactly, or any port where the registered one says :*.
Error pages: MD1000 (unknown app, an LWA client id as application_id, Draft app without
version=beta), MD5101 (redirect_uri not registered), MissingState.

Examples:
  spapi emulator
  spapi emulator --port 8700 --rate-scale 100 --orders 500
  spapi emulator --faults '503@1;latency=100' --seed 7
  spapi emulator --auto-approve --models ../selling-partner-api-models/models
  spapi emulator --log requests.ndjson
  spapi emulator --token-lifetime 30s${environment([], 'stderr prints the SPAPI_ENDPOINT, SPAPI_LWA_ENDPOINT, SPAPI_CONSENT_URL, SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN exports that point spapi at it.')}`)
    .action(async (flags) => run(context, flags));
}

/** What `spapi emulator` prints on stdout, as one JSON line: URLs and the default app's public facts. */
export interface EmulatorAnnouncement {
  spApi: string;
  /** The regional hosts (`<spApi>/na`, …): each serves only its region's marketplaces. */
  spApiRegions: { na: string; eu: string; fe: string };
  lwa: string;
  consent: string;
  documents: string;
  /**
   * The default app. clientSecret and refreshToken are the emulator's fixed, published, fake
   * fixtures (DEFAULT_APP), good for nothing but this local server: printing them spares scripts
   * from scraping stderr. Never print real credentials this way.
   */
  app: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    applicationId: string | undefined;
    name: string | undefined;
    draft: boolean;
    redirectUris: string[];
    sellingPartnerId: string;
  };
}

// LWA's own access tokens live an hour; a day is already more than a refresh test needs.
const MAX_TOKEN_LIFETIME_MS = 86_400_000;

/**
 * Flags -> startEmulator options, every problem at once. Pure, apart from loading the fault-spec
 * parser, so flag handling is testable without starting a server.
 */
export async function parseEmulatorFlags(flags: EmulatorFlags): Promise<EmulatorOptions> {
  const [{ isLoopbackHost }, { parseFaultSpec }, { parseDuration }] = await Promise.all([
    import('../../emulator/options.js'),
    import('../../emulator/fault-spec.js'),
    import('../../core/duration.js'),
  ]);
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
  if (flags.log !== undefined) options.log = flags.log;
  if (flags.tokenLifetime !== undefined) {
    const lifetime = tokenLifetimeSeconds(flags.tokenLifetime, parseDuration);
    if (typeof lifetime === 'number') options.tokenLifetimeSeconds = lifetime;
    else problems.push(lifetime.problem);
  }
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

/** --token-lifetime: whole seconds (expires_in is an integer), from 1 s to a day. */
function tokenLifetimeSeconds(text: string, parseDuration: (input: string, flag: string) => number): number | { problem: string } {
  let ms: number;
  try {
    ms = parseDuration(text, '--token-lifetime');
  } catch (error) {
    if (error instanceof UsageError) return { problem: error.message };
    throw error;
  }
  if (ms % 1000 !== 0 || ms < 1000 || ms > MAX_TOKEN_LIFETIME_MS) return { problem: `--token-lifetime takes whole seconds from 1s to 24h, e.g. 30s or 5m; got "${text}"` };
  return ms / 1000;
}

/**
 * `spapi emulator`: runs the local SP-API + LWA + consent emulator until SIGINT or SIGTERM. Stdout
 * gets exactly one JSON line (EmulatorAnnouncement), so scripts and tests read the URLs from it;
 * everything for people goes to stderr. A server asked to stop has done its job: exit 0, not 130.
 */
export async function run({ factory, signal }: CommandContext, flags: EmulatorFlags): Promise<void> {
  const options = await parseEmulatorFlags(flags);
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
    spApiRegions: emulator.urls.spApiRegions,
    lwa: emulator.urls.lwa,
    consent: emulator.urls.consent,
    documents: emulator.urls.documents,
    app: {
      clientId: DEFAULT_APP.clientId,
      clientSecret: DEFAULT_APP.clientSecret,
      refreshToken: DEFAULT_APP.refreshTokens[0]?.token ?? '',
      applicationId: DEFAULT_APP.applicationId,
      name: DEFAULT_APP.name,
      draft: DEFAULT_APP.draft ?? false,
      redirectUris: [...(DEFAULT_APP.redirectUris ?? [])],
      sellingPartnerId: DEFAULT_SELLING_PARTNER_ID,
    },
  };
  printHints(io, announcement, {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
    faults: options.faults ? describeFaults(options.faults) : undefined,
    models: options.models,
  });
  // The JSON line comes last: whoever reads it knows the server listens and the hints are out.
  io.out(`${JSON.stringify(announcement)}\n`);

  await stopped.done;
  await emulator.close();
  io.err('spapi emulator: stopped');
}

function printHints(io: IO, urls: EmulatorAnnouncement, extra: { tokenLifetimeSeconds: number | undefined; faults: string | undefined; models: string | undefined }): void {
  io.err(`spapi emulator: SP-API and LWA on ${urls.spApi}, documents on ${urls.documents}; Ctrl-C stops it`);
  if (extra.models !== undefined) io.err(`static sandbox examples from ${extra.models}`);
  if (extra.faults !== undefined) io.err(`faults: ${extra.faults}`);
  if (extra.tokenLifetimeSeconds !== undefined) io.err(`access tokens and RDTs expire after ${extra.tokenLifetimeSeconds} s`);
  io.err('To point spapi at it, in another shell:');
  const env: Array<[string, string]> = [
    // spapi puts the region in: each call goes to the emulator's host for that region.
    ['SPAPI_ENDPOINT', `${urls.spApi}/{region}`],
    ['SPAPI_LWA_ENDPOINT', urls.lwa],
    ['SPAPI_CONSENT_URL', urls.spApi],
    ['SPAPI_REGION', 'na'],
    ['SPAPI_CLIENT_ID', urls.app.clientId],
    // Printing a client secret and a refresh token is acceptable here ONLY because these are the
    // emulator's own fixed, published, fake fixtures (DEFAULT_APP): they open nothing but this
    // local server. Never print real credentials this way.
    ['SPAPI_CLIENT_SECRET', urls.app.clientSecret],
    ['SPAPI_REFRESH_TOKEN', urls.app.refreshToken],
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
