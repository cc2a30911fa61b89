import type { AccessTokens } from './access-tokens.js';
import { Authorizations } from './apps.js';
import type { AppRegistration } from './apps.js';

/** The token endpoint path, as on api.amazon.com. */
export const LWA_TOKEN_PATH = '/auth/o2/token';

/** Scopes a client_credentials (grantless) grant may ask for (spapi-facts §3.1). */
export const GRANTLESS_SCOPES = ['sellingpartnerapi::notifications', 'sellingpartnerapi::client_credential:rotation'] as const;

export interface LwaReply {
  status: number;
  body: Record<string, unknown>;
}

export interface LwaContext {
  form: URLSearchParams;
  app: AppRegistration;
  tokens: AccessTokens;
  lifetimeSeconds: number;
  now: number;
  /** Codes from the consent page and the refresh tokens they were exchanged for. */
  authorizations: Authorizations;
}

type Grant = (ctx: LwaContext) => LwaReply;

// LWA's own error strings, so clients that show error_description show something familiar.
function lwaError(status: number, error: string, description: string): LwaReply {
  return { status, body: { error, error_description: description } };
}

const missing = (name: string): LwaReply => lwaError(400, 'invalid_request', `The request is missing a required parameter : ${name}`);

const refreshTokenGrant: Grant = ({ form, app, tokens, lifetimeSeconds, now, authorizations }) => {
  // SP-API docs: never send scope with a refresh_token grant.
  if (form.has('scope')) return lwaError(400, 'invalid_request', 'The request has an unexpected parameter : scope');
  const refreshToken = form.get('refresh_token');
  if (!refreshToken) return missing('refresh_token');
  const registered = app.refreshTokens.find((t) => t.token === refreshToken);
  const sellingPartnerId = registered?.sellingPartnerId ?? authorizations.sellerOf(refreshToken, app.clientId);
  if (!sellingPartnerId) return lwaError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
  const accessToken = tokens.issue('Atza|', {
    kind: 'seller',
    clientId: app.clientId,
    sellingPartnerId,
    expiresAt: now + lifetimeSeconds * 1000,
    ...(registered?.roles ? { roles: registered.roles } : {}),
    ...(registered?.region ? { region: registered.region } : {}),
  });
  return { status: 200, body: { access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer', expires_in: lifetimeSeconds } };
};

const clientCredentialsGrant: Grant = ({ form, app, tokens, lifetimeSeconds, now }) => {
  if (form.has('refresh_token')) return lwaError(400, 'invalid_request', 'The request has an unexpected parameter : refresh_token');
  const scope = form.get('scope');
  if (!scope?.trim()) return missing('scope');
  // OAuth 2.0 (RFC 6749 §3.3): scopes are space-separated; one token may hold several, and one
  // unknown scope spoils the request.
  const scopes = [...new Set(scope.trim().split(/ +/))];
  if (!scopes.every((s) => (GRANTLESS_SCOPES as readonly string[]).includes(s))) return lwaError(400, 'invalid_scope', 'The request has an invalid parameter : scope');
  const accessToken = tokens.issue('Atza|', { kind: 'grantless', clientId: app.clientId, scopes, expiresAt: now + lifetimeSeconds * 1000 });
  return { status: 200, body: { access_token: accessToken, scope: scopes.join(' '), token_type: 'bearer', expires_in: lifetimeSeconds } };
};

/**
 * The end of the website authorization workflow (spapi-facts §3.1, §4.1): a spapi_oauth_code from
 * the consent page, issued to this app, not expired, not used, and the redirect_uri it was sent to.
 * Answers a new refresh token for the seller (see Authorizations for the rules).
 */
const authorizationCodeGrant: Grant = ({ form, app, tokens, lifetimeSeconds, now, authorizations }) => {
  for (const unexpected of ['scope', 'refresh_token']) {
    if (form.has(unexpected)) return lwaError(400, 'invalid_request', `The request has an unexpected parameter : ${unexpected}`);
  }
  const code = form.get('code');
  if (!code) return missing('code');
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return missing('redirect_uri');
  const redeemed = authorizations.redeemCode(code, app.clientId, redirectUri, now);
  if (!redeemed.ok) return lwaError(400, 'invalid_grant', `The request has an invalid grant parameter : ${redeemed.parameter}`);
  const accessToken = tokens.issue('Atza|', { kind: 'seller', clientId: app.clientId, sellingPartnerId: redeemed.sellingPartnerId, expiresAt: now + lifetimeSeconds * 1000 });
  return { status: 200, body: { access_token: accessToken, refresh_token: redeemed.refreshToken, token_type: 'bearer', expires_in: lifetimeSeconds } };
};

/** Grant types the emulator's LWA accepts. */
const GRANTS: Readonly<Record<string, Grant>> = {
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
};

/**
 * Answers `POST /auth/o2/token` the way LWA does: 200 with a bearer token, or `{error,
 * error_description}` with 400 (401 for invalid_client). `form` holds the request's fields, whether
 * they came form-encoded (what SP-API documents) or as JSON.
 */
export function lwaToken(
  form: URLSearchParams,
  apps: readonly AppRegistration[],
  tokens: AccessTokens,
  lifetimeSeconds: number,
  now: number,
  authorizations: Authorizations = new Authorizations(),
): LwaReply {
  const grantType = form.get('grant_type');
  if (!grantType) return missing('grant_type');
  const grant = GRANTS[grantType];
  if (!grant) return lwaError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');
  const clientId = form.get('client_id');
  if (!clientId) return missing('client_id');
  const clientSecret = form.get('client_secret');
  if (!clientSecret) return missing('client_secret');
  const app = apps.find((a) => a.clientId === clientId);
  if (!app || app.clientSecret !== clientSecret) return lwaError(401, 'invalid_client', 'Client authentication failed');
  return grant({ form, app, tokens, lifetimeSeconds, now, authorizations });
}

/** Reads the token request body: form-encoded, or a flat JSON object (which LWA also accepts). */
export function parseTokenRequest(contentType: string | undefined, body: Buffer): URLSearchParams | undefined {
  const text = body.toString('utf8');
  if (contentType?.toLowerCase().includes('application/json')) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      const form = new URLSearchParams();
      for (const [key, field] of Object.entries(value)) if (typeof field === 'string') form.set(key, field);
      return form;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(text);
}
