/**
 * The website authorization workflow: the app sends the seller to Seller Central's consent page
 * with a random, single-use state bound to their session, and the callback refuses any answer
 * whose state is missing, unknown, reused or older than ten minutes (CSRF). The code for token
 * exchange happens here, on the server; the authorization code itself is never logged.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { logger } from './logger.js';

const APPLICATION_ID = 'amzn1.sp.solution.3f2b6c1e-8d4a-4b7e-9c15-2a7e0d9b4f61';
const REDIRECT_URI = 'https://app.example.com/amazon/callback';
const STATE_TTL_MS = 10 * 60_000;

/** Seller Central consent pages per region. */
const CONSENT_HOSTS = {
  NA: 'https://sellercentral.amazon.com',
  EU: 'https://sellercentral-europe.amazon.com',
} as const;

interface PendingState {
  sessionId: string;
  createdAt: number;
}

/** Pending states by value; a state is deleted the moment it is used. */
const pending = new Map<string, PendingState>();

/** The consent URL for one browser session. */
export function consentUrl(sessionId: string, region: keyof typeof CONSENT_HOSTS, now = Date.now()): string {
  const state = randomUUID();
  pending.set(state, { sessionId, createdAt: now });
  const url = new URL('/apps/authorize/consent', CONSENT_HOSTS[region]);
  url.searchParams.set('application_id', APPLICATION_ID);
  url.searchParams.set('redirect_uri', REDIRECT_URI);
  url.searchParams.set('state', state);
  return url.toString();
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface CallbackResult {
  sellingPartnerId: string;
  code: string;
}

/** The redirect URI handler: validates the returned state before anything else. */
export function handleCallback(sessionId: string, query: URLSearchParams, now = Date.now()): CallbackResult {
  const returned = query.get('state') ?? '';
  const stored = pending.get(returned);
  pending.delete(returned);
  if (!stored || !sameText(stored.sessionId, sessionId) || now - stored.createdAt > STATE_TTL_MS) {
    logger.warn({ sessionId }, 'OAuth callback rejected: unknown, reused or expired state');
    throw new Error('invalid OAuth state');
  }
  const code = query.get('spapi_oauth_code');
  const sellingPartnerId = query.get('selling_partner_id');
  if (!code || !sellingPartnerId) throw new Error('the callback carries no authorization code');
  logger.info({ sellingPartnerId }, 'seller authorized the app');
  return { sellingPartnerId, code };
}
