import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { FEED_COLUMNS } from './shared.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export function register(feeds: Command, context: CommandContext): void {
  feeds
    .command('status')
    .description('one feed: its processing status and result document (getFeed)')
    .argument('<feedId>')
    .addHelpText('after', `
Examples:
  spapi feeds status 50011019999 --region na
  spapi feeds status 50011019999 --region eu -o json${environment(SP_API_ENV)}`)
    .action(async (feedId) => run(context, { feedId }));
}

export async function run({ factory, signal }: CommandContext, options: { feedId: string }): Promise<void> {
  const { getFeed } = await import('../../../core/feeds/feeds.js');
  const feed = await getFeed(await factory.operations(), options.feedId, signal);
  await factory.printer('record').record(feed, { columns: FEED_COLUMNS });
}
