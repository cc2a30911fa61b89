import type { OperationSpec } from '../core/catalog/types.js';
import type { RateOverride } from './options.js';

/** Requests per second and bucket size applied to one operation. */
export interface UsagePlan {
  rate: number;
  burst: number;
}

// 65 operations have no usage-plan table and 5 print `n | n` (spapi-facts §1.2); Amazon still meters
// them, so they get a modest plan instead of none.
export const UNKNOWN_RATE_PLAN: UsagePlan = { rate: 1, burst: 5 };

/** The plan for an operation: an override as given, else the catalog's (or the fallback) rate × rateScale. */
export function usagePlanFor(
  op: Pick<OperationSpec, 'rate' | 'burst'>,
  qualified: string,
  rateScale: number,
  overrides: Readonly<Record<string, RateOverride>>,
): UsagePlan {
  const override = overrides[qualified];
  if (override) return { rate: override.rate, burst: override.burst };
  const known = op.rate !== null && op.burst !== null;
  return {
    rate: (known ? (op.rate ?? 0) : UNKNOWN_RATE_PLAN.rate) * rateScale,
    burst: known ? (op.burst ?? 0) : UNKNOWN_RATE_PLAN.burst,
  };
}

/**
 * The `x-amzn-RateLimit-Limit` value: SP-API prints a decimal (`2.0`, `0.0167`), and clients parse
 * it with parseFloat, so keep a `.0` on whole numbers and trim float noise from scaling.
 */
export function formatRate(rate: number): string {
  const rounded = Number(rate.toPrecision(6));
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets keyed by (application, selling partner, operation), the dimensions Amazon meters on
 * (spapi-facts §5.3). A bucket starts full; `rate` tokens come back per second up to `burst`.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one token; false means the call must be answered 429. */
  take(key: string, plan: UsagePlan, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: plan.burst, updatedAt: now };
      this.buckets.set(key, bucket);
    } else {
      const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
      bucket.tokens = Math.min(plan.burst, bucket.tokens + elapsedSeconds * plan.rate);
      bucket.updatedAt = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets every bucket, so each starts full again. */
  reset(): void {
    this.buckets.clear();
  }
}
