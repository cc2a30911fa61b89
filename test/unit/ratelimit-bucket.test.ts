import { describe, expect, it } from 'vitest';
import {
  RESERVE_LATE_MS,
  adoptRate,
  drainState,
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
    expect(later.at).toBe(T0 - 5000);
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
