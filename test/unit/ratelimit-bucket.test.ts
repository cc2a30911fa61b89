import { describe, expect, it } from 'vitest';
import {
  RESERVE_LATE_MS,
  adoptRate,
  decideOnWake,
  drainState,
  lateSend,
  freshState,
  normalizePlan,
  parseState,
  refill,
  release,
  reserve,
  slotIntervalMs,
} from '../../src/core/ratelimit/bucket.js';
import { SpapiError } from '../../src/core/errors.js';

const T0 = 1_000_000;

describe('slotIntervalMs', () => {
  it.each([
    // rate, interval: 1 % wider than 1/rate, and at least 1 ms wider
    [5, 202],
    [1, 1010],
    [10, 101],
    [80, 13.5],
    [0.0167, (1000 / 0.0167) * 1.01],
  ])('rate %d -> %d ms', (rate, interval) => {
    expect(slotIntervalMs(rate)).toBeCloseTo(interval, 6);
  });

  it('keeps 60 serial calls at 5 req/s burst 5 within 1.02 x the 11 s minimum', () => {
    const total = 55 * slotIntervalMs(5) + RESERVE_LATE_MS;
    expect(total).toBeGreaterThan(11_000);
    expect(total / 11_000).toBeLessThan(1.02);
  });
});

describe('normalizePlan', () => {
  it('rejects a rate that is not a positive number', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => normalizePlan({ rate, burst: 1 })).toThrow(SpapiError);
    }
  });

  it('treats a missing or fractional-below-one burst as 1', () => {
    expect(normalizePlan({ rate: 2, burst: 0 })).toEqual({ rate: 2, burst: 1 });
    expect(normalizePlan({ rate: 2, burst: Number.NaN })).toEqual({ rate: 2, burst: 1 });
    expect(normalizePlan({ rate: 2, burst: 30 })).toEqual({ rate: 2, burst: 30 });
  });
});

describe('reserve', () => {
  it('spends the burst without waiting, then queues one interval apart', () => {
    let state = freshState({ rate: 5, burst: 3 }, T0);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = reserve(state, T0);
      state = r.state;
      waits.push(r.waitMs);
    }
    const late = RESERVE_LATE_MS;
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeCloseTo(202 + late, 9);
    expect(waits[4]).toBeCloseTo(404 + late, 9);
    expect(waits[5]).toBeCloseTo(606 + late, 9);
    expect(state.tokens).toBeCloseTo(-3, 9);
  });

  it('refills with elapsed time up to the burst', () => {
    const empty = { ...freshState({ rate: 5, burst: 3 }, T0), tokens: 0 };
    expect(refill(empty, T0 + 101).tokens).toBeCloseTo(0.5, 9);
    expect(refill(empty, T0 + 60_000).tokens).toBe(3);
  });

  it('adds nothing when the clock goes backwards', () => {
    const state = { ...freshState({ rate: 5, burst: 3 }, T0), tokens: -1 };
    const later = refill(state, T0 - 5000);
    expect(later.tokens).toBe(-1);
    expect(later.at).toBe(T0);
  });

  it('release gives the token back, never above the burst', () => {
    const queued = reserve({ ...freshState({ rate: 5, burst: 2 }, T0), tokens: 0 }, T0).state;
    expect(release(queued, T0).tokens).toBeCloseTo(0, 9);
    expect(release(freshState({ rate: 5, burst: 2 }, T0), T0).tokens).toBe(2);
  });
});

describe('adoptRate', () => {
  it('switches the rate and keeps the burst', () => {
    const next = adoptRate(freshState({ rate: 5, burst: 10 }, T0), 2, T0);
    expect(next).toMatchObject({ rate: 2, burst: 10, tokens: 10, shiftMs: 0 });
  });

  it('refills at the old rate up to the change', () => {
    const state = { ...freshState({ rate: 5, burst: 10 }, T0), tokens: 0 };
    expect(adoptRate(state, 1, T0 + 202)?.tokens).toBeCloseTo(1, 9);
  });

  it('ignores unchanged and invalid rates', () => {
    const state = freshState({ rate: 2, burst: 10 }, T0);
    for (const rate of [2, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(adoptRate(state, rate, T0)).toBeUndefined();
    }
  });

  it('moves a queue reserved at a higher rate back by the difference for its last caller', () => {
    const queued = { ...freshState({ rate: 10, burst: 1 }, T0), tokens: -2 };
    const next = adoptRate(queued, 5, T0);
    expect(next?.shiftMs).toBeCloseTo(2 * (202 - 101), 9);
    // A higher rate leaves the (now merely conservative) queue alone.
    expect(adoptRate(queued, 20, T0)?.shiftMs).toBe(0);
  });
});

describe('drainState', () => {
  it('empties a bucket that still had tokens', () => {
    const next = drainState(freshState({ rate: 5, burst: 5 }, T0), T0);
    expect(next.tokens).toBe(0);
    expect(next.shiftMs).toBe(0);
    expect(reserve(next, T0).waitMs).toBeCloseTo(202 + RESERVE_LATE_MS, 9);
  });

  it('moves a queue back one interval, once per interval', () => {
    const queued = { ...freshState({ rate: 5, burst: 1 }, T0), tokens: -1 };
    const once = drainState(queued, T0);
    expect(once.tokens).toBeCloseTo(-2, 9);
    expect(once.shiftMs).toBeCloseTo(202, 9);
    const twice = drainState(once, T0 + 50);
    expect(twice.shiftMs).toBeCloseTo(202, 9);
    expect(twice.tokens).toBeCloseTo(-2 + 50 / 202, 9);
    const later = drainState(twice, T0 + 202);
    expect(later.shiftMs).toBeCloseTo(404, 9);
  });
});

describe('lateSend', () => {
  it('ignores lateness within the burst slack', () => {
    const state = { ...freshState({ rate: 10, burst: 3 }, T0), tokens: -1 };
    expect(lateSend(state, T0 + 101, T0 + 101 + 2 * 101)).toBeUndefined();
  });

  it('takes the refill SP-API lost at its cap off the balance and moves the queue by it', () => {
    // Burst 2 at 10/s: our slot was T0 + 101, we woke 1 s late, one more caller is queued behind us.
    const state = { ...freshState({ rate: 10, burst: 2 }, T0), tokens: -2 };
    const next = lateSend(state, T0 + 101, T0 + 1101);
    expect(next?.shiftMs).toBeCloseTo(1000 - 101, 9);
    // SP-API after our send: burst − 1 − (one still queued) = 0.
    expect(next?.tokens).toBeCloseTo(0, 9);
    expect(next?.at).toBe(T0 + 1101);
  });

  it('never leaves more than burst − 1 after the send', () => {
    const state = { ...freshState({ rate: 10, burst: 2 }, T0), tokens: 0 };
    expect(lateSend(state, T0, T0 + 60_000)?.tokens).toBeLessThanOrEqual(1);
  });
});

describe('decideOnWake', () => {
  const state = { ...freshState({ rate: 10, burst: 2 }, T0), tokens: -1, shiftMs: 50 };

  it('sleeps on by a shift that happened meanwhile', () => {
    expect(decideOnWake(state, T0 + 101, 20, T0 + 101)).toEqual({ extraMs: 30, shiftMs: 50 });
  });

  it('goes when nothing changed, and records a late send', () => {
    expect(decideOnWake(state, T0 + 101, 50, T0 + 101)).toEqual({ extraMs: 0, shiftMs: 50, state: undefined });
    const late = decideOnWake(state, T0 + 101, 50, T0 + 5000);
    expect(late.extraMs).toBe(0);
    expect(late.state?.shiftMs).toBeGreaterThan(50);
    expect(late.shiftMs).toBe(late.state?.shiftMs);
  });

  it('goes when the state is gone or was reset', () => {
    expect(decideOnWake(undefined, T0, 50, T0 + 5000)).toEqual({ extraMs: 0, shiftMs: 50 });
    expect(decideOnWake({ ...state, shiftMs: 0 }, T0, 50, T0 + 5000)).toEqual({ extraMs: 0, shiftMs: 50 });
  });
});

describe('parseState', () => {
  const good = freshState({ rate: 5, burst: 5 }, T0);

  it('reads what was written', () => {
    expect(parseState(JSON.stringify(good))).toEqual(good);
  });

  it.each([
    ['empty', ''],
    ['not JSON', '{"v":1,'],
    ['null', 'null'],
    ['an array', '[]'],
    ['another version', JSON.stringify({ ...good, v: 2 })],
    ['a zero rate', JSON.stringify({ ...good, rate: 0 })],
    ['a string rate', JSON.stringify({ ...good, rate: '5' })],
    ['tokens above the burst', JSON.stringify({ ...good, tokens: 6 })],
    ['no timestamp', JSON.stringify({ ...good, at: undefined })],
    ['a negative shift', JSON.stringify({ ...good, shiftMs: -1 })],
  ])('treats %s as no state', (_name, text) => {
    expect(parseState(text)).toBeUndefined();
  });
});

describe('reserve with a full-start lag', () => {
  it('takes the lag from a full bucket once, so the first queued call waits lag + interval', () => {
    let state = freshState({ rate: 5, burst: 2 }, T0);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = reserve(state, T0, 50);
      state = r.state;
      waits.push(r.waitMs);
    }
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBe(0);
    expect(waits[2]).toBeCloseTo(50 + 202 + RESERVE_LATE_MS, 9);
    expect(waits[3]).toBeCloseTo(50 + 404 + RESERVE_LATE_MS, 9);
  });
  it('takes no lag from a bucket already below its burst', () => {
    const partial = { ...freshState({ rate: 5, burst: 2 }, T0), tokens: 1 };
    expect(reserve(partial, T0, 50).state.at).toBe(T0);
    expect(reserve(reserve(partial, T0, 50).state, T0, 50).waitMs).toBeCloseTo(202 + RESERVE_LATE_MS, 9);
  });
  it('starts the refill clock after the lag, not before', () => {
    const taken = reserve(freshState({ rate: 5, burst: 2 }, T0), T0, 50).state;
    expect(refill(taken, T0 + 50).tokens).toBeCloseTo(1, 9);
    expect(refill(taken, T0 + 151).tokens).toBeCloseTo(1.5, 9);
  });
});
