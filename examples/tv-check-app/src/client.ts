/**
 * A minimal SP-API client: picks the regional endpoint the seller authorized in, sends the access
 * token (or a Restricted Data Token) in x-amz-access-token, retries throttled calls (HTTP 429) and
 * 503s with exponential back-off and jitter, and logs x-amzn-RequestId with every error so
 * Amazon support can trace the call. Bodies are never logged: they may hold buyer PII.
 */
import { logger } from './logger.js';
import type { LwaTokenCache } from './lwa.js';

export type Region = 'NA' | 'EU';

/** One endpoint per region; the seller's region comes from where they authorized the app. */
export const ENDPOINTS: Record<Region, string> = {
  NA: 'https://sellingpartnerapi-na.amazon.com',
  EU: 'https://sellingpartnerapi-eu.amazon.com',
};

export interface Seller {
  sellingPartnerId: string;
  region: Region;
  /** Loaded from the secret store, never from the code. */
  refreshToken: string;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string>;
  body?: unknown;
  /** A Restricted Data Token to send instead of the LWA access token (restricted operations). */
  restrictedDataToken?: string;
}

export class SpApiError extends Error {
  constructor(readonly status: number, readonly requestId: string | null, readonly path: string) {
    super(`SP-API ${path} answered HTTP ${status} (x-amzn-RequestId ${requestId ?? 'none'})`);
    this.name = 'SpApiError';
  }
}

const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Exponential back-off with full jitter, capped. */
function backoffDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt) * Math.random();
}

export class SpApiClient {
  constructor(private readonly tokens: LwaTokenCache) {}

  async request<T>(seller: Seller, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(path, ENDPOINTS[seller.region]);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    for (let attempt = 0; ; attempt += 1) {
      const token = options.restrictedDataToken ?? (await this.tokens.accessToken(seller.sellingPartnerId, seller.refreshToken));
      const response = await fetch(url, {
        method: options.method ?? 'GET',
        headers: { 'x-amz-access-token': token, 'content-type': 'application/json', 'user-agent': 'tv-check-example-app/1.0 (Language=TypeScript)' },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const requestId = response.headers.get('x-amzn-RequestId');
      if (response.ok) return (await response.json()) as T;
      const retryable = response.status === 429 || response.status === 503;
      if (retryable && attempt + 1 < MAX_ATTEMPTS) {
        const delay = backoffDelay(attempt);
        logger.warn({ path, status: response.status, requestId, rateLimit: response.headers.get('x-amzn-RateLimit-Limit'), attempt, delay }, 'SP-API throttled: retrying with back-off');
        await sleep(delay);
        continue;
      }
      logger.error({ path, status: response.status, requestId, sellingPartnerId: seller.sellingPartnerId }, 'SP-API call failed');
      throw new SpApiError(response.status, requestId, path);
    }
  }
}
