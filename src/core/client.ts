import type { Agent } from 'undici';
import type { Credentials } from './auth/credentials.js';
import type { LwaClient } from './auth/lwa.js';
import { RdtCache, type RestrictedResource } from './auth/rdt.js';
import { qualifiedName } from './catalog/lookup.js';
import type { OperationSpec } from './catalog/types.js';
import { apiErrorHint, type HintContext } from './error-hints.js';
import { AuthError, ApiError, type ApiErrorEntry } from './errors.js';
import { authHeader } from './http/auth-header.js';
import { debugTrace } from './http/debug-trace.js';
import { rateLimit } from './http/rate-limit.js';
import { createRateLimiter } from './ratelimit/redis-limiter.js';
import { requestLog, type RequestLogSink } from './http/request-log.js';
import { isIdempotent, retry, type RetryEvent } from './http/retry.js';
import { createAgent, transport } from './http/transport.js';
import { readText, requestIdOf, type HttpRequest, type HttpResponse, type Send } from './http/types.js';
import { sellingPartnerId } from './ratelimit/index.js';
import type { BucketKey, RateLimiter, UsagePlan } from './ratelimit/types.js';
import { operationUrl, type RegionCode } from './regions.js';

/** A request ready to send, as catalog/build-request produces it. */
export interface PreparedRequest {
  method: string;
  /** Encoded path with its query string. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ClientOptions {
  /** SP-API base URL: the region's host, its sandbox, or SPAPI_ENDPOINT. */
  baseUrl: string;
  region: RegionCode;
  /** Amazon meters its sandbox apart from production; the buckets must be apart too. */
  sandbox?: boolean;
  /** Resolved lazily: `--dry-run` and validation errors never touch the secret store. */
  credentials: () => Promise<Credentials>;
  lwa: LwaClient;
  /** The token buckets. Without one the client makes its own over `rateLimitStore`. */
  limiter?: RateLimiter;
  /**
   * Where the client's own buckets live when no `limiter` is given: a redis:// or rediss:// URL
   * shares them with every machine using that server (as SPAPI_RATELIMIT_STORE does for the CLI);
   * without it, this process's memory. `rateLimitDir` keeps them in files instead (shared by this
   * machine's processes; with Redis, where they live while it is unreachable).
   */
  rateLimitStore?: string;
  rateLimitDir?: string;
  /** Told once per Redis outage (the client prints nothing itself). */
  onRateLimitWarning?: (message: string) => void;
  userAgent: string;
  /** The Tokens API operation, for restricted calls. */
  rdtOperation?: OperationSpec;
  agent?: Agent;
  maxAttempts?: number;
  maxWaitMs?: number;
  onWait?: (operationName: string, waitMs: number, plan: UsagePlan) => void;
  onRetry?: (event: RetryEvent) => void;
  debug?: (line: string) => void;
  /** The profile the calls run as: error hints name it (`spapi auth login --profile …`). */
  profile?: string | undefined;
  /** The request log (SPAPI_LOG_FILE): one record per SP-API request, never a token, body or query value. */
  requestLog?: { sink: RequestLogSink; profile?: string | undefined };
}

export interface CallOptions {
  operationName: string;
  /**
   * Ask for a Restricted Data Token carrying these elements (or for any restricted call when []).
   * `generic`: ask for it on the operation's path template (`/orders/v0/orders/{orderId}/orderItems`),
   * which Amazon accepts for every order, so a batch needs one RDT, not one per call.
   */
  rdt?: { dataElements: string[]; generic?: boolean } | undefined;
  signal?: AbortSignal | undefined;
}

/** A finished, successful call with its body read. */
export interface ApiResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  requestId: string | undefined;
  attempts: number;
}

/** Turns an SP-API error body into entries; Amazon's shape is {"errors":[{code,message,details}]}. */
export function parseErrors(text: string): ApiErrorEntry[] {
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(parsed.errors)) {
      return parsed.errors
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
        .map((e) => ({
          code: String(e['code'] ?? 'Error'),
          message: String(e['message'] ?? ''),
          ...(typeof e['details'] === 'string' && e['details'] ? { details: e['details'] } : {}),
        }));
    }
  } catch {
    // not JSON: the status line speaks for it
  }
  return [];
}

/**
 * The typed error for an HTTP error answer, with the hint core/error-hints.ts gives its code. What
 * the caller knows of the request (the qualified operation, its parameters and roles, the method,
 * the attempts, the profile and region) lets the hint name the command or flag to reach for.
 */
export interface FailedRequest extends Omit<HintContext, 'idempotent'> {}

export function apiError(status: number, headers: Record<string, string>, text: string, request: FailedRequest = {}): ApiError {
  const errors = parseErrors(text);
  const context: HintContext = { ...request, ...(request.method ? { idempotent: isIdempotent(request.method) } : {}) };
  return new ApiError(status, text, requestIdOf(headers), errors, apiErrorHint(status, errors, context));
}

/**
 * The SP-API engine: one chain built here and nowhere else —
 * retry → rate limit → token injection (SP-API origin only) → trace → undici keep-alive agent.
 */
/**
 * A template path may stand for every resource (spapi-facts §5.4), except getReportDocument's: its
 * RDT must name the one document. A path without placeholders is specific anyway.
 */
function genericRdtAllowed(spec: OperationSpec): boolean {
  return spec.path.includes('{') && spec.operationId !== 'getReportDocument';
}

export class SpapiClient {
  readonly #options: ClientOptions;
  readonly #agent: Agent;
  readonly #origin: string;
  readonly #send: Send;
  readonly #rdt: RdtCache;
  #credentials: Promise<Credentials> | undefined;

  readonly #limiter: RateLimiter;
  /** The limiter the client made itself, closed with it. */
  readonly #ownLimiter: ReturnType<typeof createRateLimiter> | undefined;

  constructor(options: ClientOptions) {
    this.#options = options;
    if (options.limiter) {
      this.#limiter = options.limiter;
    } else {
      const own = createRateLimiter({ store: options.rateLimitStore, dir: options.rateLimitDir, onWarning: options.onRateLimitWarning });
      this.#limiter = own;
      this.#ownLimiter = own;
    }
    const limiter = this.#limiter;
    this.#agent = options.agent ?? createAgent();
    this.#origin = new URL(options.baseUrl).origin;
    const isApiOrigin = (url: URL): boolean => url.origin === this.#origin;
    let send = transport(this.#agent);
    if (options.debug) send = debugTrace(options.debug, isApiOrigin)(send);
    // One token lookup per attempt, shared by the rate-limit step (which resolves it before taking
    // a slot) and the auth step (which injects it): the same request object flows through both.
    const tokens = new WeakMap<HttpRequest, Promise<string>>();
    const tokenFor = (r: HttpRequest): Promise<string> => {
      let token = tokens.get(r);
      if (!token) {
        token = this.#tokenFor(r);
        tokens.set(r, token);
      }
      return token;
    };
    send = authHeader({ isApiOrigin, tokenFor, userAgent: options.userAgent })(send);
    const log = options.requestLog ? requestLog({ ...options.requestLog, isApiOrigin }) : undefined;
    send = rateLimit({
      limiter: log ? log.wrapLimiter(limiter) : limiter,
      keyFor: (r) => this.#bucketKey(r),
      beforeAcquire: async (r) => {
        if (isApiOrigin(r.url) && r.context.auth !== 'none') await tokenFor(r);
      },
      ...(options.onWait ? { onWait: options.onWait } : {}),
    })(send);
    send = retry({
      maxAttempts: options.maxAttempts ?? 5,
      ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
      onThrottled: async (r) => {
        const key = await this.#bucketKey(r);
        if (key) await limiter.drain(key);
      },
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    })(send);
    if (log) send = log.middleware(send);
    this.#send = send;
    this.#rdt = new RdtCache((resource) => this.#createRdt(resource));
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  credentials(): Promise<Credentials> {
    this.#credentials ??= this.#options.credentials();
    return this.#credentials;
  }

  /** Sends a prepared request and hands back the response stream, whatever its status. */
  send(spec: OperationSpec, prepared: PreparedRequest, options: CallOptions): Promise<HttpResponse> {
    const auth = spec.grantlessScope ? 'grantless' : options.rdt ? 'rdt' : 'seller';
    return this.#send({
      method: prepared.method,
      url: operationUrl(this.#options.baseUrl, prepared.path),
      headers: prepared.headers,
      ...(prepared.body === undefined ? {} : { body: prepared.body }),
      context: {
        operation: spec,
        operationName: options.operationName,
        auth,
        apiPath: prepared.path.split('?')[0] ?? prepared.path,
        ...(options.rdt ? { dataElements: options.rdt.dataElements } : {}),
        ...(options.rdt?.generic && genericRdtAllowed(spec) ? { rdtPath: spec.path } : {}),
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Sends and reads the body; an HTTP error becomes an ApiError that keeps the body as Amazon sent it. */
  async call(spec: OperationSpec, prepared: PreparedRequest, options: CallOptions): Promise<ApiResult> {
    const response = await this.send(spec, prepared, options);
    const text = await readText(response.body);
    const requestId = requestIdOf(response.headers);
    if (response.status >= 400) throw this.errorFor(spec, prepared.method, response, text);
    return { status: response.status, headers: response.headers, text, requestId, attempts: response.attempts ?? 1 };
  }

  /**
   * The ApiError for an error answer to `spec`, its hint told what this client knows: the
   * operation's parameters and roles, the attempts, the profile, region and sandbox.
   */
  errorFor(spec: OperationSpec, method: string, response: Pick<HttpResponse, 'status' | 'headers' | 'attempts'>, text: string): ApiError {
    return apiError(response.status, response.headers, text, {
      operation: qualifiedName(spec),
      method,
      attempts: response.attempts,
      parameters: spec.params.map((p) => p.name),
      roles: spec.roles,
      restricted: spec.restricted,
      profile: this.#options.profile,
      region: this.#options.region,
      sandbox: this.#options.sandbox,
    });
  }

  /** Closes keep-alive connections so the process can exit at once. */
  async close(): Promise<void> {
    if (this.#ownLimiter && 'close' in this.#ownLimiter) this.#ownLimiter.close();
    if (!this.#options.agent) await this.#agent.close();
  }

  async #bucketKey(request: HttpRequest): Promise<BucketKey | undefined> {
    if (request.context.auth === 'none' || request.url.origin !== this.#origin) return undefined;
    const { clientId, refreshToken } = await this.credentials();
    const grantless = Boolean(request.context.operation?.grantlessScope);
    return {
      clientId,
      // Amazon meters per selling partner; a hash of the refresh token stands for it without revealing it.
      sellingPartner: grantless || !refreshToken ? 'grantless' : sellingPartnerId(refreshToken),
      region: this.#options.sandbox ? `${this.#options.region}-sandbox` : this.#options.region,
      operation: request.context.operationName ?? request.context.apiPath ?? request.url.pathname,
    };
  }

  async #tokenFor(request: HttpRequest): Promise<string> {
    const credentials = await this.credentials();
    const { clientId, clientSecret, refreshToken } = credentials;
    const op = request.context.operation;
    if (request.context.auth === 'grantless' && op?.grantlessScope) {
      return this.#options.lwa.grantlessToken(clientId, clientSecret, op.grantlessScope);
    }
    if (!refreshToken) {
      if (credentials.refreshTokenError) throw credentials.refreshTokenError;
      throw new AuthError(`${request.context.operationName ?? 'this operation'} needs a selling partner's refresh token`, {
        hint: 'run `spapi auth login`, or set SPAPI_REFRESH_TOKEN',
      });
    }
    if (request.context.auth === 'rdt') {
      return this.#rdt.get({
        method: request.method,
        path: request.context.rdtPath ?? request.context.apiPath ?? request.url.pathname,
        ...(request.context.dataElements?.length ? { dataElements: request.context.dataElements } : {}),
      });
    }
    return this.#options.lwa.accessToken(clientId, clientSecret, refreshToken);
  }

  async #createRdt(resource: RestrictedResource) {
    const spec = this.#options.rdtOperation;
    if (!spec) throw new AuthError('restricted data tokens need the Tokens API in the catalog');
    const result = await this.call(spec, {
      method: spec.method,
      path: spec.path,
      headers: {},
      body: JSON.stringify({ restrictedResources: [resource] }),
    }, { operationName: `${spec.model}.${spec.operationId}` });
    const parsed = JSON.parse(result.text) as { restrictedDataToken?: unknown; expiresIn?: unknown };
    if (typeof parsed.restrictedDataToken !== 'string') throw new AuthError('the Tokens API answered without a restrictedDataToken');
    return { token: parsed.restrictedDataToken, expiresIn: typeof parsed.expiresIn === 'number' ? parsed.expiresIn : 3600 };
  }
}

