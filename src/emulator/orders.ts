import type { Caller } from './authorize.js';
import type { CallContext, HandlerTable } from './handler.js';
import { formatAmount, ORDER_STATUSES, orderTotalMinor } from './order-data.js';
import type { EmulatedItem, EmulatedOrder, OrderStatus } from './order-data.js';
import { dateParam, enumListParam, intParam, iso, listParam } from './query.js';
import { checkRegionMarketplaces } from './regional-hosts.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Orders API v0. PII follows the Tokens API rules (spapi-facts §5.4): getOrders/getOrder need an RDT
 * whose dataElements list buyerInfo / shippingAddress; getOrderBuyerInfo and getOrderAddress need
 * an RDT for their path (dataElements are not required there). With the seller's LWA token the
 * same calls succeed without the PII fields.
 */

// Amazon refuses date bounds closer than two minutes to now (the model's CreatedBefore note).
const RECENT_LIMIT_MS = 2 * 60_000;
// Not documented; small enough that the emulator's larger orders page.
export const ORDER_ITEMS_PAGE_SIZE = 5;

/** The filters of a getOrders request and the page it asks for. */
interface OrdersQuery {
  mode: 'created' | 'updated';
  after: number;
  before: number;
  /** Whether `before` came from the request (CreatedBefore / LastUpdatedBefore) or is the default. */
  beforeGiven: boolean;
  marketplaceIds: string[];
  statuses?: string[];
  channels?: string[];
  orderIds?: string[];
  sellerOrderId?: string;
  pageSize: number;
  offset: number;
}

/**
 * What a getOrders NextToken carries: where the next page starts and, when the first request gave
 * no upper bound, the default one it was answered with (the CreatedBefore of its payload), so
 * orders that arrive while a client pages do not shift the pages.
 */
interface OrdersToken {
  op: string;
  mode: OrdersQuery['mode'];
  offset: number;
  before?: number;
}

function getOrders(ctx: CallContext): Reply {
  // The model: "NextToken doesn't affect any filters that you include in your request". Amazon
  // answers 400 InvalidInput to a NextToken sent without MarketplaceIds and CreatedAfter or
  // LastUpdatedAfter (selling-partner-api-models #1269, jlevers/selling-partner-api #459), so
  // every request carries the filters and is validated like the first.
  const token = ctx.query.get('NextToken');
  const q = parseOrdersQuery(ctx, token !== null ? openOrdersToken(ctx, token) : undefined);
  const dateOf = (o: EmulatedOrder): number => (q.mode === 'created' ? o.purchaseDate : o.lastUpdateDate);
  const matching = ctx.state.orders
    .servedBy(ctx.region)
    .filter(
      (o) =>
        dateOf(o) >= q.after &&
        dateOf(o) <= q.before &&
        q.marketplaceIds.includes(o.marketplaceId) &&
        (!q.statuses || q.statuses.includes(o.status)) &&
        (!q.channels || q.channels.includes(o.fulfillmentChannel)) &&
        (!q.orderIds || q.orderIds.includes(o.amazonOrderId)) &&
        (q.sellerOrderId === undefined || q.sellerOrderId === o.sellerOrderId),
    )
    .sort((a, b) => dateOf(a) - dateOf(b) || a.amazonOrderId.localeCompare(b.amazonOrderId));
  const page = matching.slice(q.offset, q.offset + q.pageSize);
  const nextToken: OrdersToken = { op: ctx.qualified, mode: q.mode, offset: q.offset + q.pageSize, ...(q.beforeGiven ? {} : { before: q.before }) };
  const next = q.offset + q.pageSize < matching.length ? ctx.state.pageTokens.seal(nextToken, ctx.region) : undefined;
  return {
    status: 200,
    body: {
      payload: {
        Orders: page.map((o) => renderOrder(o, ctx.caller)),
        ...(next !== undefined ? { NextToken: next } : {}),
        ...(q.mode === 'created' ? { CreatedBefore: iso(q.before) } : { LastUpdatedBefore: iso(q.before) }),
      },
    },
  };
}

function parseOrdersQuery(ctx: CallContext, token: OrdersToken | undefined): OrdersQuery {
  const { query, now } = ctx;
  const marketplaceIds = listParam(query, 'MarketplaceIds');
  if (!marketplaceIds) throw invalidInput('MarketplaceIds is required.');
  if (marketplaceIds.length > 50) throw invalidInput('MarketplaceIds accepts at most 50 values.');
  checkRegionMarketplaces(marketplaceIds, ctx.region, 'MarketplaceIds');
  const createdAfter = dateParam(query, 'CreatedAfter');
  const createdBefore = dateParam(query, 'CreatedBefore');
  const updatedAfter = dateParam(query, 'LastUpdatedAfter');
  const updatedBefore = dateParam(query, 'LastUpdatedBefore');
  if (createdAfter === undefined && updatedAfter === undefined) throw invalidInput('Either CreatedAfter or LastUpdatedAfter must be specified.');
  if (createdAfter !== undefined && (updatedAfter !== undefined || updatedBefore !== undefined)) {
    throw invalidInput('LastUpdatedAfter and LastUpdatedBefore cannot be set when CreatedAfter is set.');
  }
  if (updatedAfter !== undefined && createdBefore !== undefined) throw invalidInput('CreatedBefore cannot be set when LastUpdatedAfter is set.');
  const mode = createdAfter !== undefined ? 'created' : 'updated';
  // A token of a CreatedAfter listing next to LastUpdatedAfter pages a set it was not made for.
  if (token && token.mode !== mode) throw invalidInput('Invalid NextToken.');
  const after = (createdAfter ?? updatedAfter) as number;
  const afterName = mode === 'created' ? 'CreatedAfter' : 'LastUpdatedAfter';
  const beforeName = mode === 'created' ? 'CreatedBefore' : 'LastUpdatedBefore';
  const latest = now - RECENT_LIMIT_MS;
  const givenBefore = mode === 'created' ? createdBefore : updatedBefore;
  const before = givenBefore ?? token?.before ?? latest;
  if (after > latest) throw invalidInput(`${afterName} must be at least two minutes before the time of the request.`);
  if (before > latest) throw invalidInput(`${beforeName} must be at least two minutes before the time of the request.`);
  if (before < after) throw invalidInput(`${beforeName} must be equal to or after ${afterName}.`);
  const sellerOrderId = query.get('SellerOrderId') ?? undefined;
  const statuses = enumListParam(query, 'OrderStatuses', ORDER_STATUSES);
  const channels = enumListParam(query, 'FulfillmentChannels', ['AFN', 'MFN'] as const);
  const orderIds = listParam(query, 'AmazonOrderIds');
  if (orderIds && orderIds.length > 50) throw invalidInput('AmazonOrderIds accepts at most 50 values.');
  return {
    mode,
    after,
    before,
    beforeGiven: givenBefore !== undefined,
    marketplaceIds,
    ...(statuses ? { statuses } : {}),
    ...(channels ? { channels } : {}),
    ...(orderIds ? { orderIds } : {}),
    ...(sellerOrderId !== undefined ? { sellerOrderId } : {}),
    pageSize: intParam(query, 'MaxResultsPerPage', 1, 100, 100),
    offset: token?.offset ?? 0,
  };
}

function openOrdersToken(ctx: CallContext, token: string): OrdersToken {
  const sealed = ctx.state.pageTokens.open(token, ctx.region) as Partial<OrdersToken> | undefined;
  if (sealed?.op !== ctx.qualified || typeof sealed.offset !== 'number' || (sealed.mode !== 'created' && sealed.mode !== 'updated')) throw invalidInput('Invalid NextToken.');
  return { op: sealed.op, mode: sealed.mode, offset: sealed.offset, ...(typeof sealed.before === 'number' ? { before: sealed.before } : {}) };
}

function findOrder(ctx: CallContext): EmulatedOrder {
  const id = ctx.pathParams['orderId'] ?? '';
  const order = ctx.state.orders.find(id, ctx.region);
  if (!order) throw notFound(`Order ${id} was not found.`);
  return order;
}

function getOrder(ctx: CallContext): Reply {
  return { status: 200, body: { payload: renderOrder(findOrder(ctx), ctx.caller) } };
}

function getOrderBuyerInfo(ctx: CallContext): Reply {
  const order = findOrder(ctx);
  const pii = ctx.caller.kind === 'rdt';
  return {
    status: 200,
    body: { payload: { AmazonOrderId: order.amazonOrderId, ...(pii ? { BuyerEmail: order.buyer.email, BuyerName: order.buyer.name } : {}) } },
  };
}

function getOrderAddress(ctx: CallContext): Reply {
  const order = findOrder(ctx);
  return { status: 200, body: { payload: { AmazonOrderId: order.amazonOrderId, ShippingAddress: renderAddress(order, ctx.caller.kind === 'rdt') } } };
}

function getOrderItems(ctx: CallContext): Reply {
  const order = findOrder(ctx);
  let offset = 0;
  const token = ctx.query.get('NextToken');
  if (token !== null) {
    const sealed = ctx.state.pageTokens.open(token, ctx.region) as { op?: unknown; id?: unknown; offset?: unknown } | undefined;
    if (sealed?.op !== ctx.qualified || sealed.id !== order.amazonOrderId || typeof sealed.offset !== 'number') throw invalidInput('Invalid NextToken.');
    offset = sealed.offset;
  }
  const end = offset + ORDER_ITEMS_PAGE_SIZE;
  const next = end < order.items.length ? ctx.state.pageTokens.seal({ op: ctx.qualified, id: order.amazonOrderId, offset: end }, ctx.region) : undefined;
  return {
    status: 200,
    body: {
      payload: {
        OrderItems: order.items.slice(offset, end).map((item) => renderItem(order, item)),
        ...(next !== undefined ? { NextToken: next } : {}),
        AmazonOrderId: order.amazonOrderId,
      },
    },
  };
}

function money(order: EmulatedOrder, minor: number): { CurrencyCode: string; Amount: string } {
  return { CurrencyCode: order.currencyCode, Amount: formatAmount(minor) };
}

function renderOrder(order: EmulatedOrder, caller: Caller): Record<string, unknown> {
  const shipped = order.items.reduce((sum, item) => sum + item.quantityShipped, 0);
  const ordered = order.items.reduce((sum, item) => sum + item.quantityOrdered, 0);
  const open: readonly OrderStatus[] = ['Pending', 'PendingAvailability'];
  const shipBy = order.purchaseDate + 2 * 86_400_000;
  return {
    AmazonOrderId: order.amazonOrderId,
    SellerOrderId: order.sellerOrderId,
    PurchaseDate: iso(order.purchaseDate),
    LastUpdateDate: iso(order.lastUpdateDate),
    OrderStatus: order.status,
    FulfillmentChannel: order.fulfillmentChannel,
    SalesChannel: order.salesChannel,
    ShipServiceLevel: order.shipServiceLevel,
    // Amazon leaves out the total until payment is authorised.
    ...(open.includes(order.status) ? {} : { OrderTotal: money(order, orderTotalMinor(order)) }),
    NumberOfItemsShipped: shipped,
    NumberOfItemsUnshipped: order.status === 'Canceled' ? 0 : ordered - shipped,
    PaymentMethod: 'Other',
    PaymentMethodDetails: ['Standard'],
    MarketplaceId: order.marketplaceId,
    ShipmentServiceLevelCategory: 'Standard',
    OrderType: order.status === 'PendingAvailability' ? 'Preorder' : 'StandardOrder',
    EarliestShipDate: iso(order.purchaseDate + 86_400_000),
    LatestShipDate: iso(shipBy),
    IsBusinessOrder: order.isBusinessOrder,
    IsPrime: order.isPrime,
    IsPremiumOrder: false,
    IsGlobalExpressEnabled: false,
    IsReplacementOrder: false,
    IsSoldByAB: false,
    IsISPU: false,
    IsAccessPointOrder: false,
    HasRegulatedItems: false,
    ShippingAddress: renderAddress(order, caller.dataElements.has('shippingAddress')),
    ...(caller.dataElements.has('buyerInfo') ? { BuyerInfo: { BuyerEmail: order.buyer.email, BuyerName: order.buyer.name } } : {}),
  };
}

/** Without an RDT, SP-API still gives the coarse location (city, region, postcode, country). */
function renderAddress(order: EmulatedOrder, pii: boolean): Record<string, string> {
  const a = order.shippingAddress;
  const coarse = { City: a.city, StateOrRegion: a.stateOrRegion, PostalCode: a.postalCode, CountryCode: a.countryCode };
  return pii ? { Name: a.name, AddressLine1: a.addressLine1, ...coarse, Phone: a.phone, AddressType: 'Residential' } : coarse;
}

function renderItem(order: EmulatedOrder, item: EmulatedItem): Record<string, unknown> {
  return {
    ASIN: item.asin,
    SellerSKU: item.sellerSku,
    OrderItemId: item.orderItemId,
    Title: item.title,
    QuantityOrdered: item.quantityOrdered,
    QuantityShipped: item.quantityShipped,
    ProductInfo: { NumberOfItems: '1' },
    ItemPrice: money(order, item.unitPriceMinor * item.quantityOrdered),
    ItemTax: money(order, 0),
    PromotionDiscount: money(order, 0),
    IsGift: 'false',
    ConditionId: 'New',
    ConditionSubtypeId: 'New',
    IsTransparency: false,
    SerialNumberRequired: false,
  };
}

export const ordersV0Handlers: HandlerTable = {
  'ordersV0.getOrders': getOrders,
  'ordersV0.getOrder': getOrder,
  'ordersV0.getOrderBuyerInfo': getOrderBuyerInfo,
  'ordersV0.getOrderAddress': getOrderAddress,
  'ordersV0.getOrderItems': getOrderItems,
};
