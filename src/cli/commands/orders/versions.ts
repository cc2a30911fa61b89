import { UsageError } from '../../../core/errors.js';
import { findMarketplace } from '../../../core/regions.js';
import type { Column } from '../../output/columns.js';

/** What differs between the Orders API versions the friendly commands speak. */
export interface OrdersApi {
  list: string;
  get: string;
  createdAfter: string;
  createdBefore: string;
  statuses: string;
  marketplaceIds: string;
  status: (input: string) => string;
  /** Parameters every listing and getOrder send, e.g. the 2026-01-01 sections the table shows. */
  extra: Array<[string, string[]]>;
  /** Pulls the order out of a getOrder answer. */
  order: (body: unknown) => unknown;
  columns: Column[];
}

/** The statuses `orders list --status` takes (either API's spelling is converted to the other). */
export const V0_STATUSES = ['PendingAvailability', 'Pending', 'Unshipped', 'PartiallyShipped', 'Shipped', 'InvoiceUnconfirmed', 'Canceled', 'Unfulfillable'];

/** Unshipped → UNSHIPPED, PartiallyShipped → PARTIALLY_SHIPPED, Canceled → CANCELLED (2026-01-01 spelling). */
function toUpperSnake(input: string): string {
  const snake = input.trim().replace(/([a-z])([A-Z])/g, '$1_$2').replace(/[\s-]+/g, '_').toUpperCase();
  return snake === 'CANCELED' ? 'CANCELLED' : snake;
}

function toV0(input: string): string {
  const wanted = input.trim().replace(/[_\s-]/g, '').toLowerCase();
  const found = V0_STATUSES.find((s) => s.toLowerCase() === wanted || (wanted === 'cancelled' && s === 'Canceled'));
  return found ?? input.trim();
}

/** v0 says AFN/MFN where 2026-01-01 says who fulfils: Amazon or the merchant. */
const V0_FULFILLED_BY: Record<string, string> = { AFN: 'AMAZON', MFN: 'MERCHANT' };

function field(row: unknown, name: string): unknown {
  return row && typeof row === 'object' ? (row as Record<string, unknown>)[name] : undefined;
}

/** v0's SalesChannel is the marketplace's name (Amazon.de); without it, the country from the id. */
function v0MarketplaceName(row: unknown): unknown {
  const channel = field(row, 'SalesChannel');
  if (typeof channel === 'string' && channel !== '') return channel;
  const id = field(row, 'MarketplaceId');
  return typeof id === 'string' ? (findMarketplace(id)?.country ?? id) : undefined;
}

export const ORDERS_APIS: Record<string, OrdersApi> = {
  '2026-01-01': {
    list: 'orders_2026-01-01.searchOrders',
    get: 'orders_2026-01-01.getOrder',
    createdAfter: 'createdAfter',
    createdBefore: 'createdBefore',
    statuses: 'fulfillmentStatuses',
    marketplaceIds: 'marketplaceIds',
    status: toUpperSnake,
    // 2026-01-01 omits fulfillment and proceeds unless asked for; the table shows both.
    extra: [['includedData', ['FULFILLMENT', 'PROCEEDS']]],
    order: (body) => (body as { order?: unknown } | undefined)?.order ?? body,
    columns: [
      { header: 'order', path: 'orderId', role: 'key' },
      { header: 'created', path: 'createdTime' },
      { header: 'status', path: 'fulfillment.fulfillmentStatus' },
      { header: 'marketplace', path: 'salesChannel.marketplaceName', role: 'optional' },
      { header: 'fulfilled by', path: 'fulfillment.fulfilledBy', role: 'optional' },
      { header: 'total', path: 'proceeds.grandTotal.amount' },
      { header: 'currency', path: 'proceeds.grandTotal.currencyCode' },
    ],
  },
  v0: {
    list: 'ordersV0.getOrders',
    get: 'ordersV0.getOrder',
    createdAfter: 'CreatedAfter',
    createdBefore: 'CreatedBefore',
    statuses: 'OrderStatuses',
    marketplaceIds: 'MarketplaceIds',
    status: toV0,
    extra: [],
    order: (body) => (body as { payload?: unknown } | undefined)?.payload ?? body,
    // The same columns as 2026-01-01, so switching --api changes no script that reads them.
    columns: [
      { header: 'order', path: 'AmazonOrderId', role: 'key' },
      { header: 'created', path: 'PurchaseDate' },
      { header: 'status', path: 'OrderStatus' },
      { header: 'marketplace', value: v0MarketplaceName, role: 'optional' },
      { header: 'fulfilled by', value: (row) => V0_FULFILLED_BY[String(field(row, 'FulfillmentChannel'))], role: 'optional' },
      { header: 'total', path: 'OrderTotal.Amount' },
      { header: 'currency', path: 'OrderTotal.CurrencyCode' },
    ],
  },
};

export function ordersApi(version: string): OrdersApi {
  const api = ORDERS_APIS[version];
  if (!api) throw new UsageError(`--api ${version}: use 2026-01-01 or v0`);
  return api;
}
