import type { BucketState } from './bucket.js';
import type { BucketKey } from './types.js';

/** What an update decides: the state to save (undefined: leave storage alone) and a result. */
export interface StateChange<T> {
  state?: BucketState | undefined;
  result: T;
}

/**
 * Where bucket states live. The limiters differ only here: a Map, or files under a lock.
 * Time is read inside `change`, i.e. while the state is held, so refills are computed from
 * the moment of the update and not from before waiting for a lock.
 */
export interface BucketStore {
  /** Reads, changes and saves one bucket's state atomically with respect to every other update. */
  update<T>(key: BucketKey, change: (state: BucketState | undefined) => StateChange<T>): Promise<T>;
  /** Reads the state without taking part in the atomicity (sleepers checking for a shift). */
  peek(key: BucketKey): Promise<BucketState | undefined>;
}
