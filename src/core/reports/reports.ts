import type { DocumentSource } from '../documents/index.js';
import { pollUntil, readErrorReason } from '../documents/index.js';
import { ReportFailedError, SpapiError, UsageError } from '../errors.js';
import { isFinished, pollInterval, type ProcessingStatus, type WaitOptions } from '../lifecycle.js';
import { resolveMarketplace } from '../regions.js';
import type { Operations } from '../operations.js';
import { isRestrictedReportType } from './restricted-types.js';

/** The Reports API 2021-06-30 operations the lifecycle uses (spapi-facts §6). */
export const REPORTS_OPS = {
  create: 'reports_2021-06-30.createReport',
  get: 'reports_2021-06-30.getReport',
  list: 'reports_2021-06-30.getReports',
  cancel: 'reports_2021-06-30.cancelReport',
  document: 'reports_2021-06-30.getReportDocument',
  schedules: 'reports_2021-06-30.getReportSchedules',
  schedule: 'reports_2021-06-30.getReportSchedule',
  createSchedule: 'reports_2021-06-30.createReportSchedule',
  cancelSchedule: 'reports_2021-06-30.cancelReportSchedule',
} as const;

export type { ProcessingStatus } from '../lifecycle.js';

export interface Report {
  reportId: string;
  reportType: string;
  processingStatus: ProcessingStatus;
  createdTime?: string;
  marketplaceIds?: string[];
  dataStartTime?: string;
  dataEndTime?: string;
  processingStartTime?: string;
  processingEndTime?: string;
  reportDocumentId?: string;
  reportScheduleId?: string;
}

export interface ReportRequest {
  reportType: string;
  marketplaceIds: string[];
  dataStartTime?: string | undefined;
  dataEndTime?: string | undefined;
  reportOptions?: Record<string, string> | undefined;
}

export interface ReportDocument extends DocumentSource {
  reportDocumentId: string;
}


/** createReport → the new report's id. */
export async function createReport(ops: Operations, request: ReportRequest, signal?: AbortSignal): Promise<string> {
  if (request.marketplaceIds.length === 0) throw new UsageError('a report needs a marketplace: pass --marketplace');
  const body = {
    reportType: request.reportType,
    marketplaceIds: request.marketplaceIds,
    ...(request.dataStartTime ? { dataStartTime: request.dataStartTime } : {}),
    ...(request.dataEndTime ? { dataEndTime: request.dataEndTime } : {}),
    ...(request.reportOptions && Object.keys(request.reportOptions).length ? { reportOptions: request.reportOptions } : {}),
  };
  const answer = await ops.json<{ reportId?: string }>(REPORTS_OPS.create, { body, signal });
  if (!answer?.reportId) throw new SpapiError('api', 'createReport answered without a reportId');
  return answer.reportId;
}

export async function getReport(ops: Operations, reportId: string, signal?: AbortSignal): Promise<Report> {
  const report = await ops.json<Report>(REPORTS_OPS.get, { params: [['reportId', reportId]], signal });
  if (!report) throw new SpapiError('api', `getReport ${reportId} answered with no body`);
  return report;
}

/**
 * getReportDocument, with a Restricted Data Token for the document's exact path when the report
 * type holds PII. Called again for a fresh URL when the five-minute one expired mid-download.
 */
export async function getReportDocument(ops: Operations, reportDocumentId: string, reportType: string | undefined, signal?: AbortSignal): Promise<ReportDocument> {
  const document = await ops.json<ReportDocument>(REPORTS_OPS.document, {
    params: [['reportDocumentId', reportDocumentId]],
    rdt: isRestrictedReportType(reportType) ? { dataElements: [] } : undefined,
    signal,
  });
  if (!document?.url) throw new SpapiError('api', `getReportDocument ${reportDocumentId} answered without a url`);
  return document;
}

/**
 * Polls getReport until the report is finished. DONE returns it; CANCELLED (Amazon's answer when
 * there is no data for the range) and FATAL throw ReportFailedError — FATAL with the reason from the
 * error document Amazon attaches as its reportDocumentId. Timing out throws PendingError.
 */
export async function waitForReport(ops: Operations, reportId: string, options: WaitOptions<Report>): Promise<Report> {
  const report = await pollUntil({
    check: () => getReport(ops, reportId, options.signal),
    isDone: (r: Report) => isFinished(r.processingStatus),
    timeoutMs: options.timeoutMs,
    minIntervalMs: pollInterval(ops, REPORTS_OPS.get),
    describe: (r: Report, elapsedMs: number) => `report ${reportId} (${r.reportType}) is still ${r.processingStatus} after ${Math.round(elapsedMs / 1000)} s`,
    timeoutHint: `pick it up later with \`spapi reports download ${reportId}\``,
    signal: options.signal,
    onStatus: options.onStatus,
    sleep: options.sleep,
    now: options.now,
  });
  if (report.processingStatus === 'CANCELLED') {
    throw new ReportFailedError('CANCELLED', `report ${reportId} (${report.reportType}) was CANCELLED`, 'Amazon cancels a report when there is no data for its range and marketplaces: try another --start/--end or marketplace');
  }
  if (report.processingStatus === 'FATAL') {
    const documentId = report.reportDocumentId;
    const reason = documentId
      ? await getReportDocument(ops, documentId, report.reportType, options.signal).then((document) => readErrorReason(document, { signal: options.signal }), () => undefined)
      : undefined;
    throw new ReportFailedError('FATAL', `report ${reportId} (${report.reportType}) ended FATAL${reason ? `: ${reason}` : ''}`, reason ? undefined : 'Amazon gave no reason; check the report type, marketplace and dates, and the role the report needs');
  }
  return report;
}

const JAPAN = resolveMarketplace('JP').id;

/**
 * The charset to assume when a report document's Content-Type names none: Amazon's flat files for
 * Japan come in Shift_JIS (windows-31j), elsewhere UTF-8 or Cp1252, which S3 then names.
 */
export function defaultReportCharset(marketplaceIds: readonly string[]): string | undefined {
  return marketplaceIds.includes(JAPAN) ? 'windows-31j' : undefined;
}
