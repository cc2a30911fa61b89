import { economics } from './data-kiosk-economics.js';
import type { GraphQlField } from '../core/datakiosk/graphql.js';
import type { KioskQuery } from './data-kiosk-query.js';
import type { EmulatedOrder } from './order-data.js';
import { salesAndTrafficByAsin, salesAndTrafficByDate } from './sales-and-traffic.js';

/*
 * The records of Data Kiosk query results, one JSON Lines line each, computed from the emulator's
 * orders (sales-figures.ts) so they agree with the Orders API and the order reports. Shapes follow
 * the schemas (salesAndTraffic 2024-04-24, economics 2024-03-15); each record is projected onto
 * the fields the query selects, and a selected field the emulator does not produce is null.
 */

/** All records of a query, in order (marketplace, then period, then product); before projection. */
export function kioskRecords(query: KioskQuery, orders: readonly EmulatedOrder[], seed: number): Record<string, unknown>[] {
  const args = query.args as { startDate: string; endDate: string; marketplaceIds?: string[]; aggregateBy?: unknown; includeComponentsForFeeTypes?: string[] };
  const range = { orders, marketplaceIds: args.marketplaceIds ?? [], startDate: args.startDate, endDate: args.endDate, seed };
  if (query.name === 'sampleQuery') {
    // The sandbox's fake root: daily sales, each with its date.
    return salesAndTrafficByDate(range, 'DAY').map((r) => ({ startDate: r.startDate, endDate: r.endDate, marketplaceId: r.marketplaceId, sales: { date: r.startDate, ...(r.sales as object) } }));
  }
  if (query.name === 'salesAndTrafficByDate') return salesAndTrafficByDate(range, String(args.aggregateBy));
  if (query.name === 'salesAndTrafficByAsin') return salesAndTrafficByAsin(range, String(args.aggregateBy));
  const aggregate = (args.aggregateBy ?? {}) as { date?: string; productId?: string };
  return economics(range, aggregate.date ?? 'DAY', aggregate.productId ?? 'MSKU', args.includeComponentsForFeeTypes ?? []);
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
