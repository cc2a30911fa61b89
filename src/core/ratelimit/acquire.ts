import { throttledHint } from '../error-hints.js';
import { ThrottledError } from '../errors.js';
import { normalizePlan } from './bucket.js';
import type { BucketEngine } from './engine.js';
import { abortReason } from '../sleep.js';
import { sleepUntil, type Clock } from './clock.js';
import type { AcquireOptions, BucketKey, UsagePlan } from './types.js';

/** Waits longer than this are announced through onWait. */
const ANNOUNCE_WAIT_MS = 1000;

/**
 * Reserves the next slot of the bucket and resolves when it comes (see RateLimiter.acquire).
 * The reservation is made in one short atomic update; the wait happens outside it, so queued
 * callers hold no lock and wake in slot order without polling.
 */
export async function acquireToken(
  engine: BucketEngine,
  clock: Clock,
  key: BucketKey,
  seed: UsagePlan,
  options: AcquireOptions = {},
  fullStartLagMs = 0,
): Promise<void> {
  const { signal, onWait } = options;
  const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
  if (signal?.aborted) throw abortReason(signal);
  const plan = normalizePlan(seed);

  const taken = await engine.reserve(key, plan, fullStartLagMs);
  if (taken.waitMs <= 0) return;
  // A remote engine reads its own clock; the wait is then measured on ours from its reply.
  const start = taken.start ?? clock.now();

  let target = start + taken.waitMs;
  let shiftMs = taken.shiftMs;
  try {
    if (taken.waitMs > maxWaitMs) throw throttled(key, taken.waitMs, maxWaitMs, taken.plan);
    if (taken.waitMs > ANNOUNCE_WAIT_MS) onWait?.(taken.waitMs, taken.plan);
    for (;;) {
      await sleepUntil(clock, target, signal);
      const decision = await engine.wake(key, shiftMs, clock.now() - target);
      shiftMs = decision.shiftMs;
      if (decision.extraMs <= 0) return;
      target += decision.extraMs;
      if (target - start > maxWaitMs) throw throttled(key, target - start, maxWaitMs, taken.plan);
    }
  } catch (error) {
    // If the give-back fails too, the token stays taken: the conservative side, and the first error is the useful one.
    await engine.release(key).catch(() => undefined);
    if (signal?.aborted) throw abortReason(signal);
    throw error;
  }
}

function throttled(key: BucketKey, waitMs: number, maxWaitMs: number, plan: UsagePlan): ThrottledError {
  return new ThrottledError(
    `quota for ${key.operation} would free up in ${seconds(waitMs)}, more than --max-wait ${seconds(maxWaitMs)}`,
    {
      hint: throttledHint({ operation: key.operation, rate: plan.rate, burst: plan.burst }),
    },
  );
}

/** "42 s" for long waits, "0.3 s" for short ones; waits round up so the message never understates. */
function seconds(ms: number): string {
  if (ms >= 10_000) return `${Math.ceil(ms / 1000)} s`;
  return `${Math.ceil(ms / 100) / 10} s`;
}
