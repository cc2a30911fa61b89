import type { EmulatedItem, EmulatedOrder } from './order-data.js';
import { formatAmount } from './order-data.js';
import { productTitle } from './product-titles.js';

/*
 * What report documents hold, rendered from the emulator's orders. The column lists follow the
 * flat files Amazon delivers for these report types; values are the emulator's own data. The
 * synthetic rows of report-synthetic.ts use the same columns.
 */

/** The flat files the emulator writes (and generates at a requested size). */
export type FlatFileKind = 'orders' | 'listings';

/** How a report type's document is built: a flat file, or GET_SALES_AND_TRAFFIC_REPORT's JSON (report-sales-traffic.ts). */
export type ContentKind = FlatFileKind | 'salesAndTraffic';

/** Which order date an order report's data window applies to. */
export type OrderDate = 'purchase' | 'lastUpdate';

export const ORDER_REPORT_COLUMNS = [
  'amazon-order-id',
  'merchant-order-id',
  'purchase-date',
  'last-updated-date',
  'order-status',
  'fulfillment-channel',
  'sales-channel',
  'order-channel',
  'ship-service-level',
  'product-name',
  'sku',
  'asin',
  'item-status',
  'quantity',
  'currency',
  'item-price',
  'item-tax',
  'shipping-price',
  'shipping-tax',
  'gift-wrap-price',
  'gift-wrap-tax',
  'item-promotion-discount',
  'ship-promotion-discount',
  'ship-city',
  'ship-state',
  'ship-postal-code',
  'ship-country',
  'promotion-ids',
  'is-business-order',
  'purchase-order-number',
  'price-designation',
] as const;

export const LISTING_REPORT_COLUMNS = [
  'item-name',
  'item-description',
  'listing-id',
  'seller-sku',
  'price',
  'quantity',
  'open-date',
  'image-url',
  'item-is-marketplace',
  'product-id-type',
  'zshop-shipping-fee',
  'item-note',
  'item-condition',
  'zshop-category1',
  'zshop-browse-path',
  'zshop-storefront-feature',
  'asin1',
  'asin2',
  'asin3',
  'will-ship-internationally',
  'expedited-shipping',
  'zshop-boldface',
  'product-id',
  'bid-for-featured-placement',
  'add-delete',
  'pending-quantity',
  'fulfillment-channel',
  'merchant-shipping-group',
  'status',
] as const;

/** The free-text column that synthetic rows pad to reach an exact size. */
export const PAD_COLUMN: Record<FlatFileKind, number> = {
  orders: ORDER_REPORT_COLUMNS.indexOf('product-name'),
  listings: LISTING_REPORT_COLUMNS.indexOf('item-description'),
};

export function headerLine(kind: FlatFileKind): string {
  return `${(kind === 'orders' ? ORDER_REPORT_COLUMNS : LISTING_REPORT_COLUMNS).join('\t')}\n`;
}

/**
 * The content kind and order date of a report type. The flat-file order reports list orders,
 * GET_SALES_AND_TRAFFIC_REPORT is its JSON; every other type gets a listings file, so any report
 * type yields a parseable document.
 */
export function contentOf(reportType: string): { kind: ContentKind; orderDate: OrderDate } {
  if (reportType === 'GET_SALES_AND_TRAFFIC_REPORT') return { kind: 'salesAndTraffic', orderDate: 'purchase' };
  if (/_ORDERS_DATA_BY_LAST_UPDATE/.test(reportType)) return { kind: 'orders', orderDate: 'lastUpdate' };
  if (/_ORDERS_DATA_BY_ORDER_DATE/.test(reportType)) return { kind: 'orders', orderDate: 'purchase' };
  return { kind: 'listings', orderDate: 'purchase' };
}

/** The orders an order report covers: its window (inclusive) on the report's date, its marketplaces. */
export function ordersInWindow(orders: readonly EmulatedOrder[], start: number, end: number, marketplaceIds: readonly string[], date: OrderDate): EmulatedOrder[] {
  return orders.filter((order) => {
    const at = date === 'purchase' ? order.purchaseDate : order.lastUpdateDate;
    return at >= start && at <= end && marketplaceIds.includes(order.marketplaceId);
  });
}

/** Flat-file dates: ISO 8601 to the second with an explicit +00:00 offset. */
export function flatFileDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}+00:00`;
}

/** Header plus one row per order line (Amazon's all-orders flat files have a row per item). */
export function renderOrdersReport(orders: readonly EmulatedOrder[]): string {
  let text = headerLine('orders');
  for (const order of orders) {
    order.items.forEach((item, line) => {
      text += `${orderItemRow(order, item, line).join('\t')}\n`;
    });
  }
  return text;
}

function orderItemRow(order: EmulatedOrder, item: EmulatedItem, line: number): string[] {
  const price = item.unitPriceMinor * item.quantityOrdered;
  const pending = order.status === 'Pending' || order.status === 'PendingAvailability';
  // Shipping is charged once per order, on its first line; Prime ships free.
  const shipping = line === 0 && !order.isPrime ? 499 : 0;
  const address = order.shippingAddress;
  return [
    order.amazonOrderId,
    order.sellerOrderId,
    flatFileDate(order.purchaseDate),
    flatFileDate(order.lastUpdateDate),
    order.status,
    order.fulfillmentChannel === 'AFN' ? 'Amazon' : 'Merchant',
    order.salesChannel,
    '',
    order.shipServiceLevel,
    item.title,
    item.sellerSku,
    item.asin,
    order.status === 'Canceled' ? 'Cancelled' : item.quantityShipped === item.quantityOrdered ? 'Shipped' : 'Unshipped',
    String(item.quantityOrdered),
    order.currencyCode,
    // Pending orders carry no prices yet, as on Amazon.
    pending ? '' : formatAmount(price),
    pending ? '' : formatAmount(Math.round(price * 0.07)),
    pending ? '' : formatAmount(shipping),
    pending ? '' : formatAmount(Math.round(shipping * 0.07)),
    '',
    '',
    '',
    '',
    address.city,
    address.stateOrRegion,
    address.postalCode,
    address.countryCode,
    '',
    order.isBusinessOrder ? 'true' : 'false',
    '',
    '',
  ];
}

/** One product the seller lists, as the listings report shows it. */
export interface ListedProduct {
  sku: string;
  asin: string;
  title: string;
  priceMinor: number;
  quantity: number;
  afn: boolean;
  openDate: number;
}

/**
 * The seller's catalogue as seen through its orders: every SKU once, first order first, titled
 * as the seller lists it on `marketplaceId`.
 */
export function listedProducts(orders: readonly EmulatedOrder[], marketplaceId: string): ListedProduct[] {
  const bySku = new Map<string, ListedProduct>();
  for (const order of orders) {
    for (const item of order.items) {
      const known = bySku.get(item.sellerSku);
      if (known) {
        known.quantity += item.quantityOrdered;
        continue;
      }
      bySku.set(item.sellerSku, {
        sku: item.sellerSku,
        asin: item.asin,
        title: productTitle(item.words, marketplaceId),
        priceMinor: item.unitPriceMinor,
        quantity: item.quantityOrdered * 7,
        afn: order.fulfillmentChannel === 'AFN',
        // A listing opens some weeks before its first order.
        openDate: order.purchaseDate - 30 * 86_400_000,
      });
    }
  }
  return [...bySku.values()].sort((a, b) => a.sku.localeCompare(b.sku));
}

export function renderListingsReport(products: readonly ListedProduct[]): string {
  let text = headerLine('listings');
  for (const product of products) text += `${listingRow(product, '').join('\t')}\n`;
  return text;
}

/** A listings row; `description` is the item-description column (synthetic rows pad it). */
export function listingRow(product: ListedProduct, description: string): string[] {
  // Listing ids look like Amazon's: 4 digits of date code, then 7 more characters.
  const listingId = `${listingDateCode(product.openDate)}${product.asin.slice(-7)}`;
  return [
    product.title,
    description,
    listingId,
    product.sku,
    formatAmount(product.priceMinor),
    // FBA listings leave quantity empty: Amazon holds the stock.
    product.afn ? '' : String(product.quantity),
    listingDate(product.openDate),
    '',
    'y',
    '1',
    '',
    '',
    '11',
    '',
    '',
    '',
    product.asin,
    '',
    '',
    '',
    '',
    '',
    product.asin,
    '',
    '',
    '0',
    product.afn ? 'AMAZON_NA' : 'DEFAULT',
    'Migrated Template',
    'Active',
  ];
}

function listingDateCode(epochMs: number): string {
  const date = new Date(epochMs);
  return `${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
}

/** Listings reports print open dates as `YYYY-MM-DD HH:MM:SS <zone>`; the emulator's zone is UTC. */
export function listingDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * The document a FATAL report points to. Amazon's processing-error documents are short JSON
 * objects with an errorDetails text; the emulator writes the same shape.
 */
export function renderErrorDocument(reportType: string, reason: string): string {
  return `${JSON.stringify({ errorDetails: `Report ${reportType} could not be generated: ${reason}` })}\n`;
}
