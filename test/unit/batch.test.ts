import { describe, expect, it } from 'vitest';
import { checkBatch, doneInputs, inputKey, mergeInput, orderedPool, readInputs, type InputLine } from '../../src/core/batch.js';
import { UsageError } from '../../src/core/errors.js';

async function* from<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A promise settled from outside, so the test decides the completion order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('readInputs', () => {
  it('ndjson objects with their line numbers; blank lines skipped but counted; non-objects are problems', async () => {
    const lines = ['{"orderId":"a"}', '', '  ', '[1]', 'nope', '{"orderId":"b","body":{}}'];
    expect(await all(readInputs(from(lines)))).toEqual<InputLine[]>([
      { line: 1, input: { orderId: 'a' } },
      { line: 4, problem: 'expected a JSON object of parameter names to values' },
      { line: 5, problem: expect.stringMatching(/^not JSON/) as unknown as string },
      { line: 6, input: { orderId: 'b', body: {} } },
    ]);
  });

  it('--each-param: one value a line, trimmed (a CRLF file too)', async () => {
    expect(await all(readInputs(from(['a\r', ' b ', '']), { param: 'orderId' }))).toEqual([
      { line: 1, input: { orderId: 'a' } },
      { line: 2, input: { orderId: 'b' } },
    ]);
  });
});

describe('mergeInput', () => {
  it('an input replaces the command line value of the same name and --body; other defaults stay', () => {
    const defaults = { params: [['MarketplaceIds', 'US'], ['CreatedAfter', '7d']] as Array<[string, string]>, body: { a: 1 } };
    expect(mergeInput({ MarketplaceIds: ['DE', 'FR'], MaxResultsPerPage: 5, body: { b: 2 } }, defaults)).toEqual({
      params: [['CreatedAfter', '7d'], ['MarketplaceIds', ['DE', 'FR']], ['MaxResultsPerPage', '5']],
      body: { b: 2 },
    });
    expect(mergeInput({ orderId: 'x' }, defaults)).toEqual({ params: [['MarketplaceIds', 'US'], ['CreatedAfter', '7d'], ['orderId', 'x']], body: { a: 1 } });
  });

  it('an array item keeps its commas; an object value is a usage error', () => {
    expect(mergeInput({ sellerSkus: ['a,b', 'c'] }, { params: [] }).params).toEqual([['sellerSkus', ['a\\,b', 'c']]]);
    expect(() => mergeInput({ orderId: { x: 1 } }, { params: [] })).toThrow(UsageError);
  });
});

describe('checkBatch', () => {
  it('every bad line reported with its number, up to 20, all counted', async () => {
    const lines: InputLine[] = Array.from({ length: 30 }, (_, i) => ({ line: i + 1, input: { n: i } }));
    const check = await checkBatch(from(lines), (input) => {
      if ((input['n'] as number) % 2) throw new UsageError('bad', { problems: ['odd', 'really'] });
    });
    expect(check).toMatchObject({ inputs: 30, failedLines: 15 });
    expect(check.problems).toHaveLength(20);
    expect(check.problems.slice(0, 3)).toEqual(['line 2: odd', 'line 2: really', 'line 4: odd']);
  });
});

describe('--resume', () => {
  it('inputs with a 2xx record are done, whatever their key order; failures and broken lines are not', async () => {
    const done = await doneInputs(from([
      JSON.stringify({ input: { a: 1, b: [1, { c: 2, d: 3 }] }, status: 200, body: {} }),
      JSON.stringify({ input: { x: 1 }, status: 404, error: {} }),
      JSON.stringify({ input: { y: 1 }, status: null, error: {} }),
      '{"input":{"z":1},"sta',
    ]));
    expect(done.has(inputKey({ b: [1, { d: 3, c: 2 }], a: 1 }))).toBe(true);
    expect(done.has(inputKey({ x: 1 }))).toBe(false);
    expect(done.has(inputKey({ y: 1 }))).toBe(false);
    expect(done.size).toBe(1);
    expect(inputKey({ a: '1' })).not.toBe(inputKey({ a: 1 }));
  });
});

describe('orderedPool', () => {
  it('results in input order whatever the completion order, never more than `concurrency` unfinished', async () => {
    const gates = Array.from({ length: 6 }, () => deferred<string>());
    let running = 0;
    let most = 0;
    const pool = orderedPool(from([0, 1, 2, 3, 4, 5]), async (i) => {
      running += 1;
      most = Math.max(most, running);
      const value = await gates[i]!.promise;
      running -= 1;
      return value;
    }, { concurrency: 2 });
    const results = all(pool);
    // Finish them back to front: the pool still yields 0..5.
    for (const i of [1, 0, 3, 2, 5, 4]) {
      gates[i]!.resolve(`r${i}`);
      await new Promise((r) => setImmediate(r));
    }
    expect(await results).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(most).toBe(2);
  });

  it('streams: a 100,000-line input is pulled only as far as the window reaches', async () => {
    let pulled = 0;
    async function* huge() {
      for (let i = 0; i < 100_000; i++) {
        pulled += 1;
        yield i;
      }
    }
    const pool = orderedPool(huge(), async (i) => i * 2, { concurrency: 4 });
    const seen: number[] = [];
    for await (const value of pool) {
      seen.push(value);
      if (seen.length === 10) break;
    }
    expect(seen).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(pulled).toBeLessThanOrEqual(14);
  });

  it('failFast: nothing new starts after a failure; what was in flight finishes and is yielded', async () => {
    const started: number[] = [];
    const pool = orderedPool(from([0, 1, 2, 3, 4, 5, 6, 7]), async (i) => {
      started.push(i);
      await new Promise((r) => setImmediate(r));
      return i === 2 ? 'fail' : 'ok';
    }, { concurrency: 2, failFast: (r) => r === 'fail' });
    const results = await all(pool);
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'fail']);
    expect(results.length).toBeLessThanOrEqual(4);
    expect(started).toEqual(started.slice(0, results.length).map((_, i) => i));
  });

  it('a worker that throws ends the run with its error after the others settle', async () => {
    let settled = 0;
    const pool = orderedPool(from([0, 1, 2]), async (i) => {
      await new Promise((r) => setImmediate(r));
      settled += 1;
      if (i === 0) throw new Error('no credentials');
      return i;
    }, { concurrency: 3 });
    await expect(all(pool)).rejects.toThrow('no credentials');
    expect(settled).toBe(3);
  });
});
