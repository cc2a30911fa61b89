import { adoptRate, decideOnWake, drainState, freshState, release, reserve, slotIntervalMs, type BucketState } from './bucket.js';
import type { BucketStore } from './bucket-store.js';
import type { Clock } from './clock.js';
import type { BucketKey, UsagePlan } from './types.js';

/** What reserve() tells the caller. */
export interface Taken {
  waitMs: number;
  /** The queue shift as of the reservation (see BucketState.shiftMs). */
  shiftMs: number;
  /** The plan in force. */
  plan: UsagePlan;
  /** The caller's clock at the reservation, when the engine read it (the local engine does). */
  start?: number | undefined;
}

export interface WakeResult {
  extraMs: number;
  shiftMs: number;
}

/**
 * The bucket operations, each atomic. The local engine runs bucket.ts over a BucketStore; the
 * Redis engine runs the same arithmetic in one Lua script per operation on the server's clock,
 * which is why only durations cross this seam (lateByMs), never a timestamp.
 */
export interface BucketEngine {
  /** `startEmpty`: a bucket created now starts with no tokens (the fallback during an outage: others may have spent the burst). */
  reserve(key: BucketKey, plan: UsagePlan, fullStartLagMs: number, startEmpty?: boolean): Promise<Taken>;
  release(key: BucketKey): Promise<void>;
  adoptRate(key: BucketKey, rate: number): Promise<void>;
  drain(key: BucketKey): Promise<void>;
  /** A queued caller woke `lateByMs` after its slot, having accounted for queue shift `seenShiftMs`. */
  wake(key: BucketKey, seenShiftMs: number, lateByMs: number): Promise<WakeResult>;
}

/** How far the queue of a bucket reaches beyond now (ms): what a merge carries over. */
export function backlogMs(state: BucketState, now: number): number {
  const ahead = Math.max(0, state.at - now);
  const queued = Math.max(0, -(state.tokens + Math.max(0, now - state.at) / slotIntervalMs(state.rate)));
  return ahead + queued * slotIntervalMs(state.rate);
}

/** bucket.ts over a BucketStore (a Map, or files under a lock) and the machine's clock. */
export class LocalEngine implements BucketEngine {
  readonly store: BucketStore;
  readonly #clock: Clock;

  constructor(store: BucketStore, clock: Clock) {
    this.store = store;
    this.#clock = clock;
  }

  reserve(key: BucketKey, plan: UsagePlan, fullStartLagMs: number, startEmpty = false): Promise<Taken> {
    return this.store.update(key, (stored) => {
      const now = this.#clock.now();
      const initial = stored ?? (startEmpty ? { ...freshState(plan, now), tokens: 0 } : freshState(plan, now));
      const { state, waitMs } = reserve(initial, now, fullStartLagMs);
      state.op = key.operation;
      state.sp = key.sellingPartner;
      return { state, result: { start: now, waitMs, shiftMs: state.shiftMs, plan: { rate: state.rate, burst: state.burst } } };
    });
  }

  release(key: BucketKey): Promise<void> {
    return this.store.update(key, (stored) => ({ state: stored && release(stored, this.#clock.now()), result: undefined }));
  }

  adoptRate(key: BucketKey, rate: number): Promise<void> {
    return this.store.update(key, (stored) => ({ state: stored && adoptRate(stored, rate, this.#clock.now()), result: undefined }));
  }

  drain(key: BucketKey): Promise<void> {
    return this.store.update(key, (stored) => ({ state: stored && drainState(stored, this.#clock.now()), result: undefined }));
  }

  async wake(key: BucketKey, seenShiftMs: number, lateByMs: number): Promise<WakeResult> {
    // Usually nothing changed: decide on a lock-free read, and lock only to record a change.
    const now = this.#clock.now();
    const decision = decideOnWake(await this.store.peek(key), now - lateByMs, seenShiftMs, now);
    if (decision.extraMs > 0 || decision.state === undefined) return decision;
    return this.store.update(key, (stored) => {
      // Decided again under the lock: another late caller may have moved the queue already.
      const locked = decideOnWake(stored, now - lateByMs, seenShiftMs, this.#clock.now());
      return { state: locked.state, result: { extraMs: locked.extraMs, shiftMs: locked.shiftMs } };
    });
  }
}
