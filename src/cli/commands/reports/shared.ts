import { parseInstant } from '../../../core/duration.js';
import { UsageError } from '../../../core/errors.js';
import type { Operations } from '../../../core/operations.js';
import type { Report } from '../../../core/reports/reports.js';
import type { Factory } from '../../factory.js';
import type { Column } from '../../output/columns.js';
import { saveDocument, withStatus, type DocumentOutputOptions } from '../shared/document-output.js';
import { keyValues } from '../shared/flags.js';

export const REPORT_COLUMNS: Column[] = [
  { header: 'report', path: 'reportId', role: 'key' },
  { header: 'type', path: 'reportType' },
  { header: 'status', path: 'processingStatus' },
  { header: 'created', path: 'createdTime' },
  { header: 'marketplaces', path: 'marketplaceIds', role: 'optional' },
  { header: 'document', path: 'reportDocumentId', role: 'optional' },
];

/**
 * The marketplaces a report is for: --marketplace, else the profile's marketplace. Most report
 * types take exactly one, so spapi does not guess among a seller's marketplaces.
 */
export async function reportMarketplaces(factory: Factory): Promise<string[]> {
  const { marketplace } = await factory.regionAndMarketplace();
  if (marketplace) return [marketplace.id];
  const stored = (await factory.profile())?.marketplace;
  if (stored) {
    const { resolveMarketplace } = await import('../../../core/regions.js');
    return [resolveMarketplace(stored).id];
  }
  throw new UsageError('which marketplace is the report for? pass --marketplace, e.g. --marketplace DE');
}

/** `--option key=value` flags → reportOptions. */
export function reportOptions(flags: readonly string[]): Record<string, string> {
  return keyValues(flags, '--option');
}

/** The createReport request of `reports get` and `reports create`, checked before anything is sent. */
export async function reportRequest(factory: Factory, options: { reportType: string; start?: string | undefined; end?: string | undefined; option: string[] }): Promise<import('../../../core/reports/reports.js').ReportRequest> {
  return {
    reportType: options.reportType,
    marketplaceIds: await reportMarketplaces(factory),
    ...reportRange(options.start, options.end, factory.clock.now()),
    reportOptions: reportOptions(options.option),
  };
}

/** --start/--end as ISO 8601 (ages and dates allowed; `now` is now). */
export function reportRange(start: string | undefined, end: string | undefined, now: Date): { dataStartTime?: string; dataEndTime?: string } {
  const dataStartTime = start === undefined ? undefined : parseInstant(start, '--start', now);
  const dataEndTime = end === undefined || end === 'now' ? (end === 'now' ? parseInstant('0s', '--end', now) : undefined) : parseInstant(end, '--end', now);
  if (dataStartTime && dataEndTime && Date.parse(dataStartTime) > Date.parse(dataEndTime)) throw new UsageError(`--start ${start} is after --end ${end}`);
  return { ...(dataStartTime ? { dataStartTime } : {}), ...(dataEndTime ? { dataEndTime } : {}) };
}

/** Polls a report with a spinner showing its status and the time waited. */
export async function waitWithStatus(factory: Factory, ops: Operations, reportId: string, timeoutMs: number, signal: AbortSignal): Promise<Report> {
  const { waitForReport } = await import('../../../core/reports/reports.js');
  return withStatus(factory, `report ${reportId}: requested`, (update) =>
    waitForReport(ops, reportId, {
      timeoutMs,
      signal,
      onStatus: (report, elapsedMs) => update(`report ${reportId} (${report.reportType}): ${report.processingStatus}, ${Math.round(elapsedMs / 1000)} s`),
    }));
}

/** getReportDocument → download, with a fresh URL whenever the old one expired. */
export async function downloadReport(factory: Factory, ops: Operations, report: Pick<Report, 'reportId' | 'reportType' | 'reportDocumentId' | 'marketplaceIds'>, output: DocumentOutputOptions, signal: AbortSignal): Promise<void> {
  const { getReportDocument, defaultReportCharset } = await import('../../../core/reports/reports.js');
  if (!report.reportDocumentId) throw new UsageError(`report ${report.reportId} has no document`);
  const documentId = report.reportDocumentId;
  const fresh = () => getReportDocument(ops, documentId, report.reportType, signal);
  await saveDocument(factory, await fresh(), {
    ...output,
    label: `report ${report.reportId}`,
    defaultCharset: defaultReportCharset(report.marketplaceIds ?? []),
    refresh: fresh,
  }, signal);
}
