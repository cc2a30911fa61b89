import type { IncomingMessage, ServerResponse } from 'node:http';
import { LWA_CLIENT_ID_PREFIX, redirectUriMatches, resolveApp } from './apps.js';
import type { ResolvedApp } from './apps.js';
import { DEFAULT_SELLING_PARTNER_ID } from './options.js';
import type { AppRegistration } from './apps.js';
import type { EmulatorState } from './state.js';

/*
 * The emulator's Seller Central consent page: the website authorization workflow (spapi-facts §4.1).
 *
 *   GET  /apps/authorize/consent?application_id=…&state=…[&redirect_uri=…][&version=beta]
 *        checks the request and shows the app, the selling partner and an Authorize button
 *        (with `autoApprove`, it answers as if the button had been pressed at once);
 *   POST /apps/authorize/consent  (the button; form field `consent`, a one-time ticket)
 *        302 to `<redirect_uri>?state=…&selling_partner_id=…&spapi_oauth_code=…`, or, for an app
 *        with a Log-in URI, first 302 to `<loginUri>?amazon_callback_uri=…&amazon_state=…&selling_partner_id=…[&version=beta]`;
 *   GET  /apps/authorize/confirm?amazon_state=…&state=…[&redirect_uri=…][&version=beta]
 *        the amazon_callback_uri the Log-in URI sends the browser back to; then 302 as above.
 *
 * Errors are HTML pages (status 400) that name the code: MD1000 (unknown application_id, an LWA
 * client id given as application_id, a Draft app without version=beta), MD5101 (redirect_uri not
 * registered), and the emulator's own MissingState / ConsentExpired. An error never redirects.
 * The seller who consents is always DEFAULT_SELLING_PARTNER_ID (the emulator's one Seller Central
 * login). Codes and the refresh tokens they buy follow the rules in apps.ts (Authorizations).
 */

/** The consent page path, as on Seller Central (`/apps/authorize/consent`). */
export const CONSENT_PATH = '/apps/authorize/consent';
/** Where a Log-in URI sends the browser back to (the `amazon_callback_uri` the emulator hands out). */
export const CONSENT_CALLBACK_PATH = '/apps/authorize/confirm';

/** How long the page's Authorize button and an amazon_state stay usable. */
const TICKET_LIFETIME_SECONDS = 600;

// No referrer (Amazon advises it for pages around the flow, spapi-facts §4.1), no caching of pages
// that carry one-time tickets, no framing (clickjacking of the Authorize button), no external assets.
const PAGE_HEADERS = {
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
};

/** A consent the seller is looking at (behind the Authorize button) or went through the Log-in URI with. */
interface Consent {
  clientId: string;
  sellingPartnerId: string;
  redirectUri: string;
  state: string;
  beta: boolean;
}

type Checked<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Answers the consent page, its Authorize button and the Log-in URI callback. */
export function serveConsent(state: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
  const now = Date.now();
  const method = req.method ?? 'GET';
  if (url.pathname === CONSENT_CALLBACK_PATH) {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    return finishLogin(state, res, url, now);
  }
  if (method === 'POST') {
    const ticket = new URLSearchParams(body.toString('utf8')).get('consent') ?? '';
    const consent = state.authorizations.takeTicket(ticket, now) as Consent | undefined;
    if (!consent) return errorPage(res, 'ConsentExpired', 'This authorization request expired or was already used. Start again from the application.');
    return approve(state, res, url, consent, now);
  }
  if (method !== 'GET') return methodNotAllowed(res, 'GET, POST');

  const checked = checkConsentRequest(state.options.apps, url.searchParams);
  if (!checked.ok) return errorPage(res, checked.code, checked.message);
  const { app, consent } = checked.value;
  if (state.options.autoApprove) return approve(state, res, url, consent, now);
  const ticket = state.authorizations.openTicket(consent, TICKET_LIFETIME_SECONDS, now);
  sendHtml(res, 200, consentPage(app, consent, ticket));
}

/** The consent URL's parameters against the registered apps (spapi-facts §4.1). */
export function checkConsentRequest(apps: readonly AppRegistration[], query: URLSearchParams): Checked<{ app: ResolvedApp; consent: Consent }> {
  const applicationId = query.get('application_id') ?? '';
  if (applicationId === '') return md1000('The request has no application_id.');
  if (applicationId.startsWith(LWA_CLIENT_ID_PREFIX)) {
    return md1000(`${applicationId} is an LWA client id, not an application id. Use the app's id from the developer console (amzn1.sp.solution.… or amzn1.sellerapps.app.…).`);
  }
  const registration = apps.find((candidate) => candidate.applicationId === applicationId);
  if (!registration) return md1000(`No application has the id ${applicationId}.`);
  const app = resolveApp(registration);
  const beta = query.get('version') === 'beta';
  if (app.draft && !beta) return md1000(`${app.name} is in Draft: add version=beta to the authorization URL while it is not published.`);
  const redirect = chooseRedirectUri(app, query.get('redirect_uri'));
  if (!redirect.ok) return redirect;
  const state = query.get('state') ?? '';
  if (state === '') return { ok: false, code: 'MissingState', message: 'The request has no state. Send a short-lived, unique state and check it when the redirect arrives (CSRF protection).' };
  return { ok: true, value: { app, consent: { clientId: registration.clientId, sellingPartnerId: DEFAULT_SELLING_PARTNER_ID, redirectUri: redirect.value, state, beta } } };
}

/** The given redirect_uri when it is registered, else the app's first registered one (MD5101 otherwise). */
function chooseRedirectUri(app: ResolvedApp, given: string | null): Checked<string> {
  if (given !== null && given !== '') {
    if (redirectUriMatches(app.redirectUris, given)) return { ok: true, value: given };
    return { ok: false, code: 'MD5101', message: `The redirect_uri ${given} is not one of the redirect URIs registered for ${app.name}.` };
  }
  const first = app.redirectUris[0];
  // A `:*` entry names no port, so it cannot be the default.
  if (first === undefined || first.includes(':*')) {
    return { ok: false, code: 'MD5101', message: `The request has no redirect_uri and ${app.name} has no default redirect URI registered.` };
  }
  return { ok: true, value: first };
}

/** The seller confirmed: through the Log-in URI when the app has one, else straight to the redirect URI. */
function approve(state: EmulatorState, res: ServerResponse, url: URL, consent: Consent, now: number): void {
  const registration = state.options.apps.find((app) => app.clientId === consent.clientId);
  const loginUri = registration?.loginUri;
  if (loginUri === undefined) return redirectWithCode(state, res, consent, now);
  const amazonState = state.authorizations.openTicket(consent, TICKET_LIFETIME_SECONDS, now);
  redirect(res, withQuery(loginUri, {
    amazon_callback_uri: `${url.origin}${CONSENT_CALLBACK_PATH}`,
    amazon_state: amazonState,
    selling_partner_id: consent.sellingPartnerId,
    ...(consent.beta ? { version: 'beta' } : {}),
  }));
}

/** The Log-in URI signed the user in and sent the browser back with amazon_state (spapi-facts §4.1 step 3). */
function finishLogin(state: EmulatorState, res: ServerResponse, url: URL, now: number): void {
  const query = url.searchParams;
  const consent = state.authorizations.takeTicket(query.get('amazon_state') ?? '', now) as Consent | undefined;
  if (!consent) return errorPage(res, 'ConsentExpired', 'The amazon_state is unknown, expired or was already used. Start again from the application.');
  const registration = state.options.apps.find((app) => app.clientId === consent.clientId);
  if (!registration) return errorPage(res, 'MD1000', 'The application is no longer registered.');
  const app = resolveApp(registration);
  if (app.draft && query.get('version') !== 'beta') return errorPage(res, 'MD1000', `${app.name} is in Draft: the Log-in URI must send version=beta back too.`);
  const given = query.get('redirect_uri');
  const redirectUri = given === null || given === '' ? { ok: true as const, value: consent.redirectUri } : chooseRedirectUri(app, given);
  if (!redirectUri.ok) return errorPage(res, redirectUri.code, redirectUri.message);
  const stateValue = query.get('state') || consent.state;
  redirectWithCode(state, res, { ...consent, redirectUri: redirectUri.value, state: stateValue }, now);
}

function redirectWithCode(state: EmulatorState, res: ServerResponse, consent: Consent, now: number): void {
  const code = state.authorizations.issueCode(
    { clientId: consent.clientId, sellingPartnerId: consent.sellingPartnerId, redirectUri: consent.redirectUri },
    state.options.codeLifetimeSeconds,
    now,
  );
  redirect(res, withQuery(consent.redirectUri, { state: consent.state, selling_partner_id: consent.sellingPartnerId, spapi_oauth_code: code }));
}

function md1000(message: string): Checked<never> {
  return { ok: false, code: 'MD1000', message };
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return url.toString();
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { ...PAGE_HEADERS, location, 'content-length': '0' });
  res.end();
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  errorPage(res, 'MethodNotAllowed', `Use ${allow}.`, 405);
}

function errorPage(res: ServerResponse, code: string, message: string, status = 400): void {
  sendHtml(res, status, page('Authorization error', `
<h1>We could not authorize this application</h1>
<p class="error" data-error-code="${escapeHtml(code)}"><strong>Error ${escapeHtml(code)}</strong>: ${escapeHtml(message)}</p>
<p class="note">Error codes follow Seller Central's (MD1000, MD5101); the emulator adds MissingState and ConsentExpired.</p>`));
}

function consentPage(app: ResolvedApp, consent: Consent, ticket: string): string {
  const destination = new URL(consent.redirectUri);
  return page(`Authorize ${app.name}`, `
<h1>Authorize <span id="app-name">${escapeHtml(app.name)}</span>?</h1>
<dl>
  <dt>Application</dt><dd>${escapeHtml(app.name)} <code id="application-id">${escapeHtml(app.applicationId ?? '')}</code>${app.draft ? ' <span class="draft">Draft (version=beta)</span>' : ''}</dd>
  <dt>Selling partner</dt><dd><code id="selling-partner-id">${escapeHtml(consent.sellingPartnerId)}</code></dd>
  <dt>Afterwards you go to</dt><dd><code id="redirect-origin">${escapeHtml(destination.origin)}</code></dd>
</dl>
<p>The application will be able to call the Selling Partner API on behalf of this selling partner until the authorization is revoked.</p>
<form method="post" action="${CONSENT_PATH}">
  <input type="hidden" name="consent" value="${escapeHtml(ticket)}">
  <button type="submit" id="authorize" name="action" value="authorize">Authorize</button>
</form>`);
}

function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} – spapi emulator</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f3f3f3; color: #111; }
  header { background: #232f3e; color: #fff; padding: .75rem 1.5rem; }
  main { max-width: 40rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; }
  dt { font-weight: 600; } dd { margin: 0 0 .75rem; }
  button { font: inherit; padding: .5rem 1.5rem; background: #ffd814; border: 1px solid #fcd200; border-radius: 8px; cursor: pointer; }
  .error { color: #b12704; } .draft { color: #c45500; } .note { color: #555; font-size: .875rem; }
</style>
</head>
<body>
<header>Seller Central — <strong>spapi emulator</strong> (local test server, not Amazon)</header>
<main>${main}
</main>
</body>
</html>
`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'text/html;charset=UTF-8', 'content-length': String(Buffer.byteLength(html)) });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
