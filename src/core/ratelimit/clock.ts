import { sleep } from '../sleep.js';

/**
 * Time as the limiters see it. Tests inject a virtual clock; the defaults are the wall clock
 * (Date.now: one clock shared by every process on the machine, which the file limiter needs) and
 * a timer that rejects with the signal's reason when aborted.
 */
export interface LimiterClock {
  /** Epoch milliseconds. */
  now?: () => number;
  /** Resolves after `ms`, or rejects with `signal.reason` when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The first call of a burst reaches SP-API later than the calls after it (connection setup, TLS);
 * SP-API counts refill from that arrival (see reserve in bucket.ts). 50 ms covered every local
 * measurement (15 ms) with room; it costs 50 ms once per burst.
 */
export const SP_API_FULL_START_LAG_MS = 50;

/** Tuning shared by both limiters. */
export interface LimiterTuning {
  /** Refill lost to the first call of a burst reaching SP-API late. Default SP_API_FULL_START_LAG_MS; 0 is the exact token bucket. */
  fullStartLagMs?: number;
}

export type Clock = Required<LimiterClock>;

/** Fills in the defaults. */
export function resolveClock(clock: LimiterClock = {}): Clock {
  return { now: clock.now ?? Date.now, sleep: clock.sleep ?? sleep };
}

/**
 * Sleeps until the clock reads `target`. Loops because Node timers may fire up to a millisecond
 * early relative to Date.now(), and an early send is exactly what we are avoiding.
 */
export async function sleepUntil(clock: Clock, target: number, signal?: AbortSignal): Promise<void> {
  for (let remaining = target - clock.now(); remaining > 0; remaining = target - clock.now()) {
    await clock.sleep(Math.ceil(remaining), signal);
  }
}
