/** Identifies one SP-API usage plan bucket: Amazon meters per application, selling partner, region and operation. */
export interface BucketKey {
  /** LWA client id (the application). */
  clientId: string;
  /** A stable, non-secret id of the selling partner authorization (hash of the refresh token), or 'grantless'. */
  sellingPartner: string;
  region: string;
  /** Qualified operation name, e.g. ordersV0.getOrders. */
  operation: string;
}

export interface UsagePlan {
  /** Tokens added per second. */
  rate: number;
  /** Bucket size. */
  burst: number;
}

export interface AcquireOptions {
  /** Give up (ThrottledError) when the wait would exceed this many milliseconds. */
  maxWaitMs?: number;
  signal?: AbortSignal;
  /** Told once before a wait longer than one second starts, so the CLI can announce it. */
  onWait?: (waitMs: number, plan: UsagePlan) => void;
}

/**
 * Client-side token buckets. Requests queue, never drop: acquire() reserves the next free slot
 * and resolves when it comes.
 */
export interface RateLimiter {
  acquire(key: BucketKey, seed: UsagePlan, options?: AcquireOptions): Promise<void>;
  /** Adopt the rate from an `x-amzn-RateLimit-Limit` response header (the burst is kept). */
  observeRate(key: BucketKey, rate: number): Promise<void>;
  /** A 429 arrived although the bucket allowed the call: empty it so the next call waits a full interval. */
  drain(key: BucketKey): Promise<void>;
}
