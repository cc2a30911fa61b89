import type { OperationSpec } from '../catalog/types.js';
import type { BucketKey, RateLimiter, UsagePlan } from '../ratelimit/types.js';
import type { HttpRequest, Middleware } from './types.js';

/**
 * 65 operations have no usage plan in the models: start them at one call a second with no burst
 * and let the first x-amzn-RateLimit-Limit header set the real rate.
 */
export const UNKNOWN_PLAN: UsagePlan = { rate: 1, burst: 1 };

export function planOf(operation: OperationSpec | undefined): UsagePlan {
  if (!operation || operation.rate === null || operation.burst === null) return UNKNOWN_PLAN;
  return { rate: operation.rate, burst: Math.max(1, operation.burst) };
}

export interface RateLimitOptions {
  limiter: RateLimiter;
  /** The bucket a request draws from; undefined for requests that are not metered (document URLs). */
  keyFor: (request: HttpRequest) => Promise<BucketKey | undefined>;
  onWait?: (operationName: string, waitMs: number, plan: UsagePlan) => void;
  /**
   * Runs before the slot is reserved; the client resolves the request's token here. SP-API meters
   * arrivals, so an LWA or RDT round trip between taking the slot and sending would let the
   * following calls arrive early by that much (and draw 429s).
   */
  beforeAcquire?: (request: HttpRequest) => Promise<unknown>;
}

/** Parses `x-amzn-RateLimit-Limit` ("2.0", "0.0167"); Amazon sends it best effort, so junk is ignored. */
export function parseRateHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number.parseFloat(value);
  return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}

export function rateLimit(options: RateLimitOptions): Middleware {
  return (next) => async (request) => {
    const key = await options.keyFor(request);
    if (!key) return next(request);
    await options.beforeAcquire?.(request);
    const plan = planOf(request.context.operation);
    const name = request.context.operationName ?? key.operation;
    await options.limiter.acquire(key, plan, {
      ...(request.deadline === undefined ? {} : { maxWaitMs: Math.max(0, request.deadline - Date.now()) }),
      ...(request.signal ? { signal: request.signal } : {}),
      onWait: (waitMs, current) => options.onWait?.(name, waitMs, current),
    });
    const response = await next(request);
    const observed = parseRateHeader(response.headers['x-amzn-ratelimit-limit']);
    if (observed !== undefined) await options.limiter.observeRate(key, observed);
    return response;
  };
}
