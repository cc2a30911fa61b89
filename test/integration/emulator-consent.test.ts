import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_APP,
  DEFAULT_APPLICATION_ID,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_REDIRECT_URIS,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_SELLING_PARTNER_ID,
  redirectUriMatches,
  startEmulator,
} from '../../src/emulator/index.js';
import type { AppRegistration, Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/*
 * The website authorization workflow against the emulator (spapi-facts §4.1): consent page,
 * Authorize button, redirect with spapi_oauth_code, the authorization_code grant, and the refresh
 * token it buys working for SP-API calls. Redirects are read with `redirect: 'manual'`.
 */

const DEFAULT_REDIRECT = DEFAULT_REDIRECT_URIS[0] ?? '';
const LOOPBACK_REDIRECT = 'http://127.0.0.1:54321/callback';

const OTHER_APP: AppRegistration = {
  clientId: 'amzn1.application-oa2-client.other',
  clientSecret: 'other-secret',
  refreshTokens: [],
  applicationId: 'amzn1.sp.solution.0the0000-0000-4000-8000-000000000002',
  name: 'Other app',
};
const DRAFT_APP: AppRegistration = {
  clientId: 'amzn1.application-oa2-client.draft',
  clientSecret: 'draft-secret',
  refreshTokens: [],
  applicationId: 'amzn1.sellerapps.app.draft0000-0000-4000-8000-000000000003',
  name: 'Draft app',
  draft: true,
  redirectUris: ['https://draft.example.com/cb'],
};
const LOGIN_APP: AppRegistration = {
  clientId: 'amzn1.application-oa2-client.login',
  clientSecret: 'login-secret',
  refreshTokens: [],
  applicationId: 'amzn1.sp.solution.login000-0000-4000-8000-000000000004',
  name: 'Login app',
  loginUri: 'https://app.example.com/amazon/login',
};

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ apps: [DEFAULT_APP, OTHER_APP, DRAFT_APP, LOGIN_APP], ...options });
  running.push(emulator);
  return emulator;
}

function consentUrl(emulator: Emulator, params: Record<string, string>): string {
  return `${emulator.urls.consent}?${new URLSearchParams(params).toString()}`;
}

async function get(url: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The Authorize button's one-time ticket, read from the page's form. */
function ticketOf(html: string): string {
  const ticket = /<input type="hidden" name="consent" value="([^"]+)">/.exec(html)?.[1];
  if (!ticket) throw new Error(`no consent form in:\n${html}`);
  return ticket;
}

async function pressAuthorize(emulator: Emulator, html: string): Promise<{ status: number; location: URL | undefined; text: string }> {
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1] ?? '';
  const response = await fetch(new URL(action, emulator.urls.spApi), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent: ticketOf(html), action: 'authorize' }),
  });
  const location = response.headers.get('location');
  return { status: response.status, location: location === null ? undefined : new URL(location), text: await response.text() };
}

/** Consent page + Authorize: the redirect the browser would follow. */
async function authorize(emulator: Emulator, params: Record<string, string>): Promise<URL> {
  const page = await get(consentUrl(emulator, params));
  expect(page.status, page.text).toBe(200);
  const pressed = await pressAuthorize(emulator, page.text);
  expect(pressed.status).toBe(302);
  if (!pressed.location) throw new Error('no Location');
  return pressed.location;
}

async function lwa(emulator: Emulator, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(emulator.urls.lwa, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const codeGrant = (code: string, redirectUri: string, app: AppRegistration = DEFAULT_APP): Record<string, string> => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: redirectUri,
  client_id: app.clientId,
  client_secret: app.clientSecret,
});

function codeOf(location: URL): string {
  return location.searchParams.get('spapi_oauth_code') ?? '';
}

function errorCodeOf(html: string): string | undefined {
  return /data-error-code="([^"]+)"/.exec(html)?.[1];
}

describe('consent page', () => {
  it('shows the app, the selling partner and an Authorize button, with no-referrer and no-store', async () => {
    const emulator = await start();
    const page = await get(consentUrl(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 'csrf-1' }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html;charset=UTF-8');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toMatch(/^<!doctype html>/);
    expect(page.text).toContain('<button type="submit" id="authorize" name="action" value="authorize">Authorize</button>');
    expect(page.text).toContain(DEFAULT_APP.name);
    expect(page.text).toContain(DEFAULT_APPLICATION_ID);
    expect(page.text).toContain(DEFAULT_SELLING_PARTNER_ID);
    expect(page.text).toContain('https://localhost:8443');
    // Nothing secret, nothing loaded from elsewhere.
    for (const secret of [DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, DEFAULT_CLIENT_ID, 'spapi_oauth_code']) expect(page.text).not.toContain(secret);
    expect(page.text).not.toMatch(/<script|<link|<img|<iframe|\ssrc=/i);
  });

  it('escapes what it echoes', async () => {
    const emulator = await start({ apps: [{ ...DEFAULT_APP, name: '<b>"Evil" & co</b>' }] });
    const page = await get(consentUrl(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's' }));
    expect(page.text).toContain('&#60;b&#62;&#34;Evil&#34; &#38; co&#60;/b&#62;');
    expect(page.text).not.toContain('<b>"Evil"');
  });

  it('Authorize redirects to the default redirect URI with state, selling_partner_id and spapi_oauth_code', async () => {
    const emulator = await start();
    const location = await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 'csrf 1/2' });
    expect(`${location.origin}${location.pathname}`).toBe(DEFAULT_REDIRECT);
    expect([...location.searchParams.keys()].sort()).toEqual(['selling_partner_id', 'spapi_oauth_code', 'state']);
    expect(location.searchParams.get('state')).toBe('csrf 1/2');
    expect(location.searchParams.get('selling_partner_id')).toBe(DEFAULT_SELLING_PARTNER_ID);
    expect(codeOf(location)).toMatch(/^AN[A-Za-z0-9]{18}$/);
  });

  it('sends the code to a registered loopback redirect_uri, on any port, with its query kept', async () => {
    const emulator = await start({ apps: [{ ...DEFAULT_APP, redirectUris: ['https://localhost:8443/spapi/callback', 'http://127.0.0.1:*/cb?relay=1'] }] });
    const location = await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's', redirect_uri: 'http://127.0.0.1:40000/cb?relay=1' });
    expect(location.toString()).toMatch(/^http:\/\/127\.0\.0\.1:40000\/cb\?relay=1&state=s&selling_partner_id=AEMULATORSELLER&spapi_oauth_code=AN\w{18}$/);
  });

  it('a button press works once; a second press shows ConsentExpired', async () => {
    const emulator = await start();
    const page = await get(consentUrl(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's' }));
    expect((await pressAuthorize(emulator, page.text)).status).toBe(302);
    const again = await pressAuthorize(emulator, page.text);
    expect(again.status).toBe(400);
    expect(again.location).toBeUndefined();
    expect(errorCodeOf(again.text)).toBe('ConsentExpired');
  });

  it('autoApprove redirects at once', async () => {
    const emulator = await start({ autoApprove: true });
    const reply = await get(consentUrl(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 'auto', redirect_uri: LOOPBACK_REDIRECT }));
    expect(reply.status).toBe(302);
    expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    const location = new URL(reply.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('auto');
    expect((await lwa(emulator, codeGrant(codeOf(location), LOOPBACK_REDIRECT))).status).toBe(200);
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['a Draft app without version=beta', { application_id: DRAFT_APP.applicationId ?? '', state: 's' }, 'MD1000', /Draft: add version=beta/],
    ['an LWA client id as application_id', { application_id: DEFAULT_CLIENT_ID, state: 's' }, 'MD1000', /is an LWA client id, not an application id/],
    ['an unknown application_id', { application_id: 'amzn1.sp.solution.unknown', state: 's' }, 'MD1000', /No application has the id amzn1\.sp\.solution\.unknown/],
    ['no application_id', { state: 's' }, 'MD1000', /no application_id/],
    ['an unregistered redirect_uri', { application_id: DEFAULT_APPLICATION_ID, state: 's', redirect_uri: 'https://evil.example/callback' }, 'MD5101', /not one of the redirect URIs registered/],
    ['an http redirect_uri on another path', { application_id: DEFAULT_APPLICATION_ID, state: 's', redirect_uri: 'http://127.0.0.1:8080/other' }, 'MD5101', /not one of the redirect URIs/],
    ['no state', { application_id: DEFAULT_APPLICATION_ID }, 'MissingState', /no state/],
  ])('shows an error page for %s', async (_, params, code, message) => {
    const emulator = await start();
    const page = await get(consentUrl(emulator, params));
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(page.headers.get('content-type')).toBe('text/html;charset=UTF-8');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(errorCodeOf(page.text)).toBe(code);
    expect(page.text).toContain(`Error ${code}`);
    expect(page.text).toMatch(message);
    expect(page.text).not.toContain('id="authorize"');
  });

  it('authorizes a Draft app with version=beta', async () => {
    const emulator = await start();
    const location = await authorize(emulator, { application_id: DRAFT_APP.applicationId ?? '', state: 's', version: 'beta' });
    expect(`${location.origin}${location.pathname}`).toBe('https://draft.example.com/cb');
    expect((await lwa(emulator, codeGrant(codeOf(location), 'https://draft.example.com/cb', DRAFT_APP))).status).toBe(200);
  });

  it('has no default redirect URI when the first registered one is a :* pattern (MD5101)', async () => {
    const emulator = await start({ apps: [{ ...DEFAULT_APP, redirectUris: ['http://127.0.0.1:*/callback'] }] });
    const page = await get(consentUrl(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's' }));
    expect(errorCodeOf(page.text)).toBe('MD5101');
  });

  it('answers 405 to other methods and records consent requests in stats', async () => {
    const emulator = await start();
    const response = await fetch(emulator.urls.consent, { method: 'PUT' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(emulator.stats().lastRequests.map((r) => r.kind)).toEqual(['consent']);
    expect(emulator.stats().requests).toBe(0);
  });
});

describe('authorization_code grant', () => {
  it('answers like LWA with a new refresh token that works for refresh_token grants and SP-API calls', async () => {
    const emulator = await start();
    const location = await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's', redirect_uri: LOOPBACK_REDIRECT });
    const reply = await lwa(emulator, codeGrant(codeOf(location), LOOPBACK_REDIRECT));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ access_token: expect.stringMatching(/^Atza\|/), refresh_token: expect.stringMatching(/^Atzr\|/), token_type: 'bearer', expires_in: 3600 });
    const refreshToken = reply.body['refresh_token'] as string;
    expect(refreshToken).not.toBe(DEFAULT_REFRESH_TOKEN);

    for (const accessToken of [reply.body['access_token'] as string, await refreshed(emulator, refreshToken)]) {
      const call = await fetch(`${emulator.urls.spApi}/sellers/v1/marketplaceParticipations`, { headers: { 'x-amz-access-token': accessToken } });
      expect(call.status).toBe(200);
    }
  });

  it('mints a new refresh token per authorization; all of them keep working, for their own app only', async () => {
    const emulator = await start();
    const tokens: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const location = await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: `s${i}` });
      tokens.push((await lwa(emulator, codeGrant(codeOf(location), DEFAULT_REDIRECT))).body['refresh_token'] as string);
    }
    expect(new Set(tokens).size).toBe(2);
    for (const token of [...tokens, DEFAULT_REFRESH_TOKEN]) await refreshed(emulator, token);
    const foreign = await lwa(emulator, { grant_type: 'refresh_token', refresh_token: tokens[0] ?? '', client_id: OTHER_APP.clientId, client_secret: OTHER_APP.clientSecret });
    expect(foreign).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } });
  });

  it('takes a code once: a second exchange is invalid_grant', async () => {
    const emulator = await start();
    const code = codeOf(await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's' }));
    expect((await lwa(emulator, codeGrant(code, DEFAULT_REDIRECT))).status).toBe(200);
    expect(await lwa(emulator, codeGrant(code, DEFAULT_REDIRECT))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : code' },
    });
  });

  it('refuses an expired code (codeLifetimeSeconds)', async () => {
    const emulator = await start({ codeLifetimeSeconds: 0.2 });
    const code = codeOf(await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await lwa(emulator, codeGrant(code, DEFAULT_REDIRECT))).body['error']).toBe('invalid_grant');
  });

  it('needs the redirect_uri used at consent; a mismatch leaves the code for the right one', async () => {
    const emulator = await start();
    const code = codeOf(await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's', redirect_uri: LOOPBACK_REDIRECT }));
    for (const wrong of [DEFAULT_REDIRECT, 'http://127.0.0.1:54322/callback']) {
      expect(await lwa(emulator, codeGrant(code, wrong))).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : redirect_uri' },
      });
    }
    expect((await lwa(emulator, codeGrant(code, LOOPBACK_REDIRECT))).status).toBe(200);
  });

  it('needs the credentials of the app the code was issued to', async () => {
    const emulator = await start();
    const code = codeOf(await authorize(emulator, { application_id: DEFAULT_APPLICATION_ID, state: 's' }));
    expect(await lwa(emulator, { ...codeGrant(code, DEFAULT_REDIRECT), client_secret: 'wrong' })).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    expect((await lwa(emulator, codeGrant(code, DEFAULT_REDIRECT, OTHER_APP))).body['error']).toBe('invalid_grant');
    expect((await lwa(emulator, codeGrant(code, DEFAULT_REDIRECT))).status).toBe(200);
  });

  it.each<[string, Record<string, string>, string]>([
    ['no code', { grant_type: 'authorization_code', redirect_uri: DEFAULT_REDIRECT }, 'The request is missing a required parameter : code'],
    ['no redirect_uri', { grant_type: 'authorization_code', code: 'ANxxxxxxxxxxxxxxxxxx' }, 'The request is missing a required parameter : redirect_uri'],
    ['a scope', { grant_type: 'authorization_code', code: 'AN1', redirect_uri: DEFAULT_REDIRECT, scope: 'sellingpartnerapi::notifications' }, 'The request has an unexpected parameter : scope'],
  ])('answers invalid_request for %s', async (_, fields, description) => {
    const emulator = await start();
    expect(await lwa(emulator, { ...fields, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET })).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: description },
    });
  });

  it('refuses a made-up code', async () => {
    const emulator = await start();
    expect((await lwa(emulator, codeGrant('ANmadeupmadeupmadeup', DEFAULT_REDIRECT))).body['error']).toBe('invalid_grant');
  });
});

describe('Log-in URI hop', () => {
  it('goes through the Log-in URI and back through amazon_callback_uri before the redirect', async () => {
    const emulator = await start();
    const login = await authorize(emulator, { application_id: LOGIN_APP.applicationId ?? '', state: 'from-consent' });
    expect(`${login.origin}${login.pathname}`).toBe(LOGIN_APP.loginUri);
    expect([...login.searchParams.keys()].sort()).toEqual(['amazon_callback_uri', 'amazon_state', 'selling_partner_id']);
    expect(login.searchParams.get('selling_partner_id')).toBe(DEFAULT_SELLING_PARTNER_ID);
    const callback = new URL(login.searchParams.get('amazon_callback_uri') ?? '');
    expect(callback.origin).toBe(emulator.urls.spApi);

    // The app signs its user in, then sends the browser back with its own state and redirect_uri.
    callback.search = new URLSearchParams({ amazon_state: login.searchParams.get('amazon_state') ?? '', state: 'from-app', redirect_uri: LOOPBACK_REDIRECT }).toString();
    const back = await get(callback.toString());
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(LOOPBACK_REDIRECT);
    expect(location.searchParams.get('state')).toBe('from-app');
    expect((await lwa(emulator, codeGrant(codeOf(location), LOOPBACK_REDIRECT, LOGIN_APP))).status).toBe(200);

    // amazon_state is single use.
    expect(errorCodeOf((await get(callback.toString())).text)).toBe('ConsentExpired');
  });

  it('keeps the consent state and redirect URI when the callback names none, and checks a named redirect_uri (MD5101)', async () => {
    const emulator = await start();
    const first = await authorize(emulator, { application_id: LOGIN_APP.applicationId ?? '', state: 'kept', redirect_uri: LOOPBACK_REDIRECT });
    const callback = new URL(first.searchParams.get('amazon_callback_uri') ?? '');
    callback.searchParams.set('amazon_state', first.searchParams.get('amazon_state') ?? '');
    const location = new URL((await get(callback.toString())).headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('kept');
    expect(`${location.origin}${location.pathname}`).toBe(LOOPBACK_REDIRECT);

    const second = await authorize(emulator, { application_id: LOGIN_APP.applicationId ?? '', state: 's' });
    const bad = new URL(second.searchParams.get('amazon_callback_uri') ?? '');
    bad.search = new URLSearchParams({ amazon_state: second.searchParams.get('amazon_state') ?? '', redirect_uri: 'https://evil.example/cb' }).toString();
    expect(errorCodeOf((await get(bad.toString())).text)).toBe('MD5101');
  });

  it('passes version=beta on for a Draft app and wants it back', async () => {
    const draftLogin = { ...LOGIN_APP, draft: true };
    const emulator = await start({ apps: [draftLogin] });
    const login = await authorize(emulator, { application_id: draftLogin.applicationId ?? '', state: 's', version: 'beta' });
    expect(login.searchParams.get('version')).toBe('beta');
    const callback = new URL(login.searchParams.get('amazon_callback_uri') ?? '');
    callback.searchParams.set('amazon_state', login.searchParams.get('amazon_state') ?? '');
    expect(errorCodeOf((await get(callback.toString())).text)).toBe('MD1000');
  });
});

describe('app registration', () => {
  it.each<[string, string, boolean]>([
    ['https://localhost:8443/spapi/callback', 'https://localhost:8443/spapi/callback', true],
    ['https://localhost:8443/spapi/callback', 'https://localhost:8443/spapi/callback/', false],
    ['https://localhost:8443/spapi/callback', 'https://LOCALHOST:8443/spapi/callback', false],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1:1/callback', true],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1:65535/callback', true],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1:65536/callback', false],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1:0/callback', false],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1/callback', false],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1:80a/callback', false],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1:8080/callback?x=1', false],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.2:8080/callback', false],
    ['http://127.0.0.1:*/callback', 'http://127.0.0.1:8080@evil.example/callback', false],
    ['http://[::1]:*/cb', 'http://[::1]:4000/cb', true],
  ])('%s registered, %s given: %s', (registered, given, matches) => {
    expect(redirectUriMatches([registered], given)).toBe(matches);
  });

  it('refuses apps whose OAuth fields cannot work', async () => {
    await expect(startEmulator({ apps: [{ ...DEFAULT_APP, redirectUris: ['/relative'] }] })).rejects.toThrow(/not an absolute URI/);
    await expect(startEmulator({ apps: [{ ...DEFAULT_APP, redirectUris: ['https://*.example.com/cb'] }] })).rejects.toThrow(/\* only as the whole port/);
    await expect(startEmulator({ apps: [{ ...DEFAULT_APP, applicationId: DEFAULT_CLIENT_ID }] })).rejects.toThrow(/looks like an LWA client id/);
    await expect(startEmulator({ apps: [DEFAULT_APP, { ...OTHER_APP, applicationId: DEFAULT_APPLICATION_ID }] })).rejects.toThrow(/registered twice/);
  });
});

async function refreshed(emulator: Emulator, refreshToken: string): Promise<string> {
  const reply = await lwa(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET });
  expect(reply.status).toBe(200);
  expect(reply.body['refresh_token']).toBe(refreshToken);
  return reply.body['access_token'] as string;
}
