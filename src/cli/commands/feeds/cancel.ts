import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export function register(feeds: Command, context: CommandContext): void {
  feeds
    .command('cancel')
    .description('cancel a feed that is still IN_QUEUE (cancelFeed)')
    .argument('<feedId>')
    .addHelpText('after', `
Examples:
  spapi feeds cancel 50011019999 --region na${environment(SP_API_ENV)}`)
    .action(async (feedId) => run(context, { feedId }));
}

export async function run({ factory, signal }: CommandContext, options: { feedId: string }): Promise<void> {
  const { FEEDS_OPS } = await import('../../../core/feeds/feeds.js');
  await (await factory.operations()).json(FEEDS_OPS.cancel, { params: [['feedId', options.feedId]], signal });
  factory.io.err(`feed ${options.feedId} cancelled`);
}
