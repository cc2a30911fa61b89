import type { Dispatcher } from 'undici';
import { lwaErrorHint } from '../error-hints.js';
import { AuthError, NetworkError } from '../errors.js';
import { sleep } from '../sleep.js';
import { createAgent, undiciRequest } from '../http/transport.js';
import type { TokenCache } from './token-cache.js';

/** Amazon's one LWA token endpoint for every SP-API region (spapi-facts §3.1). */
export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

/** Renew this long before expiry, so a token never dies between the check and the call. */
const EXPIRY_SKEW_MS = 60_000;

export interface LwaClientOptions {
  tokenUrl?: string;
  dispatcher?: Dispatcher;
  cache?: TokenCache;
  userAgent?: string;
  now?: () => number;
  /** Told each time a token is requested from LWA (tests count them; SPAPI_DEBUG logs them). */
  onRequest?: (grantType: string) => void;
  /** The profile these tokens are for: error hints name it (`spapi auth login --profile …`). */
  profile?: string | undefined;
  /** Told when a token request ends, for the request log's `lwa.token` line: never the form or the answer. */
  onAnswer?: (answer: LwaAnswer) => void;
}

export interface LwaAnswer {
  grantType: string;
  /** Epoch ms when the request started. */
  startedAt: number;
  durationMs: number;
  attempts: number;
  /** LWA's last HTTP status; absent when it could not be reached. */
  status?: number;
  /** The error kind when no token came back. */
  error?: string;
}

/** One HTTP answer of the token endpoint, as `spapi doctor` reads it: its status and Date header. */
export interface LwaResponseSeen {
  status: number;
  /** The server's Date header (RFC 9110 IMF-fixdate, one-second resolution). */
  date?: string;
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  token_type?: string;
  expires_in: number;
}

/** Login with Amazon: refresh_token, client_credentials and authorization_code grants. */
export class LwaClient {
  readonly #options: LwaClientOptions;
  readonly #inflight = new Map<string, Promise<string>>();
  readonly #held = new Map<string, { accessToken: string; expiresAt: number }>();
  #dispatcher: Dispatcher | undefined;

  constructor(options: LwaClientOptions = {}) {
    this.#options = options;
  }

  get tokenUrl(): string {
    return this.#options.tokenUrl ?? LWA_TOKEN_URL;
  }

  /** The seller's access token, from the cache while it has more than a minute left. */
  accessToken(clientId: string, clientSecret: string, refreshToken: string): Promise<string> {
    // The token URL is part of the identity: the same app against the emulator and Amazon gets two entries.
    return this.#cached({ clientId, clientSecret, grant: `${this.tokenUrl}\0${refreshToken}` }, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: clientSecret,
    });
  }

  /**
   * One refresh_token grant with exactly these credentials, past every cache and stored nowhere:
   * `auth status` proves the stored secrets still work, not that an old token is still cached.
   */
  async checkRefresh(clientId: string, clientSecret: string, refreshToken: string, options: { onResponse?: (response: LwaResponseSeen) => void } = {}): Promise<void> {
    await this.#post({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret }, options.onResponse);
  }

  /** Overwrites the cached access token of a refresh token with an expired, empty one (logout). */
  forgetAccessToken(clientId: string, clientSecret: string, refreshToken: string): void {
    const identity = { clientId, clientSecret, grant: `${this.tokenUrl}\0${refreshToken}` };
    this.#held.delete(`${identity.clientId}\0${identity.clientSecret}\0${identity.grant}`);
    if (this.#options.cache?.get(identity)) this.#options.cache.set(identity, { accessToken: '', expiresAt: 0 });
  }

  /** A grantless token for one scope (sellingpartnerapi::notifications, ...::client_credential:rotation). */
  grantlessToken(clientId: string, clientSecret: string, scope: string): Promise<string> {
    return this.#cached({ clientId, clientSecret, grant: `${this.tokenUrl}\0scope:${scope}` }, {
      grant_type: 'client_credentials',
      scope,
      client_id: clientId,
      client_secret: clientSecret,
    });
  }

  /** Exchanges a spapi_oauth_code (valid five minutes) for tokens; redirect_uri must be the one used for consent. */
  exchangeCode(clientId: string, clientSecret: string, code: string, redirectUri: string): Promise<TokenResponse> {
    return this.#post({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret });
  }

  #cached(identity: { clientId: string; clientSecret: string; grant: string }, form: Record<string, string>): Promise<string> {
    const now = (this.#options.now ?? Date.now)();
    // Every SP-API request asks for its token twice (before its rate-limit slot and when sent):
    // the process keeps the token it last saw, so the cache file is read once, not per request.
    const slot = `${identity.clientId}\0${identity.clientSecret}\0${identity.grant}`;
    const held = this.#held.get(slot) ?? this.#options.cache?.get(identity);
    if (held && held.expiresAt - EXPIRY_SKEW_MS > now) {
      this.#held.set(slot, held);
      return Promise.resolve(held.accessToken);
    }
    // Concurrent callers in one process share one LWA request.
    const pending = this.#inflight.get(slot);
    if (pending) return pending;
    const promise = this.#post(form)
      .then((token) => {
        const fresh = { accessToken: token.access_token, expiresAt: now + token.expires_in * 1000 };
        this.#held.set(slot, fresh);
        this.#options.cache?.set(identity, fresh);
        return token.access_token;
      })
      .finally(() => this.#inflight.delete(slot));
    this.#inflight.set(slot, promise);
    return promise;
  }

  async #post(form: Record<string, string>, onResponse?: (response: LwaResponseSeen) => void): Promise<TokenResponse> {
    const grantType = form['grant_type'] ?? '';
    this.#options.onRequest?.(grantType);
    const onAnswer = this.#options.onAnswer;
    if (!onAnswer) return this.#exchange(form, {}, onResponse);
    const seen: { attempts?: number; status?: number } = {};
    const startedAt = Date.now();
    const started = performance.now();
    const report = (error?: unknown) => onAnswer({
      grantType,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      attempts: seen.attempts ?? 1,
      ...(seen.status === undefined ? {} : { status: seen.status }),
      ...(error === undefined ? {} : { error: typeof (error as { kind?: unknown }).kind === 'string' ? (error as { kind: string }).kind : 'internal' }),
    });
    try {
      const answer = await this.#exchange(form, seen, onResponse);
      report();
      return answer;
    } catch (error) {
      report(error);
      throw error;
    }
  }

  async #exchange(form: Record<string, string>, seen: { attempts?: number; status?: number }, onResponse?: (response: LwaResponseSeen) => void): Promise<TokenResponse> {
    const body = new URLSearchParams(form).toString();
    for (let attempt = 1; ; attempt++) {
      seen.attempts = attempt;
      let status: number;
      let text: string;
      try {
        this.#dispatcher ??= this.#options.dispatcher ?? createAgent();
        const res = await undiciRequest(this.#dispatcher, new URL(this.tokenUrl), {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
            ...(this.#options.userAgent ? { 'user-agent': this.#options.userAgent } : {}),
          },
          body,
        });
        status = res.statusCode;
        seen.status = status;
        const date = res.headers['date'];
        onResponse?.({ status, ...(typeof date === 'string' ? { date } : {}) });
        text = await res.body.text();
      } catch (error) {
        if (attempt < 3) {
          await sleep(250 * 2 ** attempt);
          continue;
        }
        throw new NetworkError(`Login with Amazon (${new URL(this.tokenUrl).host}) could not be reached: ${(error as Error).message}`, {
          hint: 'check the network, or SPAPI_LWA_ENDPOINT if you set it',
          cause: error,
        });
      }
      if ((status >= 500 || status === 429) && attempt < 3) {
        await sleep(500 * 2 ** attempt);
        continue;
      }
      return parseTokenAnswer(status, text, form['grant_type'], this.#options.profile);
    }
  }
}

function parseTokenAnswer(status: number, text: string, grantType: string | undefined, profile: string | undefined): TokenResponse {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // LWA answers JSON; anything else is reported by status below.
  }
  if (status === 200 && typeof parsed['access_token'] === 'string') {
    return {
      access_token: parsed['access_token'],
      expires_in: typeof parsed['expires_in'] === 'number' ? parsed['expires_in'] : 3600,
      ...(typeof parsed['refresh_token'] === 'string' ? { refresh_token: parsed['refresh_token'] } : {}),
      ...(typeof parsed['token_type'] === 'string' ? { token_type: parsed['token_type'] } : {}),
    };
  }
  const code = typeof parsed['error'] === 'string' ? parsed['error'] : `HTTP ${status}`;
  // LWA's descriptions never contain the secrets sent, but keep only a short, single line of them.
  const description = typeof parsed['error_description'] === 'string' ? parsed['error_description'].split('\n')[0]?.slice(0, 200) : '';
  const message = `Login with Amazon refused the token request: ${code}${description ? ` (${description})` : ''}`;
  if (status >= 500) throw new NetworkError(message, { hint: 'Login with Amazon is failing; try again in a minute' });
  throw new AuthError(message, {
    hint: lwaErrorHint(code, { grantType, profile }),
    lwaCode: code,
    ...(description ? { lwaDescription: description } : {}),
  });
}
