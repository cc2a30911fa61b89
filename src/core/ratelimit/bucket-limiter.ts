import { acquireToken } from './acquire.js';
import { adoptRate, drainState } from './bucket.js';
import type { BucketStore } from './bucket-store.js';
import type { Clock } from './clock.js';
import type { AcquireOptions, BucketKey, RateLimiter, UsagePlan } from './types.js';

/** The RateLimiter behaviour over any BucketStore; MemoryRateLimiter and FileRateLimiter pick the store. */
export class BucketRateLimiter implements RateLimiter {
  readonly #store: BucketStore;
  readonly #clock: Clock;
  readonly #fullStartLagMs: number;

  /** `fullStartLagMs`: see reserve() in bucket.ts; 0 keeps the exact token-bucket arithmetic. */
  constructor(store: BucketStore, clock: Clock, fullStartLagMs = 0) {
    this.#store = store;
    this.#clock = clock;
    this.#fullStartLagMs = fullStartLagMs;
  }

  /** Reserves the next slot and resolves when it comes; see RateLimiter. */
  acquire(key: BucketKey, seed: UsagePlan, options?: AcquireOptions): Promise<void> {
    return acquireToken(this.#store, this.#clock, key, seed, options, this.#fullStartLagMs);
  }

  /**
   * Adopts a header rate for a bucket that exists (acquire always creates it before the request
   * whose response carries the header). Invalid or unchanged rates are ignored.
   */
  observeRate(key: BucketKey, rate: number): Promise<void> {
    return this.#store.update(key, (stored) => ({
      state: stored && adoptRate(stored, rate, this.#clock.now()),
      result: undefined,
    }));
  }

  /** Empties the bucket after an unexpected 429 and moves queued callers back one interval. */
  drain(key: BucketKey): Promise<void> {
    return this.#store.update(key, (stored) => ({
      state: stored && drainState(stored, this.#clock.now()),
      result: undefined,
    }));
  }
}
