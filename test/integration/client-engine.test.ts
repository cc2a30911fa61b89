import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildRequest, findOperation, LwaClient, MemoryRateLimiter, MemoryTokenCache, SpapiClient, type OperationSpec,
} from '../../src/index.js';
import type { RetryEvent } from '../../src/core/http/retry.js';
import type { BucketKey, RateLimiter, UsagePlan } from '../../src/core/ratelimit/index.js';
import { loadGeneratedCatalog } from '../../src/emulator/catalog.js';
import { SELLER, sellerAccessToken, useEmulator } from '../helpers/emulator.js';

/*
 * The core SpapiClient (the library, not the CLI) against the in-process emulator: the retry
 * floor after a 429, RDT reuse, token scoping to the SP-API origin, and token-before-slot order.
 */

const catalog = { operations: loadGeneratedCatalog() };
const op = (name: string): OperationSpec => findOperation(catalog, name).spec;

// Catalog rate 2/s (so the retry floor is 500 ms); the server allows one call a second, burst 1.
const THROTTLED = 'fulfillmentInbound_2024-03-20.listInboundPlanItems';
const emu = useEmulator({ rateScale: 1000, rateOverrides: { [THROTTLED]: { rate: 1, burst: 1 } } });

interface Harness {
  client: SpapiClient;
  retries: RetryEvent[];
  trace: Array<{ at: number; line: string }>;
  lwaRequests: () => number;
}

function harness(options: { limiter?: RateLimiter } = {}): Harness {
  const retries: RetryEvent[] = [];
  const trace: Array<{ at: number; line: string }> = [];
  let lwa = 0;
  const client = new SpapiClient({
    baseUrl: emu().urls.spApi,
    region: 'na',
    credentials: async () => ({ ...SELLER, sources: {} }),
    lwa: new LwaClient({ tokenUrl: emu().urls.lwa, cache: new MemoryTokenCache(), onRequest: () => void lwa++ }),
    limiter: options.limiter ?? new MemoryRateLimiter(),
    userAgent: 'spapi-tests',
    rdtOperation: op('tokens_2021-03-01.createRestrictedDataToken'),
    onRetry: (event) => retries.push(event),
    debug: (line) => trace.push({ at: Date.now(), line }),
  });
  return { client, retries, trace, lwaRequests: () => lwa };
}

const call = (client: SpapiClient, name: string, params: Array<[string, string]>, rdt?: { dataElements: string[] }) =>
  client.call(op(name), buildRequest(op(name), { params }), { operationName: name, ...(rdt ? { rdt } : {}) });

beforeEach(() => {
  emu().setFaults({});
  emu().resetStats();
});

describe('SpapiClient against the emulator', () => {
  it('after a 429 waits at least 1/rate of the operation before resending, then succeeds', async () => {
    const { client, retries, trace } = harness();
    // The first call takes the server's only token; the second, sent at once, is answered 429.
    expect((await call(client, THROTTLED, [['inboundPlanId', 'wf1']])).status).toBe(200);
    const result = await call(client, THROTTLED, [['inboundPlanId', 'wf1']]);
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(2);

    const floorMs = 1000 / (op(THROTTLED).rate ?? 0);
    expect(floorMs).toBe(500);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, status: 429, operationName: THROTTLED });
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(floorMs);
    // Measured on the wire (our side): the resend left no sooner than the floor after the 429 came back.
    const throttledAt = trace.find((t) => t.line.startsWith('< 429 GET'))?.at ?? Number.NaN;
    const resentAt = trace.filter((t) => t.line.startsWith('> GET')).at(-1)?.at ?? Number.NaN;
    expect(resentAt - throttledAt).toBeGreaterThanOrEqual(floorMs - 1);
    expect(emu().stats().byOperation[THROTTLED]).toEqual({ requests: 3, throttled: 1 });
    await client.close();
  });

  it('reuses one RDT for repeated restricted calls on the same path, and asks again for another path', async () => {
    const token = await sellerAccessToken(emu());
    const query = new URLSearchParams({ MarketplaceIds: 'ATVPDKIKX0DER', CreatedAfter: new Date(Date.now() - 60 * 86_400_000).toISOString(), MaxResultsPerPage: '2' });
    const listed = await fetch(`${emu().urls.spApi}/orders/v0/orders?${query}`, { headers: { 'x-amz-access-token': token } });
    const ids = ((await listed.json()) as { payload: { Orders: Array<{ AmazonOrderId: string }> } }).payload.Orders.map((o) => o.AmazonOrderId);
    expect(ids).toHaveLength(2);
    emu().resetStats();

    const { client, lwaRequests } = harness();
    const address = async (id: string) => {
      const result = await call(client, 'ordersV0.getOrderAddress', [['orderId', id]], { dataElements: [] });
      return (JSON.parse(result.text) as { payload: { ShippingAddress: Record<string, string> } }).payload.ShippingAddress;
    };
    const first = await address(ids[0] ?? '');
    const again = await address(ids[0] ?? '');
    expect(first['AddressLine1']).toEqual(expect.any(String));
    expect(again).toEqual(first);
    expect(emu().stats().byOperation['tokens_2021-03-01.createRestrictedDataToken']?.requests).toBe(1);

    expect((await address(ids[1] ?? ''))['AddressLine1']).toEqual(expect.any(String));
    const stats = emu().stats();
    expect(stats.byOperation['tokens_2021-03-01.createRestrictedDataToken']?.requests).toBe(2);
    expect(stats.byOperation['ordersV0.getOrderAddress']?.requests).toBe(3);
    // One seller token for the whole client: the RDT requests reuse it too.
    expect(lwaRequests()).toBe(1);
    await client.close();
  });

  it('resolves the token before taking the rate-limit slot (the LWA round trip is not metered time)', async () => {
    let lwaAtFirstAcquire: number | undefined;
    const inner = new MemoryRateLimiter();
    const h: { lwa?: () => number } = {};
    const spy: RateLimiter = {
      acquire(key: BucketKey, plan: UsagePlan, options) {
        lwaAtFirstAcquire ??= h.lwa?.();
        return inner.acquire(key, plan, options);
      },
      observeRate: (key, rate) => inner.observeRate(key, rate),
      drain: (key) => inner.drain(key),
    };
    const { client, lwaRequests } = harness({ limiter: spy });
    h.lwa = lwaRequests;
    expect((await call(client, 'sellers.getMarketplaceParticipations', [])).status).toBe(200);
    expect(lwaAtFirstAcquire).toBe(1);
    expect(lwaRequests()).toBe(1);
    await client.close();
  });
});

describe('the access token goes to the SP-API origin only', () => {
  let other: Server;
  let otherUrl = '';
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    other = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it('a request whose path resolves to another origin carries no x-amz-access-token', async () => {
    const { client } = harness();
    const spec = op('sellers.getMarketplaceParticipations');
    // The control: the SP-API origin does get the token.
    expect((await call(client, 'sellers.getMarketplaceParticipations', [])).status).toBe(200);
    expect(emu().stats().lastRequests.find((r) => r.kind === 'sp-api')?.headers['x-amz-access-token']).toMatch(/^Atza\|/);

    for (const path of [`${otherUrl}/absolute`, `//${new URL(otherUrl).host}/protocol-relative`]) {
      const response = await client.send(spec, { method: 'GET', path, headers: { 'x-amz-access-token': 'smuggled' } }, { operationName: 'elsewhere' });
      expect(response.status).toBe(200);
      response.body.resume();
    }
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      expect(headers['x-amz-access-token']).toBeUndefined();
      expect(headers['x-amz-date']).toBeUndefined();
    }
    await client.close();
  });
});
