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
   * Total delay (ms) pushed onto already queued callers by drain(), rate drops and late senders. A sleeper
   * remembers the value at reservation time and, on waking, sleeps the difference too: the
   * queue cannot be re-ordered, but it can be moved back as a whole.
   */
  shiftMs: number;
  /** Epoch ms of the last drain that shifted the queue (one shift per interval is enough). */
  drainedAt: number;
  /** For `spapi quota`: the qualified operation (not secret; the key parts are hashed in the id). */
  op?: string | undefined;
  /** The selling partner id of the key (already a hash of the refresh token), so `spapi quota --profile` can filter. */
  sp?: string | undefined;
  /** True once the rate came from x-amzn-RateLimit-Limit rather than the catalog. */
  learned?: boolean | undefined;
  /** Epoch ms of the last 429 that drained this bucket. */
  last429?: number | undefined;
}

/*
 * Safety margin. SP-API meters arrivals at its own clock, so every interval between our sends must
 * survive jitter: Date.now() has 1 ms granularity on both sides, and localhost or network latency
 * varies by a fraction of a millisecond to a few. We therefore space slots 1 % wider than 1/rate,
 * and at least 1 ms wider. That slack accumulates while a queue runs (each interval adds some), so
 * it is thinnest between the burst and the first queued call: a call that got its token at once
 * may reach the wire a few ms late (a busy event loop, connection setup), which we cannot see,
 * while the first queued call leaves on time. RESERVE_LATE_MS covers that spot: every wait ends
 * 10 ms after its slot. It is a constant shift, so it costs 10 ms per queue, not per call.
 * At 5 req/s burst 5, 60 serial calls take 55 × 202 ms + 10 ms ≈ 11.12 s (1.011 × the minimum).
 */
const MARGIN_RATIO = 0.01;
const MIN_MARGIN_MS = 1;
/** Added to every non-zero wait; see the margin note above. */
export const RESERVE_LATE_MS = 10;

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

/**
 * The state brought forward to `now`. `at` never moves back: it may lie ahead (the full-start lag
 * of reserve), and a clock that went backwards adds nothing until it passes the old time again.
 */
export function refill(state: BucketState, now: number): BucketState {
  const elapsed = Math.max(0, now - state.at);
  const tokens = Math.min(state.burst, state.tokens + elapsed / slotIntervalMs(state.rate));
  return { ...state, tokens, at: Math.max(now, state.at) };
}

/** The outcome of reserve(): the new state and when the caller may send. */
export interface Reservation {
  state: BucketState;
  /** How long the caller must wait before sending; 0 when a token was available. */
  waitMs: number;
}

/**
 * Takes one token, going negative if need be; the wait is the time until the balance is back at 0.
 * `fullStartLagMs`: SP-API's bucket starts refilling when the first call of a burst arrives there,
 * later than the moment its token is taken here (connection setup, TLS, cold code paths delay the
 * first call of a burst more than the ones after it: 15 ms on loopback, more over a new TLS
 * connection). A token taken from a full bucket therefore also takes the refill of that lag, so
 * the first queued call is not early. It costs the lag once per burst.
 */
export function reserve(state: BucketState, now: number, fullStartLagMs = 0): Reservation {
  const next = refill(state, now);
  if (next.tokens >= next.burst && fullStartLagMs > 0) next.at = now + fullStartLagMs;
  next.tokens -= 1;
  const refillStartsIn = Math.max(0, next.at - now);
  const waitMs = next.tokens >= 0 ? 0 : refillStartsIn + -next.tokens * slotIntervalMs(next.rate) + RESERVE_LATE_MS;
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
  next.learned = true;
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
  next.last429 = now;
  if (next.tokens < 0 && now - next.drainedAt >= interval) {
    next.tokens -= 1;
    next.shiftMs += interval;
    next.drainedAt = now;
  } else {
    next.tokens = Math.min(next.tokens, 0);
  }
  return next;
}

/**
 * A queued caller woke `now`, later than its planned send time `slotAt` (a stalled event loop, a
 * busy machine). RESERVE_LATE_MS is part of the plan: it delays every send alike, so it is no loss.
 * While it was late, SP-API's bucket went on filling, but only up to the burst: once more than
 * (burst − 1) intervals late, refill was lost there that our model still counts, and the callers
 * behind would be early. In GCRA terms SP-API's theoretical arrival time moved by the excess;
 * the same amount comes off the balance and moves the queue. Undefined when within the slack.
 */
export function lateSend(state: BucketState, slotAt: number, now: number): BucketState | undefined {
  const interval = slotIntervalMs(state.rate);
  const excessMs = now - slotAt - (state.burst - 1) * interval;
  if (!(excessMs > 0)) return undefined;
  // Uncapped balance: the cap is exactly what SP-API applied and our model must not double-apply.
  const uncapped = state.tokens + Math.max(0, now - state.at) / interval;
  // Whatever the estimate, right after this send SP-API holds at most burst − 1.
  const tokens = Math.min(state.burst - 1, uncapped - excessMs / interval);
  return { ...state, tokens, at: now, shiftMs: state.shiftMs + excessMs };
}

/** What a queued caller should do on waking. */
export interface WakeDecision {
  /** Sleep this much longer: the queue was moved back while we slept. */
  extraMs: number;
  /** The queue shift this caller has now accounted for. */
  shiftMs: number;
  /** The state to save when the caller woke too late (see lateSend). */
  state?: BucketState | undefined;
}

/**
 * Decides, on waking at `now`, between going (extraMs 0), sleeping on because drain() or a rate
 * drop shifted the queue, and going while recording a late send. `slotAt` is the caller's planned
 * send time as of queue shift `seenShiftMs`.
 */
export function decideOnWake(state: BucketState | undefined, slotAt: number, seenShiftMs: number, now: number): WakeDecision {
  // No state (deleted, corrupt) or a reset one: nothing to adjust to.
  if (state === undefined || state.shiftMs < seenShiftMs) return { extraMs: 0, shiftMs: seenShiftMs };
  const extraMs = state.shiftMs - seenShiftMs;
  if (extraMs > 0) return { extraMs, shiftMs: state.shiftMs };
  const late = lateSend(state, slotAt, now);
  return { extraMs: 0, shiftMs: late?.shiftMs ?? state.shiftMs, state: late };
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
  const meta = {
    ...(typeof s['op'] === 'string' ? { op: s['op'] } : {}),
    ...(typeof s['sp'] === 'string' ? { sp: s['sp'] } : {}),
    ...(s['learned'] === true ? { learned: true } : {}),
    ...(finite(s['last429']) ? { last429: s['last429'] } : {}),
  };
  return { v: 1, rate, burst, tokens, at, shiftMs, drainedAt, ...meta };
}
