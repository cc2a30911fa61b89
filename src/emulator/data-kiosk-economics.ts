import type { EmulatedItem } from './order-data.js';
import { amount, catalogue, currencyOf, dateText, groupBy, linesIn, periods, totals } from './sales-figures.js';
import type { Amount, Line, SalesRange } from './sales-figures.js';

/*
 * Seller economics results (Data Kiosk analytics_economics_2024_03_15): sales per product and
 * period with the fees Amazon would charge (a 15% referral fee; an FBA fee per unit for FBA
 * products) and the net proceeds. The seller has entered no costs, so every cost is null.
 */

/** economics: a record per marketplace, period and product (by productId). */
export function economics(range: SalesRange, dateGranularity: string, productId: string, components: readonly string[]): Record<string, unknown>[] {
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
