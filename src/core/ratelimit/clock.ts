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

/** Tuning shared by both limiters. */
export interface LimiterTuning {
  /** Refill lost to the first call of a burst reaching SP-API late (see reserve in bucket.ts). Default 0. */
  fullStartLagMs?: number;
}

export type Clock = Required<LimiterClock>;

/** Fills in the defaults. */
export function resolveClock(clock: LimiterClock = {}): Clock {
  return { now: clock.now ?? Date.now, sleep: clock.sleep ?? sleep };
}

/** setTimeout as a promise that rejects with the abort reason itself (node:timers/promises wraps it). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The signal's reason, or a generic AbortError when there is none. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
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
