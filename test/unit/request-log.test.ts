import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/core/errors.js';
import { rateLimit } from '../../src/core/http/rate-limit.js';
import { requestLog, type RequestLogRecord } from '../../src/core/http/request-log.js';
import { retry } from '../../src/core/http/retry.js';
import type { HttpRequest, HttpResponse, Send } from '../../src/core/http/types.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import type { RateLimiter } from '../../src/core/ratelimit/types.js';

/*
 * The request-log step in the real chain (request log → retry → rate limit → transport), on an
 * injected clock: the limiter's waits advance it, the retry back-off advances it, and the record
 * must count only the former as waitedMs.
 */

const API = 'https://sellingpartnerapi-na.amazon.com';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const SPEC = { path: '/orders/v0/orders/{orderId}/address', method: 'GET', rate: 0.5, burst: 30 } as unknown as OperationSpec;

function request(url = `${API}/orders/v0/orders/902-1-2/address?MarketplaceIds=ATVPDKIKX0DER&BuyerEmail=a%40b.example`): HttpRequest {
  return { method: 'GET', url: new URL(url), headers: { 'x-amz-access-token': 'Atza|secret' }, context: { operation: SPEC, operationName: 'ordersV0.getOrderAddress', auth: 'rdt' } };
}

function answer(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: Readable.from([Buffer.from('{"payload":{"BuyerEmail":"a@b.example"}}')]) };
}

function chain(t: ReturnType<typeof clock>, transport: Send, waitPerAcquireMs: number) {
  const records: RequestLogRecord[] = [];
  const log = requestLog({ sink: (r) => void records.push(r), profile: 'shop', isApiOrigin: (u) => u.origin === API, now: t.now, clock: () => new Date(Date.UTC(2026, 10, 1) + t.now()) });
  const limiter: RateLimiter = {
    acquire: async () => void t.advance(waitPerAcquireMs),
    observeRate: async () => undefined,
    drain: async () => undefined,
  };
  let send = rateLimit({ limiter: log.wrapLimiter(limiter), keyFor: async () => ({ clientId: 'c', sellingPartner: 's', region: 'na', operation: 'ordersV0.getOrderAddress' }) })(transport);
  send = retry({ maxAttempts: 3, sleep: async (ms) => void t.advance(ms), random: () => 0.5, now: t.now })(send);
  return { send: log.middleware(send), records };
}

describe('requestLog', () => {
  it('one record per request: attempts from retry, waits from the limiter only, path template, query names', async () => {
    const t = clock();
    const statuses = [503, 200];
    const { send, records } = chain(t, async () => {
      t.advance(40);
      const status = statuses.shift() ?? 200;
      return answer(status, { 'x-amzn-requestid': `req-${status}`, 'x-amzn-ratelimit-limit': '0.5' });
    }, 300);
    const response = await send(request());
    expect(response.status).toBe(200);
    // 2 × 300 ms waiting for slots, 2 × 40 ms on the wire, 250 ms back-off (0.5 × 500 ms).
    expect(records).toEqual([{
      time: '2026-11-01T00:00:00.000Z',
      profile: 'shop',
      operation: 'ordersV0.getOrderAddress',
      method: 'GET',
      path: '/orders/v0/orders/{orderId}/address',
      query: ['BuyerEmail', 'MarketplaceIds'],
      status: 200,
      requestId: 'req-200',
      durationMs: 930,
      attempts: 2,
      waitedMs: 600,
      rateLimit: '0.5',
    }]);
    const text = JSON.stringify(records);
    for (const value of ['902-1-2', 'a@b.example', 'a%40b', 'ATVPDKIKX0DER', 'Atza|secret']) expect(text).not.toContain(value);
  });

  it('a request that fails without an answer is logged with its error kind, and the error still reaches the caller', async () => {
    const t = clock();
    const { send, records } = chain(t, async () => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }, 0);
    await expect(send(request())).rejects.toBeInstanceOf(NetworkError);
    expect(records).toEqual([expect.objectContaining({ error: 'network', attempts: 3, waitedMs: 0 })]);
    expect(records[0]).not.toHaveProperty('status');
  });

  it('presigned document URLs are not SP-API requests: not logged', async () => {
    const t = clock();
    const { send, records } = chain(t, async () => answer(200), 0);
    await send({ ...request('https://tortuga-prod-na.s3.amazonaws.com/doc?X-Amz-Signature=abc'), context: { auth: 'none' } });
    expect(records).toEqual([]);
  });

  it('a sink that throws never fails the call', async () => {
    const t = clock();
    const log = requestLog({ sink: () => { throw new Error('disk full'); }, isApiOrigin: () => true, now: t.now });
    const response = await log.middleware(async () => answer(200))(request());
    expect(response.status).toBe(200);
  });
});
