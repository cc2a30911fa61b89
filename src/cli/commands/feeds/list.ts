import type { Command } from '@commander-js/extra-typings';
import { parsePositiveInt } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import type { JobListOptions } from '../shared/listing.js';
import { FEED_COLUMNS } from './shared.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export type ListOptions = JobListOptions;

export function register(feeds: Command, context: CommandContext): void {
  feeds
    .command('list')
    .description('feeds submitted in the last 90 days (getFeeds), newest first')
    .option('--types <list>', 'comma-separated feed types, at most 10 (Amazon requires them unless resuming)')
    .option('--statuses <list>', 'comma-separated processing statuses, e.g. DONE,FATAL')
    .option('--since <age|date>', 'created at or after, e.g. 7d (Amazon keeps 90 days)')
    .option('--paginate', 'every page, not only the first')
    .option('--max-items <n>', 'stop after this many feeds', (value) => parsePositiveInt(value, '--max-items'))
    .option('--starting-token <token>', 'resume a listing from the token a stopped run printed')
    .addHelpText('after', `
Examples:
  spapi feeds list --types JSON_LISTINGS_FEED --region na
  spapi feeds list --types JSON_LISTINGS_FEED,POST_ORDER_FULFILLMENT_DATA --statuses FATAL --paginate -o csv${environment(SP_API_ENV)}`)
    .action(async (options) => run(context, options));
}

export async function run(context: CommandContext, options: ListOptions): Promise<void> {
  const { FEEDS_OPS } = await import('../../../core/feeds/feeds.js');
  const { printJobListing } = await import('../shared/listing.js');
  await printJobListing(context, { operation: FEEDS_OPS.list, typesParam: 'feedTypes', noun: 'feeds', columns: FEED_COLUMNS }, options);
}
