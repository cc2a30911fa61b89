import { createHash } from 'node:crypto';
import type { GraphQlField } from './data-kiosk-graphql.js';
import type { KioskQuery } from './data-kiosk-query.js';
import { marketplaceById } from './marketplaces.js';
import type { EmulatedItem, EmulatedOrder } from './order-data.js';
import { SeededRandom } from './random.js';

/*
 * The records of Data Kiosk query results, one JSON Lines line each, computed from the emulator's
 * orders so they agree with the Orders API and the order reports: sales are the orders' item
 * prices and quantities per marketplace and period (cancelled orders left out), traffic and fees
 * are seeded figures around them. Shapes follow the schemas (salesAndTraffic 2024-04-24,
 * economics 2024-03-15); the record is projected onto the fields the query selects, and a
 * selected field the emulator does not produce is null.
 */

const DAY_MS = 86_400_000;

/** Days from `start` to `end`, both included, as epoch ms of their midnights (UTC). */
interface Period {
  start: number;
  end: number;
}

const day = (text: string): number => Date.parse(`${text}T00:00:00Z`);
const dateText = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/**
 * The periods of a date granularity, snapped as the schemas say: WEEK starts on the Sunday on or
 * after startDate and ends on the Saturday on or before endDate; MONTH starts on the first of
 * the month on or after startDate and ends on the last day on or before endDate; RANGE is one
 * period. Empty when the snapped range is empty.
 */
export function periods(startDate: string, endDate: string, granularity: string): Period[] {
  let start = day(startDate);
  let end = day(endDate);
  const out: Period[] = [];
  if (granularity === 'RANGE') return start <= end ? [{ start, end }] : [];
  if (granularity === 'WEEK') {
    start += ((7 - new Date(start).getUTCDay()) % 7) * DAY_MS;
    end -= ((new Date(end).getUTCDay() + 1) % 7) * DAY_MS;
    for (let at = start; at + 6 * DAY_MS <= end; at += 7 * DAY_MS) out.push({ start: at, end: at + 6 * DAY_MS });
    return out;
  }
  if (granularity === 'MONTH') {
    const first = new Date(start);
    if (first.getUTCDate() !== 1) start = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1);
    const last = new Date(end + DAY_MS);
    if (last.getUTCDate() !== 1) end = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), 1) - DAY_MS;
    for (let at = start; at <= end; ) {
      const d = new Date(at);
      const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      out.push({ start: at, end: next - DAY_MS });
      at = next;
    }
    return out;
  }
  for (let at = start; at <= end; at += DAY_MS) out.push({ start: at, end: at });
  return out;
}

interface Line {
  order: EmulatedOrder;
  item: EmulatedItem;
}

/** The order lines a result counts: not cancelled, in the marketplace, purchased within the period. */
function linesIn(orders: readonly EmulatedOrder[], marketplaceId: string, period: Period): Line[] {
  const from = period.start;
  const until = period.end + DAY_MS;
  return orders
    .filter((order) => order.marketplaceId === marketplaceId && order.status !== 'Canceled' && order.purchaseDate >= from && order.purchaseDate < until)
    .flatMap((order) => order.items.map((item) => ({ order, item })));
}

/** Whether any order counts for these marketplaces and dates: without one the query has no data. */
export function hasSales(orders: readonly EmulatedOrder[], marketplaceIds: readonly string[], startDate: string, endDate: string): boolean {
  return marketplaceIds.some((id) => linesIn(orders, id, { start: day(startDate), end: day(endDate) }).length > 0);
}

type Amount = { amount: number; currencyCode: string };

const currencyOf = (marketplaceId: string, lines: readonly Line[]): string => lines[0]?.order.currencyCode ?? marketplaceById(marketplaceId)?.defaultCurrencyCode ?? 'USD';
// Yen have no minor unit (order-data.ts keeps them as whole hundreds of "minor" units).
const amount = (minor: number, currencyCode: string): Amount => ({ amount: currencyCode === 'JPY' ? Math.round(minor / 100) : Math.round(minor) / 100, currencyCode });
const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);
const percent = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 100);

interface Totals {
  minor: number;
  units: number;
  items: number;
  orders: number;
  shippedUnits: number;
  shippedMinor: number;
  shippedOrders: number;
}

function totals(lines: readonly Line[]): Totals {
  const t: Totals = { minor: 0, units: 0, items: 0, orders: 0, shippedUnits: 0, shippedMinor: 0, shippedOrders: 0 };
  const orders = new Set<string>();
  const shipped = new Set<string>();
  for (const { order, item } of lines) {
    t.minor += item.unitPriceMinor * item.quantityOrdered;
    t.units += item.quantityOrdered;
    t.items += 1;
    t.shippedUnits += item.quantityShipped;
    t.shippedMinor += item.unitPriceMinor * item.quantityShipped;
    orders.add(order.amazonOrderId);
    if (order.status === 'Shipped') shipped.add(order.amazonOrderId);
  }
  t.orders = orders.size;
  t.shippedOrders = shipped.size;
  return t;
}

/** Seeded traffic around the units sold, the same for the same seed, marketplace, period and key. */
function traffic(seed: number, key: string, units: number): { sessions: number; browserSessions: number; pageViews: number; browserPageViews: number; buyBox: number } {
  const random = new SeededRandom(createHash('sha256').update(`${seed}\n${key}`).digest().readUInt32BE(0));
  const sessions = units * random.int(5, 9) + random.int(10, 60);
  const browserSessions = Math.round(sessions * (0.35 + random.next() * 0.2));
  const pageViews = Math.round(sessions * (1.2 + random.next() * 0.5));
  const browserPageViews = Math.round(pageViews * (browserSessions / sessions));
  return { sessions, browserSessions, pageViews, browserPageViews, buyBox: Math.round((85 + random.next() * 15) * 100) / 100 };
}

function salesByDate(lines: readonly Line[], currency: string): Record<string, unknown> {
  const all = totals(lines);
  const b2b = totals(lines.filter((line) => line.order.isBusinessOrder));
  const money = (minor: number): Amount => amount(minor, currency);
  return {
    orderedProductSales: money(all.minor),
    orderedProductSalesB2B: money(b2b.minor),
    unitsOrdered: all.units,
    unitsOrderedB2B: b2b.units,
    totalOrderItems: all.items,
    totalOrderItemsB2B: b2b.items,
    averageSalesPerOrderItem: money(all.items ? all.minor / all.items : 0),
    averageSalesPerOrderItemB2B: money(b2b.items ? b2b.minor / b2b.items : 0),
    averageSellingPrice: money(all.units ? all.minor / all.units : 0),
    averageSellingPriceB2B: money(b2b.units ? b2b.minor / b2b.units : 0),
    averageUnitsPerOrderItem: ratio(all.units, all.items),
    averageUnitsPerOrderItemB2B: ratio(b2b.units, b2b.items),
    unitsShipped: all.shippedUnits,
    ordersShipped: all.shippedOrders,
    shippedProductSales: money(all.shippedMinor),
    unitsRefunded: 0,
    refundRate: 0,
    claimsAmount: money(0),
    claimsGranted: 0,
  };
}

function trafficByDate(seed: number, key: string, units: number, items: number, products: number): Record<string, unknown> {
  const t = traffic(seed, key, units);
  return {
    sessions: t.sessions,
    browserSessions: t.browserSessions,
    mobileAppSessions: t.sessions - t.browserSessions,
    pageViews: t.pageViews,
    browserPageViews: t.browserPageViews,
    mobileAppPageViews: t.pageViews - t.browserPageViews,
    buyBoxPercentage: t.buyBox,
    unitSessionPercentage: percent(units, t.sessions),
    orderItemSessionPercentage: percent(items, t.sessions),
    averageOfferCount: products,
    averageParentItems: products,
    feedbackReceived: Math.floor(units / 10),
    negativeFeedbackReceived: 0,
    receivedNegativeFeedbackRate: 0,
  };
}

/** The catalogue the orders show: SKU -> its ASIN, a parent ASIN shared by products of one kind, and its fulfilment. */
function catalogue(orders: readonly EmulatedOrder[]): Map<string, { asin: string; parentAsin: string; afn: boolean }> {
  const products = new Map<string, { asin: string; noun: number; afn: boolean }>();
  for (const order of orders) {
    for (const item of order.items) {
      if (!products.has(item.sellerSku)) products.set(item.sellerSku, { asin: item.asin, noun: item.words.noun, afn: order.fulfillmentChannel === 'AFN' });
    }
  }
  const parents = new Map<number, string>();
  for (const [, product] of [...products].sort(([a], [b]) => a.localeCompare(b))) if (!parents.has(product.noun)) parents.set(product.noun, product.asin);
  return new Map([...products].map(([sku, p]) => [sku, { asin: p.asin, parentAsin: parents.get(p.noun) ?? p.asin, afn: p.afn }]));
}

/** All records of a query, in order (marketplace, then period, then product); before projection. */
export function kioskRecords(query: KioskQuery, orders: readonly EmulatedOrder[], seed: number): Record<string, unknown>[] {
  const args = query.args as { startDate: string; endDate: string; marketplaceIds?: string[]; aggregateBy?: unknown; includeComponentsForFeeTypes?: string[] };
  const range = { orders, marketplaceIds: args.marketplaceIds ?? [], startDate: args.startDate, endDate: args.endDate, seed };
  if (query.name === 'sampleQuery') {
    return salesAndTrafficByDate(range, 'DAY').map(({ sales, traffic: _, ...rest }) => ({ ...rest, sales: { date: rest.startDate, ...(sales as object) } }));
  }
  if (query.name === 'salesAndTrafficByDate') return salesAndTrafficByDate(range, String(args.aggregateBy));
  if (query.name === 'salesAndTrafficByAsin') return salesAndTrafficByAsin(range, String(args.aggregateBy));
  const aggregate = (args.aggregateBy ?? {}) as { date?: string; productId?: string };
  return economics(range, aggregate.date ?? 'DAY', aggregate.productId ?? 'MSKU', args.includeComponentsForFeeTypes ?? []);
}

/** What a sales result is computed over. */
export interface SalesRange {
  orders: readonly EmulatedOrder[];
  marketplaceIds: readonly string[];
  /** `YYYY-MM-DD`, both included. */
  startDate: string;
  endDate: string;
  seed: number;
}

/** salesAndTrafficByDate: a record per marketplace and period. */
export function salesAndTrafficByDate(range: SalesRange, granularity: string): Array<{ startDate: string; endDate: string; marketplaceId: string; sales: unknown; traffic: unknown }> {
  const records = [];
  const products = catalogue(range.orders);
  for (const marketplaceId of range.marketplaceIds) {
    for (const period of periods(range.startDate, range.endDate, granularity)) {
      const lines = linesIn(range.orders, marketplaceId, period);
      const all = totals(lines);
      records.push({
        startDate: dateText(period.start),
        endDate: dateText(period.end),
        marketplaceId,
        sales: salesByDate(lines, currencyOf(marketplaceId, lines)),
        traffic: trafficByDate(range.seed, `${marketplaceId}\n${period.start}\n${period.end}`, all.units, all.items, products.size),
      });
    }
  }
  return records;
}

/** salesAndTrafficByAsin: a record per marketplace and product (parent ASIN, or SKU for CHILD and SKU) over the whole range. */
export function salesAndTrafficByAsin(range: SalesRange, granularity: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const products = catalogue(range.orders);
  const period = { start: day(range.startDate), end: day(range.endDate) };
  for (const marketplaceId of range.marketplaceIds) {
    const lines = linesIn(range.orders, marketplaceId, period);
    const currency = currencyOf(marketplaceId, lines);
    const groups = groupBy(lines, ({ item }) => {
      const product = products.get(item.sellerSku);
      return granularity === 'PARENT' ? (product?.parentAsin ?? item.asin) : item.sellerSku;
    });
    const rows = [...groups].map(([key, group]) => {
      const t = totals(group);
      return { group, t, traffic: traffic(range.seed, `${marketplaceId}\n${period.start}\n${period.end}\n${key}`, t.units) };
    });
    const sessions = rows.reduce((sum, row) => sum + row.traffic.sessions, 0);
    const pageViews = rows.reduce((sum, row) => sum + row.traffic.pageViews, 0);
    const browserSessions = rows.reduce((sum, row) => sum + row.traffic.browserSessions, 0);
    const browserPageViews = rows.reduce((sum, row) => sum + row.traffic.browserPageViews, 0);
    for (const { group, t, traffic: tr } of rows) {
      const first = group[0]?.item;
      const product = first ? products.get(first.sellerSku) : undefined;
      const b2b = totals(group.filter((line) => line.order.isBusinessOrder));
      const mobileSessions = tr.sessions - tr.browserSessions;
      const mobilePageViews = tr.pageViews - tr.browserPageViews;
      records.push({
        startDate: range.startDate,
        endDate: range.endDate,
        marketplaceId,
        parentAsin: product?.parentAsin ?? first?.asin ?? null,
        ...(granularity !== 'PARENT' ? { childAsin: first?.asin ?? null } : {}),
        ...(granularity === 'SKU' ? { sku: first?.sellerSku ?? null } : {}),
        sales: {
          orderedProductSales: amount(t.minor, currency),
          orderedProductSalesB2B: amount(b2b.minor, currency),
          totalOrderItems: t.items,
          totalOrderItemsB2B: b2b.items,
          unitsOrdered: t.units,
          unitsOrderedB2B: b2b.units,
        },
        traffic: {
          sessions: tr.sessions,
          browserSessions: tr.browserSessions,
          mobileAppSessions: mobileSessions,
          pageViews: tr.pageViews,
          browserPageViews: tr.browserPageViews,
          mobileAppPageViews: mobilePageViews,
          sessionPercentage: percent(tr.sessions, sessions),
          browserSessionPercentage: percent(tr.browserSessions, browserSessions),
          mobileAppSessionPercentage: percent(mobileSessions, sessions - browserSessions),
          pageViewsPercentage: percent(tr.pageViews, pageViews),
          browserPageViewsPercentage: percent(tr.browserPageViews, browserPageViews),
          mobileAppPageViewsPercentage: percent(mobilePageViews, pageViews - browserPageViews),
          buyBoxPercentage: tr.buyBox,
          unitSessionPercentage: percent(t.units, tr.sessions),
        },
      });
    }
  }
  return records;
}

/** economics: a record per marketplace, period and product (by productId). */
function economics(range: SalesRange, dateGranularity: string, productId: string, components: readonly string[]): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const products = catalogue(range.orders);
  for (const marketplaceId of range.marketplaceIds) {
    for (const period of periods(range.startDate, range.endDate, dateGranularity)) {
      const lines = linesIn(range.orders, marketplaceId, period);
      const currency = currencyOf(marketplaceId, lines);
      const groups = groupBy(lines, ({ item }) => (productId === 'PARENT_ASIN' ? (products.get(item.sellerSku)?.parentAsin ?? item.asin) : productId === 'CHILD_ASIN' ? item.asin : item.sellerSku));
      for (const [, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
        const first = group[0]?.item;
        const product = first ? products.get(first.sellerSku) : undefined;
        records.push(economicsRecord(group, currency, { start: dateText(period.start), end: dateText(period.end) }, marketplaceId, productId, product, first, components));
      }
    }
  }
  return records;
}

function economicsRecord(
  group: readonly Line[],
  currency: string,
  range: { start: string; end: string },
  marketplaceId: string,
  productId: string,
  product: { asin: string; parentAsin: string; afn: boolean } | undefined,
  first: EmulatedItem | undefined,
  components: readonly string[],
): Record<string, unknown> {
  const t = totals(group);
  const money = (minor: number): Amount => amount(minor, currency);
  // Amazon's referral fee is a share of the price (15% in most categories); FBA's a fee per unit.
  const referral = Math.round(t.minor * 0.15);
  const afn = product?.afn ?? false;
  const fbaPerUnit = afn && t.units > 0 ? Math.round((t.minor / t.units) * 0.12) : 0;
  const fba = fbaPerUnit * t.units;
  const detail = (minor: number, quantity: number | null): Record<string, unknown> => ({
    amount: money(minor),
    amountPerUnit: quantity ? money(minor / quantity) : null,
    promotionAmount: money(0),
    quantity,
    taxAmount: money(0),
    totalAmount: money(minor),
  });
  const fees: Record<string, unknown>[] = [{ feeTypeName: 'Referral fee', charge: { aggregatedDetail: detail(referral, t.units), components: null } }];
  if (afn) {
    const parts = components.includes('FBA_FULFILLMENT_FEE') ? [{ name: 'Base fulfillment fee', aggregatedDetail: detail(fba, t.units) }] : null;
    fees.push({ feeTypeName: 'FBA fulfillment fees', charge: { aggregatedDetail: detail(fba, t.units), components: parts } });
  }
  const net = t.minor - referral - fba;
  const byProduct = productId === 'MSKU' || productId === 'FNSKU';
  return {
    startDate: range.start,
    endDate: range.end,
    marketplaceId,
    parentAsin: product?.parentAsin ?? first?.asin ?? null,
    ...(productId !== 'PARENT_ASIN' ? { childAsin: first?.asin ?? null } : {}),
    ...(byProduct ? { msku: first?.sellerSku ?? null, fnsku: afn && first ? `X00${first.asin.slice(-7)}` : null } : {}),
    sales: {
      orderedProductSales: money(t.minor),
      unitsOrdered: t.units,
      refundedProductSales: money(0),
      unitsRefunded: 0,
      netProductSales: money(t.minor),
      netUnitsSold: t.units,
      averageSellingPrice: t.units ? money(t.minor / t.units) : null,
    },
    fees,
    ads: [],
    // The seller has entered no costs: every field is null (the schema's rule).
    cost: { costOfGoodsSold: null, fbaCost: { shippingToAmazonCost: null }, mfnCost: { fulfillmentCost: null, storageCost: null }, miscellaneousCost: null },
    netProceeds: { total: money(net), perUnit: t.units ? money(net / t.units) : null },
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The record as the query selected it: selected fields only, under their aliases; unknown ones null. */
export function project(value: unknown, selection: readonly GraphQlField[] | undefined): unknown {
  if (selection === undefined || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => project(item, selection));
  if (typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of selection) out[field.alias ?? field.name] = project(record[field.name], field.selection);
  return out;
}
