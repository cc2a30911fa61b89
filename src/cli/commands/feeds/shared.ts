import { FeedFailedError, UsageError } from '../../../core/errors.js';
import type { Feed } from '../../../core/feeds/feeds.js';
import type { FailOn, FeedIssue, FeedSummary } from '../../../core/feeds/processing-report.js';
import type { Operations } from '../../../core/operations.js';
import type { CommandContext } from '../../command.js';
import type { Factory } from '../../factory.js';
import type { Column } from '../../output/columns.js';
import { withStatus } from '../shared/document-output.js';

export const FEED_COLUMNS: Column[] = [
  { header: 'feed', path: 'feedId', role: 'key' },
  { header: 'type', path: 'feedType' },
  { header: 'status', path: 'processingStatus' },
  { header: 'created', path: 'createdTime' },
  { header: 'marketplaces', path: 'marketplaceIds', role: 'optional' },
  { header: 'result document', path: 'resultFeedDocumentId', role: 'optional' },
];

export const ISSUE_COLUMNS: Column[] = [
  { header: 'message id', path: 'messageId', role: 'key' },
  { header: 'sku', path: 'sku' },
  { header: 'code', path: 'code' },
  { header: 'severity', path: 'severity' },
  { header: 'message', path: 'message' },
  { header: 'attribute', path: 'attributeName', role: 'optional' },
];

/** The flags that read a processing report (`feeds submit`, `feeds result`). */
export interface ResultOptions {
  out?: string | undefined;
  failOn: FailOn;
  timeout: string;
}

/**
 * The marketplaces of a feed: every --marketplace on the command line (createFeed takes 1 to 25,
 * so the flag may be repeated; the global flag itself keeps only the last), else the profile's
 * marketplace. All must be in the request's region.
 */
export async function feedMarketplaces(factory: Factory, argv: readonly string[]): Promise<string[]> {
  const { resolveMarketplace } = await import('../../../core/regions.js');
  const named: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') break;
    if (word === '--marketplace' && argv[i + 1] !== undefined) named.push(argv[++i] as string);
    else if (word.startsWith('--marketplace=')) named.push(word.slice('--marketplace='.length));
  }
  const { region } = await factory.regionAndMarketplace();
  if (named.length === 0) {
    const stored = (await factory.profile())?.marketplace;
    if (!stored) throw new UsageError('which marketplaces is the feed for? pass --marketplace, e.g. --marketplace US (repeat it for several)');
    named.push(stored);
  }
  const marketplaces = named.map((input) => ({ input, marketplace: resolveMarketplace(input) }));
  const regions = new Set(marketplaces.map((m) => m.marketplace.region));
  if (regions.size > 1) {
    const listed = marketplaces.map((m) => `${m.input} (${m.marketplace.region})`).join(', ');
    throw new UsageError(`--marketplace ${listed}: one feed goes to the marketplaces of one region; submit one feed per region`);
  }
  const problems = marketplaces.filter((m) => m.marketplace.region !== region.code).map((m) => `--marketplace ${m.input} is in region ${m.marketplace.region}, not ${region.code}`);
  if (problems.length) throw new UsageError(problems.length === 1 ? (problems[0] as string) : `${problems.length} problems with --marketplace`, { problems });
  const ids = [...new Set(marketplaces.map((m) => m.marketplace.id))];
  return ids;
}

/** Polls a feed with a spinner showing its status and the time waited. */
export async function waitWithStatus(factory: Factory, ops: Operations, feedId: string, timeoutMs: number, signal: AbortSignal): Promise<Feed> {
  const { waitForFeed } = await import('../../../core/feeds/feeds.js');
  return withStatus(factory, `feed ${feedId}: submitted`, (update) =>
    waitForFeed(ops, feedId, {
      timeoutMs,
      signal,
      onStatus: (feed, elapsedMs) => update(`feed ${feedId} (${feed.feedType}): ${feed.processingStatus}, ${Math.round(elapsedMs / 1000)} s`),
    }));
}

/**
 * A finished feed: its processing report downloaded (and kept in --out), summarised on stdout, and
 * the outcome as an exit code — CANCELLED and FATAL always fail (exit 5), a report with errors
 * (or warnings) fails by --fail-on.
 */
export async function finishFeed(context: CommandContext, ops: Operations, feed: Feed, options: Pick<ResultOptions, 'out' | 'failOn'> & { skus?: ReadonlyMap<number, string> | undefined }): Promise<void> {
  const { factory, signal } = context;
  const [{ getFeedDocument, readProcessingReport }, { summaryFails, withSkus }] = await Promise.all([
    import('../../../core/feeds/feeds.js'),
    import('../../../core/feeds/processing-report.js'),
  ]);
  let summary: FeedSummary | undefined;
  const documentId = feed.resultFeedDocumentId;
  if (documentId) {
    const fresh = () => getFeedDocument(ops, documentId, signal);
    const bar = factory.io.bytes(`feed ${feed.feedId} processing report`);
    try {
      const report = await readProcessingReport(await fresh(), { out: options.out, refresh: fresh, signal });
      summary = withSkus(report.summary, options.skus);
      if (options.out) {
        const { formatBytes } = await import('../../io.js');
        factory.io.err(`wrote the processing report (${formatBytes(report.bytes)}, ${report.summary.format}) to ${options.out}`);
      }
    } finally {
      bar.stop();
    }
    await printSummary(factory, feed, summary);
  } else {
    factory.io.err(`feed ${feed.feedId} is ${feed.processingStatus} without a processing report${options.out ? `: nothing written to ${options.out}` : ''}`);
  }
  if (feed.processingStatus === 'CANCELLED') {
    throw new FeedFailedError('CANCELLED', feed.feedId, `feed ${feed.feedId} (${feed.feedType}) was CANCELLED: none of it was processed`, 'a feed is cancelled by cancelFeed while IN_QUEUE, or by Amazon: submit it again if it is still wanted');
  }
  if (feed.processingStatus === 'FATAL') {
    const { isRetiredFeedType } = await import('../../../core/feeds/content-types.js');
    const reason = summary?.issues.find((issue) => issue.severity === 'ERROR')?.message;
    throw new FeedFailedError('FATAL', feed.feedId, `feed ${feed.feedId} (${feed.feedType}) ended FATAL${reason ? `: ${reason}` : ''}`, isRetiredFeedType(feed.feedType)
      ? `Amazon retired ${feed.feedType} on 2025-07-31: send JSON_LISTINGS_FEED instead`
      : 'some, none or all of its records may have been applied, and FATAL can be unrelated to the feed: check the listings, then submit it again');
  }
  if (summary && summaryFails(summary, options.failOn)) {
    const what = `${plural(summary.messagesInvalid, 'message')} invalid, ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}`;
    throw new FeedFailedError('DONE', feed.feedId, `feed ${feed.feedId} (${feed.feedType}) was processed with problems: ${what}`, options.failOn === 'warning' ? '--fail-on warning fails on warnings too; --fail-on never exits 0' : 'the issues are listed above; --fail-on never exits 0 whatever the report says');
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The summary as the one printer prints it: a text block and an issues table on a terminal, a record (-o json), or issue rows (ndjson, csv). */
export async function printSummary(factory: Factory, feed: Feed, summary: FeedSummary): Promise<void> {
  const record = {
    feedId: feed.feedId,
    processingStatus: feed.processingStatus,
    summary: {
      messagesProcessed: summary.messagesProcessed,
      messagesAccepted: summary.messagesAccepted,
      messagesInvalid: summary.messagesInvalid,
      errors: summary.errors,
      warnings: summary.warnings,
    },
    issues: summary.issues,
  };
  const printer = factory.printer('record');
  if (printer.format === 'json') {
    await printer.record(record);
    return;
  }
  const rows = summary.issues.map((issue: FeedIssue) => ({ ...issue, messageId: issue.messageId ?? 'feed' }));
  if (printer.format === 'table') {
    factory.io.out(
      `feed ${feed.feedId} (${feed.feedType}): ${feed.processingStatus}\n` +
        `${plural(summary.messagesProcessed, 'message')} processed: ${summary.messagesAccepted} accepted, ${summary.messagesInvalid} invalid; ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}\n`,
    );
    if (rows.length) {
      factory.io.out('\n');
      await factory.printer('list').list(rows, { columns: ISSUE_COLUMNS });
    }
    return;
  }
  const writer = factory.printer('list').rows([{ header: 'feed', path: 'feedId' }, ...ISSUE_COLUMNS]);
  writer.write(summary.issues.map((issue) => ({ feedId: feed.feedId, ...issue })));
  await writer.end();
}
