import type { Command } from '@commander-js/extra-typings';
import { parseInstant, parsePositiveInt } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import { FEED_COLUMNS } from './shared.js';

export interface ListOptions {
  types?: string | undefined;
  statuses?: string | undefined;
  since?: string | undefined;
  paginate?: boolean | undefined;
  maxItems?: number | undefined;
  startingToken?: string | undefined;
}

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
  spapi feeds list --types JSON_LISTINGS_FEED,POST_ORDER_FULFILLMENT_DATA --statuses FATAL --paginate -o csv`)
    .action(async (options) => run(context, options));
}

export async function run(context: CommandContext, options: ListOptions): Promise<void> {
  const { factory } = context;
  const { FEEDS_OPS } = await import('../../../core/feeds/feeds.js');
  const params: Array<[string, string | string[]]> = [];
  if (options.types) params.push(['feedTypes', options.types.split(',').map((t) => t.trim())]);
  if (options.statuses) params.push(['processingStatuses', options.statuses.split(',').map((s) => s.trim().toUpperCase())]);
  if (options.since) params.push(['createdSince', parseInstant(options.since, '--since', factory.clock.now())]);
  const { printListing } = await import('../shared/listing.js');
  await printListing(context, FEEDS_OPS.list, params, {
    columns: FEED_COLUMNS,
    noun: options.paginate ? 'feeds' : 'feeds (or add --paginate)',
    paginate: { maxItems: options.maxItems, startingToken: options.startingToken, ...(options.paginate ? {} : { maxPages: 1 }) },
  });
}
