import { Readable } from 'node:stream';
import { throttledHint } from '../error-hints.js';
import { NetworkError, ThrottledError } from '../errors.js';
import { sleep as realSleep, type Sleep } from '../sleep.js';
import { readText, requestIdOf, type HttpRequest, type Middleware } from './types.js';

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  operationName: string;
  status?: number;
  error?: string;
}

export interface RetryOptions {
  /** Attempts in all, the first included (--max-attempts, default 5). */
  maxAttempts: number;
  /** The longest the whole call may wait for quota or backoff (--max-wait). */
  maxWaitMs?: number;
  baseDelayMs?: number;
  capDelayMs?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  /** Called after a 429 so the limiter empties its bucket. */
  onThrottled?: (request: HttpRequest) => Promise<void>;
  onRetry?: (event: RetryEvent) => void;
}

// The request was rejected unprocessed on 429, so any method may be resent; after a 5xx or a broken
// connection a POST may have been processed, so only idempotent methods are resent.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Whether a request may be resent after a 5xx or a broken connection. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}
const RETRYABLE_5XX = new Set([500, 502, 503, 504]);
const CONNECTION_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/**
 * TLS failures (an http server behind an https URL, an untrusted or mismatched certificate) are
 * not passing faults: resending cannot fix them, so they are reported at once, naming TLS.
 */
function isTlsError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^ERR_(SSL|TLS)_/.test(code) || code === 'EPROTO' || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code));
}

function isConnectionError(error: unknown): error is Error & { code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

/**
 * The retry step, written for SP-API rather than taken from undici's RetryHandler: full-jitter
 * exponential backoff never shorter than the operation's refill interval (a 429 means the bucket is
 * empty, so coming back sooner is certain to fail), no fixed 30 s cap, and the last error body kept.
 */
export function retry(options: RetryOptions): Middleware {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const base = options.baseDelayMs ?? 500;
  const cap = options.capDelayMs ?? 120_000;

  return (next) => async (request) => {
    const started = now();
    const deadline = options.maxWaitMs === undefined ? undefined : started + options.maxWaitMs;
    const name = request.context.operationName ?? `${request.method} ${request.url.pathname}`;
    const rate = request.context.operation?.rate;

    for (let attempt = 1; ; attempt++) {
      const last = attempt >= options.maxAttempts;
      let outcome: { status: number; body: string; headers: Record<string, string>; requestId: string | undefined } | { error: Error };
      try {
        const response = await next(deadline === undefined ? request : { ...request, deadline });
        const retryable = response.status === 429 || (RETRYABLE_5XX.has(response.status) && isIdempotent(request.method));
        if (!retryable) return { ...response, attempts: attempt };
        if (response.status === 429) await options.onThrottled?.(request);
        if (last && response.status !== 429) return { ...response, attempts: attempt };
        const body = await readText(response.body);
        outcome = { status: response.status, body, headers: response.headers, requestId: requestIdOf(response.headers) };
        if (last) throw throttled(name, attempt, outcome.body, outcome.requestId);
      } catch (error) {
        if (error instanceof ThrottledError || request.signal?.aborted) throw error;
        if (isTlsError(error)) {
          throw new NetworkError(`TLS with ${request.url.origin} failed: ${error.message.split('\n')[0] ?? ''} (${error.code})`, {
            hint: 'the endpoint does not speak TLS (an http server at an https URL?) or its certificate is not trusted: check SPAPI_ENDPOINT',
            cause: error,
          });
        }
        if (!isConnectionError(error)) throw error;
        if (last || !isIdempotent(request.method)) {
          throw new NetworkError(`${name}: ${error.message} (${error.code ?? 'connection error'})${attempt > 1 ? ` after ${attempt} attempts` : ''}`, {
            hint: isIdempotent(request.method) ? 'check the network or SPAPI_ENDPOINT' : `${request.method} is not retried automatically because Amazon may have processed it; check before sending it again`,
            cause: error,
          });
        }
        outcome = { error };
      }

      const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
      const floor = 'status' in outcome && outcome.status === 429 && rate ? 1000 / rate : 0;
      const delayMs = Math.max(floor, Math.round(random() * ceiling));
      if (deadline !== undefined && now() + delayMs > deadline) {
        if ('status' in outcome && outcome.status === 429) {
          throw throttled(name, attempt, outcome.body, outcome.requestId, options.maxWaitMs);
        }
        if ('error' in outcome) throw new NetworkError(`${name}: ${outcome.error.message}`, { cause: outcome.error });
        // A 5xx with no time left to retry: hand back the answer as it came.
        return { status: outcome.status, headers: outcome.headers, body: Readable.from([Buffer.from(outcome.body)]), attempts: attempt };
      }
      options.onRetry?.({
        attempt,
        delayMs,
        operationName: name,
        ...('status' in outcome ? { status: outcome.status } : { error: outcome.error.message }),
      });
      await sleep(delayMs, request.signal);
    }
  };
}

function throttled(name: string, attempts: number, body: string, requestId: string | undefined, maxWaitMs?: number): ThrottledError {
  const why = maxWaitMs === undefined ? `after ${attempts} attempts` : `within --max-wait ${Math.round(maxWaitMs / 1000)} s`;
  return new ThrottledError(`${name} is still throttled (429 QuotaExceeded) ${why}`, {
    hint: throttledHint({}),
    requestId,
    body,
  });
}
