import { beforeAll, describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { operationSchemas } from '../../src/core/catalog/schemas.js';
import { callEmulator, sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import type { Reply } from '../helpers/emulator.js';

/*
 * ordersV0 confirmShipment and updateShipmentStatus through real HTTP: the order moves (units,
 * status, update date) for every read, the shipment is posted to the Finances APIs, and every
 * answer, errors included, is the shape the model declares.
 */

const emu = useEmulator({ rateScale: 1000 });
const validator = new SchemaValidator();
const LONG_AGO = new Date(Date.now() - 100 * 86_400_000).toISOString();

interface V0Order {
  AmazonOrderId: string;
  OrderStatus: string;
  FulfillmentChannel: string;
  MarketplaceId: string;
  PurchaseDate: string;
  LastUpdateDate: string;
  NumberOfItemsShipped: number;
  NumberOfItemsUnshipped: number;
}

interface V0Item {
  OrderItemId: string;
  QuantityOrdered: number;
  QuantityShipped: number;
  ItemPrice: { Amount: string };
}

interface ErrorBody {
  errors: Array<{ code: string; message: string; details?: string }>;
}

let token = '';
let orders: V0Order[] = [];

async function call<T>(operation: string, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const reply = await callEmulator<T>(emu(), token, method, path, body);
  expectValid(operation, reply);
  return reply;
}

/** A 204 has no body in the model; anything else must match the model's schema for its status. */
function expectValid(operation: string, reply: Reply<unknown>): void {
  if (reply.status === 204) {
    // Declared, and declared without a body (null), not merely absent from the model.
    expect(operationSchemas(operation)?.responses['204'], `${operation} declares no 204`).toBeNull();
    expect(reply.body).toEqual({});
    return;
  }
  expect(validator.response(operation, reply.status, reply.body), `${operation} ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`).toEqual([]);
}

async function getOrder(id: string, prefix = ''): Promise<V0Order> {
  const reply = await call<{ payload: V0Order }>('ordersV0.getOrder', 'GET', `${prefix}/orders/v0/orders/${id}`);
  expect(reply.status).toBe(200);
  return reply.body.payload;
}

async function getItems(id: string): Promise<V0Item[]> {
  const items: V0Item[] = [];
  let next: string | undefined;
  do {
    const query = next !== undefined ? `?NextToken=${encodeURIComponent(next)}` : '';
    const reply = await call<{ payload: { OrderItems: V0Item[]; NextToken?: string } }>('ordersV0.getOrderItems', 'GET', `/orders/v0/orders/${id}/orderItems${query}`);
    expect(reply.status).toBe(200);
    items.push(...reply.body.payload.OrderItems);
    next = reply.body.payload.NextToken;
  } while (next !== undefined);
  return items;
}

const used = new Set<string>();
/** An order of the seed no other test has used yet. */
function take(predicate: (order: V0Order) => boolean, what: string): V0Order {
  const order = orders.find((o) => !used.has(o.AmazonOrderId) && predicate(o));
  if (!order) throw new Error(`the emulator's seed has no ${what} order left`);
  used.add(order.AmazonOrderId);
  return order;
}

const isOpenMfn = (o: V0Order): boolean => o.OrderStatus === 'Unshipped' && o.FulfillmentChannel === 'MFN';

function confirmation(order: V0Order, lines: Array<{ orderItemId: string; quantity: number }>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    marketplaceId: order.MarketplaceId,
    packageDetail: {
      packageReferenceId: '1',
      carrierCode: 'UPS',
      shippingMethod: 'Ground',
      trackingNumber: '1Z999AA10123456784',
      shipDate: new Date(Date.now() - 60_000).toISOString(),
      orderItems: lines,
      ...overrides,
    },
  };
}

async function confirm(order: V0Order, body: unknown): Promise<Reply<ErrorBody>> {
  return call<ErrorBody>('ordersV0.confirmShipment', 'POST', `/orders/v0/orders/${order.AmazonOrderId}/shipmentConfirmation`, body);
}

async function updateStatus(order: V0Order, body: unknown): Promise<Reply<ErrorBody>> {
  return call<ErrorBody>('ordersV0.updateShipmentStatus', 'POST', `/orders/v0/orders/${order.AmazonOrderId}/shipment`, body);
}

function expectInvalid(reply: Reply<ErrorBody>, message: RegExp): void {
  expect(reply.status).toBe(400);
  expect(reply.body.errors[0]?.code).toBe('InvalidInput');
  expect(reply.body.errors[0]?.message).toMatch(message);
}

beforeAll(async () => {
  token = await sellerAccessToken(emu());
  // The root serves every region's orders; 100 a page.
  let next: string | undefined;
  do {
    // A NextToken comes with the first page's filters again, as getOrders wants.
    const filters = `MarketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2,A1PA6795UKMFR9,A1F83G8C2ARO7P,A1VC38T7YXB528&CreatedAfter=${LONG_AGO}`;
    const query = next !== undefined ? `${filters}&NextToken=${encodeURIComponent(next)}` : filters;
    const reply = await call<{ payload: { Orders: V0Order[]; NextToken?: string } }>('ordersV0.getOrders', 'GET', `/orders/v0/orders?${query}`);
    orders.push(...reply.body.payload.Orders);
    next = reply.body.payload.NextToken;
  } while (next !== undefined);
  orders = orders.sort((a, b) => a.AmazonOrderId.localeCompare(b.AmazonOrderId));
});

describe('confirmShipment', () => {
  it('ships part of an order, then the rest: PartiallyShipped, then Shipped, in every read and in finances', async () => {
    const order = take((o) => isOpenMfn(o) && o.NumberOfItemsUnshipped >= 2, 'unshipped merchant-fulfilled with two units');
    const items = await getItems(order.AmazonOrderId);
    const [first, ...rest] = items.flatMap((item) => Array.from({ length: item.QuantityOrdered }, () => item.OrderItemId));
    if (first === undefined) throw new Error('no units');

    const partial = await confirm(order, confirmation(order, [{ orderItemId: first, quantity: 1 }]));
    expect(partial.status).toBe(204);
    const afterFirst = await getOrder(order.AmazonOrderId);
    expect(afterFirst.OrderStatus).toBe('PartiallyShipped');
    expect(afterFirst.NumberOfItemsShipped).toBe(1);
    expect(afterFirst.NumberOfItemsUnshipped).toBe(order.NumberOfItemsUnshipped - 1);
    expect(Date.parse(afterFirst.LastUpdateDate)).toBeGreaterThan(Date.parse(order.LastUpdateDate));
    expect((await getItems(order.AmazonOrderId)).find((i) => i.OrderItemId === first)?.QuantityShipped).toBe(1);

    // The same package id twice is refused: it identifies a package within the order.
    expectInvalid(await confirm(order, confirmation(order, [{ orderItemId: first, quantity: 1 }])), /packageReferenceId 1 is already used/);

    const counts = new Map<string, number>();
    for (const id of rest) counts.set(id, (counts.get(id) ?? 0) + 1);
    const remaining = [...counts].map(([orderItemId, quantity]) => ({ orderItemId, quantity }));
    expect((await confirm(order, confirmation(order, remaining, { packageReferenceId: '2' }))).status).toBe(204);

    const shipped = await getOrder(order.AmazonOrderId);
    expect(shipped.OrderStatus).toBe('Shipped');
    expect(shipped.NumberOfItemsUnshipped).toBe(0);
    expect((await getItems(order.AmazonOrderId)).every((i) => i.QuantityShipped === i.QuantityOrdered)).toBe(true);

    // getOrders sees it with its new status, and so does the 2026-01-01 API over the same orders.
    const listed = await call<{ payload: { Orders: V0Order[] } }>(
      'ordersV0.getOrders',
      'GET',
      `/orders/v0/orders?MarketplaceIds=${order.MarketplaceId}&CreatedAfter=${order.PurchaseDate}&OrderStatuses=Shipped&AmazonOrderIds=${order.AmazonOrderId}`,
    );
    expect(listed.body.payload.Orders.map((o) => o.AmazonOrderId)).toEqual([order.AmazonOrderId]);
    const v2026 = await call<{ order: { fulfillment: { fulfillmentStatus: string } } }>(
      'orders_2026-01-01.getOrder',
      'GET',
      `/orders/2026-01-01/orders/${order.AmazonOrderId}?includedData=FULFILLMENT`,
    );
    expect(v2026.body.order.fulfillment.fulfillmentStatus).toBe('SHIPPED');

    // One ShipmentEvent per package, with the units of that package.
    const events = await call<{ payload: { FinancialEvents: { ShipmentEventList: Array<{ AmazonOrderId: string; ShipmentItemList: Array<{ OrderItemId: string; QuantityShipped: number }> }> } } }>(
      'financesV0.listFinancialEventsByOrderId',
      'GET',
      `/finances/v0/orders/${order.AmazonOrderId}/financialEvents`,
    );
    const list = events.body.payload.FinancialEvents.ShipmentEventList;
    expect(list).toHaveLength(2);
    expect(list[0]?.ShipmentItemList).toEqual([expect.objectContaining({ OrderItemId: first, QuantityShipped: 1 })]);
    const units = list.flatMap((e) => e.ShipmentItemList).reduce((sum, line) => sum + line.QuantityShipped, 0);
    expect(units).toBe(order.NumberOfItemsUnshipped);

    // Shipped now: a third confirmation is refused.
    expectInvalid(await confirm(order, confirmation(order, [{ orderItemId: first, quantity: 1 }], { packageReferenceId: '3' })), /already shipped/);
  });

  it('answers 404 for an order the seller does not have, and for another region\'s order on a regional host', async () => {
    // A body the model accepts: an empty packageDetail is refused (400) before the order is looked up.
    const unknown = await callEmulator<ErrorBody>(emu(), token, 'POST', '/orders/v0/orders/111-0000000-0000000/shipmentConfirmation', confirmation({ MarketplaceId: 'ATVPDKIKX0DER' } as V0Order, []));
    expectValid('ordersV0.confirmShipment', unknown);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]?.code).toBe('NotFound');

    const european = orders.find((o) => o.MarketplaceId === 'A1PA6795UKMFR9');
    if (!european) throw new Error('no DE order');
    const elsewhere = await callEmulator<ErrorBody>(emu(), token, 'POST', `/na/orders/v0/orders/${european.AmazonOrderId}/shipmentConfirmation`, confirmation(european, []));
    expectValid('ordersV0.confirmShipment', elsewhere);
    expect(elsewhere.status).toBe(404);
  });

  it('refuses orders that cannot ship: canceled, already shipped, pending, fulfilled by Amazon', async () => {
    const cases: Array<[(o: V0Order) => boolean, string, RegExp]> = [
      [(o) => o.OrderStatus === 'Canceled', 'canceled', /is canceled/],
      [(o) => o.OrderStatus === 'Shipped' && o.FulfillmentChannel === 'MFN', 'shipped', /already shipped/],
      [(o) => o.OrderStatus === 'Pending' && o.FulfillmentChannel === 'MFN', 'pending', /is Pending and cannot be shipped yet/],
      [(o) => o.OrderStatus === 'Unshipped' && o.FulfillmentChannel === 'AFN', 'Amazon-fulfilled', /fulfilled by Amazon/],
    ];
    for (const [predicate, what, message] of cases) {
      const order = take(predicate, what);
      const items = await getItems(order.AmazonOrderId);
      const before = await getOrder(order.AmazonOrderId);
      expectInvalid(await confirm(order, confirmation(order, items.map((i) => ({ orderItemId: i.OrderItemId, quantity: 1 })))), message);
      // A refused confirmation changes nothing.
      expect(await getOrder(order.AmazonOrderId)).toEqual(before);
    }
  });

  it('refuses bad requests with InvalidInput and leaves the order as it was', async () => {
    const order = take(isOpenMfn, 'unshipped merchant-fulfilled');
    const items = await getItems(order.AmazonOrderId);
    const item = items[0];
    if (!item) throw new Error('no items');
    const line = [{ orderItemId: item.OrderItemId, quantity: 1 }];
    const cases: Array<[unknown, RegExp]> = [
      [{ marketplaceId: order.MarketplaceId }, /packageDetail is required/],
      [{ marketplaceId: order.MarketplaceId, packageDetail: [] }, /packageDetail must be a JSON object/],
      [{ ...confirmation(order, line), marketplaceId: 'A1PA6795UKMFR9' }, /Marketplace ID is not defined/],
      [{ packageDetail: (confirmation(order, line) as { packageDetail: unknown }).packageDetail }, /marketplaceId is required/],
      [confirmation(order, line, { packageReferenceId: 'box-1' }), /packageReferenceId must be a positive number/],
      [confirmation(order, line, { carrierCode: undefined }), /carrierCode is required/],
      [confirmation(order, line, { carrierCode: 'Other' }), /carrierName is required/],
      [confirmation(order, line, { trackingNumber: '' }), /trackingNumber is required/],
      [confirmation(order, line, { shipDate: '02/21/2022' }), /shipDate must be an ISO 8601 date-time/],
      [confirmation(order, line, { shipDate: new Date(Date.now() + 3_600_000).toISOString() }), /is in the future/],
      [confirmation(order, line, { shipDate: new Date(Date.parse(order.PurchaseDate) - 60_000).toISOString() }), /before the order was placed/],
      [confirmation(order, []), /at least one order item/],
      [confirmation(order, [{ orderItemId: '00000000000000', quantity: 1 }]), /is not an item of order/],
      [confirmation(order, [{ orderItemId: item.OrderItemId, quantity: 0 }]), /quantity must be a positive integer/],
      [confirmation(order, [{ orderItemId: item.OrderItemId, quantity: item.QuantityOrdered + 1 }]), new RegExp(`has ${item.QuantityOrdered} unit\\(s\\) left to ship`)],
      [{ ...confirmation(order, line), codCollectionMethod: 'DirectPayment' }, /only as DirectPayment, in the JP marketplace/],
    ];
    const before = await getOrder(order.AmazonOrderId);
    for (const [body, message] of cases) expectInvalid(await confirm(order, body), message);
    expect(await getOrder(order.AmazonOrderId)).toEqual(before);
    const events = await call<{ payload: { FinancialEvents: { ShipmentEventList: unknown[] } } }>('financesV0.listFinancialEventsByOrderId', 'GET', `/finances/v0/orders/${order.AmazonOrderId}/financialEvents`);
    expect(events.body.payload.FinancialEvents.ShipmentEventList).toEqual([]);
  });
});

describe('updateShipmentStatus', () => {
  it('ReadyForPickup moves only the update date; PickedUp ships what is left and posts it', async () => {
    const order = take(isOpenMfn, 'unshipped merchant-fulfilled');
    expect((await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'ReadyForPickup' })).status).toBe(204);
    const ready = await getOrder(order.AmazonOrderId);
    expect(ready.OrderStatus).toBe('Unshipped');
    expect(Date.parse(ready.LastUpdateDate)).toBeGreaterThan(Date.parse(order.LastUpdateDate));

    expect((await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'PickedUp' })).status).toBe(204);
    const picked = await getOrder(order.AmazonOrderId);
    expect(picked.OrderStatus).toBe('Shipped');
    expect(picked.NumberOfItemsShipped).toBe(order.NumberOfItemsUnshipped);
    const transactions = await call<{ payload: { transactions: Array<{ transactionType: string; relatedIdentifiers: Array<{ relatedIdentifierValue: string }> }> } }>(
      'finances_2024-06-19.listTransactions',
      'GET',
      `/finances/2024-06-19/transactions?relatedIdentifierName=ORDER_ID&relatedIdentifierValue=${order.AmazonOrderId}`,
    );
    expect(transactions.body.payload.transactions.map((t) => t.transactionType)).toEqual(['Shipment']);

    expectInvalid(await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'PickedUp' }), /already shipped/);
  });

  it('PickedUp with orderItems ships those units only', async () => {
    const order = take((o) => isOpenMfn(o) && o.NumberOfItemsUnshipped >= 2, 'unshipped merchant-fulfilled with two units');
    const [item] = await getItems(order.AmazonOrderId);
    if (!item) throw new Error('no items');
    expect((await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'PickedUp', orderItems: [{ orderItemId: item.OrderItemId, quantity: 1 }] })).status).toBe(204);
    const after = await getOrder(order.AmazonOrderId);
    expect(after.OrderStatus).toBe('PartiallyShipped');
    expect(after.NumberOfItemsShipped).toBe(1);
  });

  it('RefusedPickup of a whole order that shipped nothing cancels it', async () => {
    const order = take(isOpenMfn, 'unshipped merchant-fulfilled');
    expect((await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'RefusedPickup' })).status).toBe(204);
    const refused = await getOrder(order.AmazonOrderId);
    expect(refused.OrderStatus).toBe('Canceled');
    expectInvalid(await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'ReadyForPickup' }), /is canceled/);
    expectInvalid(await confirm(order, confirmation(order, [])), /is canceled/);
  });

  it('refuses an unknown status, another marketplace, and answers 404 for an unknown order', async () => {
    const order = take(isOpenMfn, 'unshipped merchant-fulfilled');
    expectInvalid(await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'Delivered' }), /shipmentStatus must be one of ReadyForPickup, PickedUp, RefusedPickup/);
    expectInvalid(await updateStatus(order, { marketplaceId: '1', shipmentStatus: 'ReadyForPickup' }), /Marketplace ID is not defined/);
    expectInvalid(await updateStatus(order, { marketplaceId: order.MarketplaceId, shipmentStatus: 'PickedUp', orderItems: [{ orderItemId: 'nope', quantity: 1 }] }), /not an item of order/);
    expect((await getOrder(order.AmazonOrderId)).OrderStatus).toBe('Unshipped');
    const missing = await call<ErrorBody>('ordersV0.updateShipmentStatus', 'POST', '/orders/v0/orders/111-0000000-0000000/shipment', { marketplaceId: 'ATVPDKIKX0DER', shipmentStatus: 'PickedUp' });
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.code).toBe('NotFound');
  });
});
