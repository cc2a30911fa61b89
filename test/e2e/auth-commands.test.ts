import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/cli/commands/auth/status-report.js';
import { FileTokenCache } from '../../src/core/auth/token-cache.js';
import { startEmulator, type AppRegistration } from '../../src/emulator/index.js';
import { assertBuilt, cliEnv, ndjson, runCli, tempDirs, type CliResult } from '../helpers/cli.js';
import { DEFAULT_APP, type Emulator, useEmulator } from '../helpers/emulator.js';

/*
 * auth add / status / switch / token / logout / rotate-secret end to end against the emulator,
 * with the file store (the keychain has its own suite). Two apps, so two profiles differ in every
 * credential: --profile and SPAPI_PROFILE must keep them apart.
 */

assertBuilt();
const OTHER_APP: AppRegistration = {
  clientId: 'amzn1.application-oa2-client.other-e2e',
  clientSecret: 'other-app-client-secret-e2e',
  refreshTokens: [{ token: 'Atzr|other-app-refresh-token-e2e', sellingPartnerId: 'AOTHERSELLER' }],
  applicationId: 'amzn1.sp.solution.0the0000-0000-4000-8000-0000000000e2',
};
const emu = useEmulator({ rateScale: 1000, apps: [DEFAULT_APP, OTHER_APP] });
const newDir = tempDirs('spapi-e2e-auth-');
const DEFAULT_REFRESH = DEFAULT_APP.refreshTokens[0]?.token ?? '';

type Creds = { clientId: string; clientSecret: string; refreshToken: string };
const A: Creds = { clientId: DEFAULT_APP.clientId, clientSecret: DEFAULT_APP.clientSecret, refreshToken: DEFAULT_REFRESH };
const B: Creds = { clientId: OTHER_APP.clientId, clientSecret: OTHER_APP.clientSecret, refreshToken: OTHER_APP.refreshTokens[0]?.token ?? '' };

/** No credential in the environment: everything comes from the saved profiles and the file store. */
function bare(dir: string, extra: Record<string, string | undefined> = {}, emulator: Emulator = emu()): Record<string, string> {
  return cliEnv(emulator, dir, { SPAPI_CLIENT_ID: undefined, SPAPI_CLIENT_SECRET: undefined, SPAPI_REFRESH_TOKEN: undefined, SPAPI_REGION: undefined, SPAPI_SECRET_STORE: 'file', ...extra });
}

async function add(dir: string, creds: Creds, args: string[] = [], extra: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['auth', 'add', '--refresh-token-stdin', '--region', 'na', ...args], {
    env: bare(dir, { SPAPI_CLIENT_ID: creds.clientId, SPAPI_CLIENT_SECRET: creds.clientSecret, ...extra }),
    input: `${creds.refreshToken}\n`,
  });
}

function secretsFile(dir: string): Record<string, string> {
  return JSON.parse(readFileSync(join(dir, 'secrets', 'secrets.json'), 'utf8')) as Record<string, string>;
}

function config(dir: string): { currentProfile?: string; profiles: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { currentProfile?: string; profiles: Record<string, Record<string, unknown>> };
}

async function status(dir: string, args: string[] = [], extra: Record<string, string | undefined> = {}): Promise<{ result: CliResult; report: StatusReport }> {
  const result = await runCli(['auth', 'status', '-o', 'json', ...args], { env: bare(dir, extra) });
  expect(result.exitCode, result.stderr).toBe(0);
  return { result, report: JSON.parse(result.stdout) as StatusReport };
}

describe('auth add --refresh-token-stdin', () => {
  it('checks the token with LWA, stores both secrets in the file store and saves the profile', async () => {
    const dir = newDir();
    const result = await add(dir, A);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('saved profile default; secrets are in');
    expect(result.stderr).toContain('(the client secret was taken from SPAPI_CLIENT_SECRET)');
    expect(secretsFile(dir)).toEqual({ 'default:refresh_token': A.refreshToken, 'default:client_secret': A.clientSecret });
    const saved = config(dir);
    expect(saved.currentProfile).toBe('default');
    expect(saved.profiles['default']).toMatchObject({ clientId: A.clientId, region: 'na', secretStore: 'file', marketplaces: expect.arrayContaining(['ATVPDKIKX0DER']) as unknown });
    expect(Date.now() - Date.parse(String(saved.profiles['default']?.['clientSecretSetAt']))).toBeLessThan(60_000);
    expect(ndjson(result.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ marketplace: expect.objectContaining({ id: 'ATVPDKIKX0DER' }) as unknown })]));
  });

  it('--insecure-storage uses the file store without SPAPI_SECRET_STORE (and never the keychain)', async () => {
    const dir = newDir();
    const result = await add(dir, A, ['--insecure-storage'], { SPAPI_SECRET_STORE: undefined });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: secrets will be kept in a plain file');
    expect(config(dir).profiles['default']?.['secretStore']).toBe('file');
    const { report } = await status(dir, ['--offline'], { SPAPI_SECRET_STORE: undefined });
    expect(report.profiles[0]?.secrets.refresh_token.source).toBe('file');
  });

  it('no stdin data, no flag without a terminal, or an access token: exit 2, nothing stored', async () => {
    const dir = newDir();
    const env = bare(dir, { SPAPI_CLIENT_ID: A.clientId, SPAPI_CLIENT_SECRET: A.clientSecret });
    const empty = await runCli(['auth', 'add', '--refresh-token-stdin', '--region', 'na'], { env, input: '' });
    expect(empty.exitCode, empty.stderr).toBe(2);
    expect(empty.stderr).toContain('--refresh-token-stdin read nothing from stdin');
    const noFlag = await runCli(['auth', 'add', '--region', 'na'], { env });
    expect(noFlag.exitCode, noFlag.stderr).toBe(2);
    expect(noFlag.stderr).toContain('no refresh token: pipe it with --refresh-token-stdin');
    const access = await runCli(['auth', 'add', '--refresh-token-stdin', '--region', 'na'], { env, input: 'Atza|an-access-token-not-a-refresh-token' });
    expect(access.exitCode, access.stderr).toBe(2);
    expect(access.stderr).toContain('that is an access token (Atza|…), not a refresh token');
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    expect(existsSync(join(dir, 'secrets'))).toBe(false);
  });

  it('a refresh token LWA refuses: exit 3 and nothing is stored', async () => {
    const dir = newDir();
    const result = await add(dir, { ...A, refreshToken: 'Atzr|not-a-token-the-emulator-issued' });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/invalid_grant.*nothing was stored/);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    expect(existsSync(join(dir, 'secrets'))).toBe(false);
  });

  it('--keep-refresh-token saves a new client secret only after LWA accepts it; the same secret keeps its date', async () => {
    const dir = newDir();
    expect((await add(dir, A, ['--secret-created', '100d'])).exitCode).toBe(0);
    const date = config(dir).profiles['default']?.['clientSecretSetAt'];
    const env = (secret: string) => bare(dir, { SPAPI_CLIENT_SECRET: secret });
    const wrong = await runCli(['auth', 'add', '--keep-refresh-token', '--region', 'na'], { env: env('a-wrong-new-client-secret') });
    expect(wrong.exitCode, wrong.stderr).toBe(3);
    expect(wrong.stderr).toContain('invalid_client');
    expect(secretsFile(dir)['default:client_secret']).toBe(A.clientSecret);
    const same = await runCli(['auth', 'add', '--keep-refresh-token', '--region', 'na'], { env: env(A.clientSecret) });
    expect(same.exitCode, same.stderr).toBe(0);
    expect(same.stderr).toContain('updated the client secret of profile default');
    expect(config(dir).profiles['default']?.['clientSecretSetAt']).toBe(date);
    const none = await runCli(['auth', 'add', '--keep-refresh-token', '--region', 'na'], { env: bare(dir) });
    expect(none.exitCode, none.stderr).toBe(2);
    expect(none.stderr).toContain('no LWA client secret: set SPAPI_CLIENT_SECRET');
  });
});

describe('auth status', () => {
  let dir = '';
  beforeAll(async () => {
    dir = newDir();
    const result = await add(dir, A, ['--secret-created', '160d', '--app-id', DEFAULT_APP.applicationId ?? '']);
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it('says where each secret lives, masked, that a refresh works, and warns 20 days before rotation', async () => {
    const { result, report } = await status(dir);
    expect(report.currentProfile).toBe('default');
    expect(report.profiles).toHaveLength(1);
    const [p] = report.profiles;
    const file = join(dir, 'secrets', 'secrets.json');
    expect(p).toMatchObject({
      name: 'default',
      current: true,
      saved: true,
      clientId: A.clientId,
      clientIdSource: 'profile',
      appId: DEFAULT_APP.applicationId,
      region: 'na',
      store: 'file',
      insecure: true,
      secrets: {
        client_secret: { source: 'file', where: file, masked: 'emul…' },
        refresh_token: { source: 'file', where: file, masked: 'Atzr…' },
      },
      tokenRefresh: { state: 'ok' },
      clientSecretRotation: { state: 'warn', daysLeft: 20 },
    });
    expect(result.stderr).toMatch(/^warning: profile default: the client secret must be rotated within 20 days \(by \d{4}-\d{2}-\d{2}\): run `spapi auth rotate-secret`$/m);
    expect(result.stderr).toContain(`warning: profile default keeps secrets in a plain file (${file}), not the OS keychain`);
  });

  it('the environment wins and says which variable, and which stored copy it overrides', async () => {
    const { report } = await status(dir, ['--offline'], { SPAPI_CLIENT_SECRET: A.clientSecret, SPAPI_CLIENT_ID: A.clientId });
    expect(report.profiles[0]).toMatchObject({
      clientIdSource: 'env SPAPI_CLIENT_ID',
      secrets: { client_secret: { source: 'env', where: 'SPAPI_CLIENT_SECRET', masked: 'emul…', overrides: join(dir, 'secrets', 'secrets.json') } },
      tokenRefresh: { state: 'skipped', code: '--offline' },
      // the same secret as the stored one: its date still applies
      clientSecretRotation: { state: 'warn', daysLeft: 20 },
    });
    const other = await status(dir, ['--offline'], { LWA_CLIENT_SECRET: 'a-different-secret-in-env' });
    expect(other.report.profiles[0]?.secrets.client_secret).toMatchObject({ source: 'env', where: 'LWA_CLIENT_SECRET' });
    expect(other.report.profiles[0]?.clientSecretRotation.state).toBe('unknown');
  });

  it('a refresh LWA refuses is reported with its error code; status still exits 0', async () => {
    const { result, report } = await status(dir, [], { SPAPI_REFRESH_TOKEN: 'Atzr|revoked-or-never-issued-token' });
    expect(report.profiles[0]?.tokenRefresh).toMatchObject({ state: 'failed', code: 'invalid_grant' });
    expect(result.stderr).toContain('error: profile default: token refresh failed: invalid_grant');
  });

  it('the human form (-o table) names the file store loudly and the days left', async () => {
    const result = await runCli(['auth', 'status', '-o', 'table', '--offline'], { env: bare(dir) });
    expect(result.exitCode, result.stderr).toBe(0);
    const file = join(dir, 'secrets', 'secrets.json');
    expect(result.stdout).toContain('default (current)\n');
    expect(result.stdout).toContain(`  client secret   file ${file}  emul…  INSECURE: a plain file, not the OS keychain\n`);
    expect(result.stdout).toContain(`  refresh token   file ${file}  Atzr…  INSECURE`);
    expect(result.stdout).toMatch(/ {2}secret rotation 20 days left \(due \d{4}-\d{2}-\d{2}, set \d{4}-\d{2}-\d{2}\): rotate soon/);
    expect(result.stdout).toContain('  token refresh   not checked (--offline)');
  });

  it('an overdue secret is an error line; the report still exits 0', async () => {
    const late = newDir();
    expect((await add(late, A, ['--secret-created', '200d'])).exitCode).toBe(0);
    const { result, report } = await status(late, ['--offline']);
    expect(report.profiles[0]?.clientSecretRotation).toMatchObject({ state: 'overdue', daysLeft: -20 });
    expect(result.stderr).toMatch(/^error: profile default: the client secret was due for rotation on \d{4}-\d{2}-\d{2} \(20 days ago\)/m);
  });

  it('nothing saved and no credentials in the environment: exit 3 (not logged in)', async () => {
    const empty = newDir();
    const result = await runCli(['auth', 'status'], { env: bare(empty) });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('spapi: auth: not logged in: no profile in');
    expect(result.stdout).toBe('');
    const unknown = await runCli(['auth', 'status', '--profile', 'defualt'], { env: bare(dir) });
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toContain('not logged in: no profile defualt; did you mean default?');
  });

  it('credentials only in the environment: reported as such', async () => {
    const envOnly = newDir();
    const { report } = await status(envOnly, [], { SPAPI_CLIENT_ID: A.clientId, SPAPI_CLIENT_SECRET: A.clientSecret, SPAPI_REFRESH_TOKEN: A.refreshToken, SPAPI_SECRET_STORE: 'none' });
    expect(report.profiles).toEqual([expect.objectContaining({ name: 'default', saved: false, store: 'none', insecure: false, tokenRefresh: { state: 'ok' } })]);
    expect(report.profiles[0]?.secrets.refresh_token).toEqual({ source: 'env', where: 'SPAPI_REFRESH_TOKEN', masked: 'Atzr…' });
    expect(report.profiles[0]?.clientSecretRotation.state).toBe('unknown');
  });
});

describe('two profiles: --profile and SPAPI_PROFILE keep them apart', () => {
  let dir = '';
  beforeAll(async () => {
    dir = newDir();
    expect((await add(dir, A, ['--profile', 'shop-a'])).exitCode).toBe(0);
    expect((await add(dir, B, [], { SPAPI_PROFILE: 'shop-b' })).exitCode).toBe(0);
  });

  it('the first saved profile became the current one; each keeps its own secrets', () => {
    expect(config(dir).currentProfile).toBe('shop-a');
    expect(secretsFile(dir)).toEqual({
      'shop-a:refresh_token': A.refreshToken,
      'shop-a:client_secret': A.clientSecret,
      'shop-b:refresh_token': B.refreshToken,
      'shop-b:client_secret': B.clientSecret,
    });
  });

  it('status lists both, or only the selected one', async () => {
    const all = await status(dir, ['--offline']);
    expect(all.report.profiles.map((p) => [p.name, p.current, p.clientId])).toEqual([
      ['shop-a', true, A.clientId],
      ['shop-b', false, B.clientId],
    ]);
    const one = await status(dir, ['--profile', 'shop-b']);
    expect(one.report.profiles.map((p) => [p.name, p.clientId, p.tokenRefresh.state])).toEqual([['shop-b', B.clientId, 'ok']]);
    const viaEnv = await status(dir, ['--offline'], { SPAPI_PROFILE: 'shop-b' });
    expect(viaEnv.report.profiles.map((p) => p.name)).toEqual(['shop-b']);
  });

  it('auth token prints a working token of the selected profile, and a grantless one with --grantless', async () => {
    const a = await runCli(['auth', 'token'], { env: bare(dir) });
    const b = await runCli(['auth', 'token', '--profile', 'shop-b'], { env: bare(dir) });
    const bEnv = await runCli(['auth', 'token'], { env: bare(dir, { SPAPI_PROFILE: 'shop-b' }) });
    for (const r of [a, b, bEnv]) {
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Atza\|\S+\n$/);
    }
    expect(a.stdout).not.toBe(b.stdout);
    expect(bEnv.stdout).toBe(b.stdout); // from the token cache: the same token within its hour
    const call = await fetch(`${emu().urls.spApi}/sellers/v1/marketplaceParticipations`, { headers: { 'x-amz-access-token': b.stdout.trim() } });
    expect(call.status).toBe(200);
    const grantless = await runCli(['auth', 'token', '--grantless', 'notifications', '--profile', 'shop-b'], { env: bare(dir) });
    expect(grantless.exitCode, grantless.stderr).toBe(0);
    const destinations = await fetch(`${emu().urls.spApi}/notifications/v1/destinations`, { headers: { 'x-amz-access-token': grantless.stdout.trim() } });
    expect(destinations.status).toBe(200);
  });

  it('auth token without a refresh token: exit 3', async () => {
    const result = await runCli(['auth', 'token'], { env: bare(newDir(), { SPAPI_CLIENT_ID: A.clientId, SPAPI_CLIENT_SECRET: A.clientSecret, SPAPI_SECRET_STORE: 'none' }) });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('no refresh token for profile default');
    expect(result.stdout).toBe('');
  });

  it('auth switch sets the current profile; an unknown one is exit 2 with a suggestion', async () => {
    const wrong = await runCli(['auth', 'switch', 'shop-c'], { env: bare(dir) });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('no profile shop-c; did you mean shop-a or shop-b?');
    const ok = await runCli(['auth', 'switch', 'shop-b'], { env: bare(dir) });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('switched to profile shop-b (was shop-a)');
    expect(config(dir).currentProfile).toBe('shop-b');
    const { report } = await status(dir, ['--offline']);
    expect(report.profiles.find((p) => p.current)?.name).toBe('shop-b');
    // Commands without --profile now use shop-b's credentials.
    const token = await runCli(['auth', 'token'], { env: bare(dir) });
    const explicit = await runCli(['auth', 'token', '--profile', 'shop-b'], { env: bare(dir) });
    expect(token.stdout).toBe(explicit.stdout);
    const back = await runCli(['auth', 'switch', '--profile', 'shop-a'], { env: bare(dir) });
    expect(back.exitCode, back.stderr).toBe(0);
    expect(config(dir).currentProfile).toBe('shop-a');
  });

  it('logout removes one profile and its secrets only; logout --all the rest', async () => {
    const unknown = await runCli(['auth', 'logout', '--profile', 'shop-x'], { env: bare(dir) });
    expect(unknown.exitCode).toBe(2);
    // shop-a has a cached access token (auth token above); logout overwrites it with an expired, empty one.
    // Cache entries are keyed by the LWA token URL too (the same app may talk to the emulator and Amazon).
    const grant = (refreshToken: string): string => `${emu().urls.lwa}\0${refreshToken}`;
    const identity = { clientId: A.clientId, clientSecret: A.clientSecret, grant: grant(A.refreshToken) };
    expect(new FileTokenCache(dir).get(identity)?.accessToken).toMatch(/^Atza\|/);
    const one = await runCli(['auth', 'logout', '--profile', 'shop-a'], { env: bare(dir) });
    expect(new FileTokenCache(dir).get(identity)).toEqual({ accessToken: '', expiresAt: 0 });
    expect(new FileTokenCache(dir).get({ clientId: B.clientId, clientSecret: B.clientSecret, grant: grant(B.refreshToken) })?.accessToken).toMatch(/^Atza\|/);
    expect(one.exitCode, one.stderr).toBe(0);
    expect(one.stderr).toContain('logged out of profile shop-a: deleted its client secret and refresh token from');
    expect(one.stderr).toContain('current profile is now shop-b');
    expect(secretsFile(dir)).toEqual({ 'shop-b:refresh_token': B.refreshToken, 'shop-b:client_secret': B.clientSecret });
    expect(Object.keys(config(dir).profiles)).toEqual(['shop-b']);
    expect(config(dir).currentProfile).toBe('shop-b');
    const gone = await runCli(['auth', 'token', '--profile', 'shop-a'], { env: bare(dir) });
    expect(gone.exitCode).toBe(3);
    const all = await runCli(['auth', 'logout', '--all'], { env: bare(dir, { SPAPI_CLIENT_SECRET: 'x-still-in-env' }) });
    expect(all.exitCode, all.stderr).toBe(0);
    expect(all.stderr).toContain('note: SPAPI_CLIENT_SECRET is still set in the environment');
    expect(secretsFile(dir)).toEqual({});
    expect(config(dir).profiles).toEqual({});
    const after = await runCli(['auth', 'status'], { env: bare(dir) });
    expect(after.exitCode).toBe(3);
  });
});

describe('auth rotate-secret', () => {
  let dir = '';
  beforeAll(async () => {
    dir = newDir();
    expect((await add(dir, A)).exitCode).toBe(0);
  });

  it('without a terminal it needs --yes: exit 2 and nothing is sent', async () => {
    emu().resetStats();
    const result = await runCli(['auth', 'rotate-secret'], { env: bare(dir) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('pass --yes');
    expect(emu().stats().byOperation['application_2023-11-30.rotateApplicationClientSecret']).toBeUndefined();
  });

  it('the emulator accepts it (204) with a grantless token; spapi explains the SQS delivery and stores nothing', async () => {
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    emu().resetStats();
    const result = await runCli(['auth', 'rotate-secret', '--yes'], { env: bare(dir) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('Amazon accepted the rotation request (204).');
    expect(emu().stats().byOperation['application_2023-11-30.rotateApplicationClientSecret']?.requests).toBe(1);
    // It went out with a grantless token (no refresh token involved).
    const sent = emu().stats().lastRequests.find((r) => r.path === '/applications/2023-11-30/clientSecret');
    expect(sent?.method).toBe('POST');
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  describe('against an SP-API that accepts it (204)', () => {
    let server: Server;
    let url = '';
    const seen: Array<{ method?: string; path?: string; headers: IncomingHttpHeaders }> = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push({ method: req.method, path: req.url, headers: req.headers });
        res.writeHead(req.method === 'POST' && req.url === '/applications/2023-11-30/clientSecret' ? 204 : 404, { 'x-amzn-requestid': 'rotate-req-1' });
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('explains that the new secret arrives on the SQS queue, and stores nothing', async () => {
      const before = readFileSync(join(dir, 'config.json'), 'utf8');
      const secretsBefore = secretsFile(dir);
      const result = await runCli(['auth', 'rotate-secret', '--yes'], { env: bare(dir, { SPAPI_ENDPOINT: url }) });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe('');
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ method: 'POST', path: '/applications/2023-11-30/clientSecret' });
      expect(String(seen[0]?.headers['x-amz-access-token'])).toMatch(/^Atza\|/);
      expect(result.stderr).toContain('Amazon accepted the rotation request (204).');
      expect(result.stderr).toContain('Notification Preferences > "Application Client New Secret"');
      expect(result.stderr).toContain('The old secret keeps working until then.');
      expect(result.stderr).toContain('spapi auth add --keep-refresh-token --profile default');
      expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
      expect(secretsFile(dir)).toEqual(secretsBefore);
    });
  });

  describe('for an app without the rotation queue (400 InvalidInput, as Amazon answers)', () => {
    let models: Emulator | undefined;
    beforeAll(async () => {
      models = await startEmulator({ apps: [{ ...DEFAULT_APP, rotationQueue: false }], rateScale: 1000 });
    });
    afterAll(async () => {
      await models?.close();
    });

    it('exit 1 with the hint to register the SQS queue', async () => {
      // The token cache holds the grantless token the other emulator issued: this one would not know it.
      const result = await runCli(['auth', 'rotate-secret', '--yes'], { env: bare(dir, { SPAPI_TOKEN_CACHE: 'off' }, models) });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('spapi: InvalidInput: 400 Application is not enrolled for rotation notification');
      expect(result.stderr).toContain('hint: register an SQS queue under Developer Console > Notification Preferences > "Application Client New Secret"');
    });
  });
});
