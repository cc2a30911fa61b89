import type { Command } from '@commander-js/extra-typings';
import { parseDuration } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import { checkDocumentOutput, documentOutputFlags, type DocumentOutputOptions } from '../shared/document-output.js';
import { downloadReport, reportRequest, waitWithStatus } from './shared.js';
import { collect } from '../shared/flags.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface GetOptions extends DocumentOutputOptions {
  reportType: string;
  start?: string | undefined;
  end?: string | undefined;
  option: string[];
  timeout: string;
}

export function register(reports: Command, context: CommandContext): void {
  documentOutputFlags(
    reports
      .command('get')
      .description('create a report, wait for it, and stream its document to a file or stdout')
      .argument('<reportType>', 'e.g. GET_MERCHANT_LISTINGS_ALL_DATA, GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL')
      .option('--start <age|date>', 'dataStartTime: an age like 30d, a date or ISO 8601')
      .option('--end <age|date|now>', 'dataEndTime')
      .option('--option <key=value>', 'a reportOptions entry; repeat for more', collect, [] as string[])
      .option('--timeout <duration>', 'how long to wait for the report', '30m'),
  )
    .addHelpText('after', `
createReport → getReport until DONE (a spinner on a terminal) → getReportDocument → download:
resumed after a dropped connection, gunzipped, decoded, converted, and written atomically (nothing
at --out unless all of it arrived). CANCELLED (usually: no data for the range) and FATAL (its reason
is printed) exit 5; --timeout exits 6 with the command that picks the report up later.

Examples:
  spapi reports get GET_MERCHANT_LISTINGS_ALL_DATA --marketplace DE --out listings.tsv
  spapi reports get GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL --marketplace US --start 30d --format csv --out orders.csv
  spapi reports get GET_MERCHANT_LISTINGS_ALL_DATA --marketplace JP --format ndjson | head${environment(SP_API_ENV)}`)
    .action(async (reportType, options) => run(context, { reportType, ...options }));
}

/** `spapi reports get <reportType>`: the whole lifecycle in one command. */
export async function run({ factory, signal }: CommandContext, options: GetOptions): Promise<void> {
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  await checkDocumentOutput(options);
  const request = await reportRequest(factory, options);
  const { createReport } = await import('../../../core/reports/reports.js');
  const ops = await factory.operations();
  const reportId = await createReport(ops, request, signal);
  factory.io.err(`report ${reportId} requested (${request.reportType})`);
  const report = await waitWithStatus(factory, ops, reportId, timeoutMs, signal);
  await downloadReport(factory, ops, report, options, signal);
}
