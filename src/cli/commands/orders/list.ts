import type { Command } from '@commander-js/extra-typings';
import { parseInstant, parsePositiveInt } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface ListOptions {
  createdAfter: string;
  createdBefore?: string | undefined;
  status?: string | undefined;
  maxItems?: number | undefined;
  startingToken?: string | undefined;
  api: string;
}

export function register(orders: Command, context: CommandContext): void {
  orders
    .command('list')
    .description('list orders (Orders API 2026-01-01; --api v0 for the deprecated v0)')
    .option('--created-after <age|date>', 'created at or after, e.g. 7d, 12h, 2026-11-01 or 2026-11-01T00:00:00Z', '7d')
    .option('--created-before <age|date>', 'created before (clamped to two minutes ago, as Amazon requires)')
    .option('--status <list>', 'comma-separated statuses, e.g. Unshipped,Shipped')
    .option('--max-items <n>', 'stop after this many orders', (value) => parsePositiveInt(value, '--max-items'))
    .option('--starting-token <token>', 'resume a listing from the token a stopped run printed')
    .option('--api <version>', 'Orders API version: 2026-01-01 (default) or v0', '2026-01-01')
    .addHelpText('after', `
Without --marketplace, the marketplaces of the region the seller participates in are asked for
(from the profile, or one getMarketplaceParticipations call, cached for a day).

Examples:
  spapi orders list --marketplace DE --created-after 7d
  spapi orders list --region na --status Unshipped --max-items 50 -o csv > unshipped.csv${environment(SP_API_ENV)}`)
    .action(async (options) => run(context, options));
}

/** Amazon refuses a CreatedBefore later than two minutes ago. */
const BEFORE_MARGIN_MS = 2 * 60_000;

/** `spapi orders list`: the newest Orders API, relative dates, every page, table on a terminal. */
export async function run(context: CommandContext, options: ListOptions): Promise<void> {
  const { factory } = context;
  const [{ ordersApi }, { marketplaceIdsFor }] = await Promise.all([import('./versions.js'), import('../shared/marketplace-ids.js')]);
  const api = ordersApi(options.api);
  const now = factory.clock.now();
  const params: Array<[string, string | string[]]> = [[api.createdAfter, parseInstant(options.createdAfter, '--created-after', now)]];
  if (options.createdBefore !== undefined) {
    let before = parseInstant(options.createdBefore, '--created-before', now);
    const latest = new Date(now.getTime() - BEFORE_MARGIN_MS);
    if (Date.parse(before) > latest.getTime()) {
      before = latest.toISOString().replace(/\.\d{3}Z$/, 'Z');
      factory.io.err(`--created-before moved to ${before}: Amazon accepts only times at least two minutes ago`);
    }
    params.push([api.createdBefore, before]);
  }
  if (options.status !== undefined) params.push([api.statuses, options.status.split(',').map(api.status)]);
  params.push([api.marketplaceIds, await marketplaceIdsFor(factory, context.signal)], ...api.extra);
  const { printListing } = await import('../shared/listing.js');
  await printListing(context, api.list, params, {
    columns: api.columns,
    noun: 'orders',
    paginate: { maxItems: options.maxItems, startingToken: options.startingToken },
  });
}
