import type { CallContext, HandlerTable } from './handler.js';
import type { OrderBook } from './order-data.js';
import { formatAmount } from './order-data.js';
import { dateParam, enumListParam, intParam, iso, listParam, otherParams } from './query.js';
import { SeededRandom } from './random.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';
import type { DocumentStore } from './documents.js';

/*
 * Reports API 2021-06-30, minimal: a report walks IN_QUEUE -> IN_PROGRESS -> DONE as it is polled
 * (first getReport IN_QUEUE, second IN_PROGRESS, third and later DONE), and its document is a small
 * gzip'd TSV on the emulator's own document storage.
 */

const PROCESSING_STATUSES = ['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'] as const;
type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];

const DAY_MS = 86_400_000;
// Reports are kept 90 days; getReports' createdSince defaults to that (model text).
const RETENTION_MS = 90 * DAY_MS;
const SEEDED_REPORT_TYPES = [
  'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
  'GET_MERCHANT_LISTINGS_ALL_DATA',
  'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA',
  'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE',
] as const;

interface StoredReport {
  reportId: string;
  reportType: string;
  marketplaceIds: string[];
  dataStartTime: number;
  dataEndTime: number;
  createdTime: number;
  status: ProcessingStatus;
  /** getReport calls so far; drives the status of created reports. */
  polls: number;
  processingStartTime?: number;
  processingEndTime?: number;
  reportDocumentId?: string;
}

/** Reports created through the API plus a deterministic history, so getReports has pages to turn. */
export class ReportStore {
  private readonly reports: StoredReport[] = [];
  private nextId: number;

  constructor(
    seed: number,
    anchor: number,
    private readonly orders: OrderBook,
    private readonly documents: DocumentStore,
  ) {
    const random = new SeededRandom(seed ^ 0x5eed);
    this.nextId = 50_000_000_000 + random.int(0, 999_999) * 1000;
    for (let i = 0; i < 24; i += 1) {
      const createdTime = anchor - random.int(1, 89 * 24) * 3_600_000;
      const status = random.weighted({ DONE: 20, CANCELLED: 3, FATAL: 1 });
      const report = this.add(random.pick(SEEDED_REPORT_TYPES), ['ATVPDKIKX0DER'], createdTime - 30 * DAY_MS, createdTime, createdTime);
      report.status = status;
      report.processingStartTime = createdTime + 60_000;
      report.processingEndTime = createdTime + 5 * 60_000;
      if (status === 'DONE') this.attachDocument(report);
    }
  }

  add(reportType: string, marketplaceIds: string[], dataStartTime: number, dataEndTime: number, createdTime: number): StoredReport {
    this.nextId += 1;
    const report: StoredReport = { reportId: String(this.nextId), reportType, marketplaceIds, dataStartTime, dataEndTime, createdTime, status: 'IN_QUEUE', polls: 0 };
    this.reports.push(report);
    return report;
  }

  find(reportId: string): StoredReport | undefined {
    return this.reports.find((r) => r.reportId === reportId);
  }

  findByDocument(documentId: string): StoredReport | undefined {
    return this.reports.find((r) => r.reportDocumentId === documentId);
  }

  all(): readonly StoredReport[] {
    return this.reports;
  }

  /** Moves a created report one step along its lifecycle; called once per getReport. */
  poll(report: StoredReport, now: number): void {
    report.polls += 1;
    if (report.status !== 'IN_QUEUE' && report.status !== 'IN_PROGRESS') return;
    if (report.polls === 2) {
      report.status = 'IN_PROGRESS';
      report.processingStartTime = now;
    } else if (report.polls >= 3) {
      report.status = 'DONE';
      report.processingStartTime ??= now;
      report.processingEndTime = now;
      this.attachDocument(report);
    }
  }

  private attachDocument(report: StoredReport): void {
    report.reportDocumentId = `amzn1.spdoc.1.4.na.emulator.${report.reportId}`;
    this.documents.put(report.reportDocumentId, () => renderDocument(report, this.orders));
  }
}

/** Orders reports list the orders in the data range; every other type gets a listings-like TSV. */
function renderDocument(report: StoredReport, orders: OrderBook): string {
  const rows: string[][] = [];
  if (report.reportType.includes('ORDER')) {
    rows.push(['amazon-order-id', 'merchant-order-id', 'purchase-date', 'last-updated-date', 'order-status', 'fulfillment-channel', 'sales-channel', 'sku', 'asin', 'quantity', 'currency', 'item-price']);
    for (const order of orders.all) {
      if (order.purchaseDate < report.dataStartTime || order.purchaseDate > report.dataEndTime || !report.marketplaceIds.includes(order.marketplaceId)) continue;
      for (const item of order.items) {
        rows.push([
          order.amazonOrderId,
          order.sellerOrderId,
          iso(order.purchaseDate),
          iso(order.lastUpdateDate),
          order.status,
          order.fulfillmentChannel === 'AFN' ? 'Amazon' : 'Merchant',
          order.salesChannel,
          item.sellerSku,
          item.asin,
          String(item.quantityOrdered),
          order.currencyCode,
          formatAmount(item.unitPriceMinor * item.quantityOrdered),
        ]);
      }
    }
  } else {
    rows.push(['seller-sku', 'asin1', 'item-name', 'price', 'quantity']);
    const seen = new Set<string>();
    for (const order of orders.all) {
      for (const item of order.items) {
        if (seen.has(item.sellerSku)) continue;
        seen.add(item.sellerSku);
        rows.push([item.sellerSku, item.asin, item.title, formatAmount(item.unitPriceMinor), String(item.quantityOrdered * 7)]);
      }
    }
  }
  return `${rows.map((row) => row.join('\t')).join('\n')}\n`;
}

function renderReport(report: StoredReport): Record<string, unknown> {
  return {
    reportId: report.reportId,
    reportType: report.reportType,
    marketplaceIds: report.marketplaceIds,
    dataStartTime: iso(report.dataStartTime),
    dataEndTime: iso(report.dataEndTime),
    createdTime: iso(report.createdTime),
    processingStatus: report.status,
    ...(report.processingStartTime !== undefined ? { processingStartTime: iso(report.processingStartTime) } : {}),
    ...(report.processingEndTime !== undefined ? { processingEndTime: iso(report.processingEndTime) } : {}),
    ...(report.reportDocumentId !== undefined ? { reportDocumentId: report.reportDocumentId } : {}),
  };
}

/** What a getReports nextToken carries. */
interface ReportsQuery {
  reportTypes: string[];
  statuses?: string[];
  marketplaceIds?: string[];
  since: number;
  until: number;
  pageSize: number;
  offset: number;
}

function getReports(ctx: CallContext): Reply {
  const token = ctx.query.get('nextToken');
  let q: ReportsQuery;
  if (token !== null) {
    // The model: "Specifying nextToken with any other parameters will cause the request to fail."
    const others = otherParams(ctx.query, 'nextToken');
    if (others.length > 0) throw invalidInput(`nextToken must be the only parameter; also got ${others.join(', ')}.`);
    const sealed = ctx.state.pageTokens.open(token) as { op?: unknown; q?: ReportsQuery } | undefined;
    if (sealed?.op !== ctx.qualified || !sealed.q) throw invalidInput('Invalid nextToken.');
    q = sealed.q;
  } else {
    q = parseReportsQuery(ctx);
  }
  const matching = ctx.state.reports
    .all()
    .filter(
      (r) =>
        q.reportTypes.includes(r.reportType) &&
        (!q.statuses || q.statuses.includes(r.status)) &&
        (!q.marketplaceIds || r.marketplaceIds.some((id) => q.marketplaceIds?.includes(id))) &&
        r.createdTime >= q.since &&
        r.createdTime <= q.until,
    )
    .sort((a, b) => b.createdTime - a.createdTime || b.reportId.localeCompare(a.reportId));
  const end = q.offset + q.pageSize;
  const next = end < matching.length ? ctx.state.pageTokens.seal({ op: ctx.qualified, q: { ...q, offset: end } }) : undefined;
  return { status: 200, body: { reports: matching.slice(q.offset, end).map(renderReport), ...(next !== undefined ? { nextToken: next } : {}) } };
}

function parseReportsQuery(ctx: CallContext): ReportsQuery {
  const { query, now } = ctx;
  const reportTypes = listParam(query, 'reportTypes');
  if (!reportTypes) throw invalidInput('Either reportTypes or nextToken is required.');
  if (reportTypes.length > 10) throw invalidInput('reportTypes accepts at most 10 values.');
  const marketplaceIds = listParam(query, 'marketplaceIds');
  if (marketplaceIds && marketplaceIds.length > 10) throw invalidInput('marketplaceIds accepts at most 10 values.');
  const statuses = enumListParam(query, 'processingStatuses', PROCESSING_STATUSES);
  const since = dateParam(query, 'createdSince') ?? now - RETENTION_MS;
  const until = dateParam(query, 'createdUntil') ?? now;
  if (until < since) throw invalidInput('createdUntil must be after createdSince.');
  return {
    reportTypes,
    ...(statuses ? { statuses } : {}),
    ...(marketplaceIds ? { marketplaceIds } : {}),
    since,
    until,
    pageSize: intParam(query, 'pageSize', 1, 100, 10),
    offset: 0,
  };
}

function createReport(ctx: CallContext): Reply {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object.');
  const spec = body as Record<string, unknown>;
  const { reportType, marketplaceIds } = spec;
  if (typeof reportType !== 'string' || reportType === '') throw invalidInput('reportType is required.');
  if (!Array.isArray(marketplaceIds) || marketplaceIds.length === 0 || !marketplaceIds.every((id) => typeof id === 'string')) {
    throw invalidInput('marketplaceIds must be a non-empty list of marketplace ids.');
  }
  const start = bodyDate(spec, 'dataStartTime');
  const end = bodyDate(spec, 'dataEndTime');
  if (start !== undefined && end !== undefined && end < start) throw invalidInput('dataEndTime must be after dataStartTime.');
  const dataEnd = end ?? ctx.now;
  const report = ctx.state.reports.add(reportType, marketplaceIds as string[], start ?? dataEnd - 30 * DAY_MS, dataEnd, ctx.now);
  return { status: 202, body: { reportId: report.reportId } };
}

function bodyDate(spec: Record<string, unknown>, name: string): number | undefined {
  const value = spec[name];
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw invalidInput(`${name} must be an ISO 8601 date-time.`);
  return parsed;
}

function getReport(ctx: CallContext): Reply {
  const report = ctx.state.reports.find(ctx.pathParams['reportId'] ?? '');
  if (!report) throw notFound(`Report ${ctx.pathParams['reportId'] ?? ''} was not found.`);
  ctx.state.reports.poll(report, ctx.now);
  return { status: 200, body: renderReport(report) };
}

function cancelReport(ctx: CallContext): Reply {
  const report = ctx.state.reports.find(ctx.pathParams['reportId'] ?? '');
  if (!report) throw notFound(`Report ${ctx.pathParams['reportId'] ?? ''} was not found.`);
  if (report.status !== 'IN_QUEUE') throw invalidInput(`Only IN_QUEUE reports can be cancelled; this one is ${report.status}.`);
  report.status = 'CANCELLED';
  return { status: 200 };
}

function getReportDocument(ctx: CallContext): Reply {
  const documentId = ctx.pathParams['reportDocumentId'] ?? '';
  if (!ctx.state.reports.findByDocument(documentId) || !ctx.state.documents.has(documentId)) throw notFound(`Report document ${documentId} was not found.`);
  const encoded = ctx.query.get('enableContentEncodingUrlHeader') === 'true';
  return {
    status: 200,
    body: { reportDocumentId: documentId, url: ctx.state.documents.url(ctx.documentsBaseUrl, documentId, ctx.now, encoded), compressionAlgorithm: 'GZIP' },
  };
}

export const reportsHandlers: HandlerTable = {
  'reports_2021-06-30.getReports': getReports,
  'reports_2021-06-30.createReport': createReport,
  'reports_2021-06-30.getReport': getReport,
  'reports_2021-06-30.cancelReport': cancelReport,
  'reports_2021-06-30.getReportDocument': getReportDocument,
};
