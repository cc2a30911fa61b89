import { randomBytes } from 'node:crypto';
import type { RegionCode } from '../core/regions.js';

/*
 * The application side of the OAuth flow: application ids, the draft flag and registered redirect
 * URIs (spapi-facts §4). The emulator's Seller Central consults these on the consent page.
 */

/** A refresh token the emulator's LWA accepts, and the seller it stands for. */
export interface RegisteredRefreshToken {
  token: string;
  sellingPartnerId: string;
  /**
   * The roles the seller granted when it authorized; default: every role. An operation none of
   * these grants answers 403 Unauthorized, as when the app added a role after the seller
   * authorized (spapi-facts §3.2: the seller must authorize again).
   */
  roles?: string[];
  /**
   * The region the seller authorized in; default: every region. Its tokens then get 403
   * Unauthorized on the other regional hosts (an authorization is regional, spapi-facts §2.1).
   */
  region?: RegionCode;
}

/** An LWA application (client id + secret) and the sellers that authorized it. */
export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  refreshTokens: RegisteredRefreshToken[];
  /** SP-API application id for the consent page (`amzn1.sp.solution.…`); without one the app cannot be authorized by consent. */
  applicationId?: string;
  /** Shown on the consent page. Default 'spapi emulator app'. */
  name?: string;
  /** A Draft app needs `version=beta` on the consent URL (else MD1000). Default false (published). */
  draft?: boolean;
  /** Registered redirect URIs; default DEFAULT_REDIRECT_URIS (below, with the `:*` port rule). */
  redirectUris?: string[];
  /** Registered Log-in URI: when set, consent goes through it (amazon_callback_uri/amazon_state) first. */
  loginUri?: string;
  /**
   * Whether the app registered an SQS queue for "Application Client New Secret". Without one,
   * rotateApplicationClientSecret answers 400 InvalidInput as Amazon does. Default true.
   */
  rotationQueue?: boolean;
}

/** The default app's SP-API application id (Solution Provider Portal form). Obviously fake. */
export const DEFAULT_APPLICATION_ID = 'amzn1.sp.solution.5eed0000-e3a1-4000-8000-000000000001';

export const DEFAULT_APP_NAME = 'spapi emulator app';

/**
 * Redirect URIs an app registers unless it lists its own (`AppRegistration.redirectUris`). The first
 * one is the default when a consent URL has no redirect_uri.
 *
 * Amazon accepts only https redirect URIs (spapi-facts §4.2), hence the first two: a local https
 * page (hosts-file or local-certificate setups) and a relay page on a domain the developer controls
 * that forwards the query string to a local listener. The loopback entries exist only here, so auth
 * tests can finish the flow on an `http://127.0.0.1:<random port>/callback` listener.
 *
 * Matching (redirectUriMatches): exact string equality, except that an entry whose port is `*`
 * accepts any port (1-65535) in that place, with everything else still equal.
 */
export const DEFAULT_REDIRECT_URIS: readonly string[] = [
  'https://localhost:8443/spapi/callback',
  'https://spapi-relay.example.com/callback',
  'http://127.0.0.1:*/callback',
  'http://localhost:*/callback',
];

/** An app with every OAuth field filled in. */
export interface ResolvedApp {
  registration: AppRegistration;
  applicationId: string | undefined;
  name: string;
  draft: boolean;
  redirectUris: readonly string[];
  loginUri: string | undefined;
}

export function resolveApp(app: AppRegistration): ResolvedApp {
  return {
    registration: app,
    applicationId: app.applicationId,
    name: app.name ?? DEFAULT_APP_NAME,
    draft: app.draft ?? false,
    redirectUris: app.redirectUris ?? DEFAULT_REDIRECT_URIS,
    loginUri: app.loginUri,
  };
}

// `scheme://host:*` followed by the rest; the host may be a bracketed IPv6 literal.
const WILDCARD_PORT = /^([a-z][a-z0-9+.-]*:\/\/(?:\[[0-9a-f:.]+\]|[^/:?#[\]@]+)):\*([/?#].*)?$/i;

/** True when `uri` is registered in `registered`: equal, or equal but for the port of a `:*` entry. */
export function redirectUriMatches(registered: readonly string[], uri: string): boolean {
  return registered.some((entry) => {
    if (entry === uri) return true;
    const wildcard = WILDCARD_PORT.exec(entry);
    if (!wildcard) return false;
    const prefix = `${wildcard[1] ?? ''}:`;
    const suffix = wildcard[2] ?? '';
    if (!uri.startsWith(prefix) || !uri.endsWith(suffix)) return false;
    const port = uri.slice(prefix.length, uri.length - suffix.length);
    return /^[1-9]\d{0,4}$/.test(port) && Number(port) <= 65535;
  });
}

/** Problems with the OAuth fields of the configured apps; empty when they are usable. */
export function appProblems(apps: readonly AppRegistration[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  apps.forEach((app, index) => {
    const where = `apps[${index}]`;
    if (app.applicationId !== undefined) {
      if (ids.has(app.applicationId)) problems.push(`${where}.applicationId ${app.applicationId} is registered twice`);
      ids.add(app.applicationId);
      // The consent page tells these apart by prefix (MD1000 for a client id), so an app id must not look like one.
      if (app.applicationId.startsWith(LWA_CLIENT_ID_PREFIX)) problems.push(`${where}.applicationId looks like an LWA client id; use amzn1.sp.solution.… or amzn1.sellerapps.app.…`);
    }
    for (const uri of app.redirectUris ?? []) {
      if (!isAbsoluteUri(uri.replace(/:\*(?=[/?#]|$)/, ''))) problems.push(`${where}.redirectUris: ${uri} is not an absolute URI`);
      else if (uri.includes('*') && !WILDCARD_PORT.test(uri)) problems.push(`${where}.redirectUris: ${uri} may use * only as the whole port`);
    }
    for (const grant of app.refreshTokens) {
      if (grant.region !== undefined && !['na', 'eu', 'fe'].includes(grant.region)) problems.push(`${where}.refreshTokens: region ${String(grant.region)} is not na, eu or fe`);
    }
    if (app.loginUri !== undefined && !isAbsoluteUri(app.loginUri)) problems.push(`${where}.loginUri ${app.loginUri} is not an absolute URI`);
  });
  return problems;
}

/** LWA client ids start with this; SP-API application ids never do (spapi-facts §4.1). */
export const LWA_CLIENT_ID_PREFIX = 'amzn1.application-oa2-client.';

function isAbsoluteUri(text: string): boolean {
  try {
    return new URL(text).protocol !== '';
  } catch {
    return false;
  }
}

/** A spapi_oauth_code the consent page issued, until it is exchanged or expires. */
interface IssuedCode {
  clientId: string;
  sellingPartnerId: string;
  /** The redirect URI the code was sent to; the authorization_code grant must name the same one. */
  redirectUri: string;
  expiresAt: number;
}

export type CodeRedemption = { ok: true; sellingPartnerId: string; refreshToken: string } | { ok: false; parameter: 'code' | 'redirect_uri' };

/**
 * What sellers granted through the consent page: authorization codes and the refresh tokens they
 * were exchanged for, plus short-lived tickets that carry a consent from the page to its Authorize
 * button (and through the Log-in URI hop). One instance per emulator.
 *
 * Rules: a code lives `codeLifetimeSeconds` (default 300); only a successful exchange consumes it, so
 * a mismatched redirect_uri or another app's credentials leave it usable by its rightful owner until
 * it expires. Every successful exchange mints a NEW refresh token for (app, seller); earlier ones and
 * the app's registered refresh tokens keep working, as re-authorizing does on Amazon.
 */
export class Authorizations {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, { clientId: string; sellingPartnerId: string }>();
  private readonly tickets = new Map<string, { value: unknown; expiresAt: number }>();

  issueCode(grant: Omit<IssuedCode, 'expiresAt'>, lifetimeSeconds: number, now: number): string {
    this.sweep(now);
    const code = `AN${alphanumeric(18)}`;
    this.codes.set(code, { ...grant, expiresAt: now + lifetimeSeconds * 1000 });
    return code;
  }

  /** The authorization_code grant for `clientId` (already authenticated). */
  redeemCode(code: string, clientId: string, redirectUri: string, now: number): CodeRedemption {
    const issued = this.codes.get(code);
    if (!issued || issued.expiresAt <= now || issued.clientId !== clientId) return { ok: false, parameter: 'code' };
    if (issued.redirectUri !== redirectUri) return { ok: false, parameter: 'redirect_uri' };
    this.codes.delete(code);
    const refreshToken = `Atzr|${randomBytes(48).toString('base64url')}`;
    this.refreshTokens.set(refreshToken, { clientId, sellingPartnerId: issued.sellingPartnerId });
    return { ok: true, sellingPartnerId: issued.sellingPartnerId, refreshToken };
  }

  /** The seller a consent-issued refresh token stands for, when it belongs to `clientId`. */
  sellerOf(refreshToken: string, clientId: string): string | undefined {
    const grant = this.refreshTokens.get(refreshToken);
    return grant?.clientId === clientId ? grant.sellingPartnerId : undefined;
  }

  /** Stores `value` under a fresh unguessable id for `lifetimeSeconds`. */
  openTicket(value: unknown, lifetimeSeconds: number, now: number): string {
    this.sweep(now);
    const id = randomBytes(18).toString('base64url');
    this.tickets.set(id, { value, expiresAt: now + lifetimeSeconds * 1000 });
    return id;
  }

  /** The ticket's value, once: a ticket cannot be used twice. */
  takeTicket(id: string, now: number): unknown {
    const ticket = this.tickets.get(id);
    this.tickets.delete(id);
    return ticket && ticket.expiresAt > now ? ticket.value : undefined;
  }

  private sweep(now: number): void {
    for (const [code, issued] of this.codes) if (issued.expiresAt <= now) this.codes.delete(code);
    for (const [id, ticket] of this.tickets) if (ticket.expiresAt <= now) this.tickets.delete(id);
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alphanumeric(length: number): string {
  // 248 = 4 * 62: bytes at or above it are skipped, so every character is equally likely.
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && text.length < length) text += ALPHABET.charAt(byte % 62);
    }
  }
  return text;
}
