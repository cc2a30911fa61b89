import type { BucketState } from './bucket.js';
import type { BucketStore, StateChange } from './bucket-store.js';
import { bucketId } from './bucket-key.js';
import { BucketRateLimiter } from './bucket-limiter.js';
import { resolveClock, SP_API_FULL_START_LAG_MS, type LimiterClock, type LimiterTuning } from './clock.js';
import type { BucketKey } from './types.js';

/** Options of MemoryRateLimiter: the clock (injectable for tests) and tuning. */
export type MemoryRateLimiterOptions = LimiterClock & LimiterTuning;

/**
 * Token buckets held in this process only, for library users without a config directory.
 * Two processes using it do not see each other's calls; use FileRateLimiter for that.
 */
export class MemoryRateLimiter extends BucketRateLimiter {
  constructor(options: MemoryRateLimiterOptions = {}) {
    super(new MemoryBucketStore(), resolveClock(options), options.fullStartLagMs ?? SP_API_FULL_START_LAG_MS);
  }
}

/** JavaScript runs one update at a time, so a Map is already atomic. */
export class MemoryBucketStore implements BucketStore {
  readonly #states = new Map<string, BucketState>();

  async update<T>(key: BucketKey, change: (state: BucketState | undefined) => StateChange<T>): Promise<T> {
    const id = bucketId(key);
    const { state, result } = change(this.#states.get(id));
    if (state !== undefined) this.#states.set(id, state);
    return result;
  }

  async peek(key: BucketKey): Promise<BucketState | undefined> {
    return this.#states.get(bucketId(key));
  }
}
