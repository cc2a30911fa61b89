import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CallbackListener } from '../../src/core/auth/callback-listener.js';
import { login, trustedConsentOrigin } from '../../src/core/auth/login.js';
import { LwaClient } from '../../src/core/auth/lwa.js';
import { MemoryTokenCache } from '../../src/core/auth/token-cache.js';
import { AuthError, PendingError, UsageError } from '../../src/core/errors.js';
import { findMarketplace, type Marketplace } from '../../src/core/regions.js';
import { DEFAULT_APP, useEmulator } from '../helpers/emulator.js';

/*
 * The core of `auth login` without the CLI: the loopback listener on its own (state, replay,
 * timeout, port in use, Amazon's refusal, the Log-in URI hop, nothing reflected), and login()
 * against the emulator's consent page and LWA.
 */

const emu = useEmulator({ autoApprove: true, rateScale: 1000 });
const listeners: CallbackListener[] = [];
afterEach(async () => {
  for (const listener of listeners.splice(0)) await listener.close();
});

async function listen(options: Partial<Parameters<typeof CallbackListener.start>[0]> = {}): Promise<CallbackListener> {
  const listener = await CallbackListener.start({ isTrustedCallback: trustedConsentOrigin(undefined), ...options });
  listeners.push(listener);
  return listener;
}

async function get(url: string): Promise<{ status: number; body: string; location: string | null }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, body: await res.text(), location: res.headers.get('location') };
}

describe('CallbackListener', () => {
  it('ignores a wrong state (400) and keeps waiting; the right one ends the wait; a replay gets 400', async () => {
    const listener = await listen();
    expect(listener.url).toBe(`http://127.0.0.1:${listener.port}/callback`);
    const waiting = listener.wait(10_000);
    let settled = false;
    void waiting.then(() => (settled = true), () => (settled = true));
    expect((await get(`${listener.url}?state=${listener.port}.forged&spapi_oauth_code=ANforged`)).status).toBe(400);
    expect((await get(`${listener.url}?spapi_oauth_code=ANnostate`)).status).toBe(400);
    expect((await get(`http://127.0.0.1:${listener.port}/elsewhere?state=${listener.state.value}`)).status).toBe(404);
    expect(settled).toBe(false);
    const right = `${listener.url}?state=${encodeURIComponent(listener.state.value)}&spapi_oauth_code=ANright&selling_partner_id=A1SELLER`;
    const ok = await get(right);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('spapi is authorized');
    await expect(waiting).resolves.toEqual({ code: 'ANright', sellingPartnerId: 'A1SELLER' });
    expect((await get(right)).status).toBe(400);
  });

  it('a timeout rejects with PendingError (exit 6)', async () => {
    const listener = await listen();
    await expect(listener.wait(150)).rejects.toBeInstanceOf(PendingError);
  });

  it('an abort rejects with the signal\'s reason', async () => {
    const listener = await listen();
    const controller = new AbortController();
    const waiting = listener.wait(10_000, controller.signal);
    controller.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
  });

  it('a taken port is a UsageError (exit 2) naming the fix', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const error = await CallbackListener.start({ port, isTrustedCallback: () => false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toBe(`port ${port} on 127.0.0.1 is in use`);
      expect((error as UsageError).hint).toContain('--port 0');
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('Amazon\'s refusal ends the wait with an AuthError (exit 3)', async () => {
    const listener = await listen();
    const outcome = listener.wait(10_000).catch((error: unknown) => error);
    expect((await get(`${listener.url}?state=${encodeURIComponent(listener.state.value)}&error=access_denied`)).status).toBe(400);
    const error = await outcome;
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toBe('Amazon did not authorize the app: access_denied');
  });

  it('the Log-in URI hop: 302 back to Amazon with the state; an untrusted callback site gets 400', async () => {
    const listener = await listen({ redirectUri: 'https://relay.example.com/cb' });
    const hop = await get(`${listener.url}?amazon_callback_uri=${encodeURIComponent('https://sellercentral.amazon.de/apps/authorize/confirm')}&amazon_state=AS1`);
    expect(hop.status).toBe(302);
    const location = new URL(hop.location ?? '');
    expect(location.hostname).toBe('sellercentral.amazon.de');
    expect(Object.fromEntries(location.searchParams)).toEqual({ redirect_uri: 'https://relay.example.com/cb', amazon_state: 'AS1', state: listener.state.value });
    const evil = await get(`${listener.url}?amazon_callback_uri=${encodeURIComponent('https://sellercentral.amazon.de.evil.example/x')}&amazon_state=AS1`);
    expect(evil.status).toBe(400);
    expect(evil.location).toBeNull();
  });

  it('pages reflect nothing from the request', async () => {
    const listener = await listen();
    const marker = '<script>alert(1)</script>';
    for (const query of [`state=${encodeURIComponent(marker)}`, `state=${encodeURIComponent(listener.state.value)}&error=${encodeURIComponent(marker)}`]) {
      const page = await get(`${listener.url}?${query}`);
      expect(page.body).not.toContain('<script>');
      expect(page.body).not.toContain('alert(1)');
    }
  });
});

describe('login() against the emulator', () => {
  const US = findMarketplace('US') as Marketplace;
  const plan = () => ({
    applicationId: DEFAULT_APP.applicationId ?? '',
    clientId: DEFAULT_APP.clientId,
    clientSecret: DEFAULT_APP.clientSecret,
    marketplace: US,
    consentBase: emu().urls.consent,
    timeoutMs: 10_000,
  });
  const lwa = () => new LwaClient({ tokenUrl: emu().urls.lwa, cache: new MemoryTokenCache() });

  it('listener mode: the browser follows the consent redirect; a new refresh token that works comes back', async () => {
    const said: string[] = [];
    const result = await login(plan(), {
      lwa: lwa(),
      open: async (url) => {
        await fetch(url); // the emulator's auto-approve redirects to the listener
        return true;
      },
      say: (line) => said.push(line),
      readPasted: () => Promise.reject(new Error('not asked in listener mode')),
    });
    expect(result.refreshToken).toMatch(/^Atzr\|/);
    expect(result.sellingPartnerId).toBe('AEMULATORSELLER');
    expect(result.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(said.join('\n')).toContain('Opened the consent page in your browser');
    await expect(lwa().accessToken(DEFAULT_APP.clientId, DEFAULT_APP.clientSecret, result.refreshToken)).resolves.toMatch(/^Atza\|/);
  });

  it('manual mode: the pasted landing URL is checked like a callback', async () => {
    const redirectUri = 'http://127.0.0.1:1/callback';
    let consent = '';
    const result = await login({ ...plan(), manual: true, redirectUri }, {
      lwa: lwa(),
      open: () => Promise.reject(new Error('no browser in manual mode')),
      say: (line) => (consent = /(http:\/\/\S+consent\?\S+)/.exec(line)?.[1] ?? consent),
      readPasted: async () => (await fetch(consent, { redirect: 'manual' })).headers.get('location') ?? '',
    });
    expect(result.refreshToken).toMatch(/^Atzr\|/);
    expect(result.redirectUri).toBe(redirectUri);
  });

  it('manual mode needs --redirect-uri; a client id as application id fails before anything', async () => {
    const deps = { lwa: lwa(), open: () => Promise.resolve(true), say: () => undefined, readPasted: () => Promise.resolve('') };
    await expect(login({ ...plan(), manual: true }, deps)).rejects.toThrow('--manual needs --redirect-uri');
    let opened = false;
    await expect(login({ ...plan(), applicationId: DEFAULT_APP.clientId }, { ...deps, open: () => Promise.resolve((opened = true)) })).rejects.toThrow(/is an LWA client id/);
    expect(opened).toBe(false);
  });
});
