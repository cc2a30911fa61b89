import type { CallContext, HandlerTable } from './handler.js';
import { marketplaceById } from './marketplaces.js';
import { formatAmount, orderTotalMinor } from './order-data.js';
import type { EmulatedOrder, OrderStatus } from './order-data.js';
import { dateParam, enumListParam, intParam, iso, listParam } from './query.js';
import { checkRegionMarketplaces } from './regional-hosts.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Orders API 2026-01-01 over the same generated orders as v0. Optional blocks come only when asked
 * for through `includedData`. The model says nothing about RDTs, so buyer and recipient data are
 * returned to the seller token.
 */

const FULFILLMENT_STATUSES = ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED', 'UNFULFILLABLE'] as const;
type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];
const INCLUDED_DATA = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'] as const;
type IncludedData = (typeof INCLUDED_DATA)[number];

const STATUS_2026: Record<OrderStatus, FulfillmentStatus> = {
  PendingAvailability: 'PENDING_AVAILABILITY',
  Pending: 'PENDING',
  Unshipped: 'UNSHIPPED',
  PartiallyShipped: 'PARTIALLY_SHIPPED',
  Shipped: 'SHIPPED',
  // v0's InvoiceUnconfirmed orders have shipped; only the invoice is outstanding.
  InvoiceUnconfirmed: 'SHIPPED',
  Canceled: 'CANCELLED',
  Unfulfillable: 'UNFULFILLABLE',
};

const RECENT_LIMIT_MS = 2 * 60_000;

/** What a searchOrders nextToken carries. */
interface SearchQuery {
  mode: 'created' | 'updated';
  after: number;
  before: number;
  marketplaceIds?: string[];
  statuses?: FulfillmentStatus[];
  fulfilledBy?: string[];
  includedData: IncludedData[];
  pageSize: number;
  offset: number;
}

function searchOrders(ctx: CallContext): Reply {
  const token = ctx.query.get('paginationToken');
  let q: SearchQuery;
  if (token !== null) {
    const sealed = ctx.state.pageTokens.open(token, ctx.region) as { op?: unknown; q?: SearchQuery } | undefined;
    if (sealed?.op !== ctx.qualified || !sealed.q) throw invalidInput('Invalid paginationToken.');
    q = sealed.q;
  } else {
    q = parseSearch(ctx);
  }
  const dateOf = (o: EmulatedOrder): number => (q.mode === 'created' ? o.purchaseDate : o.lastUpdateDate);
  const matching = ctx.state.orders
    .servedBy(ctx.region)
    .filter(
      (o) =>
        dateOf(o) >= q.after &&
        dateOf(o) <= q.before &&
        (!q.marketplaceIds || q.marketplaceIds.includes(o.marketplaceId)) &&
        (!q.statuses || q.statuses.includes(STATUS_2026[o.status])) &&
        (!q.fulfilledBy || q.fulfilledBy.includes(fulfilledBy(o))),
    )
    .sort((a, b) => dateOf(a) - dateOf(b) || a.amazonOrderId.localeCompare(b.amazonOrderId));
  const end = q.offset + q.pageSize;
  const next = end < matching.length ? ctx.state.pageTokens.seal({ op: ctx.qualified, q: { ...q, offset: end } }, ctx.region) : undefined;
  return {
    status: 200,
    body: {
      orders: matching.slice(q.offset, end).map((o) => renderOrder(o, q.includedData)),
      ...(next !== undefined ? { pagination: { nextToken: next } } : {}),
      ...(q.mode === 'created' ? { createdBefore: iso(q.before) } : { lastUpdatedBefore: iso(q.before) }),
    },
  };
}

function parseSearch(ctx: CallContext): SearchQuery {
  const { query, now } = ctx;
  const createdAfter = dateParam(query, 'createdAfter');
  const createdBefore = dateParam(query, 'createdBefore');
  const updatedAfter = dateParam(query, 'lastUpdatedAfter');
  const updatedBefore = dateParam(query, 'lastUpdatedBefore');
  if ((createdAfter === undefined) === (updatedAfter === undefined)) throw invalidInput('Exactly one of createdAfter and lastUpdatedAfter must be provided.');
  if (createdAfter !== undefined && updatedBefore !== undefined) throw invalidInput('lastUpdatedBefore cannot be provided with createdAfter.');
  if (updatedAfter !== undefined && createdBefore !== undefined) throw invalidInput('createdBefore cannot be provided with lastUpdatedAfter.');
  const mode = createdAfter !== undefined ? 'created' : 'updated';
  const after = (createdAfter ?? updatedAfter) as number;
  const latest = now - RECENT_LIMIT_MS;
  const before = (mode === 'created' ? createdBefore : updatedBefore) ?? latest;
  const beforeName = mode === 'created' ? 'createdBefore' : 'lastUpdatedBefore';
  if (after > latest) throw invalidInput(`${mode === 'created' ? 'createdAfter' : 'lastUpdatedAfter'} must be at least two minutes before the time of the request.`);
  if (before > latest) throw invalidInput(`${beforeName} must be at least two minutes before the time of the request.`);
  if (before < after) throw invalidInput(`${beforeName} must be equal to or after ${mode === 'created' ? 'createdAfter' : 'lastUpdatedAfter'}.`);
  const marketplaceIds = listParam(query, 'marketplaceIds');
  if (marketplaceIds && marketplaceIds.length > 50) throw invalidInput('marketplaceIds accepts at most 50 values.');
  if (marketplaceIds) checkRegionMarketplaces(marketplaceIds, ctx.region, 'marketplaceIds');
  const statuses = enumListParam(query, 'fulfillmentStatuses', FULFILLMENT_STATUSES);
  const by = enumListParam(query, 'fulfilledBy', ['MERCHANT', 'AMAZON'] as const);
  return {
    mode,
    after,
    before,
    ...(marketplaceIds ? { marketplaceIds } : {}),
    ...(statuses ? { statuses } : {}),
    ...(by ? { fulfilledBy: by } : {}),
    includedData: enumListParam(query, 'includedData', INCLUDED_DATA) ?? [],
    pageSize: intParam(query, 'maxResultsPerPage', 1, 100, 100),
    offset: 0,
  };
}

function getOrder(ctx: CallContext): Reply {
  const id = ctx.pathParams['orderId'] ?? '';
  const order = ctx.state.orders.find(id, ctx.region);
  if (!order) throw notFound(`Order ${id} was not found.`);
  return { status: 200, body: { order: renderOrder(order, enumListParam(ctx.query, 'includedData', INCLUDED_DATA) ?? []) } };
}

function fulfilledBy(order: EmulatedOrder): 'AMAZON' | 'MERCHANT' {
  return order.fulfillmentChannel === 'AFN' ? 'AMAZON' : 'MERCHANT';
}

function money(order: EmulatedOrder, minor: number): { amount: string; currencyCode: string } {
  return { amount: formatAmount(minor), currencyCode: order.currencyCode };
}

function renderOrder(order: EmulatedOrder, included: readonly IncludedData[]): Record<string, unknown> {
  const has = (block: IncludedData): boolean => included.includes(block);
  const a = order.shippingAddress;
  return {
    orderId: order.amazonOrderId,
    createdTime: iso(order.purchaseDate),
    lastUpdatedTime: iso(order.lastUpdateDate),
    salesChannel: { channelName: 'AMAZON', marketplaceId: order.marketplaceId, marketplaceName: marketplaceById(order.marketplaceId)?.name ?? order.salesChannel },
    ...(has('BUYER')
      ? {
          buyer: {
            buyerName: order.buyer.name,
            // The model: "Only available for merchant-fulfilled (FBM) orders."
            ...(order.fulfillmentChannel === 'MFN' ? { buyerEmail: order.buyer.email } : {}),
          },
        }
      : {}),
    ...(has('RECIPIENT')
      ? {
          recipient: {
            deliveryAddress: {
              name: a.name,
              addressLine1: a.addressLine1,
              city: a.city,
              stateOrRegion: a.stateOrRegion,
              postalCode: a.postalCode,
              countryCode: a.countryCode,
              phone: a.phone,
              addressType: 'RESIDENTIAL',
            },
          },
        }
      : {}),
    ...(has('PROCEEDS') ? { proceeds: { grandTotal: money(order, orderTotalMinor(order)) } } : {}),
    ...(has('FULFILLMENT')
      ? { fulfillment: { fulfillmentStatus: STATUS_2026[order.status], fulfilledBy: fulfilledBy(order), fulfillmentServiceLevel: order.shipServiceLevel } }
      : {}),
    orderItems: order.items.map((item) => ({
      orderItemId: item.orderItemId,
      quantityOrdered: item.quantityOrdered,
      product: {
        asin: item.asin,
        title: item.title,
        sellerSku: item.sellerSku,
        price: { unitPrice: money(order, item.unitPriceMinor) },
      },
    })),
  };
}

export const orders2026Handlers: HandlerTable = {
  'orders_2026-01-01.searchOrders': searchOrders,
  'orders_2026-01-01.getOrder': getOrder,
};
