import { PendingError, UsageError } from '../errors.js';
import { abortReason, sleep as realSleep } from '../sleep.js';
import type { Sleep } from '../sleep.js';

export interface PollOptions<T> {
  /** One status call (getReport, getQuery, getFeed). */
  check: () => Promise<T>;
  /** True when the result is final (DONE, CANCELLED, FATAL…); pollUntil then returns it. */
  isDone: (result: T) => boolean;
  /** The first wait between checks (default 2 s). */
  initialDelayMs?: number | undefined;
  /** Each wait is the previous one times this (default 2). */
  backoffFactor?: number | undefined;
  /** The longest wait between checks (default 30 s). */
  maxDelayMs?: number | undefined;
  /**
   * The shortest time between the starts of two checks: 1000 / the operation's rate (getReport:
   * 2/s → 500 ms). No wait is ever shorter, whatever the schedule says.
   */
  minIntervalMs?: number | undefined;
  /** Give up after this long (measured from the first check) with a PendingError. Default: never. */
  timeoutMs?: number | undefined;
  /** The PendingError's message, from the last result (default "still not done after 60 s"). */
  describe?: ((result: T, elapsedMs: number) => string) | undefined;
  /** The PendingError's hint, e.g. the command that checks again later. */
  timeoutHint?: string | undefined;
  /** After each check, for a spinner: the result and the time since the first check. */
  onStatus?: ((result: T, elapsedMs: number) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** For tests: waits without real time. */
  sleep?: Sleep | undefined;
  /** For tests: the clock (ms). */
  now?: (() => number) | undefined;
}

function positive(name: string, value: number | undefined, fallback: number, problems: string[], allowZero = true): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) || value === Number.POSITIVE_INFINITY) || value < 0 || (!allowZero && value === 0)) problems.push(`${name} must be a number ${allowZero ? '>= 0' : '> 0'} (got ${value})`);
  return value;
}

/**
 * Calls `check()` until `isDone(result)` and returns that result: the report, query and feed
 * lifecycles (IN_QUEUE → IN_PROGRESS → DONE). Waits start short and back off (2 s, 4 s, 8 s… up to
 * 30 s by default) and are never shorter than `minIntervalMs`, so polling cannot outrun the
 * operation's rate limit. Past `timeoutMs` it throws a PendingError carrying `timeoutHint`; a last
 * check is made at the deadline when the rate allows one. `signal` aborts a wait (the error is the
 * signal's reason). Errors from `check()` propagate unchanged (retries belong to the HTTP client).
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const problems: string[] = [];
  const initial = positive('initialDelayMs', options.initialDelayMs, 2_000, problems);
  const factor = positive('backoffFactor', options.backoffFactor, 2, problems, false);
  const cap = positive('maxDelayMs', options.maxDelayMs, 30_000, problems);
  const minInterval = positive('minIntervalMs', options.minIntervalMs, 0, problems);
  const timeout = positive('timeoutMs', options.timeoutMs, Number.POSITIVE_INFINITY, problems);
  if (problems.length > 0) throw new UsageError(problems.length === 1 ? (problems[0] as string) : `${problems.length} problems with the polling options`, { problems });
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const signal = options.signal;

  const started = now();
  let delay = Math.min(initial, cap);
  for (let last = false; ; ) {
    if (signal?.aborted) throw abortReason(signal);
    const checkedAt = now();
    const result = await options.check();
    const elapsed = now() - started;
    options.onStatus?.(result, elapsed);
    if (options.isDone(result)) return result;
    if (last) throw pending(result, elapsed);
    const current = now();
    // Time already spent in check() counts toward the rate interval, not toward the schedule's wait.
    let wait = Math.max(delay, minInterval - (current - checkedAt));
    delay = Math.min(delay * factor, cap);
    const deadline = started + timeout;
    if (current + wait > deadline) {
      // One last check at the deadline, if the rate allows one then; otherwise give up now.
      const untilDeadline = deadline - current;
      if (untilDeadline <= 0 || deadline - checkedAt < minInterval) throw pending(result, elapsed);
      wait = untilDeadline;
      last = true;
    }
    await sleep(wait, signal);
  }

  function pending(result: T, elapsed: number): PendingError {
    const message = options.describe?.(result, elapsed) ?? `still not done after ${Math.round(elapsed / 1000)} s`;
    return new PendingError(message, options.timeoutHint);
  }
}
