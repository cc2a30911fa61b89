import { Option, type Command } from '@commander-js/extra-typings';
import { parseDuration } from '../../../core/duration.js';
import { UsageError } from '../../../core/errors.js';
import { FAIL_ON, type FailOn } from '../../../core/feeds/processing-report.js';
import type { CommandContext } from '../../command.js';
import { formatBytes } from '../../io.js';
import { collect, keyValues } from '../shared/flags.js';
import { feedMarketplaces, finishFeed, waitWithStatus, type ResultOptions } from './shared.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface SubmitOptions extends ResultOptions {
  feedType: string;
  file: string;
  contentType?: string | undefined;
  charset?: string | undefined;
  option: string[];
  wait: boolean;
  force?: boolean | undefined;
  check: boolean;
}

export function register(feeds: Command, context: CommandContext): void {
  feeds
    .command('submit')
    .description('upload a feed file, submit it, wait, and summarise its processing report')
    .argument('<feedType>', 'e.g. JSON_LISTINGS_FEED, POST_ORDER_FULFILLMENT_DATA, POST_FLAT_FILE_FULFILLMENT_DATA')
    .argument('<file|->', 'the feed file, or - for stdin')
    .option('--content-type <type>', "the feed document's Content-Type (default: from the feed type)")
    .option('--charset <charset>', 'the charset of a flat-file or XML feed, declared in its Content-Type (default UTF-8)')
    .option('--option <key=value>', 'a feedOptions entry; repeat for more', collect, [] as string[])
    .option('--no-wait', 'print the feed id once it is created; `feeds result <id>` reads its report later')
    .option('--timeout <duration>', 'how long to wait for the feed to be processed', '30m')
    .option('--out <file>', 'also keep the whole processing report in this file (written atomically)')
    .addOption(new Option('--fail-on <level>', 'exit 5 when the processing report has errors, or warnings too, or never').choices(FAIL_ON).default('error' as FailOn))
    .option('--force', "submit a feed type Amazon retired, or a file that does not look like its feed type's format")
    .option('--no-check', 'skip the local checks of the file (charset, JSON_LISTINGS_FEED rules)')
    .addHelpText('after', `
Content-Type from the feed type: JSON_LISTINGS_FEED → application/json; flat-file feeds
(POST_FLAT_FILE_…) → text/tab-separated-values; charset=UTF-8; XML feeds → text/xml; charset=UTF-8
(--charset and --content-type change it). Before anything is sent, the file is checked: text in its
charset (the byte offset of a bad byte otherwise) and, for JSON_LISTINGS_FEED, the schema's rules
(header.sellerId, version "2.0", unique message ids, operationType and its fields, at most 25,000
messages) — every problem at once, exit 2. The XML and flat-file listings feeds Amazon retired on
2025-07-31 (POST_PRODUCT_DATA, POST_INVENTORY_AVAILABILITY_DATA, POST_FLAT_FILE_INVLOADER_DATA, …)
are refused unless --force.

createFeedDocument → the file PUT to its presigned URL, streamed, with exactly that Content-Type and
a Content-Length, no token (a reset or 5xx starts the file over; stdin is spooled to a private
temporary file first) → createFeed → getFeed until done (a spinner on a terminal) → the processing
report, summarised: messages processed, accepted and invalid, then one line per issue.
Exit 0 when processed without errors; 5 when the feed ended CANCELLED or FATAL or its report has
errors (--fail-on); 6 on --timeout, with the \`spapi feeds result <id>\` command.

Examples:
  spapi feeds submit JSON_LISTINGS_FEED inventory.json --marketplace US
  spapi feeds submit JSON_LISTINGS_FEED listings.json --marketplace DE --marketplace FR --out report.json
  spapi feeds submit POST_FLAT_FILE_FULFILLMENT_DATA shipped.tsv --marketplace UK --charset ISO-8859-1
  generate-feed | spapi feeds submit JSON_LISTINGS_FEED - --marketplace US --no-wait${environment(SP_API_ENV)}`)
    .action(async (feedType, file, options) => run(context, { feedType, file, ...options }));
}

/** `spapi feeds submit <feedType> <file|->`: the whole lifecycle in one command. */
export async function run(context: CommandContext, options: SubmitOptions): Promise<void> {
  const { factory, signal } = context;
  // Everything that can be wrong with the flags is found before the file is read or anything sent.
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  if (options.out === '-') throw new UsageError('--out takes a file: the summary goes to stdout');
  const [{ checkFeedType, contentTypeFor }, { checkCharset }] = await Promise.all([import('../../../core/feeds/content-types.js'), import('../../../core/documents/charset.js')]);
  checkFeedType(options.feedType, { force: options.force });
  if (options.charset !== undefined) checkCharset(options.charset, '--charset');
  if (options.contentType !== undefined && options.charset !== undefined) throw new UsageError('--content-type and --charset: give the charset inside --content-type (…; charset=…)');
  const contentType = options.contentType ?? contentTypeFor(options.feedType, options.charset);
  if (contentType.trim() === '') throw new UsageError('--content-type is empty');
  const feedOptions = keyValues(options.option, '--option');
  const marketplaceIds = await feedMarketplaces(factory, context.argv);

  const { spoolToTempFile, uploadFeedFile } = await import('../../../core/feeds/upload.js');
  const spooled = options.file === '-' ? await spoolToTempFile(factory.io.stdin, { signal }) : undefined;
  try {
    const label = spooled ? 'stdin' : options.file;
    const path = spooled?.path ?? options.file;
    const { prepareFeedFile } = await import('../../../core/feeds/prepare.js');
    const prepared = options.check
      ? await prepareFeedFile(path, { feedType: options.feedType, contentType, label, force: options.force })
      : await sizeOnly(path, label);
    for (const note of prepared.notes) factory.io.err(`note: ${note}`);
    const { createFeedDocument, createFeed } = await import('../../../core/feeds/feeds.js');
    const ops = await factory.operations();
    let document = await createFeedDocument(ops, contentType, signal);
    const messages = prepared.messages === undefined ? '' : `, ${prepared.messages} message${prepared.messages === 1 ? '' : 's'}`;
    factory.io.err(`uploading ${label} (${formatBytes(prepared.size)}${messages}) to feed document ${document.feedDocumentId} as ${contentType}`);
    const bar = factory.io.bytes(`uploading ${label}`);
    try {
      const uploaded = await uploadFeedFile(document.url, { path, size: prepared.size }, {
        contentType,
        signal,
        onProgress: (sent, total) => bar.update(sent, total),
        onRetry: ({ attempt, delayMs, reason }) => factory.io.err(`upload failed (${reason}); sending the file again in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`),
        refresh: async () => {
          document = await createFeedDocument(ops, contentType, signal);
          factory.io.err(`the upload URL expired: uploading to a new feed document, ${document.feedDocumentId}`);
          return document.url;
        },
      });
      if (uploaded.attempts > 1) factory.io.err(`uploaded on attempt ${uploaded.attempts}`);
    } finally {
      bar.stop();
    }
    const feedId = await createFeed(ops, { feedType: options.feedType, marketplaceIds, inputFeedDocumentId: document.feedDocumentId, feedOptions }, signal);
    factory.io.err(`feed ${feedId} submitted (${options.feedType}, ${marketplaceIds.join(', ')})`);
    if (!options.wait) {
      factory.io.err(`read its processing report when it is done: spapi feeds result ${feedId}`);
      await factory.printer('id').record({ feedId }, { human: () => `${feedId}\n` });
      return;
    }
    const feed = await waitWithStatus(factory, ops, feedId, timeoutMs, signal);
    await finishFeed(context, ops, feed, { out: options.out, failOn: options.failOn, skus: prepared.skus });
  } finally {
    await spooled?.remove();
  }
}

/** --no-check: only what the upload needs (a regular file and its size). */
async function sizeOnly(path: string, label: string): Promise<{ size: number; notes: string[]; messages: undefined; skus: undefined }> {
  const { stat } = await import('node:fs/promises');
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${label}: cannot read the file (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new UsageError(`${label} is not a regular file`);
  return { size: info.size, notes: [], messages: undefined, skus: undefined };
}
