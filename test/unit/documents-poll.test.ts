import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/core/documents/poll.js';
import type { PollOptions } from '../../src/core/documents/poll.js';
import { PendingError, UsageError } from '../../src/core/errors.js';

interface Status {
  processingStatus: string;
}

/** A fake clock: sleep advances it; each check costs `checkMs`. Records when each check started. */
function harness(statuses: string[], checkMs = 0) {
  let clock = 1_000_000;
  const checks: number[] = [];
  const sleeps: number[] = [];
  const seen: Array<[string, number]> = [];
  let index = 0;
  const options: PollOptions<Status> = {
    check: async () => {
      checks.push(clock);
      clock += checkMs;
      const status = statuses[Math.min(index, statuses.length - 1)] ?? 'IN_QUEUE';
      index += 1;
      return { processingStatus: status };
    },
    isDone: (result) => ['DONE', 'CANCELLED', 'FATAL'].includes(result.processingStatus),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    onStatus: (result, elapsed) => seen.push([result.processingStatus, elapsed]),
  };
  return { options, checks, sleeps, seen, start: clock };
}

describe('pollUntil', () => {
  it('returns the first final result; waits start at 2 s and double up to 30 s', async () => {
    const h = harness([...Array(7).fill('IN_QUEUE'), 'IN_PROGRESS', 'DONE']);
    const result = await pollUntil(h.options);
    expect(result).toEqual({ processingStatus: 'DONE' });
    expect(h.sleeps).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(h.seen.at(-1)).toEqual(['DONE', 150_000]);
    expect(h.seen.map(([status]) => status)).toEqual([...Array(7).fill('IN_QUEUE'), 'IN_PROGRESS', 'DONE']);
  });

  it('a done first answer returns without waiting', async () => {
    const h = harness(['FATAL']);
    expect(await pollUntil(h.options)).toEqual({ processingStatus: 'FATAL' });
    expect(h.sleeps).toEqual([]);
  });

  it('the schedule is overridable; minIntervalMs is a floor between check starts, counting the time check() took', async () => {
    const h = harness(['IN_QUEUE', 'IN_QUEUE', 'IN_QUEUE', 'DONE'], 300);
    await pollUntil({ ...h.options, initialDelayMs: 100, backoffFactor: 3, maxDelayMs: 5_000, minIntervalMs: 1_000 });
    // Schedule 100, 300, 900 → each raised to what is left of 1 s after a 300 ms check: 700, 700, 900.
    expect(h.sleeps).toEqual([700, 700, 900]);
    const gaps = h.checks.slice(1).map((t, i) => t - (h.checks[i] as number));
    expect(gaps.every((gap) => gap >= 1_000)).toBe(true);
  });

  it('times out with a PendingError carrying the hint, after a last check at the deadline', async () => {
    const h = harness(['IN_PROGRESS']);
    const error = await pollUntil({
      ...h.options,
      timeoutMs: 10_000,
      describe: (result, elapsed) => `report 123 is still ${result.processingStatus} after ${elapsed / 1000} s`,
      timeoutHint: 'Check it later: spapi reports get 123',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PendingError);
    expect((error as PendingError).message).toBe('report 123 is still IN_PROGRESS after 10 s');
    expect((error as PendingError).hint).toBe('Check it later: spapi reports get 123');
    // 2 s + 4 s, then 4 s up to the deadline (instead of 8 s), one last check there.
    expect(h.sleeps).toEqual([2_000, 4_000, 4_000]);
    expect(h.checks.map((t) => t - h.start)).toEqual([0, 2_000, 6_000, 10_000]);
  });

  it('the last check at the deadline succeeds if the report is done by then', async () => {
    const h = harness(['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'DONE']);
    expect(await pollUntil({ ...h.options, timeoutMs: 10_000 })).toEqual({ processingStatus: 'DONE' });
  });

  it('gives up at once when the rate does not allow a check before the deadline', async () => {
    const h = harness(['IN_PROGRESS']);
    await expect(pollUntil({ ...h.options, timeoutMs: 1_500, minIntervalMs: 60_000 })).rejects.toThrow(/still not done after 0 s/);
    expect(h.sleeps).toEqual([]);
  });

  it('an aborted signal stops the wait with its reason, and check() errors propagate unchanged', async () => {
    const controller = new AbortController();
    const h = harness(['IN_QUEUE']);
    const reason = new Error('stop');
    const polling = pollUntil({
      ...h.options,
      signal: controller.signal,
      onStatus: () => controller.abort(reason),
    });
    await expect(polling).rejects.toBe(reason);
    const failing = harness(['IN_QUEUE']);
    const boom = new Error('throttled');
    await expect(pollUntil({ ...failing.options, check: () => Promise.reject(boom) })).rejects.toBe(boom);
  });

  it('refuses nonsense options', async () => {
    const h = harness(['DONE']);
    await expect(pollUntil({ ...h.options, initialDelayMs: -1, backoffFactor: 0 })).rejects.toThrow(UsageError);
  });

  it('real timers: a short schedule really waits', async () => {
    let calls = 0;
    const started = Date.now();
    const result = await pollUntil({ check: async () => ++calls, isDone: (n) => n === 3, initialDelayMs: 20, maxDelayMs: 20 });
    expect(result).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });
});
