import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmulatorFlags } from '../../src/cli/commands/emulator.js';
import type { EmulatorAnnouncement } from '../../src/cli/commands/emulator.js';
import { assertBuilt, BIN, ROOT, runCli, tempDirs } from '../helpers/cli.js';
import { SELLER } from '../helpers/emulator.js';

/*
 * `spapi emulator` end to end: the built bin runs the emulator in one child process, and the built
 * bin runs `sellers marketplaces` and `call` against it in others, as a user would in two shells.
 */

assertBuilt();
const newDir = tempDirs('spapi-e2e-emulator-');

interface Running {
  child: ResultPromise<{ reject: false; buffer: true }>;
  announcement: EmulatorAnnouncement;
  /** Everything on stdout so far. */
  stdout(): string;
  stderr(): string;
}

const children: Running[] = [];
afterEach(async () => {
  // A failed test must not leave a server behind.
  for (const running of children.splice(0)) {
    running.child.kill('SIGKILL');
    await running.child;
  }
});

/** Starts `spapi emulator <args>` and waits for its JSON line. */
async function startEmulatorProcess(args: string[]): Promise<Running> {
  const dir = newDir();
  const child = execa(process.execPath, [BIN, 'emulator', '--port', '0', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1', SPAPI_CONFIG_DIR: dir },
    extendEnv: false,
    reject: false,
    buffer: true,
    stdin: 'ignore',
  });
  let stdout = '';
  let stderr = '';
  // The hints go to stderr before the JSON line goes to stdout; wait for both pipes to deliver them.
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON line within 15 s; stderr:\n${stderr}`)), 15_000);
    const check = (): void => {
      const end = stdout.indexOf('\n');
      if (end >= 0 && stderr.includes('not secrets)\n')) {
        clearTimeout(timer);
        resolve(stdout.slice(0, end));
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      check();
    });
    void child.then((result) => {
      clearTimeout(timer);
      reject(new Error(`spapi emulator exited with ${result.exitCode} before listening:\n${stderr}`));
    });
  });
  const running: Running = { child, announcement: JSON.parse(firstLine) as EmulatorAnnouncement, stdout: () => stdout, stderr: () => stderr };
  children.push(running);
  return running;
}

/** The environment of a CLI run against the emulator process: its URLs, the default app's fixtures. */
function envFor(announcement: EmulatorAnnouncement, overrides: Record<string, string> = {}): Record<string, string> {
  const dir = newDir();
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    NO_COLOR: '1',
    SPAPI_CONFIG_DIR: dir,
    SPAPI_SECRET_STORE: 'none',
    SPAPI_REGION: 'na',
    SPAPI_ENDPOINT: `${announcement.spApi}/{region}`,
    SPAPI_LWA_ENDPOINT: announcement.lwa,
    SPAPI_CLIENT_ID: announcement.app.clientId,
    SPAPI_CLIENT_SECRET: SELLER.clientSecret,
    SPAPI_REFRESH_TOKEN: SELLER.refreshToken,
    ...overrides,
  };
}

/** Sends `signal` and waits (at most `ms`) for the emulator process to end. */
async function stop(running: Running, signal: NodeJS.Signals, ms = 5000): Promise<{ exitCode: number | undefined; elapsed: number }> {
  const started = Date.now();
  running.child.kill(signal);
  const result = await Promise.race([running.child, new Promise<undefined>((resolve) => setTimeout(resolve, ms))]);
  if (!result) throw new Error(`spapi emulator still running ${ms} ms after ${signal}`);
  children.splice(children.indexOf(running), 1);
  return { exitCode: result.exitCode, elapsed: Date.now() - started };
}

/** Whether anything accepts TCP connections at this base URL. */
function accepts(baseUrl: string): Promise<boolean> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('spapi emulator', () => {
  it('prints one JSON line, serves the CLI, and stops cleanly on SIGINT with nothing left listening', async () => {
    const running = await startEmulatorProcess(['--rate-scale', '100']);
    const { announcement } = running;
    expect(Object.keys(announcement)).toEqual(['spApi', 'spApiRegions', 'lwa', 'consent', 'documents', 'app']);
    expect(announcement.spApi).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(announcement.lwa).toBe(`${announcement.spApi}/auth/o2/token`);
    expect(announcement.consent).toBe(`${announcement.spApi}/apps/authorize/consent`);
    expect(announcement.documents).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(announcement.app).toEqual({
      clientId: SELLER.clientId,
      // The emulator's public test fixtures, so scripts need not scrape stderr for them.
      clientSecret: SELLER.clientSecret,
      refreshToken: SELLER.refreshToken,
      applicationId: expect.stringMatching(/^amzn1\.sp\.solution\./),
      name: expect.any(String),
      draft: false,
      redirectUris: expect.arrayContaining(['http://127.0.0.1:*/callback']),
      sellingPartnerId: expect.any(String),
    });
    expect(announcement.spApiRegions).toEqual({ na: `${announcement.spApi}/na`, eu: `${announcement.spApi}/eu`, fe: `${announcement.spApi}/fe` });
    expect(running.stderr()).toContain(`export SPAPI_ENDPOINT='${announcement.spApi}/{region}'`);
    expect(running.stderr()).toContain(`export SPAPI_LWA_ENDPOINT=${announcement.lwa}`);

    const marketplaces = await runCli(['sellers', 'marketplaces', '-o', 'json'], { env: envFor(announcement) });
    expect(marketplaces.stderr).toBe('');
    expect(marketplaces.exitCode).toBe(0);
    const rows = JSON.parse(marketplaces.stdout) as Array<{ marketplace: { id: string } }>;
    expect(rows.map((row) => row.marketplace.id)).toContain('ATVPDKIKX0DER');
    // The regional host serves only its region: no DE or UK on the NA endpoint.
    expect(rows.map((row) => row.marketplace.id)).not.toContain('A1PA6795UKMFR9');
    expect(rows.map((row) => row.marketplace.id)).not.toContain('A1F83G8C2ARO7P');

    const call = await runCli(['call', 'sellers.getMarketplaceParticipations'], { env: envFor(announcement) });
    expect(call.exitCode).toBe(0);
    expect((JSON.parse(call.stdout) as { payload: unknown[] }).payload.length).toBe(rows.length);

    expect(await accepts(announcement.spApi)).toBe(true);
    const stopped = await stop(running, 'SIGINT');
    expect(stopped.exitCode).toBe(0);
    expect(stopped.elapsed).toBeLessThan(3000);
    expect(running.stdout()).toBe(`${JSON.stringify(announcement)}\n`);
    expect(running.stderr()).toMatch(/spapi emulator: stopped\n$/);
    expect(await accepts(announcement.spApi)).toBe(false);
    expect(await accepts(announcement.documents)).toBe(false);
  });

  it('--log FILE: one JSON line per answered request, no tokens', async () => {
    const log = join(newDir(), 'requests.ndjson');
    const running = await startEmulatorProcess(['--log', log]);
    const result = await runCli(['call', 'sellers.getMarketplaceParticipations'], { env: envFor(running.announcement) });
    expect(result.exitCode).toBe(0);
    expect((await stop(running, 'SIGINT')).exitCode).toBe(0);
    const text = readFileSync(log, 'utf8');
    const entries = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((e) => e['operation'] === 'sellers.getMarketplaceParticipations')).toMatchObject({ method: 'GET', status: 200, throttled: false, region: 'na' });
    expect(entries.some((e) => typeof e['requestId'] === 'string')).toBe(true);
    expect(text).not.toContain(SELLER.refreshToken);
    expect(text).not.toContain(SELLER.clientSecret);
    expect(text).not.toMatch(/Atza\|/);
  });

  it('--token-lifetime 2s: LWA grants expire in 2 s, asked for with the credentials of the JSON line alone', async () => {
    const running = await startEmulatorProcess(['--token-lifetime', '2s']);
    expect(running.stderr()).toContain('access tokens and RDTs expire after 2 s');
    const { app, lwa } = running.announcement;
    const response = await fetch(lwa, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: app.refreshToken, client_id: app.clientId, client_secret: app.clientSecret }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'bearer', expires_in: 2, refresh_token: app.refreshToken });
    expect((await stop(running, 'SIGINT')).exitCode).toBe(0);
  });

  it('stops cleanly on SIGTERM too', async () => {
    const running = await startEmulatorProcess([]);
    const stopped = await stop(running, 'SIGTERM');
    expect(stopped.exitCode).toBe(0);
    expect(await accepts(running.announcement.spApi)).toBe(false);
  });

  it('--faults 503@1: the CLI retries the GET and succeeds', async () => {
    const running = await startEmulatorProcess(['--faults', '503@1', '--rate-scale', '100']);
    expect(running.stderr()).toContain('faults: 503 on call 1');
    const result = await runCli(['call', 'sellers.getMarketplaceParticipations'], { env: envFor(running.announcement) });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/^retrying sellers\.getMarketplaceParticipations in \d+\.\d s \(HTTP 503, attempt 1\)$/m);
    expect((JSON.parse(result.stdout) as { payload: unknown[] }).payload.length).toBe(3); // US, CA, MX: the NA host
    // Only call 1 was faulted: the next run needs no retry.
    const again = await runCli(['call', 'sellers.getMarketplaceParticipations'], { env: envFor(running.announcement) });
    expect(again.stderr).toBe('');
    expect((await stop(running, 'SIGINT')).exitCode).toBe(0);
  });

  it('--auto-approve: the consent page redirects at once', async () => {
    const running = await startEmulatorProcess(['--auto-approve']);
    const { announcement } = running;
    const query = new URLSearchParams({ application_id: announcement.app.applicationId ?? '', state: 'e2e', redirect_uri: 'http://127.0.0.1:45678/callback' });
    const response = await fetch(`${announcement.consent}?${query.toString()}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('e2e');
    expect(location.searchParams.get('selling_partner_id')).toBe(announcement.app.sellingPartnerId);
    expect(location.searchParams.get('spapi_oauth_code')).toMatch(/^AN/);
  });

  it.each<[string, string[], RegExp]>([
    ['a non-loopback --host', ['--host', '0.0.0.0'], /^spapi: usage: --host 0\.0\.0\.0 is not a loopback address/m],
    ['a bad --faults spec', ['--faults', '500@0;bogus'], /^spapi: usage: 2 problems with the emulator flags\n {2}- --faults: 500@0: call numbers start at 1/m],
    ['a bad --rate-scale', ['--rate-scale', '0'], /--rate-scale takes a number above 0/],
    ['a bad --port', ['--port', '70000'], /--port takes a whole number from 0 to 65535/],
    ['a bad --token-lifetime', ['--token-lifetime', '90ms'], /--token-lifetime takes whole seconds from 1s to 24h/],
  ])('exits 2 for %s, before listening', async (_, args, message) => {
    const result = await runCli(['emulator', ...args], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: newDir(), NO_COLOR: '1' }, timeoutMs: 15_000 });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 with a hint when the port is taken', async () => {
    const first = await startEmulatorProcess([]);
    const port = new URL(first.announcement.spApi).port;
    const result = await runCli(['emulator', '--port', port], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: newDir(), NO_COLOR: '1' }, timeoutMs: 15_000 });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    expect(result.stderr).toMatch(/^hint: another process uses that port/m);
  });
});

describe('parseEmulatorFlags (no server)', () => {
  it('maps every flag to its startEmulator option, and leaves unset ones to the emulator defaults', async () => {
    expect(await parseEmulatorFlags({})).toEqual({});
    expect(
      await parseEmulatorFlags({
        port: '8700',
        host: '::1',
        models: '/models',
        rateScale: '0.5',
        faults: '503@1;latency=20',
        seed: '7',
        orders: '0',
        autoApprove: true,
        tokenLifetime: '5m',
      }),
    ).toEqual({
      port: 8700,
      host: '::1',
      models: '/models',
      rateScale: 0.5,
      faults: { status5xx: [{ status: 503, onCalls: [1] }], latencyMs: 20 },
      seed: 7,
      orders: 0,
      autoApprove: true,
      tokenLifetimeSeconds: 300,
    });
    expect(await parseEmulatorFlags({ tokenLifetime: '30' })).toEqual({ tokenLifetimeSeconds: 30 });
  });

  it.each<[string, Record<string, string>, string]>([
    ['--port', { port: '-1' }, '--port takes a whole number from 0 to 65535; got "-1"'],
    ['--seed', { seed: '1.5' }, '--seed takes a whole number from 0 to 4294967295; got "1.5"'],
    ['--orders', { orders: '100001' }, '--orders takes a whole number from 0 to 100000; got "100001"'],
    ['--rate-scale', { rateScale: 'fast' }, '--rate-scale takes a number above 0, e.g. 100 or 0.01; got "fast"'],
    ['--host', { host: '192.168.1.2' }, '--host 192.168.1.2 is not a loopback address: the emulator listens only on 127.0.0.1 (127.0.0.0/8), ::1 or localhost'],
    ['--token-lifetime', { tokenLifetime: 'soon' }, '--token-lifetime soon is not a duration: use e.g. 30s, 5m, 2h or a number of seconds'],
    ['--token-lifetime', { tokenLifetime: '1500ms' }, '--token-lifetime takes whole seconds from 1s to 24h, e.g. 30s or 5m; got "1500ms"'],
    ['--token-lifetime', { tokenLifetime: '0s' }, '--token-lifetime takes whole seconds from 1s to 24h, e.g. 30s or 5m; got "0s"'],
    ['--token-lifetime', { tokenLifetime: '2d' }, '--token-lifetime takes whole seconds from 1s to 24h, e.g. 30s or 5m; got "2d"'],
  ])('refuses a bad %s', async (_, flags, message) => {
    await expect(parseEmulatorFlags(flags)).rejects.toMatchObject({ kind: 'usage', message, problems: [message] });
  });
});
