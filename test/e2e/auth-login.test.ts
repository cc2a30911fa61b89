import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, cliEnv, ndjson, ROOT, runCli, tempDirs } from '../helpers/cli.js';
import { DEFAULT_APP, type Emulator, useEmulator } from '../helpers/emulator.js';
import { startEmulator } from '../../src/emulator/index.js';

/*
 * `spapi auth login` end to end against the in-process emulator (auto-approve): the built bin runs
 * the login, and $BROWSER is a small node script that plays the browser — it follows the consent
 * redirect to the loopback listener and logs every status it saw. Secrets go to the file store
 * (the real keychain has its own suite).
 */

assertBuilt();
const emu = useEmulator({ autoApprove: true, rateScale: 1000 });
const newDir = tempDirs('spapi-e2e-auth-login-');
const APP_ID = DEFAULT_APP.applicationId ?? '';

/**
 * The browser: BROWSER_MODE=follow (every redirect, by hand, so each status is logged), mismatch (the
 * callback first with a wrong state, then the right one) or replay (the right callback twice).
 * Each line of BROWSER_LOG is one JSON event.
 */
const BROWSER_SCRIPT = `
import { appendFileSync } from 'node:fs';
const log = (event) => appendFileSync(process.env.BROWSER_LOG, JSON.stringify(event) + '\\n');
const hit = async (url) => {
  try {
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location') ?? undefined };
  } catch (error) {
    return { status: String(error.cause?.code ?? error.message) };
  }
};
const url = process.argv[2];
log({ opened: url });
const mode = process.env.BROWSER_MODE ?? 'follow';
const consent = await hit(url);
log({ consent: consent.status });
let callback = consent.location;
if (mode === 'mismatch') {
  const wrong = new URL(callback);
  const state = wrong.searchParams.get('state');
  wrong.searchParams.set('state', state.slice(0, -1) + (state.endsWith('A') ? 'B' : 'A'));
  log({ wrong: (await hit(wrong)).status });
}
for (let hops = 0; callback && hops < 6; hops++) {
  const res = await hit(callback);
  log({ url: callback.split('?')[0], status: res.status });
  callback = res.location;
}
if (mode === 'replay') log({ replay: (await hit(consent.location)).status });
`;

interface Browser {
  env: Record<string, string>;
  /** The events the browser script logged, or [] when it never ran. */
  events(): Array<Record<string, unknown>>;
}

function browser(dir: string, mode: 'follow' | 'mismatch' | 'replay' = 'follow'): Browser {
  const script = join(dir, 'browser.mjs');
  const log = join(dir, 'browser.log');
  writeFileSync(script, BROWSER_SCRIPT);
  return {
    env: { BROWSER: `${process.execPath} ${script}`, BROWSER_LOG: log, BROWSER_MODE: mode },
    events: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) : []),
  };
}

/** The environment of a login: the emulator's consent page and app, no refresh token, the file store. */
function loginEnv(emulator: Emulator, dir: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cliEnv(emulator, dir, {
    SPAPI_CONSENT_URL: emulator.urls.consent,
    SPAPI_APP_ID: APP_ID,
    SPAPI_REFRESH_TOKEN: undefined,
    SPAPI_SECRET_STORE: 'file',
    ...extra,
  });
}

function storedSecrets(dir: string): Record<string, string> {
  return JSON.parse(readFileSync(join(dir, 'secrets', 'secrets.json'), 'utf8')) as Record<string, string>;
}

function config(dir: string): { currentProfile?: string; profiles: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { currentProfile?: string; profiles: Record<string, Record<string, unknown>> };
}

describe('auth login through the loopback listener', () => {
  it('opens the browser, catches the redirect, stores a new refresh token and the profile, verifies it', async () => {
    const dir = newDir();
    const b = browser(dir);
    const result = await runCli(['auth', 'login', '--region', 'na'], { env: loginEnv(emu(), dir, b.env) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(b.events()).toEqual([
      { opened: expect.stringContaining(`${emu().urls.consent}?application_id=${encodeURIComponent(APP_ID)}&state=`) as unknown },
      { consent: 302 },
      { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/) as unknown, status: 200 },
    ]);
    expect(result.stderr).toContain('authorized selling partner AEMULATORSELLER for profile default');
    const secrets = storedSecrets(dir);
    expect(secrets['default:refresh_token']).toMatch(/^Atzr\|/);
    expect(secrets['default:refresh_token']).not.toBe(DEFAULT_APP.refreshTokens[0]?.token);
    expect(secrets['default:client_secret']).toBe(DEFAULT_APP.clientSecret);
    const saved = config(dir);
    expect(saved.currentProfile).toBe('default');
    expect(saved.profiles['default']).toMatchObject({ clientId: DEFAULT_APP.clientId, appId: APP_ID, region: 'na', marketplace: 'US', sellingPartnerId: 'AEMULATORSELLER', secretStore: 'file' });
    // The verification call's marketplaces, as JSON on a pipe.
    expect((ndjson(result.stdout) as Array<{ marketplace: { id: string } }>).map((p) => p.marketplace.id)).toContain('ATVPDKIKX0DER');
  });

  it('a callback with a wrong state gets 400 and the login keeps waiting; the right one then succeeds', async () => {
    const dir = newDir();
    const b = browser(dir, 'mismatch');
    const result = await runCli(['auth', 'login', '--region', 'na'], { env: loginEnv(emu(), dir, b.env) });
    expect(result.exitCode, result.stderr).toBe(0);
    const events = b.events();
    expect(events).toContainEqual({ wrong: 400 });
    expect(events.at(-1)).toMatchObject({ status: 200 });
    expect(storedSecrets(dir)['default:refresh_token']).toMatch(/^Atzr\|/);
  });

  it('the same callback twice: the second gets 400 (a state is accepted once)', async () => {
    const dir = newDir();
    const b = browser(dir, 'replay');
    const result = await runCli(['auth', 'login', '--region', 'na'], { env: loginEnv(emu(), dir, b.env) });
    expect(result.exitCode, result.stderr).toBe(0);
    const events = b.events();
    expect(events.find((e) => 'status' in e)).toMatchObject({ status: 200 });
    // The browser normally finishes within openUrl's 1.5 s wait, so the listener is still up to
    // refuse the replay with 400; on a starved machine it may already be closed. Never a second 200.
    // (test/integration/auth-login.test.ts checks the 400 deterministically.)
    const replay = events.at(-1)?.['replay'];
    expect([400, 'ECONNREFUSED']).toContain(replay);
    if (replay !== 400) console.warn(`replay reached a closed listener (${String(replay)}): the 400 was not observed end to end`);
  });

  it('--timeout 2s with nobody authorizing: exit 6', async () => {
    const dir = newDir();
    const started = Date.now();
    const result = await runCli(['auth', 'login', '--region', 'na', '--no-browser', '--timeout', '2s'], { env: loginEnv(emu(), dir) });
    expect(result.exitCode, result.stderr).toBe(6);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toContain('Open this URL in a browser');
    expect(result.stderr).toMatch(/^spapi: pending: no authorization arrived within 2 s$/m);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  describe('with a port already taken', () => {
    let taken: Server;
    let port = 0;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      port = (taken.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

    it('--port <taken>: exit 2 naming the fix, and no browser opens', async () => {
      const dir = newDir();
      const b = browser(dir);
      const result = await runCli(['auth', 'login', '--region', 'na', '--port', String(port)], { env: loginEnv(emu(), dir, b.env) });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(result.stderr).toContain('hint: pass another --port');
      expect(b.events()).toEqual([]);
    });
  });

  it('the LWA client id given as --app-id: exit 2 before any browser opens', async () => {
    const dir = newDir();
    const b = browser(dir);
    const result = await runCli(['auth', 'login', '--region', 'na', '--app-id', DEFAULT_APP.clientId], { env: loginEnv(emu(), dir, b.env) });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('is an LWA client id, not an application id (Amazon would answer MD1000)');
    expect(b.events()).toEqual([]);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('--manual: the URL of the page the browser lands on is pasted through stdin', async () => {
    const dir = newDir();
    const redirectUri = 'http://127.0.0.1:1/callback'; // nothing listens there, as on a remote machine
    const child = execa(process.execPath, [BIN, 'auth', 'login', '--region', 'na', '--manual', '--redirect-uri', redirectUri], {
      cwd: ROOT,
      env: loginEnv(emu(), dir),
      extendEnv: false,
      reject: false,
      stdin: 'pipe',
      timeout: 30_000,
    });
    let stderr = '';
    const consentUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no consent URL on stderr within 15 s:\n${stderr}`)), 15_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const match = /(http:\/\/\S+\/apps\/authorize\/consent\?\S+)/.exec(stderr);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(new URL(consentUrl).searchParams.get('redirect_uri')).toBe(redirectUri);
    const consent = await fetch(consentUrl, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const landed = consent.headers.get('location') ?? '';
    expect(landed.startsWith(`${redirectUri}?`)).toBe(true);
    child.stdin.end(`${landed}\n`);
    const result = await child;
    expect(result.exitCode, `${stderr}${String(result.stderr)}`).toBe(0);
    expect(String(result.stderr)).toContain('authorized selling partner AEMULATORSELLER');
    expect(storedSecrets(dir)['default:refresh_token']).toMatch(/^Atzr\|/);
  });

  it('--manual refuses a pasted URL of another attempt (wrong state): exit 3, nothing stored', async () => {
    const dir = newDir();
    const redirectUri = 'http://127.0.0.1:1/callback';
    const pasted = `${redirectUri}?state=0.not-this-attempt&selling_partner_id=AEMULATORSELLER&spapi_oauth_code=ANxxxxxxxx`;
    const result = await runCli(['auth', 'login', '--region', 'na', '--manual', '--redirect-uri', redirectUri], { env: loginEnv(emu(), dir), input: `${pasted}\n` });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain('a state that belongs to no login of this run');
    expect(existsSync(join(dir, 'secrets', 'secrets.json'))).toBe(false);
  });

  it('a second login with the same client secret keeps the recorded rotation date', async () => {
    const dir = newDir();
    const first = await runCli(['auth', 'login', '--region', 'na'], { env: loginEnv(emu(), dir, browser(dir).env) });
    expect(first.exitCode, first.stderr).toBe(0);
    const saved = config(dir);
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    (saved.profiles['default'] as Record<string, unknown>)['clientSecretSetAt'] = old;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(saved));
    const second = await runCli(['auth', 'login', '--region', 'na'], { env: loginEnv(emu(), dir, browser(dir).env) });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(config(dir).profiles['default']?.['clientSecretSetAt']).toBe(old);
  });
});

describe('auth login through an app with a Log-in URI', () => {
  let hopEmulator: Emulator | undefined;
  let port = 0;
  beforeAll(async () => {
    // The Log-in URI must name the listener's port, so pick a free one first.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    hopEmulator = await startEmulator({ autoApprove: true, rateScale: 1000, apps: [{ ...DEFAULT_APP, loginUri: `http://127.0.0.1:${port}/callback` }] });
  });
  afterAll(async () => {
    await hopEmulator?.close();
  });

  it('the listener sends the browser back to amazon_callback_uri with its state, then gets the code', async () => {
    const emulator = hopEmulator as Emulator;
    const dir = newDir();
    const b = browser(dir);
    const result = await runCli(['auth', 'login', '--region', 'na', '--port', String(port)], { env: loginEnv(emulator, dir, b.env) });
    expect(result.exitCode, result.stderr).toBe(0);
    const steps = b.events().filter((e) => 'url' in e);
    expect(steps).toEqual([
      { url: `http://127.0.0.1:${port}/callback`, status: 302 }, // the Log-in URI hop, answered by the listener
      { url: `${emulator.urls.spApi}/apps/authorize/confirm`, status: 302 },
      { url: `http://127.0.0.1:${port}/callback`, status: 200 },
    ]);
    expect(storedSecrets(dir)['default:refresh_token']).toMatch(/^Atzr\|/);
  });
});
