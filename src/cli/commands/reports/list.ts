import type { Command } from '@commander-js/extra-typings';
import { parsePositiveInt } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import type { JobListOptions } from '../shared/listing.js';
import { REPORT_COLUMNS } from './shared.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export type ListOptions = JobListOptions;

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
  spapi reports list --types GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL --statuses DONE --paginate -o csv${environment(SP_API_ENV)}`)
    .action(async (options) => run(context, options));
}

export async function run(context: CommandContext, options: ListOptions): Promise<void> {
  const { REPORTS_OPS } = await import('../../../core/reports/reports.js');
  const { printJobListing } = await import('../shared/listing.js');
  await printJobListing(context, { operation: REPORTS_OPS.list, typesParam: 'reportTypes', noun: 'reports', columns: REPORT_COLUMNS }, options);
}
