import { createHash } from 'node:crypto';
import { marketplaceById } from './marketplaces.js';
import type { EmulatedItem, EmulatedOrder } from './order-data.js';
import { SeededRandom } from '../core/random.js';

/*
 * The figures sales results are made of, from the emulator's orders, so Data Kiosk records and
 * the sales and traffic report agree with the Orders API: order lines per marketplace and period
 * (cancelled orders left out), their totals, money in the marketplace currency, seeded traffic
 * around the units sold, and the catalogue of ASINs the orders show.
 */

const DAY_MS = 86_400_000;

/** Days from `start` to `end`, both included, as epoch ms of their midnights (UTC). */
export interface Period {
  start: number;
  end: number;
}

export const day = (text: string): number => Date.parse(`${text}T00:00:00Z`);
export const dateText = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

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

export interface Line {
  order: EmulatedOrder;
  item: EmulatedItem;
}

/** The order lines a result counts: not cancelled, in the marketplace, purchased within the period. */
export function linesIn(orders: readonly EmulatedOrder[], marketplaceId: string, period: Period): Line[] {
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

export type Amount = { amount: number; currencyCode: string };

export const currencyOf = (marketplaceId: string, lines: readonly Line[]): string => lines[0]?.order.currencyCode ?? marketplaceById(marketplaceId)?.defaultCurrencyCode ?? 'USD';
// Yen have no minor unit (order-data.ts keeps them as whole hundreds of "minor" units).
export const amount = (minor: number, currencyCode: string): Amount => ({ amount: currencyCode === 'JPY' ? Math.round(minor / 100) : Math.round(minor) / 100, currencyCode });
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);
export const percent = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 100);

export interface Totals {
  minor: number;
  units: number;
  items: number;
  orders: number;
  shippedUnits: number;
  shippedMinor: number;
  shippedOrders: number;
}

export function totals(lines: readonly Line[]): Totals {
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
    // An order counts as shipped once any of its units did, as the shipped units and sales count them.
    if (item.quantityShipped > 0) shipped.add(order.amazonOrderId);
  }
  t.orders = orders.size;
  t.shippedOrders = shipped.size;
  return t;
}

/** Seeded traffic around the units sold, the same for the same seed, marketplace, period and key. */
export function traffic(seed: number, key: string, units: number): { sessions: number; browserSessions: number; pageViews: number; browserPageViews: number; buyBox: number } {
  const random = new SeededRandom(createHash('sha256').update(`${seed}\n${key}`).digest().readUInt32BE(0));
  const sessions = units * random.int(5, 9) + random.int(10, 60);
  const browserSessions = Math.round(sessions * (0.35 + random.next() * 0.2));
  const pageViews = Math.round(sessions * (1.2 + random.next() * 0.5));
  const browserPageViews = Math.round(pageViews * (browserSessions / sessions));
  return { sessions, browserSessions, pageViews, browserPageViews, buyBox: Math.round((85 + random.next() * 15) * 100) / 100 };
}

/** The catalogue the orders show: SKU -> its ASIN, a parent ASIN shared by products of one kind, and its fulfilment. */
export function catalogue(orders: readonly EmulatedOrder[]): Map<string, { asin: string; parentAsin: string; afn: boolean }> {
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

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
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
