import type { Command } from '@commander-js/extra-typings';
import { parseInstant, parsePositiveInt } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import { REPORT_COLUMNS } from './shared.js';

export interface ListOptions {
  types?: string | undefined;
  statuses?: string | undefined;
  since?: string | undefined;
  paginate?: boolean | undefined;
  maxItems?: number | undefined;
  startingToken?: string | undefined;
}

export function register(reports: Command, context: CommandContext): void {
  reports
    .command('list')
    .description('reports requested in the last 90 days (getReports), newest first')
    .option('--types <list>', 'comma-separated report types (Amazon requires them unless resuming)')
    .option('--statuses <list>', 'comma-separated processing statuses, e.g. DONE,FATAL')
    .option('--since <age|date>', 'created at or after, e.g. 7d (Amazon allows 90 days back)')
    .option('--paginate', 'every page, not only the first')
    .option('--max-items <n>', 'stop after this many reports', (value) => parsePositiveInt(value, '--max-items'))
    .option('--starting-token <token>', 'resume a listing from the token a stopped run printed')
    .addHelpText('after', `
Examples:
  spapi reports list --types GET_MERCHANT_LISTINGS_ALL_DATA --region eu
  spapi reports list --types GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL --statuses DONE --paginate -o csv`)
    .action(async (options) => run(context, options));
}

export async function run(context: CommandContext, options: ListOptions): Promise<void> {
  const { factory, signal } = context;
  const { REPORTS_OPS } = await import('../../../core/reports/reports.js');
  const params: Array<[string, string | string[]]> = [];
  if (options.types) params.push(['reportTypes', options.types.split(',').map((t) => t.trim())]);
  if (options.statuses) params.push(['processingStatuses', options.statuses.split(',').map((s) => s.trim().toUpperCase())]);
  if (options.since) params.push(['createdSince', parseInstant(options.since, '--since', factory.clock.now())]);
  const { printListing } = await import('../shared/listing.js');
  await printListing(context, REPORTS_OPS.list, params, {
    columns: REPORT_COLUMNS,
    noun: options.paginate ? 'reports' : 'reports (or add --paginate)',
    paginate: { maxItems: options.maxItems, startingToken: options.startingToken, ...(options.paginate ? {} : { maxPages: 1 }) },
  });
}
