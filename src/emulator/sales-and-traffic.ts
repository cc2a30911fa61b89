import { amount, catalogue, currencyOf, dateText, day, groupBy, linesIn, percent, periods, ratio, totals, traffic } from './sales-figures.js';
import type { Amount, Line, SalesRange } from './sales-figures.js';

/*
 * Sales and traffic results, by date and by ASIN, shaped as Data Kiosk's
 * analytics_salesAndTraffic_2024_04_24 schema has them; GET_SALES_AND_TRAFFIC_REPORT renames
 * their parts (report-sales-traffic.ts).
 */

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
