import { MARKETPLACES as AMAZON_MARKETPLACES } from '../core/regions.js';
import type { CallContext, HandlerTable } from './handler.js';
import { dateParam, enumListParam, intParam, iso, listParam, otherParams } from './query.js';
import { checkRegionMarketplaces, inRegion } from './regional-hosts.js';
import { invalidInput, notFound } from './replies.js';
import type { Reply } from './replies.js';
import { listJobs, servedHere } from './processing-listing.js';
import { PROCESSING_STATUSES } from './processing-lifecycle.js';
import type { StoredReport } from './report-store.js';
import { isReportType, notRequestableAs } from './report-types.js';

/*
 * Reports API 2021-06-30 handlers. The lifecycle, the CANCELLED/FATAL rules and the documents are
 * in report-store.ts; this file validates requests like Amazon and renders the model's shapes.
 */

const DAY_MS = 86_400_000;
// Reports are kept 90 days; getReports' createdSince defaults to that (model text).
// The model's CreateReportSpecification.marketplaceIds bounds.
const MAX_CREATE_MARKETPLACES = 25;
const KNOWN_MARKETPLACES = new Set(AMAZON_MARKETPLACES.map((m) => m.id));

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

function getReports(ctx: CallContext): Reply {
  const store = ctx.state.reports;
  return listJobs(ctx, {
    typesParam: 'reportTypes',
    listKey: 'reports',
    jobs: store.all(),
    typeOf: (job) => job.reportType,
    idOf: (job) => job.reportId,
    advance: (job) => store.advance(job, ctx.now, false),
    render: renderReport,
  });
}


function createReport(ctx: CallContext): Reply {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object.');
  const spec = body as Record<string, unknown>;
  const { reportType, marketplaceIds, reportOptions } = spec;
  if (typeof reportType !== 'string' || reportType === '') throw invalidInput('reportType is required.');
  // Amazon's wording for a type it does not have (amzn/selling-partner-api-docs#1502).
  if (!isReportType(reportType)) throw invalidInput(`Invalid Report Type ${reportType}`);
  if (!Array.isArray(marketplaceIds) || marketplaceIds.length === 0 || !marketplaceIds.every((id) => typeof id === 'string')) {
    throw invalidInput('marketplaceIds must be a non-empty list of marketplace ids.');
  }
  if (marketplaceIds.length > MAX_CREATE_MARKETPLACES) throw invalidInput(`marketplaceIds accepts at most ${MAX_CREATE_MARKETPLACES} values.`);
  const unknown = (marketplaceIds as string[]).filter((id) => !KNOWN_MARKETPLACES.has(id));
  if (unknown.length > 0) throw invalidInput(`Invalid marketplaceIds: ${unknown.join(', ')}.`);
  checkRegionMarketplaces(marketplaceIds as string[], ctx.region, 'marketplaceIds');
  const refusedAs = notRequestableAs(reportType);
  if (refusedAs !== undefined) throw invalidInput(`Request for report type ${refusedAs} is not allowed at this time`);
  if (reportOptions !== undefined && !isStringMap(reportOptions)) throw invalidInput('reportOptions must be an object of string values.');
  const start = bodyDate(spec, 'dataStartTime');
  const end = bodyDate(spec, 'dataEndTime');
  if (start !== undefined && end !== undefined && end < start) throw invalidInput('dataEndTime must be after dataStartTime.');
  // The model defaults both to now; the emulator takes the 30 days before dataEndTime, so a bare
  // order report has rows. A dataStartTime in the future is accepted: the report ends CANCELLED.
  const dataEnd = end ?? Math.max(ctx.now, start ?? ctx.now);
  const request = {
    reportType,
    marketplaceIds: [...new Set(marketplaceIds as string[])],
    dataStartTime: start ?? dataEnd - 30 * DAY_MS,
    dataEndTime: dataEnd,
    reportOptions: reportOptions ?? {},
  };
  const report = ctx.state.reports.create(request, ctx.now);
  return { status: 202, body: { reportId: report.reportId } };
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function bodyDate(spec: Record<string, unknown>, name: string): number | undefined {
  const value = spec[name];
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw invalidInput(`${name} must be an ISO 8601 date-time.`);
  return parsed;
}


function findReport(ctx: CallContext): StoredReport {
  const reportId = ctx.pathParams['reportId'] ?? '';
  const report = ctx.state.reports.find(reportId);
  if (!report || !servedHere(ctx, report)) throw notFound(`Report ${reportId} was not found.`);
  return report;
}

function getReport(ctx: CallContext): Reply {
  const report = findReport(ctx);
  ctx.state.reports.advance(report, ctx.now, true);
  return { status: 200, body: renderReport(report) };
}

function cancelReport(ctx: CallContext): Reply {
  const report = findReport(ctx);
  if (!ctx.state.reports.cancel(report, ctx.now)) throw invalidInput(`Only IN_QUEUE reports can be cancelled; this one is ${report.status}.`);
  return { status: 200 };
}

function getReportDocument(ctx: CallContext): Reply {
  const documentId = ctx.pathParams['reportDocumentId'] ?? '';
  const report = ctx.state.reports.findByDocument(documentId);
  if (!report || !servedHere(ctx, report) || !ctx.state.documents.has(documentId)) throw notFound(`Report document ${documentId} was not found.`);
  const flag = ctx.query.get('enableContentEncodingUrlHeader');
  if (flag !== null && flag !== 'true' && flag !== 'false') throw invalidInput(`enableContentEncodingUrlHeader must be true or false; got "${flag}".`);
  const url = ctx.state.documents.url(ctx.documentsBaseUrl, documentId, ctx.now, flag === 'true');
  // The model: compressionAlgorithm only when the contents are compressed (report-format.ts).
  const compressed = ctx.state.documents.compressionOf(documentId) === 'gzip';
  return { status: 200, body: { reportDocumentId: documentId, url, ...(compressed ? { compressionAlgorithm: 'GZIP' } : {}) } };
}

export const reportsHandlers: HandlerTable = {
  'reports_2021-06-30.getReports': getReports,
  'reports_2021-06-30.createReport': createReport,
  'reports_2021-06-30.getReport': getReport,
  'reports_2021-06-30.cancelReport': cancelReport,
  'reports_2021-06-30.getReportDocument': getReportDocument,
};
