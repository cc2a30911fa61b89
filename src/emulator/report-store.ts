import { encodeText } from './charsets.js';
import { BufferBody } from './documents.js';
import type { DocumentBody, DocumentSpec, DocumentStore } from './documents.js';
import type { ResolvedOptions } from './options.js';
import type { OrderBook } from './order-data.js';
import { advanceProcessing } from './processing-lifecycle.js';
import type { ProcessingStatus } from './processing-lifecycle.js';
import { contentOf, listedProducts, ordersInWindow, renderErrorDocument, renderListingsReport, renderOrdersReport } from './report-content.js';
import { defaultFormat, documentContentType, requestedFormat } from './report-format.js';
import type { DocumentFormat } from './report-format.js';
import { configuredSize, MAX_DOCUMENT_BYTES } from './report-options.js';
import { renderSalesAndTrafficReport, salesAndTrafficOptions } from './report-sales-traffic.js';
import type { SalesAndTrafficOptions } from './report-sales-traffic.js';
import { SizedDocument, SyntheticPools } from './report-synthetic.js';
import { SeededRandom } from '../core/random.js';
import { regionOfMarketplace } from './regional-hosts.js';

/*
 * Reports 2021-06-30 state: created reports walk IN_QUEUE -> IN_PROGRESS -> a final status as
 * they are polled or as time passes (options.reports), next to a seeded history for getReports.
 *
 * The final status is decided when the report is created, from what Amazon would find:
 * - CANCELLED when there is no data: an order report whose window holds no order in its
 *   marketplaces, a listings report of a seller without listings, a dataStartTime in the future,
 *   a requested size of 0, or reportOptions {"emulatorOutcome": "CANCELLED"}.
 * - FATAL, with a reportDocumentId pointing at a small JSON error document, for
 *   reportOptions {"emulatorOutcome": "FATAL"} or an invalid emulator option (an emulatorOutcome
 *   other than DONE/CANCELLED/FATAL, an emulatorSizeBytes that is not a whole number of bytes up
 *   to 1 TiB, an unknown emulatorCharset or emulatorCompression): Amazon, too, accepts
 *   reportOptions at createReport and fails the report later.
 * - DONE otherwise; {"emulatorOutcome": "DONE"} forces DONE even without data (header only).
 * A DONE document's charset and compression follow report-format.ts.
 */


/** reportOptions keys the emulator reads; Amazon ignores keys a report type does not know. */
export const OUTCOME_OPTION = 'emulatorOutcome';
export const SIZE_OPTION = 'emulatorSizeBytes';

const DAY_MS = 86_400_000;
const SEEDED_REPORT_TYPES = [
  'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
  'GET_MERCHANT_LISTINGS_ALL_DATA',
  'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA',
  'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE',
] as const;

type Outcome =
  | { status: 'DONE'; size?: number; format: DocumentFormat; salesAndTraffic?: SalesAndTrafficOptions }
  | { status: 'CANCELLED' }
  | { status: 'FATAL'; reason: string };

export interface StoredReport {
  reportId: string;
  reportType: string;
  marketplaceIds: string[];
  dataStartTime: number;
  dataEndTime: number;
  createdTime: number;
  status: ProcessingStatus;
  /** getReport calls so far; drives created reports when reports.pollsToDone applies. */
  polls: number;
  /** The final status processing will reach. */
  outcome: Outcome;
  processingStartTime?: number;
  processingEndTime?: number;
  reportDocumentId?: string;
}

/** What createReport asked for, already validated. */
export interface ReportRequest {
  reportType: string;
  marketplaceIds: string[];
  dataStartTime: number;
  dataEndTime: number;
  reportOptions: Record<string, string>;
}

/** Reports created through the API plus a deterministic history, so getReports has pages to turn. */
export class ReportStore {
  private readonly reports: StoredReport[] = [];
  private readonly byId = new Map<string, StoredReport>();
  private readonly byDocument = new Map<string, StoredReport>();
  private readonly pools: SyntheticPools;
  private nextId: number;

  constructor(
    private readonly options: Pick<ResolvedOptions, 'seed' | 'reports'>,
    private readonly anchor: number,
    private readonly orders: OrderBook,
    private readonly documents: DocumentStore,
  ) {
    this.pools = new SyntheticPools(options.seed);
    const random = new SeededRandom(options.seed ^ 0x5eed);
    this.nextId = 50_000_000_000 + random.int(0, 999_999) * 1000;
    for (let i = 0; i < 24; i += 1) {
      const createdTime = anchor - random.int(1, 89 * 24) * 3_600_000;
      const status = random.weighted({ DONE: 20, CANCELLED: 3, FATAL: 1 });
      const reportType = random.pick(SEEDED_REPORT_TYPES);
      const outcome: Outcome =
        status === 'FATAL'
          ? { status, reason: 'an internal error occurred while processing the report.' }
          : status === 'DONE'
            ? { status, format: defaultFormat(reportType, 'ATVPDKIKX0DER') }
            : { status };
      const report = this.add(reportType, ['ATVPDKIKX0DER'], createdTime - 30 * DAY_MS, createdTime, createdTime, outcome);
      report.processingStartTime = createdTime + 60_000;
      this.finish(report, createdTime + 5 * 60_000);
    }
  }

  /** Registers a created report (IN_QUEUE) and decides where it will end. */
  create(request: ReportRequest, now: number): StoredReport {
    return this.add(request.reportType, request.marketplaceIds, request.dataStartTime, request.dataEndTime, now, this.outcomeOf(request, now));
  }

  find(reportId: string): StoredReport | undefined {
    return this.byId.get(reportId);
  }

  findByDocument(documentId: string): StoredReport | undefined {
    return this.byDocument.get(documentId);
  }

  all(): readonly StoredReport[] {
    return this.reports;
  }

  /**
   * Brings a created report's status up to date with the clock; `poll` counts one getReport.
   * Listing and cancelling look at the time without counting a poll.
   */
  advance(report: StoredReport, now: number, poll: boolean): void {
    if (advanceProcessing(report, this.options.reports, now, poll)) this.finish(report, now);
  }

  /** cancelReport: only an IN_QUEUE report can be cancelled (the model's cancelReport text). */
  cancel(report: StoredReport, now: number): boolean {
    this.advance(report, now, false);
    if (report.status !== 'IN_QUEUE') return false;
    report.status = 'CANCELLED';
    return true;
  }

  private add(reportType: string, marketplaceIds: string[], dataStartTime: number, dataEndTime: number, createdTime: number, outcome: Outcome): StoredReport {
    this.nextId += 1;
    const report: StoredReport = { reportId: String(this.nextId), reportType, marketplaceIds, dataStartTime, dataEndTime, createdTime, status: 'IN_QUEUE', polls: 0, outcome };
    this.reports.push(report);
    this.byId.set(report.reportId, report);
    return report;
  }

  private outcomeOf(request: ReportRequest, now: number): Outcome {
    const options = request.reportOptions;
    const forced = options[OUTCOME_OPTION];
    if (forced === 'FATAL') return { status: 'FATAL', reason: `reportOptions.${OUTCOME_OPTION} is FATAL.` };
    if (forced === 'CANCELLED') return { status: 'CANCELLED' };
    if (forced !== undefined && forced !== 'DONE') return { status: 'FATAL', reason: `invalid reportOptions.${OUTCOME_OPTION} "${forced}" (DONE, CANCELLED or FATAL).` };
    const sizeText = options[SIZE_OPTION];
    let size = configuredSize(this.options.reports, request.reportType);
    if (sizeText !== undefined) {
      const parsed = /^\d{1,16}$/.test(sizeText) ? Number(sizeText) : Number.NaN;
      if (!(parsed <= MAX_DOCUMENT_BYTES)) return { status: 'FATAL', reason: `invalid reportOptions.${SIZE_OPTION} "${sizeText}" (a whole number of bytes up to ${MAX_DOCUMENT_BYTES}).` };
      size = parsed;
    }
    const requested = requestedFormat(options, defaultFormat(request.reportType, request.marketplaceIds[0] ?? ''));
    if ('problem' in requested) return { status: 'FATAL', reason: requested.problem };
    let done: Extract<Outcome, { status: 'DONE' }> = { status: 'DONE', format: requested.format };
    if (contentOf(request.reportType).kind === 'salesAndTraffic') {
      const salesAndTraffic = salesAndTrafficOptions(options);
      if ('problem' in salesAndTraffic) return { status: 'FATAL', reason: salesAndTraffic.problem };
      done = { ...done, salesAndTraffic };
    }
    if (forced === 'DONE') return { ...done, ...(size !== undefined ? { size } : {}) };
    if (size !== undefined) return size === 0 ? { status: 'CANCELLED' } : { ...done, size };
    // Nothing has happened after now: no data yet.
    if (request.dataStartTime > now) return { status: 'CANCELLED' };
    return this.hasData(request) ? done : { status: 'CANCELLED' };
  }

  private hasData(request: ReportRequest): boolean {
    const content = contentOf(request.reportType);
    if (content.kind !== 'listings') return ordersInWindow(this.orders.all, request.dataStartTime, request.dataEndTime, request.marketplaceIds, content.orderDate).length > 0;
    return listedProducts(this.orders.all, request.marketplaceIds[0] ?? '').length > 0;
  }

  private finish(report: StoredReport, now: number): void {
    const { outcome } = report;
    report.status = outcome.status;
    report.processingStartTime ??= now;
    report.processingEndTime = now;
    if (outcome.status === 'CANCELLED') return;
    // Amazon's document ids name the region that holds the document.
    const region = regionOfMarketplace(report.marketplaceIds[0] ?? '') ?? 'na';
    const documentId = `amzn1.spdoc.1.4.${region}.emulator.${report.reportId}`;
    report.reportDocumentId = documentId;
    this.byDocument.set(documentId, report);
    this.documents.put(documentId, this.documentSpec(report, documentId, now));
  }

  private documentSpec(report: StoredReport, documentId: string, written: number): DocumentSpec {
    const { outcome } = report;
    const seed = this.options.seed;
    if (outcome.status === 'FATAL') {
      return {
        fingerprint: `${documentId}\nerror\n${report.reportType}\n${outcome.reason}`,
        lastModified: written,
        contentType: 'application/json',
        compression: 'gzip',
        contentEncoding: 'on-request',
        open: () => BufferBody.gzip(Buffer.from(renderErrorDocument(report.reportType, outcome.reason))),
      };
    }
    if (outcome.status !== 'DONE') throw new Error(`report ${report.reportId} has no document`);
    const { format } = outcome;
    const { charset, compression } = format;
    const stored = { lastModified: written, contentType: documentContentType(charset), compression, contentEncoding: 'on-request' as const };
    const formatKey = `${charset.label}\n${compression}`;
    const content = contentOf(report.reportType);
    if (outcome.size !== undefined) {
      const size = outcome.size;
      // Sized documents are flat files; the JSON report gets the generic listings rows.
      const kind = content.kind === 'orders' ? 'orders' : 'listings';
      return {
        ...stored,
        fingerprint: `${documentId}\nsized\n${kind}\n${size}\n${seed}\n${formatKey}`,
        open: () => new SizedDocument(this.pools.blocks(kind, charset.encoding), kind, size, documentId, seed, charset.encoding, compression === 'gzip'),
      };
    }
    const body = (text: string): DocumentBody => {
      const bytes = encodeText(text, charset.encoding);
      return compression === 'gzip' ? BufferBody.gzip(bytes) : new BufferBody(bytes);
    };
    // Orders and listings come from the emulator's orders, fixed by seed, count and start minute.
    const source = `${seed}\n${this.orders.all.length}\n${this.anchor}\n${formatKey}`;
    const { dataStartTime: start, dataEndTime: end, marketplaceIds } = report;
    if (content.kind === 'orders') {
      return {
        ...stored,
        fingerprint: `${documentId}\norders\n${content.orderDate}\n${start}\n${end}\n${marketplaceIds.join(',')}\n${source}`,
        open: () => body(renderOrdersReport(ordersInWindow(this.orders.all, start, end, marketplaceIds, content.orderDate))),
      };
    }
    const salesAndTraffic = outcome.salesAndTraffic;
    if (content.kind === 'salesAndTraffic' && salesAndTraffic) {
      const request = { marketplaceIds, dataStartTime: start, dataEndTime: end, options: salesAndTraffic };
      return {
        ...stored,
        fingerprint: `${documentId}\nsalesAndTraffic\n${start}\n${end}\n${marketplaceIds.join(',')}\n${salesAndTraffic.dateGranularity}\n${salesAndTraffic.asinGranularity}\n${source}`,
        open: () => body(renderSalesAndTrafficReport(request, this.orders.all, seed)),
      };
    }
    const listedOn = marketplaceIds[0] ?? '';
    return {
      ...stored,
      fingerprint: `${documentId}\nlistings\n${listedOn}\n${source}`,
      open: () => body(renderListingsReport(listedProducts(this.orders.all, listedOn))),
    };
  }
}
