import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SpapiError, ThrottledError } from '../../src/core/errors.js';
import { FileRateLimiter, MemoryRateLimiter, bucketKey, type RateLimiter } from '../../src/core/ratelimit/index.js';
import { RESERVE_LATE_MS } from '../../src/core/ratelimit/bucket.js';
import { FakeClock } from './ratelimit-fake-clock.js';

const LATE = RESERVE_LATE_MS;
const key = bucketKey({ clientId: 'amzn1.application-oa2-client.test', refreshToken: 'Atzr|test', region: 'na', operation: 'ordersV0.getOrders' });
const other = { ...key, operation: 'ordersV0.getOrder' };

/** Both limiters must behave identically on a virtual clock. */
const kinds: { name: string; make: (clock: FakeClock, dir: string) => RateLimiter }[] = [
  { name: 'MemoryRateLimiter', make: (clock) => new MemoryRateLimiter({ ...clock, fullStartLagMs: 0 }) },
  { name: 'FileRateLimiter', make: (clock, dir) => new FileRateLimiter({ dir, now: clock.now, sleep: clock.sleep, fullStartLagMs: 0 }) },
];

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 100_000) throw new Error('condition never became true');
    await tick();
  }
}

/** Replays send times against SP-API's exact bucket (no margin, full at the start); returns the rejected ones. */
function rejectedBySpApi(times: number[], rate: number, burst: number): number[] {
  let tokens = burst;
  let at = times[0] ?? 0;
  return times.filter((t) => {
    tokens = Math.min(burst, tokens + ((t - at) * rate) / 1000);
    at = t;
    tokens -= 1;
    return tokens < -1e-9;
  });
}

describe.each(kinds)('$name', ({ make }) => {
  let dir: string;
  let clock: FakeClock;
  let limiter: RateLimiter;
  const T0 = 1_000_000;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spapi-rl-'));
    clock = new FakeClock(T0);
    limiter = make(clock, dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Acquires in sequence (like paging) and returns the virtual send times relative to T0. */
  async function serial(n: number, plan = { rate: 5, burst: 5 }): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      await clock.run(limiter.acquire(key, plan));
      times.push(clock.t - T0);
    }
    return times;
  }

  it('spends the burst at once, then sends exactly one interval apart', async () => {
    const times = await serial(12);
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    times.slice(5).forEach((t, i) => expect(t).toBeCloseTo((i + 1) * 202 + LATE, 6));
  });

  it('spaces N concurrent acquires by the interval, in call order', async () => {
    const order: number[] = [];
    const tasks = Array.from({ length: 8 }, (_, i) =>
      limiter.acquire(key, { rate: 5, burst: 2 }).then(() => order.push(i) && clock.t - T0),
    );
    const results = await clock.drive(tasks);
    const times = results.map((r) => (r.status === 'fulfilled' ? r.value : Number.NaN));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(times.slice(0, 2)).toEqual([0, 0]);
    times.slice(2).forEach((t, i) => expect(t).toBeCloseTo((i + 1) * 202 + LATE, 6));
  });

  it('keeps buckets of different operations apart', async () => {
    await serial(1, { rate: 1, burst: 1 });
    await clock.run(limiter.acquire(other, { rate: 1, burst: 1 }));
    expect(clock.t).toBe(T0);
  });

  it('throws ThrottledError when the slot is beyond maxWaitMs, and gives the token back', async () => {
    const plan = { rate: 1, burst: 1 };
    await serial(1, plan);
    const error: unknown = await clock.run(limiter.acquire(key, plan, { maxWaitMs: 500 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).kind).toBe('throttled');
    expect((error as ThrottledError).message).toBe(
      'quota for ordersV0.getOrders would free up in 1.1 s, more than --max-wait 0.5 s',
    );
    expect((error as ThrottledError).hint).toMatch(/1 request\(s\) per second with a burst of 1; raise --max-wait/);
    expect(clock.t).toBe(T0);
    // Undone: the next caller gets the slot the failed one had reserved, not the one after.
    await clock.run(limiter.acquire(key, plan));
    expect(clock.t - T0).toBeCloseTo(1010 + LATE, 6);
  });

  it('formats long waits in whole seconds', async () => {
    const plan = { rate: 1 / 42, burst: 1 };
    await serial(1, plan);
    await expect(clock.run(limiter.acquire(key, plan, { maxWaitMs: 30_000 }))).rejects.toThrow(
      'quota for ordersV0.getOrders would free up in 43 s, more than --max-wait 30 s',
    );
  });

  it('waits when the slot is within maxWaitMs', async () => {
    await serial(1, { rate: 1, burst: 1 });
    await clock.run(limiter.acquire(key, { rate: 1, burst: 1 }, { maxWaitMs: 1010 + LATE }));
    expect(clock.t - T0).toBeCloseTo(1010 + LATE, 6);
  });

  it('rejects with the abort reason and releases the reservation', async () => {
    const plan = { rate: 1, burst: 1 };
    await serial(1, plan);
    const controller = new AbortController();
    const pending = limiter.acquire(key, plan, { signal: controller.signal });
    const outcome = pending.catch((e: unknown) => e);
    await until(() => clock.sleeping === 1);
    clock.t += 400;
    const reason = new Error('user pressed Ctrl-C');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    // The released slot (at 1010 + LATE) goes to the next caller.
    await clock.run(limiter.acquire(key, plan));
    expect(clock.t - T0).toBeCloseTo(1010 + LATE, 6);
  });

  it('rejects at once without taking a token when the signal is already aborted', async () => {
    const plan = { rate: 1, burst: 1 };
    const reason = new Error('gone');
    await expect(limiter.acquire(key, plan, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await serial(1, plan);
    expect(clock.t).toBe(T0);
  });

  it('tells onWait about waits over one second, with the plan in force', async () => {
    const onWait = vi.fn();
    await serial(5, { rate: 5, burst: 5 });
    await clock.run(limiter.acquire(key, { rate: 5, burst: 5 }, { onWait }));
    expect(onWait).not.toHaveBeenCalled();
    await clock.run(limiter.acquire(other, { rate: 0.5, burst: 1 }, { onWait }));
    await clock.run(limiter.acquire(other, { rate: 0.5, burst: 1 }, { onWait }));
    expect(onWait).toHaveBeenCalledTimes(1);
    const [waitMs, plan] = onWait.mock.calls[0] as [number, unknown];
    expect(waitMs).toBeCloseTo(2020 + LATE, 6);
    expect(plan).toEqual({ rate: 0.5, burst: 1 });
  });

  it('rejects an invalid usage plan', async () => {
    await expect(limiter.acquire(key, { rate: 0, burst: 1 })).rejects.toBeInstanceOf(SpapiError);
  });

  it('observeRate adopts the header rate and keeps the burst', async () => {
    const plan = { rate: 5, burst: 2 };
    await serial(2, plan);
    await limiter.observeRate(key, 2);
    await clock.run(limiter.acquire(key, plan));
    expect(clock.t - T0).toBeCloseTo(505 + LATE, 6);
    // The seed no longer matters once the bucket exists: it keeps the adopted rate.
    await clock.run(limiter.acquire(key, { rate: 50, burst: 2 }));
    expect(clock.t - T0).toBeCloseTo(1010 + LATE, 6);
  });

  it('observeRate keeps the burst after the bucket refilled', async () => {
    await serial(1, { rate: 1, burst: 3 });
    clock.t += 60_000;
    await limiter.observeRate(key, 10);
    const times = await serial(4, { rate: 1, burst: 3 });
    expect(times.slice(0, 3)).toEqual([60_000, 60_000, 60_000]);
    expect(times[3]).toBeCloseTo(60_000 + 101 + LATE, 6);
  });

  it('observeRate before any acquire changes nothing', async () => {
    await limiter.observeRate(key, 0.1);
    const times = await serial(2, { rate: 5, burst: 1 });
    expect(times[1]).toBeCloseTo(202 + LATE, 6);
  });

  it('observeRate with a lower rate moves callers already queued back', async () => {
    const plan = { rate: 10, burst: 1 };
    await serial(1, plan);
    const times: number[] = [];
    const queued = [0, 1].map(() => limiter.acquire(key, plan).then(() => times.push(clock.t - T0)));
    await until(() => clock.sleeping === 2);
    await limiter.observeRate(key, 5);
    const tail = limiter.acquire(key, plan).then(() => times.push(clock.t - T0));
    await clock.drive([...queued, tail]);
    // Queued at 101 and 202 (10/s), shifted by 2 × (202 − 101); the tail reserves at 5/s.
    expect(times[0]).toBeCloseTo(101 + 202 + LATE, 6);
    expect(times[1]).toBeCloseTo(202 + 202 + LATE, 6);
    expect(times[2]).toBeCloseTo(3 * 202 + LATE, 6);
  });

  it('drain makes the next caller wait one interval', async () => {
    await serial(1, { rate: 5, burst: 5 });
    await limiter.drain(key);
    const times = await serial(2, { rate: 5, burst: 5 });
    expect(times[0]).toBeCloseTo(202 + LATE, 6);
    expect(times[1]).toBeCloseTo(404 + LATE, 6);
  });

  it('drain moves queued callers and the tail back one interval', async () => {
    const plan = { rate: 5, burst: 1 };
    await serial(1, plan);
    const times: number[] = [];
    const queued = limiter.acquire(key, plan).then(() => times.push(clock.t - T0));
    await until(() => clock.sleeping === 1);
    await limiter.drain(key);
    await limiter.drain(key); // a second 429 from the same volley does not shift again
    const tail = limiter.acquire(key, plan).then(() => times.push(clock.t - T0));
    await clock.drive([queued, tail]);
    expect(times[0]).toBeCloseTo(2 * 202 + LATE, 6);
    expect(times[1]).toBeCloseTo(3 * 202 + LATE, 6);
  });

  it('gives the token back when a shift pushes the wait beyond maxWaitMs', async () => {
    const plan = { rate: 5, burst: 1 };
    await serial(1, plan);
    const queued = limiter.acquire(key, plan, { maxWaitMs: 300 }).catch((e: unknown) => e);
    await until(() => clock.sleeping === 1);
    await limiter.drain(key);
    const [result] = await clock.drive([queued]);
    expect(result?.status === 'fulfilled' && result.value).toBeInstanceOf(ThrottledError);
    expect(clock.t - T0).toBeCloseTo(202 + LATE, 6);
    // Balance: −1 (queued) −1 (drain) +1 (given back): the next caller gets the slot after the drain's.
    await clock.run(limiter.acquire(key, plan));
    expect(clock.t - T0).toBeCloseTo(2 * 202 + LATE, 6);
  });

  it('a queue that wakes late (stalled process) still fits SP-API, which capped its refill meanwhile', async () => {
    const plan = { rate: 10, burst: 2 };
    const times: number[] = [];
    const record = (): number => times.push(clock.t - T0);
    await serial(2, plan).then((t) => times.push(...t));
    const queued = [0, 1].map(() => limiter.acquire(key, plan).then(record));
    await until(() => clock.sleeping === 2);
    clock.t += 1000; // the event loop was blocked: both wake a second after their slots
    await clock.drive(queued);
    // Another caller right after: the model must know SP-API refilled only up to the burst.
    const tail = [0, 1, 2].map(() => limiter.acquire(key, plan).then(record));
    await clock.drive(tail);
    // After the stall SP-API's bucket is full again (2), so both late callers may go at once...
    expect(times.slice(2, 4)).toEqual([1000, 1000]);
    // ...but then it is empty: without the correction the model would think it full and send the tail at once.
    expect(times[4]).toBeGreaterThanOrEqual(1000 + 100);
    expect(rejectedBySpApi(times, plan.rate, plan.burst)).toEqual([]);
  });

  it('serial, concurrent and drained schedules all fit SP-API exactly', async () => {
    const plan = { rate: 5, burst: 3 };
    const times = await serial(10, plan);
    const results = await clock.drive(Array.from({ length: 10 }, () => limiter.acquire(key, plan).then(() => clock.t - T0)));
    times.push(...results.map((r) => (r.status === 'fulfilled' ? r.value : Number.NaN)));
    await limiter.drain(key);
    times.push(...(await serial(5, plan)));
    expect(rejectedBySpApi(times, plan.rate, plan.burst)).toEqual([]);
  });
});
