import type { Command } from '@commander-js/extra-typings';
import { parseDuration } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import { checkDocumentOutput, documentOutputFlags, saveDocument, type DocumentOutputOptions } from '../shared/document-output.js';
import { downloadReport, waitWithStatus } from './shared.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface DownloadOptions extends DocumentOutputOptions {
  id: string;
  timeout: string;
  reportType?: string | undefined;
}

/** Report document ids look like amzn1.spdoc.1.4.na.…; report ids are digits. */
export function isDocumentId(id: string): boolean {
  return id.startsWith('amzn1.spdoc.') || /[^0-9]/.test(id);
}

export function register(reports: Command, context: CommandContext): void {
  documentOutputFlags(
    reports
      .command('download')
      .description('the document of a report (waiting while it is not done), or of a report document id')
      .argument('<reportId|documentId>', 'a report id (digits) or a report document id (amzn1.spdoc.…)')
      .option('--timeout <duration>', 'how long to wait for a report that is not done yet', '30m')
      .option('--report-type <type>', 'with a document id: its report type, so a restricted one gets a Restricted Data Token'),
  )
    .addHelpText('after', `
Examples:
  spapi reports download 50821877003 --out listings.tsv
  spapi reports download amzn1.spdoc.1.4.eu.… --format csv > listings.csv${environment(SP_API_ENV)}`)
    .action(async (id, options) => run(context, { id, ...options }));
}

export async function run({ factory, signal }: CommandContext, options: DownloadOptions): Promise<void> {
  await checkDocumentOutput(options);
  const ops = await factory.operations();
  if (isDocumentId(options.id)) {
    const { getReportDocument } = await import('../../../core/reports/reports.js');
    const fresh = () => getReportDocument(ops, options.id, options.reportType, signal);
    await saveDocument(factory, await fresh(), { ...options, label: `document ${options.id}`, refresh: fresh }, signal);
    return;
  }
  const report = await waitWithStatus(factory, ops, options.id, parseDuration(options.timeout, '--timeout'), signal);
  await downloadReport(factory, ops, report, options, signal);
}
