import { Option, type Command } from '@commander-js/extra-typings';
import { parseDuration } from '../../../core/duration.js';
import { UsageError } from '../../../core/errors.js';
import { FAIL_ON, type FailOn } from '../../../core/feeds/processing-report.js';
import type { CommandContext } from '../../command.js';
import { finishFeed, waitWithStatus, type ResultOptions } from './shared.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface FeedResultOptions extends ResultOptions {
  feedId: string;
}

export function register(feeds: Command, context: CommandContext): void {
  feeds
    .command('result')
    .description("a feed's processing report, summarised (waiting while the feed is not done)")
    .argument('<feedId>')
    .option('--timeout <duration>', 'how long to wait for a feed that is not done yet', '30m')
    .option('--out <file>', 'also keep the whole processing report in this file (written atomically)')
    .addOption(new Option('--fail-on <level>', 'exit 5 when the processing report has errors, or warnings too, or never').choices(FAIL_ON).default('error' as FailOn))
    .addHelpText('after', `
The same summary and exit codes as \`feeds submit\`: 0 when processed without errors, 5 when the
feed ended CANCELLED or FATAL or its report has errors (--fail-on), 6 on --timeout.

Examples:
  spapi feeds result 50011019999 --region na
  spapi feeds result 50011019999 --region eu --out report.json -o json${environment(SP_API_ENV)}`)
    .action(async (feedId, options) => run(context, { feedId, ...options }));
}

export async function run(context: CommandContext, options: FeedResultOptions): Promise<void> {
  const { factory, signal } = context;
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  if (options.out === '-') throw new UsageError('--out takes a file: the summary goes to stdout');
  const ops = await factory.operations();
  const feed = await waitWithStatus(factory, ops, options.feedId, timeoutMs, signal);
  await finishFeed(context, ops, feed, { out: options.out, failOn: options.failOn });
}
