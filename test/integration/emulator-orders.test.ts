import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/*
 * Sellers, Orders v0, Orders 2026-01-01 and the Tokens API (RDT gating) against the generated
 * catalog. rateScale keeps the usage plans out of the way; emulator.test.ts covers them.
 */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-orders: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
// Every marketplace of the emulated seller, in all three regions (the root serves them all).
const ALL_MARKETS = [
  ...['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1AM78C64UM0Y8'],
  ...['A1PA6795UKMFR9', 'A1F83G8C2ARO7P', 'A13V1IB3VIYZZH', 'APJ6JRA9NG5V4', 'A1RKKUPIHCS9HS', 'A1805IZSGTT6HS', 'A1C3SOZRARQ6R3'],
  ...['A1VC38T7YXB528', 'A39IBJ37TRP1C6'],
];
const LONG_AGO = new Date(Date.now() - 100 * 86_400_000).toISOString();

interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

interface V0Order {
  AmazonOrderId: string;
  PurchaseDate: string;
  OrderStatus: string;
  MarketplaceId: string;
  ShippingAddress?: Record<string, string>;
  BuyerInfo?: Record<string, string>;
}

interface OrdersPage {
  payload: { Orders: V0Order[]; NextToken?: string; CreatedBefore?: string };
}

class Client {
  constructor(
    readonly emulator: Emulator,
    readonly accessToken: string,
  ) {}

  static async connect(emulator: Emulator, fields: Record<string, string> = {}): Promise<Client> {
    const response = await fetch(emulator.urls.lwa, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, ...fields }),
    });
    return new Client(emulator, ((await response.json()) as { access_token: string }).access_token);
  }

  withToken(accessToken: string): Client {
    return new Client(this.emulator, accessToken);
  }

  async get<T = Record<string, unknown>>(path: string, query: Record<string, string | string[]> = {}): Promise<Reply<T>> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) search.set(name, Array.isArray(value) ? value.join(',') : value);
    const qs = search.toString();
    return this.send<T>('GET', `${path}${qs ? `?${qs}` : ''}`);
  }

  async send<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const response = await fetch(`${this.emulator.urls.spApi}${path}`, {
      method,
      headers: { 'x-amz-access-token': this.accessToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  async rdt(resources: Array<{ method: string; path: string; dataElements?: string[] }>): Promise<Client> {
    const reply = await this.send<{ restrictedDataToken: string; expiresIn: number }>('POST', '/tokens/2021-03-01/restrictedDataToken', { restrictedResources: resources });
    expect(reply.status).toBe(200);
    expect(reply.body.restrictedDataToken).toMatch(/^Atz\.sprdt\|/);
    expect(reply.body.expiresIn).toBe(3600);
    return this.withToken(reply.body.restrictedDataToken);
  }
}

function errorCode(body: unknown): string | undefined {
  return (body as { errors?: Array<{ code: string }> }).errors?.[0]?.code;
}

async function allV0Orders(client: Client, query: Record<string, string | string[]>): Promise<{ orders: V0Order[]; pages: number }> {
  const orders: V0Order[] = [];
  let reply = await client.get<OrdersPage>('/orders/v0/orders', query);
  let pages = 1;
  expect(reply.status).toBe(200);
  orders.push(...reply.body.payload.Orders);
  while (reply.body.payload.NextToken !== undefined) {
    // Amazon wants the filters again next to the token (the token changes only the page).
    reply = await client.get<OrdersPage>('/orders/v0/orders', { ...query, NextToken: reply.body.payload.NextToken });
    expect(reply.status).toBe(200);
    orders.push(...reply.body.payload.Orders);
    pages += 1;
  }
  return { orders, pages };
}

describe.skipIf(!catalogPresent)('emulated orders', () => {
  let emulator: Emulator;
  let client: Client;
  const started: Emulator[] = [];

  async function startOther(options: EmulatorOptions): Promise<Client> {
    const other = await startEmulator({ rateScale: 100_000, ...options });
    started.push(other);
    return Client.connect(other);
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    client = await Client.connect(emulator);
  });
  afterAll(async () => {
    await Promise.all([emulator.close(), ...started.map((e) => e.close())]);
  });

  describe('sellers', () => {
    it('lists marketplace participations in the Sellers API shape', async () => {
      const reply = await client.get<{ payload: Array<{ marketplace: Record<string, string>; participation: Record<string, boolean> }> }>('/sellers/v1/marketplaceParticipations');
      expect(reply.status).toBe(200);
      const countries = reply.body.payload.map((p) => p.marketplace['countryCode']);
      expect(countries).toEqual(expect.arrayContaining(['US', 'CA', 'DE', 'UK']));
      for (const entry of reply.body.payload) {
        expect(Object.keys(entry.marketplace).sort()).toEqual(['countryCode', 'defaultCurrencyCode', 'defaultLanguageCode', 'domainName', 'id', 'name']);
        expect(entry.participation).toEqual({ isParticipating: expect.any(Boolean), hasSuspendedListings: expect.any(Boolean) });
      }
    });
  });

  describe('ordersV0 getOrders', () => {
    it('pages through every order with NextToken, in purchase order, without duplicates', async () => {
      const { orders, pages } = await allV0Orders(client, { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO, MaxResultsPerPage: '25' });
      expect(orders).toHaveLength(120);
      expect(pages).toBe(5);
      expect(new Set(orders.map((o) => o.AmazonOrderId)).size).toBe(120);
      const dates = orders.map((o) => Date.parse(o.PurchaseDate));
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
      expect(new Set(orders.map((o) => o.MarketplaceId)).size).toBeGreaterThan(2);
      expect(new Set(orders.map((o) => o.OrderStatus)).size).toBeGreaterThanOrEqual(4);
      for (const order of orders) {
        expect(order.AmazonOrderId).toMatch(/^\d{3}-\d{7}-\d{7}$/);
        expect(Date.now() - Date.parse(order.PurchaseDate)).toBeLessThan(90 * 86_400_000);
      }
    });

    it('defaults MaxResultsPerPage to 100 and reports CreatedBefore', async () => {
      const reply = await client.get<OrdersPage>('/orders/v0/orders', { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO });
      expect(reply.body.payload.Orders).toHaveLength(100);
      expect(reply.body.payload.NextToken).toEqual(expect.any(String));
      expect(Date.parse(reply.body.payload.CreatedBefore ?? '')).toBeLessThanOrEqual(Date.now() - 2 * 60_000);
    });

    it('filters by marketplace and status across pages: the filters sent next to the token select the set', async () => {
      const everything = (await allV0Orders(client, { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO })).orders;
      const expected = everything.filter((o) => o.MarketplaceId === US && ['Shipped', 'Canceled'].includes(o.OrderStatus)).map((o) => o.AmazonOrderId);
      const query = { MarketplaceIds: US, OrderStatuses: 'Shipped,Canceled', CreatedAfter: LONG_AGO, MaxResultsPerPage: '5' };
      const first = await client.get<OrdersPage>('/orders/v0/orders', query);
      const ids = first.body.payload.Orders.map((o) => o.AmazonOrderId);
      let token = first.body.payload.NextToken;
      while (token !== undefined) {
        const page = await client.get<OrdersPage>('/orders/v0/orders', { ...query, NextToken: token });
        expect(page.status).toBe(200);
        // The default upper bound of the first page holds for the whole listing.
        expect(page.body.payload.CreatedBefore).toBe(first.body.payload.CreatedBefore);
        ids.push(...page.body.payload.Orders.map((o) => o.AmazonOrderId));
        token = page.body.payload.NextToken;
      }
      expect(ids).toEqual(expected);
      expect(expected.length).toBeGreaterThan(5);
    });

    it('applies the filters of the request that carries the NextToken, not only those of the first page', async () => {
      const first = await client.get<OrdersPage>('/orders/v0/orders', { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO, MaxResultsPerPage: '5' });
      const token = first.body.payload.NextToken ?? '';
      const page = await client.get<OrdersPage>('/orders/v0/orders', { MarketplaceIds: DE, CreatedAfter: LONG_AGO, OrderStatuses: 'Shipped', MaxResultsPerPage: '5', NextToken: token });
      expect(page.status).toBe(200);
      expect(page.body.payload.Orders.length).toBeGreaterThan(0);
      expect(page.body.payload.Orders.every((o) => o.MarketplaceId === DE && o.OrderStatus === 'Shipped')).toBe(true);
    });

    it.each([
      ['the token alone', {}],
      ['the token without MarketplaceIds', { CreatedAfter: LONG_AGO }],
      ['the token without CreatedAfter or LastUpdatedAfter', { MarketplaceIds: ALL_MARKETS }],
      ['a CreatedAfter token next to LastUpdatedAfter', { MarketplaceIds: ALL_MARKETS, LastUpdatedAfter: LONG_AGO }],
    ])('answers 400 InvalidInput to %s', async (_, filters: Record<string, string | string[]>) => {
      const first = await client.get<OrdersPage>('/orders/v0/orders', { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO, MaxResultsPerPage: '5' });
      const reply = await client.get('/orders/v0/orders', { ...filters, NextToken: first.body.payload.NextToken ?? '' });
      expect(reply.status).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    });

    it('filters by LastUpdatedAfter', async () => {
      const since = new Date(Date.now() - 10 * 86_400_000).toISOString();
      const { orders } = await allV0Orders(client, { MarketplaceIds: ALL_MARKETS, LastUpdatedAfter: since });
      expect(orders.length).toBeGreaterThan(0);
      expect(orders.length).toBeLessThan(120);
    });

    it.each([
      ['neither CreatedAfter nor LastUpdatedAfter', { MarketplaceIds: US }],
      ['no MarketplaceIds', { CreatedAfter: LONG_AGO }],
      ['CreatedAfter with LastUpdatedAfter', { MarketplaceIds: US, CreatedAfter: LONG_AGO, LastUpdatedAfter: LONG_AGO }],
      ['a date that is not ISO 8601', { MarketplaceIds: US, CreatedAfter: 'yesterday' }],
      ['CreatedBefore less than two minutes ago', { MarketplaceIds: US, CreatedAfter: LONG_AGO, CreatedBefore: new Date().toISOString() }],
      ['CreatedBefore before CreatedAfter', { MarketplaceIds: US, CreatedAfter: LONG_AGO, CreatedBefore: '2020-01-01T00:00:00Z' }],
      ['an unknown order status', { MarketplaceIds: US, CreatedAfter: LONG_AGO, OrderStatuses: 'Cancelled' }],
      ['MaxResultsPerPage above 100', { MarketplaceIds: US, CreatedAfter: LONG_AGO, MaxResultsPerPage: '101' }],
      ['a NextToken it did not issue', { MarketplaceIds: US, CreatedAfter: LONG_AGO, NextToken: 'bm90IGEgdG9rZW4=' }],
    ])('answers 400 InvalidInput for %s', async (_, query) => {
      const reply = await client.get('/orders/v0/orders', query);
      expect(reply.status).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    });

    it('is deterministic for a seed and follows the orders option', async () => {
      const query = { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO, MaxResultsPerPage: '10' };
      const ids = async (c: Client): Promise<string[]> => (await c.get<OrdersPage>('/orders/v0/orders', query)).body.payload.Orders.map((o) => o.AmazonOrderId);
      const same = await startOther({});
      const otherSeed = await startOther({ seed: 2 });
      expect(await ids(same)).toEqual(await ids(client));
      expect(await ids(otherSeed)).not.toEqual(await ids(client));
      const few = await startOther({ orders: 7 });
      expect((await allV0Orders(few, query)).orders).toHaveLength(7);
    });
  });

  describe('ordersV0 single-order operations and RDT gating', () => {
    let orderId = '';
    beforeAll(async () => {
      const reply = await client.get<OrdersPage>('/orders/v0/orders', { MarketplaceIds: US, CreatedAfter: LONG_AGO, MaxResultsPerPage: '1' });
      orderId = reply.body.payload.Orders[0]?.AmazonOrderId ?? '';
      expect(orderId).not.toBe('');
    });

    it('gets one order, and 404 NotFound for an unknown one', async () => {
      const reply = await client.get<{ payload: V0Order }>(`/orders/v0/orders/${orderId}`);
      expect(reply.status).toBe(200);
      expect(reply.body.payload.AmazonOrderId).toBe(orderId);
      const missing = await client.get('/orders/v0/orders/999-0000000-0000000');
      expect(missing.status).toBe(404);
      expect(errorCode(missing.body)).toBe('NotFound');
    });

    it('leaves PII out for the seller token', async () => {
      const order = (await client.get<{ payload: V0Order }>(`/orders/v0/orders/${orderId}`)).body.payload;
      expect(order.BuyerInfo).toBeUndefined();
      expect(Object.keys(order.ShippingAddress ?? {}).sort()).toEqual(['City', 'CountryCode', 'PostalCode', 'StateOrRegion']);
      const buyer = await client.get<{ payload: Record<string, string> }>(`/orders/v0/orders/${orderId}/buyerInfo`);
      expect(buyer.status).toBe(200);
      expect(buyer.body.payload).toEqual({ AmazonOrderId: orderId });
      const address = await client.get<{ payload: { ShippingAddress: Record<string, string> } }>(`/orders/v0/orders/${orderId}/address`);
      expect(address.body.payload.ShippingAddress['AddressLine1']).toBeUndefined();
    });

    it('returns buyer info and the address with an RDT for that path', async () => {
      const rdt = await client.rdt([
        { method: 'GET', path: '/orders/v0/orders/{orderId}/buyerInfo' },
        { method: 'GET', path: `/orders/v0/orders/${orderId}/address` },
      ]);
      const buyer = await rdt.get<{ payload: Record<string, string> }>(`/orders/v0/orders/${orderId}/buyerInfo`);
      expect(buyer.status).toBe(200);
      expect(buyer.body.payload['BuyerEmail']).toMatch(/@marketplace\.amazon\.com$/);
      expect(buyer.body.payload['BuyerName']).toEqual(expect.any(String));
      const address = await rdt.get<{ payload: { ShippingAddress: Record<string, string> } }>(`/orders/v0/orders/${orderId}/address`);
      expect(address.body.payload.ShippingAddress['AddressLine1']).toEqual(expect.any(String));
      // The RDT covers only its resources.
      const elsewhere = await rdt.get(`/orders/v0/orders/${orderId}`);
      expect(elsewhere.status).toBe(403);
      expect(errorCode(elsewhere.body)).toBe('Unauthorized');
    });

    it('adds exactly the dataElements the RDT names to getOrder and getOrders', async () => {
      const rdt = await client.rdt([
        { method: 'GET', path: `/orders/v0/orders/${orderId}`, dataElements: ['buyerInfo', 'shippingAddress'] },
        { method: 'GET', path: '/orders/v0/orders', dataElements: ['shippingAddress'] },
      ]);
      const order = (await rdt.get<{ payload: V0Order }>(`/orders/v0/orders/${orderId}`)).body.payload;
      expect(order.BuyerInfo?.['BuyerEmail']).toEqual(expect.any(String));
      expect(order.ShippingAddress?.['Name']).toEqual(expect.any(String));
      const list = await rdt.get<OrdersPage>('/orders/v0/orders', { MarketplaceIds: US, CreatedAfter: LONG_AGO, MaxResultsPerPage: '3' });
      expect(list.status).toBe(200);
      for (const o of list.body.payload.Orders) {
        expect(o.ShippingAddress?.['AddressLine1']).toEqual(expect.any(String));
        expect(o.BuyerInfo).toBeUndefined();
      }
    });

    it.each([
      ['no resources', []],
      ['a path that names no operation', [{ method: 'GET', path: '/orders/v0/nothing' }]],
      ['an unknown data element', [{ method: 'GET', path: '/orders/v0/orders', dataElements: ['creditCard'] }]],
      ['an unsupported method', [{ method: 'PATCH', path: '/orders/v0/orders/{orderId}/regulatedInfo' }]],
    ])('refuses an RDT request with %s', async (_, restrictedResources) => {
      const reply = await client.send('POST', '/tokens/2021-03-01/restrictedDataToken', { restrictedResources });
      expect(reply.status).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    });

    it('pages order items with payload.NextToken', async () => {
      const { orders } = await allV0Orders(client, { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO });
      type ItemsPage = { payload: { OrderItems: Array<{ OrderItemId: string }>; NextToken?: string; AmazonOrderId: string } };
      let paged: { id: string; items: string[] } | undefined;
      for (const order of orders) {
        const reply = await client.get<ItemsPage>(`/orders/v0/orders/${order.AmazonOrderId}/orderItems`);
        expect(reply.status).toBe(200);
        expect(reply.body.payload.AmazonOrderId).toBe(order.AmazonOrderId);
        if (reply.body.payload.NextToken !== undefined) {
          const items = reply.body.payload.OrderItems.map((i) => i.OrderItemId);
          let token: string | undefined = reply.body.payload.NextToken;
          while (token !== undefined) {
            const page: Reply<ItemsPage> = await client.get<ItemsPage>(`/orders/v0/orders/${order.AmazonOrderId}/orderItems`, { NextToken: token });
            items.push(...page.body.payload.OrderItems.map((i) => i.OrderItemId));
            token = page.body.payload.NextToken;
          }
          paged = { id: order.AmazonOrderId, items };
          break;
        }
      }
      expect(paged).toBeDefined();
      expect(paged?.items.length).toBeGreaterThan(5);
      expect(new Set(paged?.items).size).toBe(paged?.items.length);
      // A token belongs to its order.
      const firstToken = (await client.get<ItemsPage>(`/orders/v0/orders/${paged?.id ?? ''}/orderItems`)).body.payload.NextToken ?? '';
      const foreign = await client.get(`/orders/v0/orders/${orderId === paged?.id ? (orders[1]?.AmazonOrderId ?? '') : orderId}/orderItems`, { NextToken: firstToken });
      expect(foreign.status).toBe(400);
    });
  });

  describe('orders 2026-01-01 searchOrders', () => {
    type SearchPage = { orders: Array<Record<string, unknown> & { orderId: string }>; pagination?: { nextToken?: string }; createdBefore?: string };

    it('pages with paginationToken -> pagination.nextToken over the same orders as v0', async () => {
      const ids: string[] = [];
      let reply = await client.get<SearchPage>('/orders/2026-01-01/orders', { createdAfter: LONG_AGO, maxResultsPerPage: '50' });
      expect(reply.status).toBe(200);
      ids.push(...reply.body.orders.map((o) => o.orderId));
      let pages = 1;
      while (reply.body.pagination?.nextToken !== undefined) {
        reply = await client.get<SearchPage>('/orders/2026-01-01/orders', { paginationToken: reply.body.pagination.nextToken });
        expect(reply.status).toBe(200);
        ids.push(...reply.body.orders.map((o) => o.orderId));
        pages += 1;
      }
      expect(pages).toBe(3);
      const v0 = (await allV0Orders(client, { MarketplaceIds: ALL_MARKETS, CreatedAfter: LONG_AGO })).orders.map((o) => o.AmazonOrderId);
      expect(ids).toEqual(v0);
    });

    it('adds the includedData blocks and filters by fulfillment status', async () => {
      const reply = await client.get<SearchPage>('/orders/2026-01-01/orders', {
        createdAfter: LONG_AGO,
        fulfillmentStatuses: 'SHIPPED',
        includedData: 'BUYER,FULFILLMENT,PROCEEDS',
        maxResultsPerPage: '10',
      });
      expect(reply.status).toBe(200);
      expect(reply.body.orders.length).toBe(10);
      for (const order of reply.body.orders) {
        expect(order).toMatchObject({ fulfillment: { fulfillmentStatus: 'SHIPPED' }, buyer: { buyerName: expect.any(String) }, proceeds: { grandTotal: expect.any(Object) } });
        expect(order['recipient']).toBeUndefined();
        expect(order['salesChannel']).toMatchObject({ channelName: 'AMAZON', marketplaceId: expect.any(String) });
      }
      const single = await client.get<{ order: { orderId: string; recipient?: unknown } }>(`/orders/2026-01-01/orders/${reply.body.orders[0]?.orderId ?? ''}`, { includedData: 'RECIPIENT' });
      expect(single.status).toBe(200);
      expect(single.body.order.recipient).toBeDefined();
    });

    it.each([
      ['neither createdAfter nor lastUpdatedAfter', {}],
      ['both createdAfter and lastUpdatedAfter', { createdAfter: LONG_AGO, lastUpdatedAfter: LONG_AGO }],
      ['an unknown fulfillment status', { createdAfter: LONG_AGO, fulfillmentStatuses: 'Shipped' }],
      ['a paginationToken it did not issue', { paginationToken: 'abc.def' }],
    ])('answers 400 InvalidInput for %s', async (_, query) => {
      const reply = await client.get('/orders/2026-01-01/orders', query);
      expect(reply.status).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    });
  });
});
