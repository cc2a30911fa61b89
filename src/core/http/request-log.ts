import { AsyncLocalStorage } from 'node:async_hooks';
import type { LwaAnswer } from '../auth/lwa.js';
import { SpapiError } from '../errors.js';
import type { RateLimiter } from '../ratelimit/types.js';
import type { Middleware } from './types.js';

/**
 * One line of the request log (SPAPI_LOG_FILE / --log-file): one per SP-API request, retries
 * folded into `attempts`, so a reviewer counts calls, not attempts, and still sees the throttling.
 *
 * `path` is the operation's path template (`/orders/v0/orders/{orderId}/address`), never the path
 * with its values: no per-parameter judgement of what is PII can then go wrong, and the request id
 * is what identifies the one call to Amazon. `query` lists the parameter names only. No header but
 * the request id and the rate-limit header, no body, no token.
 */
export interface RequestLogRecord {
  /** When the request started; the line is written when it ends. */
  time: string;
  profile?: string;
  operation: string;
  method: string;
  path: string;
  query?: string[];
  status?: number;
  /** The error kind when no answer came (network, throttled, auth, …). */
  error?: string;
  requestId?: string;
  durationMs: number;
  attempts: number;
  /** Time spent waiting for the rate limiter's slots, all attempts together. */
  waitedMs: number;
  /** x-amzn-RateLimit-Limit as Amazon sent it. */
  rateLimit?: string;
  /** Login with Amazon's grant type, on `lwa.token` lines (refresh_token, client_credentials, authorization_code). */
  grant?: string;
}

/** The `lwa.token` line for a Login with Amazon token request: its grant type and outcome, never the form or the answer. */
export function lwaTokenRecord(answer: LwaAnswer, tokenUrl: string, profile?: string): RequestLogRecord {
  return {
    time: new Date(answer.startedAt).toISOString(),
    ...(profile ? { profile } : {}),
    operation: 'lwa.token',
    method: 'POST',
    path: new URL(tokenUrl).pathname,
    grant: answer.grantType,
    ...(answer.status === undefined ? {} : { status: answer.status }),
    ...(answer.error ? { error: answer.error } : {}),
    durationMs: answer.durationMs,
    attempts: answer.attempts,
    waitedMs: 0,
  };
}

/** Where records go: the CLI hands in a file writer; a library user any function. It must not throw. */
export type RequestLogSink = (record: RequestLogRecord) => void | Promise<void>;

export interface RequestLogOptions {
  sink: RequestLogSink;
  profile?: string | undefined;
  /** Only SP-API requests are logged: presigned document URLs are S3's, and carry their signature. */
  isApiOrigin: (url: URL) => boolean;
  now?: () => number;
  clock?: () => Date;
}

interface Tally {
  waitedMs: number;
  acquires: number;
}

/**
 * The request-log step (outermost, around retry) and the limiter it measures the waits of. The
 * tally travels in AsyncLocalStorage because acquire() is not told which request it serves; a
 * nested request (the RDT a restricted call fetches first) opens a tally of its own.
 */
export function requestLog(options: RequestLogOptions): { middleware: Middleware; wrapLimiter: (limiter: RateLimiter) => RateLimiter } {
  const storage = new AsyncLocalStorage<Tally>();
  const now = options.now ?? (() => performance.now());
  const clock = options.clock ?? (() => new Date());

  const wrapLimiter = (limiter: RateLimiter): RateLimiter => ({
    acquire: async (key, seed, acquireOptions) => {
      const tally = storage.getStore();
      const started = now();
      try {
        await limiter.acquire(key, seed, acquireOptions);
      } finally {
        if (tally) {
          tally.waitedMs += now() - started;
          tally.acquires += 1;
        }
      }
    },
    observeRate: (key, rate) => limiter.observeRate(key, rate),
    drain: (key) => limiter.drain(key),
  });

  const middleware: Middleware = (next) => async (request) => {
    if (!options.isApiOrigin(request.url)) return next(request);
    const tally: Tally = { waitedMs: 0, acquires: 0 };
    const time = clock().toISOString();
    const started = now();
    const base = {
      time,
      ...(options.profile ? { profile: options.profile } : {}),
      operation: request.context.operationName ?? 'unknown',
      method: request.method,
      path: request.context.operation?.path ?? '(not in the catalog)',
      ...(request.url.search ? { query: [...new Set(request.url.searchParams.keys())].sort() } : {}),
    };
    const write = async (rest: Partial<RequestLogRecord>): Promise<void> => {
      try {
        await options.sink({
          ...base,
          ...rest,
          durationMs: Math.round(now() - started),
          attempts: rest.attempts ?? Math.max(1, tally.acquires),
          waitedMs: Math.round(tally.waitedMs),
        });
      } catch {
        // the sink reports its own failures; a log that cannot be written never fails the call
      }
    };
    try {
      const response = await storage.run(tally, () => next(request));
      const requestId = response.headers['x-amzn-requestid'];
      const rateLimit = response.headers['x-amzn-ratelimit-limit'];
      await write({
        status: response.status,
        ...(requestId ? { requestId } : {}),
        ...(response.attempts ? { attempts: response.attempts } : {}),
        ...(rateLimit ? { rateLimit } : {}),
      });
      return response;
    } catch (error) {
      const kind = error instanceof SpapiError ? error.kind : 'internal';
      const requestId = (error as { requestId?: unknown }).requestId;
      await write({
        ...(kind === 'throttled' ? { status: 429 } : {}),
        error: kind,
        ...(typeof requestId === 'string' ? { requestId } : {}),
      });
      throw error;
    }
  };

  return { middleware, wrapLimiter };
}
