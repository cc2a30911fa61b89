/**
 * core/doctor's judgements, one line a case: the facts in, the record out. The probes that gather
 * those facts run against the emulator in test/integration/doctor.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  checkAccess,
  checkClockSkew,
  checkKeychain,
  checkNodeVersion,
  checkProfileRegion,
  checkRegionInputs,
  checkSecrets,
  checkTokenRefresh,
  originMismatch,
  probeAccess,
  probeKeychain,
  type AccessProbes,
  type ProbeOutcome,
  type ProfileFacts,
} from '../../src/core/doctor/index.js';
import type { RegionCode } from '../../src/core/regions.js';

describe('node version against engines', () => {
  it.each([
    ['v20.18.0', 'ok'],
    ['v20.18.3', 'ok'],
    ['v22.1.0', 'ok'],
    ['v20.17.9', 'fail'],
    ['v18.20.4', 'fail'],
    ['20.20.2', 'ok'],
  ] as const)('%s with >=20.18 is %s', (version, status) => {
    expect(checkNodeVersion(version, '>=20.18').status).toBe(status);
  });

  it('names what to install; an engines range it does not understand fails instead of guessing', () => {
    expect(checkNodeVersion('v18.0.0', '>=20.18')).toMatchObject({ detail: 'Node v18.0.0 is older than spapi needs (>=20.18)', fix: expect.stringContaining('install Node 20.18 or newer') });
    expect(checkNodeVersion('v22.0.0', '^20 || ^22').status).toBe('fail');
  });
});

describe('keychain', () => {
  it.each([
    [{ elapsedMs: 4 }, [], 'ok'],
    [{ elapsedMs: 4 }, ['shop'], 'ok'],
    [{ elapsedMs: 3100 }, ['shop'], 'warn'],
    [{ elapsedMs: 3001, error: 'the OS keychain is unavailable (no answer within 3 s): start a Secret Service …' }, ['shop'], 'fail'],
    [{ elapsedMs: 2, error: 'the OS keychain is unavailable (Platform failure: DBus error)' }, [], 'warn'],
  ] as const)('%o used by %o is %s', (probe, usedBy, status) => {
    expect(checkKeychain(probe, usedBy).status).toBe(status);
  });

  it('says which profiles need it, and drops the adapter\'s own fix (the check has one)', () => {
    const check = checkKeychain({ elapsedMs: 3001, error: 'the OS keychain is unavailable (no answer within 3 s): start a Secret Service (gnome-keyring)' }, ['a', 'b']);
    expect(check.detail).toBe('unreachable after 3001 ms: the OS keychain is unavailable (no answer within 3 s); profiles a, b keep secrets there');
    expect(check.fix).toMatch(/^start a Secret Service/);
  });

  it('probeKeychain times the lookup on the clock it is given, and keeps the first line of an error', async () => {
    let t = 0;
    const now = () => (t += 700);
    expect(await probeKeychain(async () => undefined, now)).toEqual({ elapsedMs: 700 });
    expect(await probeKeychain(async () => { throw new Error('one\ntwo'); }, now)).toEqual({ elapsedMs: 700, error: 'one' });
  });
});

describe('clock skew against the Date header', () => {
  const server = 'Tue, 01 Dec 2026 12:00:00 GMT';
  const at = (offsetMs: number) => [{ date: server, localAt: new Date(Date.parse(server) + offsetMs) }];
  it.each([
    [0, 'ok'],
    [29_000, 'ok'],
    [-30_000, 'ok'],
    [31_000, 'warn'],
    [-119_000, 'warn'],
    [121_000, 'fail'],
    [-600_000, 'fail'],
  ] as const)('%i ms is %s', (offset, status) => {
    expect(checkClockSkew(at(offset), 'api.amazon.com').status).toBe(status);
  });

  it('the largest skew of several answers counts; none measured is a warning', () => {
    const samples = [...at(1_000), ...at(-200_000)];
    expect(checkClockSkew(samples, 'api.amazon.com').detail).toMatch(/^this machine is 200 s behind api\.amazon\.com/);
    expect(checkClockSkew([], 'api.amazon.com').status).toBe('warn');
    expect(checkClockSkew([{ date: 'not a date', localAt: new Date() }], 'api.amazon.com').status).toBe('warn');
  });
});

describe('origins of the token and of the calls', () => {
  it.each([
    ['https://api.amazon.com/auth/o2/token', 'https://sellingpartnerapi-eu.amazon.com', undefined],
    ['http://127.0.0.1:4000/auth/o2/token', 'http://127.0.0.1:4000/eu', undefined],
    ['http://127.0.0.1:4000/auth/o2/token', 'http://127.0.0.1:5000', /two emulators/],
    ['http://127.0.0.1:4000/auth/o2/token', 'https://sellingpartnerapi-na.amazon.com', /local emulator \(http:\/\/127\.0\.0\.1:4000\)/],
    ['https://api.amazon.com/auth/o2/token', 'http://localhost:4000', /calls go to a local emulator/],
  ] as const)('%s → %s', (lwa, api, expected) => {
    const said = originMismatch(lwa, api);
    if (expected === undefined) expect(said).toBeUndefined();
    else expect(said).toMatch(expected);
  });
});

describe('a bare 403: probes and causes', () => {
  const denied: ProbeOutcome = { status: 403, code: 'Unauthorized', requestId: 'r-1' };
  const fine: ProbeOutcome = { status: 200, marketplaces: 3 };
  const base: AccessProbes = { profile: 'shop', region: 'na', sandbox: false, endpoint: 'https://sellingpartnerapi-na.amazon.com', primary: denied };

  it('probeAccess tries the others only after a 403, and only where they have endpoints of their own', async () => {
    const calls: string[] = [];
    const call = (answers: Partial<Record<string, ProbeOutcome>>) => async (region: RegionCode, sandbox: boolean) => {
      const key = `${region}${sandbox ? '+sandbox' : ''}`;
      calls.push(key);
      return answers[key] ?? denied;
    };
    await probeAccess({ call: call({ na: fine }), region: 'na', sandbox: false, regionsDistinct: true, environmentsDistinct: true });
    expect(calls).toEqual(['na']);
    calls.length = 0;
    const probes = await probeAccess({ call: call({ eu: fine }), region: 'na', sandbox: false, regionsDistinct: true, environmentsDistinct: true });
    // Production is not asked about the sandbox: its canned answers would prove nothing.
    expect(calls.sort()).toEqual(['eu', 'fe', 'na']);
    expect(probes.otherRegions?.find((r) => r.region === 'eu')?.outcome).toEqual(fine);
    calls.length = 0;
    await probeAccess({ call: call({}), region: 'eu', sandbox: true, regionsDistinct: false, environmentsDistinct: false });
    expect(calls).toEqual(['eu+sandbox']);
    calls.length = 0;
    await probeAccess({ call: call({}), region: 'eu', sandbox: true, regionsDistinct: false, environmentsDistinct: true });
    expect(calls).toEqual(['eu+sandbox', 'eu']);
  });

  it('nothing probed: four causes, most likely first, each with a fix', () => {
    const check = checkAccess(base);
    expect(check.status).toBe('fail');
    expect(check.causes?.map((c) => c.cause.split(' ').slice(0, 4).join(' '))).toEqual(['the app gained a', 'the seller authorized in', 'the token and the', 'the app is still']);
    expect(check.fix).toBe(check.causes?.[0]?.fix);
    for (const cause of check.causes ?? []) expect(cause.fix).not.toBe('');
  });

  it('a region that answers names the region; production answering a --sandbox 403 says to drop --sandbox', () => {
    expect(checkAccess({ ...base, otherRegions: [{ region: 'eu', outcome: fine }, { region: 'fe', outcome: denied }] })).toMatchObject({ fix: expect.stringMatching(/^pass --region eu/) });
    expect(checkAccess({ ...base, sandbox: true, otherRegions: [], otherEnvironment: fine }).fix).toBe('drop --sandbox: this authorization works in production');
  });

  it('probes that refuse too rule their cause out and say so', () => {
    const check = checkAccess({ ...base, sandbox: true, otherRegions: [{ region: 'eu', outcome: denied }, { region: 'fe', outcome: denied }], otherEnvironment: denied });
    expect(check.detail).toContain('ruled out: the other regions (eu: 403 Unauthorized (request r-1), fe: 403 Unauthorized (request r-1)); production (403 Unauthorized (request r-1))');
    expect(check.causes?.map((c) => c.cause)).toEqual([expect.stringMatching(/gained a role/), expect.stringMatching(/Draft/)]);
  });

  it.each([
    [{ status: 200, marketplaces: 1 }, 'ok', /answered 200: 1 marketplace$/],
    [{ status: 429, code: 'QuotaExceeded' }, 'warn', /429 QuotaExceeded/],
    [{ code: 'network', message: 'ECONNREFUSED' }, 'fail', /no answer \(network: ECONNREFUSED\)/],
    [{ status: 500, code: 'InternalFailure' }, 'fail', /500 InternalFailure/],
  ] as const)('%o is %s', (primary, status, detail) => {
    const check = checkAccess({ ...base, primary });
    expect(check.status).toBe(status);
    expect(check.detail).toMatch(detail);
  });
});

describe('secrets and token refresh of a profile', () => {
  const profile: ProfileFacts = {
    name: 'shop',
    saved: true,
    clientId: 'amzn1.application-oa2-client.x',
    store: 'keychain',
    secrets: { client_secret: { source: 'keychain', where: 'OS keychain, service "spapi", account "shop:client_secret"' }, refresh_token: { source: 'env', where: 'SPAPI_REFRESH_TOKEN' } },
    tokenRefresh: { state: 'ok' },
    clientSecretRotation: { state: 'ok', daysLeft: 100, dueAt: '2027-03-01T00:00:00.000Z' },
  };

  it.each([
    [{}, 'ok'],
    [{ clientId: undefined }, 'fail'],
    [{ secrets: { ...profile.secrets, client_secret: { source: 'missing' as const } } }, 'fail'],
    [{ secrets: { ...profile.secrets, client_secret: { source: 'unreadable' as const, error: 'the OS keychain is unavailable' } } }, 'fail'],
    [{ secrets: { ...profile.secrets, client_secret: { source: 'file' as const, where: '/x/secrets.json' } } }, 'warn'],
    [{ clientSecretRotation: { state: 'warn' as const, daysLeft: 12, dueAt: '2026-12-13T00:00:00.000Z' } }, 'warn'],
    [{ clientSecretRotation: { state: 'overdue' as const, daysLeft: -3, dueAt: '2026-11-28T00:00:00.000Z' } }, 'fail'],
  ] as const)('%o → %s', (change, status) => {
    expect(checkSecrets({ ...profile, ...change }).status).toBe(status);
  });

  it('says where each secret lives, never a value', () => {
    expect(checkSecrets(profile).detail).toBe('client id: amzn1.application-oa2-client.x; client secret: keychain; refresh token: env SPAPI_REFRESH_TOKEN');
  });

  it.each([
    [{ state: 'ok' as const }, 'ok', null],
    [{ state: 'failed' as const, code: 'invalid_grant' }, 'fail', /spapi auth login --profile shop/],
    [{ state: 'failed' as const, code: 'invalid_client' }, 'fail', /--keep-refresh-token/],
    [{ state: 'failed' as const, code: 'network', message: 'unreachable' }, 'fail', /SPAPI_LWA_ENDPOINT/],
    [{ state: 'skipped' as const, code: 'no refresh token: grantless calls only' }, 'warn', /spapi auth login --profile shop/],
  ] as const)('token refresh %o → %s', (tokenRefresh, status, fix) => {
    const check = checkTokenRefresh({ ...profile, tokenRefresh }, 'api.amazon.com');
    expect(check.status).toBe(status);
    if (fix === null) expect(check.fix).toBeNull();
    else expect(check.fix).toMatch(fix);
  });
});

describe('region settings and a profile\'s region', () => {
  const none = { flags: {}, env: {} };
  it.each([
    [{ flags: {}, env: { SPAPI_REGION: 'us' } }, 'fail', /SPAPI_REGION=us is not na, eu or fe/],
    [{ flags: { region: 'na', marketplace: 'DE' }, env: {} }, 'fail', /marketplace DE .* is in region eu, not na/],
    [{ flags: { marketplace: 'JP' }, env: { SPAPI_REGION: 'eu' } }, 'warn', /SPAPI_REGION=eu is ignored: --marketplace JP is in region fe/],
    [{ flags: { marketplace: 'JP' }, env: { SPAPI_REGION: 'fe' } }, 'ok', /SPAPI_REGION=fe, --marketplace JP/],
  ] as const)('%o → %s', (environment, status, detail) => {
    const check = checkRegionInputs(environment);
    expect(check.status).toBe(status);
    expect(check.detail).toMatch(detail);
  });

  it.each([
    [{ name: 'p' }, 'fail', undefined],
    [{ name: 'p', region: 'eu' }, 'ok', 'eu'],
    [{ name: 'p', marketplace: 'JP' }, 'ok', 'fe'],
    [{ name: 'p', region: 'na', marketplace: 'UK' }, 'fail', 'na'],
    [{ name: 'p', region: 'eu', marketplaces: ['ATVPDKIKX0DER'] }, 'fail', 'eu'],
    [{ name: 'p', region: 'na', marketplaces: ['ATVPDKIKX0DER', 'A1PA6795UKMFR9'] }, 'ok', 'na'],
  ] as const)('%o → %s in %s', (profile, status, region) => {
    const result = checkProfileRegion(profile, none);
    expect(result.check.status).toBe(status);
    expect(result.region).toBe(region);
  });

  it('SPAPI_REGION over the profile\'s own region warns; --region over it does not', () => {
    expect(checkProfileRegion({ name: 'p', region: 'na' }, { flags: {}, env: { SPAPI_REGION: 'eu' } }).check.status).toBe('warn');
    expect(checkProfileRegion({ name: 'p', region: 'na' }, { flags: { region: 'eu' }, env: { SPAPI_REGION: 'eu' } }).check.status).toBe('ok');
  });
});
