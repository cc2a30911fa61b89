import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APP, DEFAULT_APPLICATION_ID, DEFAULT_REDIRECT_URIS, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { assertBuilt, BIN, ROOT, runCli, tempDirs } from '../helpers/cli.js';
import { SELLER, useEmulator } from '../helpers/emulator.js';
import { gatedDescribe } from '../keychain/gate.js';

/*
 * `spapi auth login` end to end in a real browser: Debian's chromium driven by playwright-core
 * (no browser download), the emulator's consent page WITHOUT auto-approve, a click on Authorize,
 * and the redirect landing on the CLI's loopback listener, directly or through relay/index.html.
 */

const CHROMIUM = process.env['SPAPI_CHROMIUM'] ?? '/usr/bin/chromium';
// As ../.library machine notes prescribe for this closed network; playwright adds a fresh
// --user-data-dir of its own (it refuses one in args) and removes it when the browser closes.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const gate = {
  variable: 'SPAPI_BROWSER_IT',
  needs: `Chromium at ${CHROMIUM}`,
  howTo: 'apt-get install chromium (Debian), then SPAPI_BROWSER_IT=1 npx vitest run test/browser (npm run build first); .ci/run does this',
  missing: () => (existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`),
};

/** Screenshots go to SPAPI_SCREENSHOT_DIR when set (kept), else to a temporary directory removed afterwards. */
const keepShots = process.env['SPAPI_SCREENSHOT_DIR'];
let shotsDir = '';

let browser: Browser | undefined;

function env(emulator: Emulator, configDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: configDir,
    NO_COLOR: '1',
    SPAPI_CONFIG_DIR: configDir,
    SPAPI_ENDPOINT: emulator.urls.spApi,
    SPAPI_LWA_ENDPOINT: emulator.urls.lwa,
    SPAPI_CONSENT_URL: emulator.urls.consent,
    ...extra,
  };
}

interface RunningLogin {
  child: ResultPromise;
  /** The consent URL the CLI printed (it opens no browser: --no-browser). */
  consentUrl: URL;
  /** The loopback listener it waits on, http://127.0.0.1:<port>/callback. */
  listenerUrl: URL;
  stderr: () => string;
}

/** Starts `spapi auth login --no-browser --insecure-storage` and waits for the consent URL on stderr. */
async function startLogin(emulator: Emulator, configDir: string, profile: string, flags: string[] = []): Promise<RunningLogin> {
  const child = execa(process.execPath, [BIN, '--profile', profile, 'auth', 'login', '--no-browser', '--insecure-storage', '--app-id', DEFAULT_APPLICATION_ID, '--client-id', SELLER.clientId, '--client-secret-stdin', '--timeout', '60s', ...flags], {
    cwd: ROOT,
    env: env(emulator, configDir),
    extendEnv: false,
    reject: false,
    input: SELLER.clientSecret,
    timeout: 90_000,
  });
  let stderr = '';
  const printed = new Promise<{ listener: string; consent: string }>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /waiting on (http:\/\/127\.0\.0\.1:\d+\/callback)\):\s+(https?:\/\/\S+)/.exec(stderr);
      if (match?.[1] && match[2]) resolve({ listener: match[1], consent: match[2] });
    });
    void child.then((result) => reject(new Error(`spapi auth login ended (exit ${result.exitCode}) before printing the consent URL:\n${stderr}`)));
  });
  const { listener, consent } = await printed;
  return { child, consentUrl: new URL(consent), listenerUrl: new URL(listener), stderr: () => stderr };
}

async function shot(page: Page, name: string): Promise<string> {
  const path = join(shotsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The consent page as a seller sees it: the app, the selling partner, where it goes next, and Authorize. */
async function checkConsentPage(page: Page, redirectOrigin: string): Promise<void> {
  await expect(page.title()).resolves.toBe('Authorize spapi emulator app – spapi emulator');
  await expect(page.textContent('#app-name')).resolves.toBe(DEFAULT_APP.name);
  await expect(page.textContent('#application-id')).resolves.toBe(DEFAULT_APPLICATION_ID);
  await expect(page.textContent('#selling-partner-id')).resolves.toBe('AEMULATORSELLER');
  await expect(page.textContent('#redirect-origin')).resolves.toBe(redirectOrigin);
  const button = page.locator('#authorize');
  await expect(button.isVisible()).resolves.toBe(true);
  await expect(button.textContent()).resolves.toBe('Authorize');
}

/** Clicks Authorize and waits until the browser shows the listener's page. */
async function authorize(page: Page, listenerUrl: URL): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.origin === listenerUrl.origin && url.pathname === listenerUrl.pathname, { timeout: 20_000 }),
    page.click('#authorize'),
  ]);
  await page.waitForLoadState('load');
}

async function expectSuccessPage(page: Page): Promise<void> {
  await expect(page.title()).resolves.toBe('spapi is authorized');
  await expect(page.textContent('h1')).resolves.toBe('spapi is authorized');
  await expect(page.textContent('body')).resolves.toContain('You can close this tab and return to the terminal.');
}

/** The login ended well: exit 0, the profile knows the seller, and its refresh token works for a call. */
async function expectLoggedIn(emulator: Emulator, login: RunningLogin, configDir: string, profile: string): Promise<void> {
  const result = await login.child;
  expect(result.exitCode, login.stderr()).toBe(0);
  expect(login.stderr()).toContain(`authorized selling partner AEMULATORSELLER for profile ${profile}`);
  const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as { profiles: Record<string, Record<string, unknown>> };
  expect(config.profiles[profile]).toMatchObject({ sellingPartnerId: 'AEMULATORSELLER', clientId: SELLER.clientId, secretStore: 'file' });
  const secrets = JSON.parse(readFileSync(join(configDir, 'secrets', 'secrets.json'), 'utf8')) as Record<string, string>;
  expect(secrets[`${profile}:refresh_token`]).toMatch(/^Atzr\|/);
  // Nothing secret in the environment: the call reads the refresh token the browser login obtained.
  const call = await runCli(['--profile', profile, 'call', 'sellers.getMarketplaceParticipations'], { env: env(emulator, configDir) });
  expect(call.exitCode, call.stderr).toBe(0);
  expect((JSON.parse(call.stdout) as { payload: unknown[] }).payload.length).toBeGreaterThan(0);
}

gatedDescribe(gate, 'auth login in headless Chromium', () => {
  const tempDir = tempDirs('spapi-browser-');
  const profile = () => `browser-${randomBytes(3).toString('hex')}`;
  const running: RunningLogin[] = [];

  beforeAll(async () => {
    assertBuilt();
    shotsDir = keepShots ?? mkdtempSync(join(tmpdir(), 'spapi-shots-'));
    mkdirSync(shotsDir, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (!keepShots && shotsDir) rmSync(shotsDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // A failed test must not leave a login waiting.
    for (const login of running.splice(0)) login.child.kill();
  });

  async function newPage(): Promise<Page> {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    return context.newPage();
  }

  describe('straight to the loopback listener', () => {
    const emulator = useEmulator();

    it('shows the consent page, Authorize lands on the listener, the CLI stores a working refresh token', async () => {
      const configDir = tempDir();
      const name = profile();
      const login = await startLogin(emulator(), configDir, name);
      running.push(login);
      expect(login.consentUrl.origin).toBe(new URL(emulator().urls.consent).origin);
      expect(login.consentUrl.searchParams.get('redirect_uri')).toBe(login.listenerUrl.toString());

      const page = await newPage();
      const response = await page.goto(login.consentUrl.toString());
      expect(response?.status()).toBe(200);
      await checkConsentPage(page, login.listenerUrl.origin);
      console.log(`consent page screenshot: ${await shot(page, 'consent')}`);

      await authorize(page, login.listenerUrl);
      const landed = new URL(page.url());
      expect(landed.searchParams.get('state')).toBe(login.consentUrl.searchParams.get('state'));
      expect(landed.searchParams.get('selling_partner_id')).toBe('AEMULATORSELLER');
      await expectSuccessPage(page);
      console.log(`success page screenshot: ${await shot(page, 'success')}`);

      await expectLoggedIn(emulator(), login, configDir, name);
      await page.context().close();
    });

    it('a callback with a tampered state gets the 400 page and the login keeps waiting for the real one', async () => {
      const configDir = tempDir();
      const name = profile();
      const login = await startLogin(emulator(), configDir, name);
      running.push(login);
      const state = login.consentUrl.searchParams.get('state') ?? '';
      const tampered = `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`;

      const page = await newPage();
      const forged = new URL(login.listenerUrl);
      forged.search = new URLSearchParams({ state: tampered, selling_partner_id: 'AFORGED', spapi_oauth_code: 'ANforgedcode0000000' }).toString();
      const rejected = await page.goto(forged.toString());
      expect(rejected?.status()).toBe(400);
      await expect(page.title()).resolves.toBe('Not accepted');
      await expect(page.textContent('body')).resolves.toContain('does not belong to the login spapi is waiting for');
      console.log(`tampered-state page screenshot: ${await shot(page, 'tampered-state')}`);

      const noState = await page.goto(`${login.listenerUrl.toString()}?spapi_oauth_code=ANforgedcode0000000`);
      expect(noState?.status()).toBe(400);

      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(login.child.exitCode).toBeNull();
      expect(login.stderr()).not.toMatch(/authorized|spapi: /);

      await page.goto(login.consentUrl.toString());
      await checkConsentPage(page, login.listenerUrl.origin);
      await authorize(page, login.listenerUrl);
      await expectSuccessPage(page);
      await expectLoggedIn(emulator(), login, configDir, name);
      await page.context().close();
    });
  });

  describe('through the relay page (relay/index.html)', () => {
    let relay: Server | undefined;
    let relayUrl = '';
    let emulator: Emulator | undefined;
    const relayRequests: string[] = [];

    beforeAll(async () => {
      // The page users host on https, served here over loopback http: the emulator registers that URL.
      const html = readFileSync(join(ROOT, 'relay', 'index.html'));
      relay = createServer((req, res) => {
        relayRequests.push(req.url ?? '');
        if (req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/spapi-relay') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(html);
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => relay?.listen(0, '127.0.0.1', resolve));
      relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/spapi-relay`;
      emulator = await startEmulator({ apps: [{ ...DEFAULT_APP, redirectUris: [...DEFAULT_REDIRECT_URIS, relayUrl] }] });
    });

    afterAll(async () => {
      await emulator?.close();
      relay?.closeAllConnections();
      await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
    });

    it('Authorize goes to the relay page, which forwards the browser to the listener, and the login completes', async () => {
      if (!emulator) throw new Error('the emulator did not start');
      const configDir = tempDir();
      const name = profile();
      const login = await startLogin(emulator, configDir, name, ['--redirect-uri', relayUrl]);
      running.push(login);
      expect(login.consentUrl.searchParams.get('redirect_uri')).toBe(relayUrl);
      const port = Number(login.listenerUrl.port);
      expect(login.consentUrl.searchParams.get('state')).toMatch(new RegExp(`^${port}\\.`));

      const page = await newPage();
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      const visited: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) visited.push(frame.url());
      });
      await page.goto(login.consentUrl.toString());
      await checkConsentPage(page, new URL(relayUrl).origin);
      await authorize(page, login.listenerUrl);
      await expectSuccessPage(page);
      console.log(`relay success page screenshot: ${await shot(page, 'relay-success')}`);

      // The browser went consent → relay page → listener, with the same query at both ends.
      const relayHit = visited.find((url) => url.startsWith(`${relayUrl}?`));
      expect(relayHit, visited.join('\n')).toBeDefined();
      const atRelay = new URL(relayHit ?? relayUrl);
      const atListener = new URL(page.url());
      expect(atListener.host).toBe(`127.0.0.1:${port}`);
      expect(atListener.search).toBe(atRelay.search);
      expect(atRelay.searchParams.get('spapi_oauth_code')).toMatch(/^AN/);
      expect(relayRequests.some((url) => url.startsWith('/spapi-relay?'))).toBe(true);
      // The page's inline script ran under its own CSP hash (a stale hash would block it).
      expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);

      await expectLoggedIn(emulator, login, configDir, name);
      await page.context().close();
    });

    it('the relay page opened without a login in progress says so and goes nowhere', async () => {
      const page = await newPage();
      await page.goto(relayUrl);
      await expect(page.textContent('#status')).resolves.toBe('This page was opened without a spapi login in progress.');
      expect(page.url()).toBe(relayUrl);
      await page.context().close();
    });
  });
});
