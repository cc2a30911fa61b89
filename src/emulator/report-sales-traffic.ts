import { salesAndTrafficByAsin, salesAndTrafficByDate } from './sales-and-traffic.js';
import type { EmulatedOrder } from './order-data.js';

/*
 * GET_SALES_AND_TRAFFIC_REPORT, the Reports API's JSON twin of Data Kiosk's sales and traffic
 * dataset: reportSpecification, then salesAndTrafficByDate (`date`, salesByDate, trafficByDate)
 * and salesAndTrafficByAsin (parentAsin/childAsin/sku, salesByAsin, trafficByAsin), from the same
 * figures as the Data Kiosk records. reportOptions dateGranularity (DAY, WEEK, MONTH; default
 * DAY) and asinGranularity (PARENT, CHILD, SKU; default PARENT) choose the aggregation.
 */

export const SALES_AND_TRAFFIC_REPORT = 'GET_SALES_AND_TRAFFIC_REPORT';

const DATE_GRANULARITIES = ['DAY', 'WEEK', 'MONTH'];
const ASIN_GRANULARITIES = ['PARENT', 'CHILD', 'SKU'];

export interface SalesAndTrafficOptions {
  dateGranularity: string;
  asinGranularity: string;
}

/** The report's granularities from its reportOptions, or why they cannot be honoured. */
export function salesAndTrafficOptions(options: Readonly<Record<string, string>>): SalesAndTrafficOptions | { problem: string } {
  const dateGranularity = options['dateGranularity'] ?? 'DAY';
  const asinGranularity = options['asinGranularity'] ?? 'PARENT';
  if (!DATE_GRANULARITIES.includes(dateGranularity)) return { problem: `invalid reportOptions.dateGranularity "${dateGranularity}" (${DATE_GRANULARITIES.join(', ')}).` };
  if (!ASIN_GRANULARITIES.includes(asinGranularity)) return { problem: `invalid reportOptions.asinGranularity "${asinGranularity}" (${ASIN_GRANULARITIES.join(', ')}).` };
  return { dateGranularity, asinGranularity };
}

export interface SalesAndTrafficRequest {
  marketplaceIds: readonly string[];
  dataStartTime: number;
  dataEndTime: number;
  options: SalesAndTrafficOptions;
}

export function renderSalesAndTrafficReport(request: SalesAndTrafficRequest, orders: readonly EmulatedOrder[], seed: number): string {
  const startDate = new Date(request.dataStartTime).toISOString().slice(0, 10);
  const endDate = new Date(request.dataEndTime).toISOString().slice(0, 10);
  const range = { orders, marketplaceIds: request.marketplaceIds, startDate, endDate, seed };
  const { dateGranularity, asinGranularity } = request.options;
  const report = {
    reportSpecification: {
      reportType: SALES_AND_TRAFFIC_REPORT,
      reportOptions: { dateGranularity, asinGranularity },
      dataStartTime: startDate,
      dataEndTime: endDate,
      marketplaceIds: request.marketplaceIds,
    },
    salesAndTrafficByDate: salesAndTrafficByDate(range, dateGranularity).map((record) => ({ date: record.startDate, salesByDate: record.sales, trafficByDate: record.traffic })),
    salesAndTrafficByAsin: salesAndTrafficByAsin(range, asinGranularity).map(({ startDate: _start, endDate: _end, marketplaceId: _id, sales, traffic, ...asins }) => ({
      ...asins,
      salesByAsin: sales,
      trafficByAsin: traffic,
    })),
  };
  return JSON.stringify(report);
}
