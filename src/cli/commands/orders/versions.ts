import { UsageError } from '../../../core/errors.js';
import type { Column } from '../../output.js';

/** What differs between the Orders API versions the friendly commands speak. */
export interface OrdersApi {
  list: string;
  get: string;
  createdAfter: string;
  createdBefore: string;
  statuses: string;
  marketplaceIds: string;
  status: (input: string) => string;
  /** Parameters every listing sends, e.g. the 2026-01-01 sections the table shows. */
  extra: Array<[string, string[]]>;
  /** Pulls the order out of a getOrder answer. */
  order: (body: unknown) => unknown;
  columns: Column[];
}

const V0_STATUSES = ['PendingAvailability', 'Pending', 'Unshipped', 'PartiallyShipped', 'Shipped', 'InvoiceUnconfirmed', 'Canceled', 'Unfulfillable'];

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
      { header: 'order', path: 'orderId' },
      { header: 'created', path: 'createdTime' },
      { header: 'status', path: 'fulfillment.fulfillmentStatus' },
      { header: 'marketplace', path: 'salesChannel.marketplaceName' },
      { header: 'fulfilled by', path: 'fulfillment.fulfilledBy' },
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
    columns: [
      { header: 'order', path: 'AmazonOrderId' },
      { header: 'created', path: 'PurchaseDate' },
      { header: 'status', path: 'OrderStatus' },
      { header: 'marketplace', path: 'MarketplaceId' },
      { header: 'channel', path: 'FulfillmentChannel' },
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
