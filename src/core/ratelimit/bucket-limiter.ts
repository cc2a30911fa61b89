import { acquireToken } from './acquire.js';
import type { BucketStore } from './bucket-store.js';
import type { Clock } from './clock.js';
import { LocalEngine, type BucketEngine } from './engine.js';
import type { AcquireOptions, BucketKey, RateLimiter, UsagePlan } from './types.js';

/** The RateLimiter behaviour over any BucketEngine; the limiters pick the engine (a Map, files, Redis). */
export class BucketRateLimiter implements RateLimiter {
  readonly engine: BucketEngine;
  readonly #clock: Clock;
  readonly #fullStartLagMs: number;

  /** `fullStartLagMs`: see reserve() in bucket.ts; 0 keeps the exact token-bucket arithmetic. */
  constructor(store: BucketStore | BucketEngine, clock: Clock, fullStartLagMs = 0) {
    this.engine = 'reserve' in store ? store : new LocalEngine(store, clock);
    this.#clock = clock;
    this.#fullStartLagMs = fullStartLagMs;
  }

  /** Reserves the next slot and resolves when it comes; see RateLimiter. */
  acquire(key: BucketKey, seed: UsagePlan, options?: AcquireOptions): Promise<void> {
    return acquireToken(this.engine, this.#clock, key, seed, options, this.#fullStartLagMs);
  }

  /**
   * Adopts a header rate for a bucket that exists (acquire always creates it before the request
   * whose response carries the header). Invalid or unchanged rates are ignored.
   */
  observeRate(key: BucketKey, rate: number): Promise<void> {
    return this.engine.adoptRate(key, rate);
  }

  /** Empties the bucket after an unexpected 429 and moves queued callers back one interval. */
  drain(key: BucketKey): Promise<void> {
    return this.engine.drain(key);
  }
}
