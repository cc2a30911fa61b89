import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/*
 * The regional hosts: `<spApi>/na|eu|fe/…` behave like sellingpartnerapi-<region>.amazon.com, each
 * with its own marketplaces, orders, reports, page tokens and usage-plan buckets; the unprefixed
 * root serves every region. Runs against the generated catalog, like emulator-orders.test.ts.
 */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-regions: src/core/catalog/operations.gen.json is missing; these tests are skipped');

type Region = 'na' | 'eu' | 'fe';
const REGIONS: Region[] = ['na', 'eu', 'fe'];
const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const JP = 'A1VC38T7YXB528';
// The emulated seller's marketplaces by region (country codes as the Sellers API prints them).
const COUNTRIES: Record<Region, string[]> = { na: ['US', 'CA', 'MX'], eu: ['DE', 'UK', 'FR', 'IT', 'ES', 'NL', 'PL'], fe: ['JP', 'AU'] };
// Amazon order id series per region (order-ids.ts says where they come from).
const ORDER_ID_PREFIXES: Record<Region, string[]> = {
  na: ['111', '112', '113', '114', '701', '702'],
  eu: ['028', '171', '202', '203', '204', '205', '206', '302', '303', '304', '305', '306', '402', '403', '404', '405', '406', '407', '408'],
  fe: ['249', '250', '503'],
};
const LONG_AGO = new Date(Date.now() - 100 * 86_400_000).toISOString();
const REPORTS = '/reports/2021-06-30/reports';

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}
interface Participation {
  marketplace: { id: string; countryCode: string };
  participation: { isParticipating: boolean; hasSuspendedListings: boolean };
}
interface V0Order {
  AmazonOrderId: string;
  MarketplaceId: string;
}
type OrdersPage = { payload: { Orders: V0Order[]; NextToken?: string } };
type ErrorBody = { errors: Array<{ code: string; message: string; details: string }> };

let token = '';

async function accessToken(emulator: Emulator): Promise<string> {
  const response = await fetch(emulator.urls.lwa, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** One request to `base` (the root or a regional base URL). */
async function call<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown, accessTokenValue = token): Promise<Reply<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-amz-access-token': accessTokenValue, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

const query = (params: Record<string, string>): string => `?${new URLSearchParams(params).toString()}`;

/** Every v0 order `base` returns for the marketplaces, following NextToken. */
async function v0Orders(base: string, marketplaceIds: string[]): Promise<V0Order[]> {
  const orders: V0Order[] = [];
  const filters = { MarketplaceIds: marketplaceIds.join(','), CreatedAfter: LONG_AGO };
  let reply = await call<OrdersPage>(base, 'GET', `/orders/v0/orders${query(filters)}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  orders.push(...reply.body.payload.Orders);
  while (reply.body.payload.NextToken !== undefined) {
    reply = await call<OrdersPage>(base, 'GET', `/orders/v0/orders${query({ ...filters, NextToken: reply.body.payload.NextToken })}`);
    expect(reply.status).toBe(200);
    orders.push(...reply.body.payload.Orders);
  }
  return orders;
}

describe.skipIf(!catalogPresent)('regional hosts', () => {
  let emulator: Emulator;
  const others: Emulator[] = [];
  const base = (region: Region): string => emulator.urls.spApiRegions[region];
  const idsOf = async (region: Region): Promise<string[]> => {
    const reply = await call<{ payload: Participation[] }>(base(region), 'GET', '/sellers/v1/marketplaceParticipations');
    return reply.body.payload.map((p) => p.marketplace.id);
  };

  async function startOther(options: EmulatorOptions): Promise<Emulator> {
    const other = await startEmulator({ rateScale: 100_000, ...options });
    others.push(other);
    return other;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    token = await accessToken(emulator);
  });
  afterAll(async () => {
    await Promise.all([emulator.close(), ...others.map((e) => e.close())]);
  });

  it('reports a base URL per region: the root with /na, /eu, /fe', () => {
    expect(emulator.urls.spApiRegions).toEqual({ na: `${emulator.urls.spApi}/na`, eu: `${emulator.urls.spApi}/eu`, fe: `${emulator.urls.spApi}/fe` });
  });

  describe('sellers getMarketplaceParticipations', () => {
    it.each(REGIONS)('lists only the marketplaces of %s', async (region) => {
      const reply = await call<{ payload: Participation[] }>(base(region), 'GET', '/sellers/v1/marketplaceParticipations');
      expect(reply.status).toBe(200);
      expect(reply.body.payload.map((p) => p.marketplace.countryCode)).toEqual(COUNTRIES[region]);
    });

    it('keeps FR not participating and DE with suspended listings in eu; the root lists every region, US first', async () => {
      const eu = (await call<{ payload: Participation[] }>(base('eu'), 'GET', '/sellers/v1/marketplaceParticipations')).body.payload;
      const flags = Object.fromEntries(eu.map((p) => [p.marketplace.countryCode, p.participation]));
      expect(flags['FR']).toEqual({ isParticipating: false, hasSuspendedListings: false });
      expect(flags['DE']).toEqual({ isParticipating: true, hasSuspendedListings: true });
      expect(flags['UK']).toEqual({ isParticipating: true, hasSuspendedListings: false });
      const root = (await call<{ payload: Participation[] }>(emulator.urls.spApi, 'GET', '/sellers/v1/marketplaceParticipations')).body.payload;
      expect(root[0]?.marketplace.id).toBe(US);
      expect(root.map((p) => p.marketplace.countryCode).sort()).toEqual(Object.values(COUNTRIES).flat().sort());
    });
  });

  describe('orders', () => {
    it('splits the root orders into three disjoint regional sets whose ids follow the region', async () => {
      const all = await idsOf('na').then(async (na) => [...na, ...(await idsOf('eu')), ...(await idsOf('fe'))]);
      const root = await v0Orders(emulator.urls.spApi, all);
      expect(root).toHaveLength(120);
      const seen = new Set<string>();
      for (const region of REGIONS) {
        const orders = await v0Orders(base(region), await idsOf(region));
        expect(orders.length, region).toBeGreaterThan(3);
        const regionIds = new Set(await idsOf(region));
        for (const order of orders) {
          expect(regionIds.has(order.MarketplaceId)).toBe(true);
          expect(order.AmazonOrderId).toMatch(/^\d{3}-\d{7}-\d{7}$/);
          expect(ORDER_ID_PREFIXES[region], `${order.AmazonOrderId} in ${region}`).toContain(order.AmazonOrderId.slice(0, 3));
          expect(seen.has(order.AmazonOrderId)).toBe(false);
          seen.add(order.AmazonOrderId);
        }
      }
      expect([...seen].sort()).toEqual(root.map((o) => o.AmazonOrderId).sort());
    });

    it('gives the same order ids for the same seed and other ids for another seed', async () => {
      const ids = async (e: Emulator): Promise<string[]> => {
        const t = await accessToken(e);
        const reply = await call<OrdersPage>(e.urls.spApiRegions.fe, 'GET', `/orders/v0/orders${query({ MarketplaceIds: JP, CreatedAfter: LONG_AGO })}`, undefined, t);
        return reply.body.payload.Orders.map((o) => o.AmazonOrderId);
      };
      const mine = await ids(emulator);
      expect(mine.length).toBeGreaterThan(0);
      expect(await ids(await startOther({}))).toEqual(mine);
      expect(await ids(await startOther({ seed: 7 }))).not.toEqual(mine);
    });

    it.each([
      ['v0 getOrders', 'na', `/orders/v0/orders${query({ MarketplaceIds: `${US},${DE}`, CreatedAfter: LONG_AGO })}`, `MarketplaceIds: ${DE} (eu)`],
      ['v0 getOrders', 'eu', `/orders/v0/orders${query({ MarketplaceIds: US, CreatedAfter: LONG_AGO })}`, `MarketplaceIds: ${US} (na)`],
      ['2026 searchOrders', 'fe', `/orders/2026-01-01/orders${query({ marketplaceIds: UK, createdAfter: LONG_AGO })}`, `marketplaceIds: ${UK} (eu)`],
    ] as const)('%s on %s refuses another region\u2019s marketplace with 400 InvalidInput', async (_, region, path, detail) => {
      const reply = await call<ErrorBody>(base(region), 'GET', path);
      expect(reply.status).toBe(400);
      expect(reply.body.errors[0]).toEqual({
        code: 'InvalidInput',
        message: 'The marketplaces you provided are not valid for region.',
        details: `${detail} is not served by sellingpartnerapi-${region}.`,
      });
    });

    it('answers single-order operations only for the region\u2019s orders (404 elsewhere), on both API versions', async () => {
      const [naOrder] = await v0Orders(base('na'), [US]);
      const id = naOrder?.AmazonOrderId ?? '';
      for (const path of [`/orders/v0/orders/${id}`, `/orders/v0/orders/${id}/orderItems`, `/orders/v0/orders/${id}/address`, `/orders/2026-01-01/orders/${id}`]) {
        expect((await call(base('na'), 'GET', path)).status, path).toBe(200);
        expect((await call(emulator.urls.spApi, 'GET', path)).status, path).toBe(200);
        const elsewhere = await call<ErrorBody>(base('eu'), 'GET', path);
        expect(elsewhere.status, path).toBe(404);
        expect(elsewhere.body.errors[0]?.code).toBe('NotFound');
      }
    });

    it('searchOrders without marketplaceIds serves the region\u2019s orders only', async () => {
      type SearchPage = { orders: Array<{ orderId: string; salesChannel: { marketplaceId: string } }>; pagination?: { nextToken?: string } };
      const reply = await call<SearchPage>(base('fe'), 'GET', `/orders/2026-01-01/orders${query({ createdAfter: LONG_AGO })}`);
      expect(reply.status).toBe(200);
      const fe = await idsOf('fe');
      expect(reply.body.orders.length).toBeGreaterThan(0);
      for (const order of reply.body.orders) expect(fe).toContain(order.salesChannel.marketplaceId);
      expect(reply.body.orders.map((o) => o.orderId).sort()).toEqual((await v0Orders(base('fe'), fe)).map((o) => o.AmazonOrderId).sort());
    });

    it('takes a NextToken only on the host that issued it', async () => {
      const filters = { MarketplaceIds: `${DE},${UK}`, CreatedAfter: LONG_AGO, MaxResultsPerPage: '2' };
      const first = await call<OrdersPage>(base('eu'), 'GET', `/orders/v0/orders${query(filters)}`);
      const next = first.body.payload.NextToken ?? '';
      expect(next).not.toBe('');
      expect((await call(base('eu'), 'GET', `/orders/v0/orders${query({ ...filters, NextToken: next })}`)).status).toBe(200);
      for (const elsewhere of [base('na'), emulator.urls.spApi]) {
        const reply = await call<ErrorBody>(elsewhere, 'GET', `/orders/v0/orders${query({ ...filters, NextToken: next })}`);
        expect(reply.status).toBe(400);
        expect(reply.body.errors[0]?.message).toBe('Invalid NextToken.');
      }
    });

    it('gives PII to an RDT used on a regional host, for the path without the prefix', async () => {
      const [order] = await v0Orders(base('fe'), [JP]);
      const id = order?.AmazonOrderId ?? '';
      const rdt = await call<{ restrictedDataToken: string }>(base('fe'), 'POST', '/tokens/2021-03-01/restrictedDataToken', {
        restrictedResources: [{ method: 'GET', path: `/orders/v0/orders/${id}`, dataElements: ['buyerInfo'] }],
      });
      expect(rdt.status).toBe(200);
      const reply = await call<{ payload: { BuyerInfo?: { BuyerEmail?: string } } }>(base('fe'), 'GET', `/orders/v0/orders/${id}`, undefined, rdt.body.restrictedDataToken);
      expect(reply.status).toBe(200);
      expect(reply.body.payload.BuyerInfo?.BuyerEmail).toMatch(/@marketplace\.amazon\.com$/);
    });
  });

  describe('reports', () => {
    it('createReport takes only the region\u2019s marketplaces; the report and its document live in that region', async () => {
      const refused = await call<ErrorBody>(base('eu'), 'POST', REPORTS, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [DE, US] });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: 'The marketplaces you provided are not valid for region.' });

      const created = await call<{ reportId: string }>(base('eu'), 'POST', REPORTS, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [DE, UK] });
      expect(created.status).toBe(202);
      const reportPath = `${REPORTS}/${created.body.reportId}`;
      let documentId: string | undefined;
      for (let i = 0; i < 5 && documentId === undefined; i += 1) {
        documentId = (await call<{ reportDocumentId?: string }>(base('eu'), 'GET', reportPath)).body.reportDocumentId;
      }
      expect(documentId).toMatch(/^amzn1\.spdoc\.1\.4\.eu\./);
      const documentPath = `/reports/2021-06-30/documents/${documentId ?? ''}`;
      expect((await call(base('eu'), 'GET', documentPath)).status).toBe(200);
      expect((await call(emulator.urls.spApi, 'GET', reportPath)).status).toBe(200);
      expect((await call(base('na'), 'GET', reportPath)).status).toBe(404);
      expect((await call(base('na'), 'GET', documentPath)).status).toBe(404);

      const listed = async (b: string): Promise<string[]> =>
        (await call<{ reports: Array<{ reportId: string }> }>(b, 'GET', `${REPORTS}${query({ reportTypes: 'GET_MERCHANT_LISTINGS_ALL_DATA', pageSize: '100' })}`)).body.reports.map((r) => r.reportId);
      expect(await listed(base('eu'))).toContain(created.body.reportId);
      expect(await listed(emulator.urls.spApi)).toContain(created.body.reportId);
      expect(await listed(base('fe'))).not.toContain(created.body.reportId);
      expect((await call(base('fe'), 'GET', `${REPORTS}${query({ reportTypes: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: DE })}`)).status).toBe(400);
    });
  });

  describe('routing', () => {
    it('keeps LWA and the consent page off the regional prefixes, and 404s an unknown prefix', async () => {
      const lwa = await fetch(`${base('na')}/auth/o2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
      expect(lwa.status).toBe(404);
      expect((await lwa.json()) as ErrorBody).toMatchObject({ errors: [{ code: 'NotFound', message: 'Resource /auth/o2/token is not found.' }] });
      expect((await call(`${emulator.urls.spApi}/xx`, 'GET', '/sellers/v1/marketplaceParticipations')).status).toBe(404);
      expect((await call(base('eu'), 'GET', '')).status).toBe(404);
    });

    it('meters usage plans per host: an empty bucket on na leaves eu and the root alone', async () => {
      const limited = await startOther({ rateOverrides: { 'sellers.getMarketplaceParticipations': { rate: 0.0001, burst: 1 } } });
      const t = await accessToken(limited);
      const sellers = '/sellers/v1/marketplaceParticipations';
      expect((await call(limited.urls.spApiRegions.na, 'GET', sellers, undefined, t)).status).toBe(200);
      expect((await call(limited.urls.spApiRegions.na, 'GET', sellers, undefined, t)).status).toBe(429);
      expect((await call(limited.urls.spApiRegions.eu, 'GET', sellers, undefined, t)).status).toBe(200);
      expect((await call(limited.urls.spApi, 'GET', sellers, undefined, t)).status).toBe(200);
    });
  });
});
