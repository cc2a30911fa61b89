import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NetworkError, ThrottledError } from '../../src/core/errors.js';
import { retry } from '../../src/core/http/retry.js';
import type { HttpRequest, HttpResponse } from '../../src/core/http/types.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';

const op = { rate: 0.5, burst: 10 } as OperationSpec;

function request(method: string): HttpRequest {
  return { method, url: new URL('https://sellingpartnerapi-na.amazon.com/x'), headers: {}, context: { operation: op, operationName: 'm.op', auth: 'seller' } };
}

function reply(status: number, body = ''): HttpResponse {
  return { status, headers: { 'x-amzn-requestid': `rid-${status}` }, body: Readable.from([Buffer.from(body)]) };
}

function connectionError(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** Runs the retry step over a scripted sequence of answers, recording the sleeps it asked for. */
async function script(method: string, answers: Array<number | 'reset'>, options: { maxAttempts?: number; maxWaitMs?: number } = {}) {
  const sleeps: number[] = [];
  let calls = 0;
  let drained = 0;
  const send = retry({
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    now: () => sleeps.reduce((a, b) => a + b, 0),
    onThrottled: async () => void drained++,
  })(async () => {
    const answer = answers[Math.min(calls++, answers.length - 1)];
    if (answer === 'reset') throw connectionError();
    return reply(answer ?? 200, `{"errors":[{"code":"E${answer}","message":"m"}]}`);
  });
  const outcome = await send(request(method)).then((r) => ({ status: r.status, attempts: r.attempts }), (e: unknown) => e);
  return { outcome, sleeps, calls, drained };
}

describe('retry', () => {
  it('returns a success at once', async () => expect((await script('GET', [200])).calls).toBe(1));
  it('retries 429 for GET and POST alike', async () => {
    for (const method of ['GET', 'POST']) expect((await script(method, [429, 429, 200])).outcome).toEqual({ status: 200, attempts: 3 });
  });
  it('never backs off less than 1/rate after a 429', async () => {
    const { sleeps } = await script('GET', [429, 429, 200]);
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(2000);
  });
  it('tells the limiter to drain on each 429', async () => expect((await script('GET', [429, 429, 200])).drained).toBe(2));
  it('retries 500/502/503/504 only for idempotent methods', async () => {
    for (const status of [500, 502, 503, 504]) {
      expect((await script('GET', [status, 200])).outcome).toEqual({ status: 200, attempts: 2 });
      expect((await script('POST', [status, 200])).outcome).toEqual({ status, attempts: 1 });
    }
  });
  it('does not retry 400, 403, 404', async () => {
    for (const status of [400, 403, 404]) expect((await script('GET', [status])).calls).toBe(1);
  });
  it('hands back the last 5xx after the attempts run out', async () => {
    expect((await script('GET', [503], { maxAttempts: 3 })).outcome).toEqual({ status: 503, attempts: 3 });
  });
  it('throws ThrottledError with the request id once 429s exhaust the attempts', async () => {
    const { outcome, calls } = await script('GET', [429], { maxAttempts: 3 });
    expect(calls).toBe(3);
    expect(outcome).toBeInstanceOf(ThrottledError);
    expect((outcome as ThrottledError).requestId).toBe('rid-429');
    expect((outcome as ThrottledError).body).toContain('E429');
  });
  it('throws ThrottledError when the next wait would pass --max-wait', async () => {
    const { outcome, calls } = await script('GET', [429], { maxWaitMs: 3000 });
    expect(outcome).toBeInstanceOf(ThrottledError);
    expect((outcome as Error).message).toContain('--max-wait 3 s');
    expect(calls).toBe(2);
  });
  it('retries connection resets for GET, not for POST', async () => {
    expect((await script('GET', ['reset', 200])).outcome).toEqual({ status: 200, attempts: 2 });
    const post = await script('POST', ['reset', 200]);
    expect(post.outcome).toBeInstanceOf(NetworkError);
    expect(post.calls).toBe(1);
  });
  it('reports a NetworkError after the last reset', async () => {
    expect((await script('GET', ['reset'], { maxAttempts: 2 })).outcome).toBeInstanceOf(NetworkError);
  });
  it('grows the jittered ceiling exponentially for 5xx', async () => {
    const { sleeps } = await script('GET', [500, 500, 500, 200]);
    expect(sleeps).toEqual([250, 500, 1000]);
  });
});
