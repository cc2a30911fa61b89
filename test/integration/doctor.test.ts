/**
 * `spapi doctor` in-process against the emulator: all well exits 0; each kind of problem exits 1
 * and names its fix; no secret value is ever printed. The emulator's app registers extra sellers
 * whose authorization is narrowed (roles, region) to produce the bare 403s doctor explains.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../src/core/doctor/index.js';
import type { ProfileSettings } from '../../src/core/settings.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { cliEnv, tempDirs } from '../helpers/cli.js';
import { DEFAULT_APP, SELLER, useEmulator } from '../helpers/emulator.js';
import { runInProcess, type InProcessResult } from '../helpers/in-process.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis.js';

// Made at run time, so no tracked file holds a string a secret scanner takes for a real token.
const NARROW_TOKEN = `Atzr|${randomBytes(24).toString('base64url')}`;
const EU_TOKEN = `Atzr|${randomBytes(24).toString('base64url')}`;
const REVOKED_TOKEN = `Atzr|${randomBytes(24).toString('base64url')}`;

const emulator = useEmulator({
  rateScale: 1000,
  apps: [
    {
      ...DEFAULT_APP,
      refreshTokens: [
        ...DEFAULT_APP.refreshTokens,
        // Authorized before the app added its order roles: only Brand Analytics, which no Sellers API operation takes.
        { token: NARROW_TOKEN, sellingPartnerId: 'ANARROWROLES', roles: ['Brand Analytics'] },
        { token: EU_TOKEN, sellingPartnerId: 'AEUSELLER', region: 'eu' },
      ],
    },
  ],
});
const freshDir = tempDirs('spapi-doctor-');

/** Every secret value any run below could hold: none may appear in any output. */
const SECRETS = [SELLER.clientSecret, SELLER.refreshToken, NARROW_TOKEN, EU_TOKEN, REVOKED_TOKEN];
const outputs: string[] = [];

async function doctor(env: Record<string, string | undefined>, argv: string[] = [], deps: Parameters<typeof runInProcess>[2] = {}): Promise<InProcessResult & { checks: DoctorCheck[] }> {
  const result = await runInProcess(['doctor', '-o', 'json', ...argv], env, deps);
  outputs.push(result.stdout, result.stderr);
  return { ...result, checks: JSON.parse(result.stdout) as DoctorCheck[] };
}

function named(checks: DoctorCheck[], name: string): DoctorCheck {
  const found = checks.find((c) => c.check === name);
  if (!found) throw new Error(`no check "${name}" in ${checks.map((c) => c.check).join(', ')}`);
  return found;
}

/** Writes `<configDir>/config.json` as `spapi auth` would, for profiles whose secrets come from the environment. */
function saveProfiles(dir: string, profiles: Record<string, ProfileSettings>, current?: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...(current ? { currentProfile: current } : {}), profiles }), { mode: 0o600 });
}

const regional = (e: Emulator) => `${e.urls.spApi}/{region}`;

afterAll(() => {
  // Asserted once over every run of the file, failures included.
  const all = outputs.join('\n');
  for (const secret of SECRETS) expect(all).not.toContain(secret);
});

describe('spapi doctor', () => {
  it('all well: every check ok or a warning, exit 0; the table marks each check', async () => {
    const env = cliEnv(emulator(), freshDir());
    const { exitCode, checks, stderr } = await doctor(env);
    expect(exitCode, stderr).toBe(0);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual([
      'node', 'keychain', 'region settings', 'secrets (default)', 'token refresh (default)', 'region (default)', 'sp-api access (default)', 'clock', 'rate-limit store',
    ]);
    expect(named(checks, 'sp-api access (default)').detail).toMatch(/getMarketplaceParticipations .* answered 200/);
    expect(named(checks, 'secrets (default)').detail).toContain('client secret: env SPAPI_CLIENT_SECRET');
    for (const c of checks) expect(Object.keys(c).sort()).toEqual(['check', 'detail', 'fix', 'status']);

    const table = await runInProcess(['doctor'], env, { terminal: { stdoutIsTTY: true } });
    outputs.push(table.stdout, table.stderr);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^✓ node +Node v\d+/m);
    expect(table.stdout).toMatch(/^✓ sp-api access \(default\)/m);
    expect(table.stdout).toMatch(/\d+ checks: \d+ ok, \d+ warnings?, 0 failed/);
  });

  it('SP-API throttling every call: the probe is sent once, not queued or retried, and the 429 is a warning', async () => {
    emulator().setFaults({ throttleAll: true });
    try {
      emulator().resetStats();
      const started = Date.now();
      const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir()));
      expect(Date.now() - started).toBeLessThan(15_000);
      const access = named(checks, 'sp-api access (default)');
      expect(access.status).toBe('warn');
      expect(access.detail).toContain('429');
      expect(exitCode).toBe(0);
      expect(emulator().stats().byOperation['sellers.getMarketplaceParticipations']?.requests).toBe(1);
    } finally {
      emulator().setFaults({});
    }
  });

  it('a revoked refresh token: token refresh fails with invalid_grant, exit 1, fix: authorize again', async () => {
    const { exitCode, checks, stderr } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_REFRESH_TOKEN: REVOKED_TOKEN }));
    expect(exitCode).toBe(1);
    const refresh = named(checks, 'token refresh (default)');
    expect(refresh.status).toBe('fail');
    expect(refresh.detail).toContain('invalid_grant');
    expect(refresh.fix).toContain('spapi auth login --profile default');
    // No call is made with a token that cannot be had.
    expect(checks.some((c) => c.check.startsWith('sp-api access'))).toBe(false);
    expect(stderr).toMatch(/spapi: findings: 1 of \d+ doctor checks failed: token refresh \(default\)/);
  });

  it('a role added after the seller authorized: a bare 403 with its causes in order, re-authorizing first', async () => {
    const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_REFRESH_TOKEN: NARROW_TOKEN }));
    expect(exitCode).toBe(1);
    const access = named(checks, 'sp-api access (default)');
    expect(access.status).toBe('fail');
    expect(access.detail).toMatch(/answered 403 Unauthorized \(request [\w-]+\)/);
    expect(access.fix).toBe('authorize again: `spapi auth login --profile default`');
    const causes = access.causes ?? [];
    expect(causes.map((c) => c.cause)).toEqual([
      expect.stringMatching(/gained a role after this seller authorized/),
      expect.stringMatching(/another region .* could not try the others/),
      expect.stringMatching(/different environments \(sandbox vs production/),
      expect.stringMatching(/still in Draft: .*version=beta/),
    ]);
    expect(causes[3]?.fix).toContain('spapi auth login --profile default --draft');
  });

  it('with an endpoint per region the other regions are tried: when they refuse too, region is ruled out', async () => {
    const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_REFRESH_TOKEN: NARROW_TOKEN, SPAPI_ENDPOINT: regional(emulator()) }));
    expect(exitCode).toBe(1);
    const access = named(checks, 'sp-api access (default)');
    expect(access.detail).toMatch(/ruled out: the other regions \(eu: 403 Unauthorized.*fe: 403 Unauthorized/);
    expect((access.causes ?? []).map((c) => c.cause).join('\n')).not.toMatch(/another region/);
  });

  it('the wrong region: another region answers 200, and the fix names it (and SPAPI_REGION, which chose na)', async () => {
    const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_REFRESH_TOKEN: EU_TOKEN, SPAPI_ENDPOINT: regional(emulator()), SPAPI_REGION: 'na' }));
    expect(exitCode).toBe(1);
    const access = named(checks, 'sp-api access (default)');
    expect(access.status).toBe('fail');
    expect(access.detail).toMatch(/answered 403 Unauthorized.*region eu answered 200: the seller authorized the app in eu, not na/);
    expect(access.fix).toMatch(/unset SPAPI_REGION or set it to eu; pass --region eu/);
    expect(access.causes).toBeUndefined();

    const fixed = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_REFRESH_TOKEN: EU_TOKEN, SPAPI_ENDPOINT: regional(emulator()), SPAPI_REGION: 'eu' }));
    expect(fixed.exitCode, JSON.stringify(fixed.checks)).toBe(0);
  });

  describe('a token from one place and calls to another', () => {
    let other: Emulator | undefined;
    afterAll(async () => {
      await other?.close();
    });

    it('LWA of one emulator, SP-API of another: the 403 says so, and to point both at one place', async () => {
      other = await startEmulator({ rateScale: 1000 });
      const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_LWA_ENDPOINT: other.urls.lwa }));
      expect(exitCode).toBe(1);
      const access = named(checks, 'sp-api access (default)');
      expect(access.detail).toContain(`the token comes from ${new URL(other.urls.lwa).origin} but the calls go to ${new URL(emulator().urls.spApi).origin}`);
      expect(access.fix).toMatch(/SPAPI_LWA_ENDPOINT and SPAPI_ENDPOINT to the same emulator/);
    });
  });

  it('a clock 5 minutes fast fails, 45 s fast warns (and exits 0)', async () => {
    const env = cliEnv(emulator(), freshDir());
    const fast = await doctor(env, [], { clock: { now: () => new Date(Date.now() + 5 * 60_000) } });
    expect(fast.exitCode).toBe(1);
    const clock = named(fast.checks, 'clock');
    expect(clock.status).toBe('fail');
    expect(clock.detail).toMatch(/this machine is 30\d s ahead of 127\.0\.0\.1:\d+ \(its Date header\)/);
    expect(clock.fix).toContain('timedatectl set-ntp true');

    const drifting = await doctor(env, [], { clock: { now: () => new Date(Date.now() - 45_000) } });
    expect(drifting.exitCode).toBe(0);
    expect(named(drifting.checks, 'clock')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/4\d s behind/) });
  });

  it('a profile whose region and marketplace disagree, and SPAPI_REGION against the seller\'s marketplaces', async () => {
    const dir = freshDir();
    saveProfiles(dir, {
      mixed: { clientId: SELLER.clientId, region: 'na', marketplace: 'DE' },
      us: { clientId: SELLER.clientId, region: 'na', marketplaces: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'] },
    }, 'us');
    const env = cliEnv(emulator(), dir, { SPAPI_REGION: undefined });
    const { exitCode, checks } = await doctor(env);
    expect(exitCode).toBe(1);
    expect(named(checks, 'region (mixed)')).toMatchObject({
      status: 'fail',
      detail: 'the profile says region na but marketplace DE, which is in eu',
      fix: expect.stringContaining('spapi auth login --profile mixed --region eu'),
    });
    expect(named(checks, 'region (us)').status).toBe('ok');

    const overridden = await doctor({ ...env, SPAPI_REGION: 'eu' }, ['--profile', 'us']);
    expect(overridden.exitCode).toBe(1);
    expect(named(overridden.checks, 'region (us)')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/SPAPI_REGION=eu overrides the profile's region na, but the seller's marketplaces \(US, CA\) are in na/),
      fix: expect.stringContaining('unset SPAPI_REGION'),
    });
  });

  it('--marketplace of another region than SPAPI_REGION: a warning that the variable is ignored', async () => {
    const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_REGION: 'na' }), ['--marketplace', 'DE']);
    expect(exitCode).toBe(0);
    expect(named(checks, 'region settings')).toMatchObject({ status: 'warn', detail: expect.stringContaining('SPAPI_REGION=na is ignored: --marketplace DE is in region eu') });
  });

  it('a store setting that is not a URL: doctor still runs every check and names it as the failure', async () => {
    const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_RATELIMIT_STORE: 'redis//oops' }));
    expect(exitCode).toBe(1);
    expect(named(checks, 'node').status).toBe('ok');
    expect(named(checks, 'rate-limit store')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/redis\/\/oops is not a URL: every command that calls SP-API refuses to start with it \(exit 2\)$/), fix: expect.stringContaining('redis://') });
  });

  it('a Redis rate-limit store nobody listens on: the store fails with its fix', async () => {
    const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_RATELIMIT_STORE: 'redis://127.0.0.1:1/0' }));
    expect(exitCode).toBe(1);
    const store = named(checks, 'rate-limit store');
    expect(store.status).toBe('fail');
    expect(store.detail).toMatch(/^redis redis:\/\/127\.0\.0\.1:1\/0 .*unreachable/);
    expect(store.fix).toContain('SPAPI_RATELIMIT_STORE');
    // The probe would queue behind a cold local bucket for a minute: it is not made.
    expect(named(checks, 'sp-api access (default)')).toMatchObject({ status: 'warn', detail: expect.stringContaining('not tried: the rate-limit store is unreachable') });
  });

  it('no profile and no credentials: one failed check that says how to log in', async () => {
    const { exitCode, checks } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_CLIENT_ID: undefined, SPAPI_CLIENT_SECRET: undefined, SPAPI_REFRESH_TOKEN: undefined }));
    expect(exitCode).toBe(1);
    expect(named(checks, 'profiles')).toMatchObject({ status: 'fail', detail: expect.stringContaining('not logged in'), fix: expect.stringContaining('spapi auth login') });
    expect(named(checks, 'clock').status).toBe('warn');
  });
});

describeRedis('spapi doctor with a Redis rate-limit store', () => {
  let redis: RedisServer | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('a reachable server: ok with its bucket count, its URL shown with the password redacted', async () => {
    redis = await startRedis();
    const url = redis.url.replace('redis://', 'redis://doctor:hunter2secret@');
    const { exitCode, checks, stdout } = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_RATELIMIT_STORE: url }));
    // A password the server does not expect: AUTH fails, which is the store's failure, not a hang.
    expect(stdout).not.toContain('hunter2secret');
    const plain = await doctor(cliEnv(emulator(), freshDir(), { SPAPI_RATELIMIT_STORE: redis.url }));
    expect(plain.exitCode, JSON.stringify(plain.checks)).toBe(0);
    expect(named(plain.checks, 'rate-limit store')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^redis redis:\/\/127\.0\.0\.1:\d+.*: readable, \d+ buckets?$/) });
    expect(named(plain.checks, 'sp-api access (default)').status).toBe('ok');
    expect(exitCode).toBe(1);
    expect(named(checks, 'rate-limit store').status).toBe('fail');
  });
});
