import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchemaCatalog } from '../../src/core/catalog/schemas.js';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { TRANSACTIONS_PAGE_SIZE } from '../../src/emulator/finances-2024.js';
import { callEmulator, sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import type { Reply } from '../helpers/emulator.js';

/*
 * Finances v0 and 2024-06-19 through real HTTP over the emulator's shipments: the events match
 * the orders they come from, groups and transactions add up to the same money, every page and
 * error follows the model's rules, and every answer is schema-valid.
 */

const emu = useEmulator({ rateScale: 1000, orders: 240 });
const validator = new SchemaValidator();
const DAY = 86_400_000;
const LONG_AGO = new Date(Date.now() - 100 * DAY).toISOString();
const US = 'ATVPDKIKX0DER';

interface Money {
  CurrencyCode: string;
  CurrencyAmount: number;
}

interface ShipmentEvent {
  AmazonOrderId: string;
  SellerOrderId: string;
  MarketplaceName: string;
  PostedDate: string;
  ShipmentItemList: Array<{
    OrderItemId: string;
    SellerSKU: string;
    QuantityShipped: number;
    ItemChargeList: Array<{ ChargeType: string; ChargeAmount: Money }>;
    ItemFeeList: Array<{ FeeType: string; FeeAmount: Money }>;
  }>;
}

interface EventsBody {
  payload: { NextToken?: string; FinancialEvents: Record<string, unknown[]> & { ShipmentEventList: ShipmentEvent[] } };
}

interface Group {
  FinancialEventGroupId: string;
  ProcessingStatus: string;
  OriginalTotal: Money;
  FinancialEventGroupStart: string;
  FinancialEventGroupEnd?: string;
  FundTransferDate?: string;
}

interface Transaction {
  transactionId: string;
  transactionType: string;
  transactionStatus: string;
  postedDate: string;
  totalAmount: { currencyCode: string; currencyAmount: number };
  sellingPartnerMetadata: { marketplaceId: string };
  relatedIdentifiers: Array<{ relatedIdentifierName: string; relatedIdentifierValue: string }>;
  items: Array<{ contexts: Array<{ quantityShipped: number }> }>;
}

interface ErrorBody {
  errors: Array<{ code: string; message: string }>;
}

let token = '';

function expectValid(operation: string, reply: Reply<unknown>): void {
  expect(validator.response(operation, reply.status, reply.body), `${operation} ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`).toEqual([]);
}

async function call<T>(operation: string, path: string, emulator: Emulator = emu(), accessToken = token): Promise<Reply<T>> {
  const reply = await callEmulator<T>(emulator, accessToken, 'GET', path);
  expectValid(operation, reply);
  return reply;
}

/** Every page of a v0 events listing, through NextToken alone. */
async function allEvents(operation: string, path: string): Promise<{ events: ShipmentEvent[]; pages: number }> {
  const events: ShipmentEvent[] = [];
  let pages = 0;
  let next: string | undefined;
  do {
    const url = next === undefined ? path : `${path.split('?')[0]}?NextToken=${encodeURIComponent(next)}`;
    const reply = await call<EventsBody>(operation, url);
    expect(reply.status).toBe(200);
    events.push(...reply.body.payload.FinancialEvents.ShipmentEventList);
    next = reply.body.payload.NextToken;
    pages += 1;
  } while (next !== undefined);
  return { events, pages };
}

async function allTransactions(query: string, emulator: Emulator = emu(), accessToken = token): Promise<{ transactions: Transaction[]; pages: number }> {
  const transactions: Transaction[] = [];
  let pages = 0;
  let next: string | undefined;
  do {
    const q = next === undefined ? query : `nextToken=${encodeURIComponent(next)}`;
    const reply = await call<{ payload: { transactions: Transaction[]; nextToken?: string } }>('finances_2024-06-19.listTransactions', `/finances/2024-06-19/transactions?${q}`, emulator, accessToken);
    expect(reply.status).toBe(200);
    transactions.push(...reply.body.payload.transactions);
    next = reply.body.payload.nextToken;
    pages += 1;
  } while (next !== undefined);
  return { transactions, pages };
}

async function allGroups(query = 'MaxResultsPerPage=100'): Promise<Group[]> {
  const groups: Group[] = [];
  let next: string | undefined;
  do {
    const q = next === undefined ? query : `NextToken=${encodeURIComponent(next)}`;
    const reply = await call<{ payload: { FinancialEventGroupList: Group[]; NextToken?: string } }>('financesV0.listFinancialEventGroups', `/finances/v0/financialEventGroups?${q}`);
    expect(reply.status).toBe(200);
    groups.push(...reply.body.payload.FinancialEventGroupList);
    next = reply.body.payload.NextToken;
  } while (next !== undefined);
  return groups;
}

const cents = (amount: number): number => Math.round(amount * 100);
const eventNet = (event: ShipmentEvent): number =>
  event.ShipmentItemList.reduce(
    (sum, line) => sum + line.ItemChargeList.reduce((s, c) => s + cents(c.ChargeAmount.CurrencyAmount), 0) + line.ItemFeeList.reduce((s, f) => s + cents(f.FeeAmount.CurrencyAmount), 0),
    0,
  );

function expectInvalid(reply: Reply<ErrorBody>, message: RegExp): void {
  expect(reply.status).toBe(400);
  expect(reply.body.errors[0]?.code).toBe('InvalidInput');
  expect(reply.body.errors[0]?.message).toMatch(message);
}

let history: ShipmentEvent[] = [];

beforeAll(async () => {
  token = await sellerAccessToken(emu());
  history = (await allEvents('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${LONG_AGO}`)).events;
});

describe('financesV0 listFinancialEvents', () => {
  it('posts one ShipmentEvent per shipped order, with the items, prices and currency of the order', async () => {
    expect(history.length).toBeGreaterThan(100);
    // Every list of the model is there; only shipment events exist in the emulator.
    const listNames = Object.keys(loadSchemaCatalog().models['financesV0']?.definitions['FinancialEvents']?.['properties'] as Record<string, unknown>);
    const first = await call<EventsBody>('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${LONG_AGO}&MaxResultsPerPage=1`);
    expect(Object.keys(first.body.payload.FinancialEvents)).toEqual(listNames);

    const posted = history.map((e) => Date.parse(e.PostedDate));
    expect(posted).toEqual([...posted].sort((a, b) => a - b));
    for (const event of history.slice(0, 40)) {
      const reply = await call<{ payload: { OrderStatus: string; FulfillmentChannel: string; OrderTotal: { CurrencyCode: string; Amount: string } } }>(
        'ordersV0.getOrder',
        `/orders/v0/orders/${event.AmazonOrderId}`,
      );
      const order = reply.body.payload;
      expect(['Shipped', 'PartiallyShipped', 'InvoiceUnconfirmed']).toContain(order.OrderStatus);
      const charges = event.ShipmentItemList.flatMap((line) => line.ItemChargeList);
      const fees = event.ShipmentItemList.flatMap((line) => line.ItemFeeList);
      expect(new Set([...charges.map((c) => c.ChargeAmount.CurrencyCode), ...fees.map((f) => f.FeeAmount.CurrencyCode)])).toEqual(new Set([order.OrderTotal.CurrencyCode]));
      const principal = charges.filter((c) => c.ChargeType === 'Principal').reduce((sum, c) => sum + cents(c.ChargeAmount.CurrencyAmount), 0);
      if (order.OrderStatus !== 'PartiallyShipped') expect(principal).toBe(cents(Number(order.OrderTotal.Amount)));
      expect(fees.every((f) => f.FeeAmount.CurrencyAmount < 0)).toBe(true);
      expect(fees.some((f) => f.FeeType === 'FBAPerUnitFulfillmentFee')).toBe(order.FulfillmentChannel === 'AFN');
    }
  });

  it('pages by MaxResultsPerPage; the NextToken alone carries the filters', async () => {
    const { events, pages } = await allEvents('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${LONG_AGO}&MaxResultsPerPage=7`);
    expect(pages).toBe(Math.ceil(history.length / 7));
    expect(events).toEqual(history);
    // The default page is the model's 100.
    const defaultPage = await call<EventsBody>('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${LONG_AGO}`);
    expect(defaultPage.body.payload.FinancialEvents.ShipmentEventList).toHaveLength(Math.min(100, history.length));
  });

  it('PostedAfter is inclusive, PostedBefore exclusive', async () => {
    const middle = history[Math.floor(history.length / 2)];
    if (!middle) throw new Error('no events');
    const at = middle.PostedDate;
    const from = await allEvents('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${at}`);
    const until = await allEvents('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${LONG_AGO}&PostedBefore=${at}`);
    expect(from.events[0]?.PostedDate).toBe(at);
    expect(until.events.every((e) => Date.parse(e.PostedDate) < Date.parse(at))).toBe(true);
    expect(until.events.length + from.events.length).toBe(history.length);
  });

  it('refuses what the model refuses, and answers empty past 180 days', async () => {
    const soon = new Date(Date.now() - 30_000).toISOString();
    const cases: Array<[string, RegExp]> = [
      [`PostedBefore=${LONG_AGO}`, /PostedAfter is required when PostedBefore is given/],
      [`PostedAfter=${soon}`, /PostedAfter must be more than two minutes before/],
      [`PostedAfter=${LONG_AGO}&PostedBefore=${soon}`, /PostedBefore must be more than two minutes before/],
      [`PostedAfter=${LONG_AGO}&PostedBefore=${LONG_AGO}`, /PostedBefore must be later than PostedAfter/],
      [`PostedAfter=yesterday`, /must be an ISO 8601 date-time/],
      ['MaxResultsPerPage=0', /MaxResultsPerPage must be an integer from 1 to 100/],
      ['MaxResultsPerPage=101', /MaxResultsPerPage must be an integer from 1 to 100/],
      ['NextToken=bogus', /Invalid NextToken/],
    ];
    for (const [query, message] of cases) expectInvalid(await call<ErrorBody>('financesV0.listFinancialEvents', `/finances/v0/financialEvents?${query}`), message);
    // A token of another operation is refused.
    const groups = await call<{ payload: { NextToken?: string } }>('financesV0.listFinancialEventGroups', '/finances/v0/financialEventGroups?MaxResultsPerPage=1');
    expectInvalid(await call<ErrorBody>('financesV0.listFinancialEvents', `/finances/v0/financialEvents?NextToken=${encodeURIComponent(groups.body.payload.NextToken ?? '')}`), /Invalid NextToken/);

    const farBack = new Date(Date.now() - 400 * DAY).toISOString();
    const empty = await call<EventsBody>('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${farBack}`);
    expect(empty.status).toBe(200);
    expect(empty.body.payload.FinancialEvents.ShipmentEventList).toEqual([]);
  });

  it('a regional host lists its own marketplaces\' events only, and its tokens work only there', async () => {
    const eu = await callEmulator<EventsBody>(emu(), token, 'GET', `/eu/finances/v0/financialEvents?PostedAfter=${LONG_AGO}&MaxResultsPerPage=5`);
    expectValid('financesV0.listFinancialEvents', eu);
    const names = new Set(eu.body.payload.FinancialEvents.ShipmentEventList.map((e) => e.MarketplaceName));
    expect([...names].every((name) => ['Amazon.de', 'Amazon.co.uk', 'Amazon.es', 'Amazon.nl'].includes(name))).toBe(true);
    const next = eu.body.payload.NextToken ?? '';
    const onNa = await callEmulator<ErrorBody>(emu(), token, 'GET', `/na/finances/v0/financialEvents?NextToken=${encodeURIComponent(next)}`);
    expectValid('financesV0.listFinancialEvents', onNa);
    expectInvalid(onNa, /Invalid NextToken/);
  });
});

describe('financesV0 by order and by group', () => {
  it('listFinancialEventsByOrderId gives the order\'s events; an order without any gives empty lists', async () => {
    const event = history[3];
    if (!event) throw new Error('no events');
    const { events } = await allEvents('financesV0.listFinancialEventsByOrderId', `/finances/v0/orders/${event.AmazonOrderId}/financialEvents`);
    expect(events).toEqual(history.filter((e) => e.AmazonOrderId === event.AmazonOrderId));
    const none = await call<EventsBody>('financesV0.listFinancialEventsByOrderId', '/finances/v0/orders/111-0000000-0000000/financialEvents');
    expect(none.status).toBe(200);
    expect(Object.values(none.body.payload.FinancialEvents).every((list) => Array.isArray(list) && list.length === 0)).toBe(true);
  });

  it('groups are 14-day periods per marketplace whose totals add up to the events\' money', async () => {
    const groups = await allGroups();
    expect(groups.length).toBeGreaterThan(10);
    const now = Date.now();
    for (const group of groups) {
      const start = Date.parse(group.FinancialEventGroupStart);
      if (group.ProcessingStatus === 'Closed') {
        expect(Date.parse(group.FinancialEventGroupEnd ?? '')).toBe(start + 14 * DAY);
        expect(Date.parse(group.FinancialEventGroupEnd ?? '')).toBeLessThanOrEqual(now);
        expect(group.FundTransferDate).toBe(group.FinancialEventGroupEnd);
      } else {
        expect(group.ProcessingStatus).toBe('Open');
        expect(group.FinancialEventGroupEnd).toBeUndefined();
      }
    }
    // Each group's events, through listFinancialEventsByGroupId, make its total; all groups make every event.
    let seen = 0;
    for (const group of groups) {
      const { events } = await allEvents('financesV0.listFinancialEventsByGroupId', `/finances/v0/financialEventGroups/${group.FinancialEventGroupId}/financialEvents?MaxResultsPerPage=3`);
      expect(events.length).toBeGreaterThan(0);
      expect(events.reduce((sum, e) => sum + eventNet(e), 0)).toBe(cents(group.OriginalTotal.CurrencyAmount));
      expect(new Set(events.map((e) => e.MarketplaceName)).size).toBe(1);
      seen += events.length;
    }
    expect(seen).toBe(history.length);
  });

  it('pages groups by the model\'s default of 10 and filters them by start date', async () => {
    const groups = await allGroups();
    const first = await call<{ payload: { FinancialEventGroupList: Group[]; NextToken?: string } }>('financesV0.listFinancialEventGroups', '/finances/v0/financialEventGroups');
    expect(first.body.payload.FinancialEventGroupList).toEqual(groups.slice(0, 10));
    expect(first.body.payload.NextToken).toBeDefined();
    expect(await allGroups('MaxResultsPerPage=4')).toEqual(groups);

    const cut = groups[Math.floor(groups.length / 2)]?.FinancialEventGroupStart ?? '';
    const later = await allGroups(`FinancialEventGroupStartedAfter=${cut}&MaxResultsPerPage=100`);
    const earlier = await allGroups(`FinancialEventGroupStartedBefore=${cut}&MaxResultsPerPage=100`);
    expect(later.every((g) => g.FinancialEventGroupStart >= cut)).toBe(true);
    expect(earlier.every((g) => g.FinancialEventGroupStart < cut)).toBe(true);
    expect(later.length + earlier.length).toBe(groups.length);
    expectInvalid(
      await call<ErrorBody>('financesV0.listFinancialEventGroups', `/finances/v0/financialEventGroups?FinancialEventGroupStartedAfter=${cut}&FinancialEventGroupStartedBefore=${cut}`),
      /FinancialEventGroupStartedBefore must be later than FinancialEventGroupStartedAfter/,
    );
  });

  it('answers 404 for an unknown group, and refuses a token of another group', async () => {
    const missing = await call<ErrorBody>('financesV0.listFinancialEventsByGroupId', '/finances/v0/financialEventGroups/not-a-group/financialEvents');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.code).toBe('NotFound');
    const groups = await allGroups();
    // A group with two events or more, so its first page of one has a NextToken.
    let withNext: { group: Group; next: string } | undefined;
    for (const group of groups) {
      const page = await call<EventsBody>('financesV0.listFinancialEventsByGroupId', `/finances/v0/financialEventGroups/${group.FinancialEventGroupId}/financialEvents?MaxResultsPerPage=1`);
      if (page.body.payload.NextToken !== undefined) {
        withNext = { group, next: page.body.payload.NextToken };
        break;
      }
    }
    if (!withNext) throw new Error('no group with two events');
    const { group, next } = withNext;
    const other = groups.find((g) => g !== group);
    if (!other) throw new Error('one group only');
    const own = await call<EventsBody>('financesV0.listFinancialEventsByGroupId', `/finances/v0/financialEventGroups/${group.FinancialEventGroupId}/financialEvents?NextToken=${encodeURIComponent(next)}`);
    expect(own.status).toBe(200);
    const crossed = await call<ErrorBody>('financesV0.listFinancialEventsByGroupId', `/finances/v0/financialEventGroups/${other.FinancialEventGroupId}/financialEvents?NextToken=${encodeURIComponent(next)}`);
    expectInvalid(crossed, /Invalid NextToken/);
  });
});

describe('finances 2024-06-19 listTransactions', () => {
  it('one released Shipment transaction per event, the same money, paged by nextToken', async () => {
    const { transactions, pages } = await allTransactions(`postedAfter=${LONG_AGO}`);
    expect(pages).toBe(Math.ceil(history.length / TRANSACTIONS_PAGE_SIZE));
    expect(pages).toBeGreaterThan(1);
    expect(transactions).toHaveLength(history.length);
    transactions.forEach((t, i) => {
      const event = history[i];
      expect(t.transactionType).toBe('Shipment');
      expect(t.transactionStatus).toBe('RELEASED');
      expect(t.postedDate).toBe(event?.PostedDate);
      expect(t.relatedIdentifiers).toContainEqual({ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: event?.AmazonOrderId });
      expect(cents(t.totalAmount.currencyAmount)).toBe(event ? eventNet(event) : NaN);
      expect(t.items.flatMap((item) => item.contexts).reduce((sum, c) => sum + c.quantityShipped, 0)).toBe(event?.ShipmentItemList.reduce((sum, l) => sum + l.QuantityShipped, 0));
    });
    expect(new Set(transactions.map((t) => t.transactionId)).size).toBe(transactions.length);
  });

  it('filters by order, by financial event group, by marketplace and by status', async () => {
    const event = history[5];
    if (!event) throw new Error('no events');
    const byOrder = await allTransactions(`relatedIdentifierName=ORDER_ID&relatedIdentifierValue=${event.AmazonOrderId}`);
    expect(byOrder.transactions.map((t) => t.postedDate)).toEqual(history.filter((e) => e.AmazonOrderId === event.AmazonOrderId).map((e) => e.PostedDate));

    const groupId = byOrder.transactions[0]?.relatedIdentifiers.find((r) => r.relatedIdentifierName === 'FINANCIAL_EVENT_GROUP_ID')?.relatedIdentifierValue ?? '';
    const byGroup = await allTransactions(`relatedIdentifierName=FINANCIAL_EVENT_GROUP_ID&relatedIdentifierValue=${groupId}`);
    const groupEvents = await allEvents('financesV0.listFinancialEventsByGroupId', `/finances/v0/financialEventGroups/${groupId}/financialEvents`);
    expect(byGroup.transactions.map((t) => t.postedDate)).toEqual(groupEvents.events.map((e) => e.PostedDate));

    const us = await allTransactions(`postedAfter=${LONG_AGO}&marketplaceId=${US}`);
    expect(us.transactions.length).toBeGreaterThan(0);
    expect(us.transactions.every((t) => t.sellingPartnerMetadata.marketplaceId === US)).toBe(true);
    expect((await allTransactions(`postedAfter=${LONG_AGO}&transactionStatus=DEFERRED`)).transactions).toEqual([]);
  });

  it('refuses what the model refuses', async () => {
    const soon = new Date(Date.now() - 30_000).toISOString();
    const cases: Array<[string, RegExp]> = [
      ['', /postedAfter is required/],
      [`postedAfter=${soon}`, /postedAfter must be more than two minutes before/],
      [`postedAfter=${LONG_AGO}&postedBefore=${LONG_AGO}`, /postedBefore must be later than postedAfter/],
      ['relatedIdentifierName=ORDER_ID', /must be given together/],
      ['relatedIdentifierName=SHIPMENT_ID&relatedIdentifierValue=x', /SHIPMENT_ID cannot be used for filtering/],
      ['relatedIdentifierName=NOPE&relatedIdentifierValue=x', /Invalid relatedIdentifierName/],
      [`postedAfter=${LONG_AGO}&transactionStatus=SETTLED`, /Invalid value for transactionStatus/],
      ['nextToken=bogus', /Invalid nextToken/],
    ];
    for (const [query, message] of cases) expectInvalid(await call<ErrorBody>('finances_2024-06-19.listTransactions', `/finances/2024-06-19/transactions?${query}`), message);
    const foreign = await callEmulator<ErrorBody>(emu(), token, 'GET', `/eu/finances/2024-06-19/transactions?postedAfter=${LONG_AGO}&marketplaceId=${US}`);
    expectValid('finances_2024-06-19.listTransactions', foreign);
    expectInvalid(foreign, /not valid for region/);
  });

  it('is the same for the same seed, and differs for another', async () => {
    const runs: string[][] = [];
    for (const seed of [7, 7, 8]) {
      const emulator = await startEmulator({ rateScale: 1000, seed });
      try {
        const { transactions } = await allTransactions(`postedAfter=${LONG_AGO}`, emulator, await sellerAccessToken(emulator));
        runs.push(transactions.map((t) => `${t.transactionId} ${t.totalAmount.currencyCode} ${t.totalAmount.currencyAmount}`));
      } finally {
        await emulator.close();
      }
    }
    expect(runs[0]?.length).toBeGreaterThan(0);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
  });
});

describe('a confirmed shipment in finances', () => {
  it('posts its ShipmentEvent and transaction at once, and adds its money to the open group', async () => {
    const orders = await call<{ payload: { Orders: Array<{ AmazonOrderId: string; MarketplaceId: string; OrderTotal: { Amount: string } }> } }>(
      'ordersV0.getOrders',
      `/orders/v0/orders?MarketplaceIds=${US}&CreatedAfter=${LONG_AGO}&OrderStatuses=Unshipped&FulfillmentChannels=MFN`,
    );
    const order = orders.body.payload.Orders[0];
    if (!order) throw new Error('no unshipped MFN order in the seed');
    const items = await call<{ payload: { OrderItems: Array<{ OrderItemId: string; QuantityOrdered: number }> } }>('ordersV0.getOrderItems', `/orders/v0/orders/${order.AmazonOrderId}/orderItems`);
    const totalBefore = (await allGroups()).reduce((sum, g) => sum + cents(g.OriginalTotal.CurrencyAmount), 0);

    const confirmed = await callEmulator(emu(), token, 'POST', `/orders/v0/orders/${order.AmazonOrderId}/shipmentConfirmation`, {
      marketplaceId: order.MarketplaceId,
      packageDetail: {
        packageReferenceId: '1',
        carrierCode: 'USPS',
        trackingNumber: '9400100000000000000000',
        shipDate: new Date(Date.now() - 60_000).toISOString(),
        orderItems: items.body.payload.OrderItems.map((i) => ({ orderItemId: i.OrderItemId, quantity: i.QuantityOrdered })),
      },
    });
    expect(confirmed.status).toBe(204);

    const { events } = await allEvents('financesV0.listFinancialEventsByOrderId', `/finances/v0/orders/${order.AmazonOrderId}/financialEvents`);
    expect(events).toHaveLength(1);
    const event = events[0];
    if (!event) throw new Error('no event');
    expect(Date.now() - Date.parse(event.PostedDate)).toBeLessThan(60_000);
    const principal = event.ShipmentItemList.flatMap((l) => l.ItemChargeList).filter((c) => c.ChargeType === 'Principal').reduce((sum, c) => sum + cents(c.ChargeAmount.CurrencyAmount), 0);
    expect(principal).toBe(cents(Number(order.OrderTotal.Amount)));

    const { transactions } = await allTransactions(`relatedIdentifierName=ORDER_ID&relatedIdentifierValue=${order.AmazonOrderId}`);
    expect(transactions.map((t) => cents(t.totalAmount.currencyAmount))).toEqual([eventNet(event)]);
    const totalAfter = (await allGroups()).reduce((sum, g) => sum + cents(g.OriginalTotal.CurrencyAmount), 0);
    expect(totalAfter - totalBefore).toBe(eventNet(event));

    // Not yet in a date-bounded listing: PostedBefore defaults to two minutes before the request.
    const recent = await allEvents('financesV0.listFinancialEvents', `/finances/v0/financialEvents?PostedAfter=${new Date(Date.now() - DAY).toISOString()}`);
    expect(recent.events.map((e) => e.AmazonOrderId)).not.toContain(order.AmazonOrderId);
  });
});
