import type { Command } from '@commander-js/extra-typings';
import type { Credentials } from '../../core/auth/credentials.js';
import type { ClockSample, DoctorCheck, ProbeOutcome } from '../../core/doctor/index.js';
import { UsageError } from '../../core/errors.js';
import type { RegionCode } from '../../core/regions.js';
import type { CommandContext } from '../command.js';
import type { Factory } from '../factory.js';
import { environment, SP_API_ENV } from './shared/help.js';
import { nodeEngines } from '../version.js';

export function register(command: Command, context: CommandContext): void {
  command
    .addHelpText('after', `
One record per check: the Node version, the OS keychain (within its 3 s bound), the region
settings, then for every profile (or the one --profile names) where its secrets live (never their
values), a token refresh against its LWA endpoint, its region against its marketplaces, and one
sellers.getMarketplaceParticipations call. A 403 there is told apart: the other regions are tried
when they have endpoints of their own (Amazon's hosts, or SPAPI_ENDPOINT with {region}), production
after a --sandbox call, and what remains is listed most likely first (a role added after the seller authorized, the wrong region, sandbox vs production,
an app in Draft), each with its fix. Then the clock against the LWA server's Date header (warning
over 30 s, failure over 2 min) and the rate-limit store in use.
A table on a terminal (✓ ok, ! warning, ✗ failed); otherwise one JSON record a check
({check, status, detail, fix}). Exit 0 when nothing failed (warnings allowed), 1 when a check failed.

Examples:
  spapi doctor
  spapi doctor --profile shop-eu
  spapi doctor -o json | jq '.[] | select(.status != "ok")'${environment([...SP_API_ENV, 'SPAPI_CONFIG_DIR'], 'DBUS_SESSION_BUS_ADDRESS (the keychain on Linux)')}`)
    .action(async () => run(context));
}

const MARK: Record<DoctorCheck['status'], string> = { ok: '✓', warn: '!', fail: '✗' };

/** The terminal form: one line a check, its fix (or its candidate causes) indented below it. */
export function formatChecks(checks: readonly DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  const out: string[] = [];
  for (const c of checks) {
    out.push(`${MARK[c.status]} ${c.check.padEnd(width)}  ${c.detail}`);
    if (c.causes?.length) {
      c.causes.forEach((cause, i) => {
        out.push(`    ${i + 1}. ${cause.cause}`);
        out.push(`       fix: ${cause.fix}`);
      });
    } else if (c.fix) {
      out.push(`    fix: ${c.fix}`);
    }
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  out.push('', `${checks.length} checks: ${checks.length - failed - warned} ok, ${warned} warning${warned === 1 ? '' : 's'}, ${failed} failed`);
  return `${out.join('\n')}\n`;
}

/** `spapi doctor`: gathers the facts through the factory, lets core/doctor judge them, prints them. */
export async function run({ factory }: CommandContext): Promise<void> {
  const checks = await gatherChecks(factory);
  const printer = factory.printer('list');
  if (printer.format === 'table') factory.io.out(formatChecks(checks));
  else {
    await printer.list(checks, {
      columns: [
        { header: 'check', path: 'check', role: 'key' },
        { header: 'status', path: 'status' },
        { header: 'detail', path: 'detail' },
        { header: 'fix', path: 'fix' },
      ],
    });
  }
  const { failures } = await import('../../core/doctor/index.js');
  const failed = failures(checks);
  if (failed.length) {
    const { FindingsError } = await import('../../core/errors.js');
    throw new FindingsError(`${failed.length} of ${checks.length} doctor checks failed: ${failed.map((c) => c.check).join(', ')}`, 'each failed check above says its fix');
  }
}

async function gatherChecks(factory: Factory): Promise<DoctorCheck[]> {
  const doctor = await import('../../core/doctor/index.js');
  const [{ gatherStatus }, { AuthError }, { scrubSecrets }, { CREDENTIAL_ENV }] = await Promise.all([
    import('./auth/status-report.js'),
    import('../../core/errors.js'),
    import('../../core/http/redact.js'),
    import('../../core/auth/credentials.js'),
  ]);
  const { env, globals } = factory;
  const checks: DoctorCheck[] = [doctor.checkNodeVersion(process.versions.node, nodeEngines())];
  const keychain = await doctor.probeKeychain(async () => (await factory.secretStoreOfKind('keychain')).get('spapi-doctor', 'client_secret'));
  const regionEnvironment = { flags: { region: globals.region, marketplace: globals.marketplace }, env };
  const regionInputs = doctor.checkRegionInputs(regionEnvironment);

  // First, because probe calls queue in this store: with its Redis down they would wait behind a
  // cold local bucket (a minute for getMarketplaceParticipations), so they are not made then.
  const rateLimit = await rateLimitCheck(factory);
  const lwa = await factory.lwa();
  const lwaHost = new URL(lwa.tokenUrl).host;
  const samples: ClockSample[] = [];
  const secrets = new Set<string>();
  const profileChecks: DoctorCheck[] = [];
  let usedBy: string[] = [];
  let report: Awaited<ReturnType<typeof gatherStatus>> | undefined;
  try {
    report = await gatherStatus(factory, {
      rateLimitStore: rateLimit.detail,
      onLwaResponse: (_profile, response) => {
        if (response.date) samples.push({ date: response.date, localAt: factory.clock.now() });
      },
    });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    profileChecks.push(doctor.fail('profiles', error.message, error.hint ?? 'run `spapi auth login`'));
  }
  if (report) {
    usedBy = report.profiles.filter((p) => p.store === 'keychain' && (['client_secret', 'refresh_token'] as const).some((k) => p.secrets[k].source !== 'env')).map((p) => p.name);
    const settings = await factory.settings();
    for (const p of report.profiles) {
      const tokenCheck = doctor.checkTokenRefresh(p, lwaHost);
      const stored = settings.profile(p.name);
      const region = doctor.checkProfileRegion({ name: p.name, region: stored?.region, marketplace: stored?.marketplace, marketplaces: stored?.marketplaces }, regionEnvironment);
      profileChecks.push(doctor.checkSecrets(p), tokenCheck, region.check);
      // Without a token or a region the call could only fail for a reason already reported above.
      if (p.tokenRefresh.state !== 'ok' || region.region === undefined) continue;
      const credentials = await profileCredentials(factory, p.name).catch((error: unknown) => {
        if (error instanceof AuthError) return undefined;
        throw error;
      });
      if (!credentials) continue;
      secrets.add(credentials.clientSecret);
      if (credentials.refreshToken) secrets.add(credentials.refreshToken);
      if (rateLimit.status === 'fail') {
        profileChecks.push(doctor.warn(`sp-api access (${p.name})`, 'not tried: the rate-limit store is unreachable, so the call would wait up to a minute for a slot in a local bucket', 'fix the rate-limit store (below), then run `spapi doctor` again'));
        continue;
      }
      profileChecks.push(await accessCheck(factory, p.name, credentials, region.region, lwa.tokenUrl));
    }
  }
  checks.push(doctor.checkKeychain(keychain, usedBy), regionInputs, ...profileChecks, doctor.checkClockSkew(samples, lwaHost), rateLimit);
  // The last guard: no check above puts a secret in its text, and this makes sure none slips through.
  const known = [...secrets, ...[...CREDENTIAL_ENV.clientSecret, ...CREDENTIAL_ENV.refreshToken].map((name) => env[name])];
  const scrub = (text: string): string => scrubSecrets(text, known);
  return checks.map((c) => ({
    ...c,
    detail: scrub(c.detail),
    fix: c.fix === null ? null : scrub(c.fix),
    ...(c.causes ? { causes: c.causes.map((cause) => ({ cause: scrub(cause.cause), fix: scrub(cause.fix) })) } : {}),
  }));
}

/** A profile's credentials by the usual precedence (flags, env, then its store), for its probe call. */
async function profileCredentials(factory: Factory, name: string): Promise<Credentials> {
  const [{ resolveCredentials }, { NoSecretStore }] = await Promise.all([import('../../core/auth/credentials.js'), import('../../core/auth/secret-store.js')]);
  const profile = (await factory.settings()).profile(name);
  return resolveCredentials({
    profile: name,
    flags: { clientId: factory.globals.clientId },
    env: factory.env,
    profileClientId: profile?.clientId,
    store: profile ? await factory.secretStoreOf(profile) : new NoSecretStore(),
  });
}

/** One probe call per region/environment asked for, turned into what core/doctor judges. */
async function accessCheck(factory: Factory, profile: string, credentials: Credentials, region: RegionCode, tokenUrl: string): Promise<DoctorCheck> {
  const [doctor, { Operations }, { ApiError, NetworkError, ThrottledError, SpapiError }, { endpointFor }] = await Promise.all([
    import('../../core/doctor/index.js'),
    import('../../core/operations.js'),
    import('../../core/errors.js'),
    import('../../core/regions.js'),
  ]);
  const override = factory.env['SPAPI_ENDPOINT'];
  const sandbox = Boolean(factory.globals.sandbox);
  const catalog = factory.catalog().catalog;
  const call = async (target: RegionCode, inSandbox: boolean): Promise<ProbeOutcome> => {
    try {
      // One attempt and no queueing: a throttled probe is a finding (a warning), not a reason to wait minutes.
      const client = await factory.client(() => Promise.resolve(credentials), { region: target, sandbox: inSandbox, budget: { maxAttempts: 1, maxWaitMs: 0 } });
      const body = await new Operations(client, catalog, { region: target }).json<{ payload?: unknown[] }>(doctor.ACCESS_PROBE_OPERATION);
      return { status: 200, marketplaces: Array.isArray(body?.payload) ? body.payload.length : 0 };
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, code: error.errors[0]?.code, message: error.errors[0]?.message, requestId: error.requestId };
      if (error instanceof ThrottledError) return { status: 429, code: 'QuotaExceeded', requestId: error.requestId };
      if (error instanceof NetworkError) return { code: 'network', message: error.message };
      if (error instanceof SpapiError) return { code: error.kind, message: error.message };
      throw error;
    }
  };
  const endpoint = endpointFor(region, { sandbox, override });
  const probes = await doctor.probeAccess({
    call,
    region,
    sandbox,
    regionsDistinct: endpointFor('na', { override }) !== endpointFor('eu', { override }),
    environmentsDistinct: !override,
  });
  const fromEnv = Boolean(factory.env['SPAPI_REGION']) && !factory.globals.region && !factory.globals.marketplace;
  return doctor.checkAccess({
    profile,
    region,
    sandbox,
    endpoint,
    ...probes,
    ...(doctor.isBare403(probes.primary) ? { originMismatch: doctor.originMismatch(tokenUrl, endpoint) } : {}),
    regionFromEnv: fromEnv,
  });
}

/** The store in use and whether its buckets can be read (and, for files, written). */
async function rateLimitCheck(factory: Factory): Promise<DoctorCheck> {
  const [{ checkRateLimitStore }, { listBuckets }, { access, constants }, { join, dirname }] = await Promise.all([
    import('../../core/doctor/index.js'),
    import('../../core/ratelimit/index.js'),
    import('node:fs/promises'),
    import('node:path'),
  ]);
  let kind: 'file' | 'redis';
  let store: string;
  try {
    kind = factory.rateLimitStore() === undefined ? 'file' : 'redis';
    store = await factory.rateLimitStoreLine();
  } catch (error) {
    // A malformed URL: the one thing doctor can say about a store it cannot open.
    if (!(error instanceof UsageError)) throw error;
    return checkRateLimitStore({ store: 'SPAPI_RATELIMIT_STORE / --ratelimit-store', kind: 'redis', error: error.message, malformed: true });
  }
  try {
    if (kind === 'file') {
      // The directory is made on first use: the nearest existing one must let spapi write.
      let dir = join(factory.configDir(), 'ratelimit');
      for (;;) {
        try {
          await access(dir, constants.W_OK);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw new Error(`${dir} is not writable`);
          dir = dirname(dir);
        }
      }
    }
    const limiter = await factory.rateLimiter();
    const buckets = await listBuckets(limiter as Parameters<typeof listBuckets>[0], Date.now());
    return checkRateLimitStore({ store, kind, buckets: buckets.length });
  } catch (error) {
    return checkRateLimitStore({ store, kind, error: error instanceof Error ? error.message : String(error) });
  }
}
