/**
 * Login with Amazon: exchanges a seller's refresh token for an access token and keeps it until
 * shortly before it expires (expires_in, normally 3600 s), so SP-API calls do not fetch a new
 * token each time. Tokens are opaque strings: nothing here decodes them.
 */
import { logger } from './logger.js';

const TOKEN_URL = 'https://api.amazon.com/auth/o2/token';
/** Refresh a minute early so a token never expires in flight. */
const SAFETY_MARGIN_MS = 60_000;

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** The seller revoked the authorization or it lapsed (365 days): they must authorize the app again. */
export class ReauthorizationRequired extends Error {
  constructor(readonly sellingPartnerId: string) {
    super(`the authorization of selling partner ${sellingPartnerId} is no longer valid: ask the seller to authorize the app again`);
    this.name = 'ReauthorizationRequired';
  }
}

/** Reads the LWA app credentials from the environment (filled from the secret store at deploy time). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): LwaCredentials {
  const clientId = env['LWA_CLIENT_ID'];
  const clientSecret = env['LWA_CLIENT_SECRET'];
  if (!clientId || !clientSecret) throw new Error('LWA_CLIENT_ID and LWA_CLIENT_SECRET must be set');
  return { clientId, clientSecret };
}

export class LwaTokenCache {
  readonly #cache = new Map<string, CachedToken>();

  constructor(private readonly credentials: LwaCredentials, private readonly now: () => number = Date.now) {}

  /** An access token for the seller's refresh token, from the cache while it is still valid. */
  async accessToken(sellingPartnerId: string, refreshToken: string): Promise<string> {
    const key = `${sellingPartnerId}:${refreshToken.slice(-8)}`;
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAt - SAFETY_MARGIN_MS > this.now()) return cached.value;

    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
    });
    const response = await fetch(TOKEN_URL, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const payload = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
    if (!response.ok || !payload.access_token) {
      if (payload.error === 'invalid_grant') {
        this.#cache.delete(key);
        throw new ReauthorizationRequired(sellingPartnerId);
      }
      logger.error({ status: response.status, lwaError: payload.error, sellingPartnerId }, 'LWA token exchange failed');
      throw new Error(`LWA token exchange failed with HTTP ${response.status}`);
    }
    const expiresIn = payload.expires_in ?? 3600;
    this.#cache.set(key, { value: payload.access_token, expiresAt: this.now() + expiresIn * 1000 });
    logger.debug({ sellingPartnerId, expiresIn }, 'LWA access token refreshed');
    return payload.access_token;
  }
}
