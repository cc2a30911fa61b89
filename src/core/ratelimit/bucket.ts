import { SpapiError } from '../errors.js';
import type { UsagePlan } from './types.js';

/**
 * What spapi knows about one SP-API token bucket at time `at`. Stored as JSON by the file
 * limiter and in a Map by the memory limiter; every function here is pure.
 *
 * `tokens` may be negative: each caller that found the bucket empty took a token anyway and
 * reserved the moment the balance climbs back to zero. -k means k callers are queued.
 */
export interface BucketState {
  v: 1;
  /** The rate in force (seeded from the catalog, then adopted from x-amzn-RateLimit-Limit). */
  rate: number;
  burst: number;
  tokens: number;
  /** Epoch ms at which `tokens` was true. */
  at: number;
  /**
   * Total delay (ms) pushed onto already queued callers by drain() and rate drops. A sleeper
   * remembers the value at reservation time and, on waking, sleeps the difference too: the
   * queue cannot be re-ordered, but it can be moved back as a whole.
   */
  shiftMs: number;
  /** Epoch ms of the last drain that shifted the queue (one shift per interval is enough). */
  drainedAt: number;
}

/*
 * Safety margin. SP-API meters arrivals at its own clock, so every interval between our sends must
 * survive jitter: Date.now() has 1 ms granularity on both sides, and localhost or network latency
 * varies by a fraction of a millisecond to a few. We therefore space slots 1 % wider than 1/rate,
 * and at least 1 ms wider. The slack accumulates while the queue runs (each interval adds some),
 * so it is tightest right after the burst; RESERVE_LATE_MS covers that spot: every wait ends 3 ms
 * after its slot, a constant shift that costs 3 ms per queue, not per call.
 * At 5 req/s burst 5, 60 serial calls take 5 + 55 × 202 ms + 3 ms ≈ 11.11 s (1.01 × the minimum).
 */
const MARGIN_RATIO = 0.01;
const MIN_MARGIN_MS = 1;
/** Added to every non-zero wait; see the margin note above. */
export const RESERVE_LATE_MS = 3;

/** Milliseconds between two slots at `rate`, safety margin included. */
export function slotIntervalMs(rate: number): number {
  const exact = 1000 / rate;
  return exact + Math.max(exact * MARGIN_RATIO, MIN_MARGIN_MS);
}

/** Rejects plans that would make the math meaningless; a missing burst counts as 1. */
export function normalizePlan(plan: UsagePlan): UsagePlan {
  if (!Number.isFinite(plan.rate) || plan.rate <= 0) {
    throw new SpapiError('internal', `invalid usage plan rate ${String(plan.rate)}: expected a positive number`);
  }
  const burst = Number.isFinite(plan.burst) && plan.burst >= 1 ? plan.burst : 1;
  return { rate: plan.rate, burst };
}

/** A bucket nobody has used yet: full, as SP-API's is. */
export function freshState(plan: UsagePlan, now: number): BucketState {
  return { v: 1, rate: plan.rate, burst: plan.burst, tokens: plan.burst, at: now, shiftMs: 0, drainedAt: 0 };
}

/** The state brought forward to `now`. A clock that went backwards adds nothing (the safe side). */
export function refill(state: BucketState, now: number): BucketState {
  const elapsed = Math.max(0, now - state.at);
  const tokens = Math.min(state.burst, state.tokens + elapsed / slotIntervalMs(state.rate));
  return { ...state, tokens, at: now };
}

/** The outcome of reserve(): the new state and when the caller may send. */
export interface Reservation {
  state: BucketState;
  /** How long the caller must wait before sending; 0 when a token was available. */
  waitMs: number;
}

/** Takes one token, going negative if need be; the wait is the time until the balance is back at 0. */
export function reserve(state: BucketState, now: number): Reservation {
  const next = refill(state, now);
  next.tokens -= 1;
  const waitMs = next.tokens >= 0 ? 0 : -next.tokens * slotIntervalMs(next.rate) + RESERVE_LATE_MS;
  return { state: next, waitMs };
}

/** Gives back a token that was reserved but will not be used (max-wait exceeded, aborted). */
export function release(state: BucketState, now: number): BucketState {
  const next = refill(state, now);
  next.tokens = Math.min(next.burst, next.tokens + 1);
  return next;
}

/**
 * Adopts a rate from x-amzn-RateLimit-Limit, keeping the burst. When the rate drops while callers
 * are queued, their slots were computed at the old rate and are too early: the queue is shifted by
 * the difference for the last of them, which is conservative for the others. Returns undefined
 * when nothing changes, so callers can skip the write.
 */
export function adoptRate(state: BucketState, rate: number, now: number): BucketState | undefined {
  if (!Number.isFinite(rate) || rate <= 0 || Math.abs(rate - state.rate) <= state.rate * 1e-9) return undefined;
  const next = refill(state, now);
  if (rate < next.rate && next.tokens < 0) {
    next.shiftMs += -next.tokens * (slotIntervalMs(rate) - slotIntervalMs(next.rate));
  }
  next.rate = rate;
  next.tokens = Math.min(next.tokens, next.burst);
  return next;
}

/**
 * A 429 arrived although our model allowed the call, so SP-API's bucket is emptier than ours.
 * The balance drops to at most zero, so the next new caller waits a full interval. Callers already
 * queued hold slots computed from the wrong model; they and the tail of the queue are moved back
 * by one interval (once per interval, so a volley of 429s from one burst shifts only once).
 */
export function drainState(state: BucketState, now: number): BucketState {
  const next = refill(state, now);
  const interval = slotIntervalMs(next.rate);
  if (next.tokens < 0 && now - next.drainedAt >= interval) {
    next.tokens -= 1;
    next.shiftMs += interval;
    next.drainedAt = now;
  } else {
    next.tokens = Math.min(next.tokens, 0);
  }
  return next;
}

/** Parses stored state; anything unexpected counts as no state (a fresh bucket), never an error. */
export function parseState(text: string): BucketState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (s['v'] !== 1) return undefined;
  const { rate, burst, tokens, at, shiftMs, drainedAt } = s;
  if (!finite(rate) || rate <= 0 || !finite(burst) || burst < 1 || !finite(tokens) || tokens > burst) return undefined;
  if (!finite(at) || !finite(shiftMs) || shiftMs < 0 || !finite(drainedAt)) return undefined;
  return { v: 1, rate, burst, tokens, at, shiftMs, drainedAt };
}
