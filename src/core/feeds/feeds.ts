import { readFile, stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { DocumentSource } from '../documents/index.js';
import { downloadDocument, pollUntil } from '../documents/index.js';
import { toUtf8 } from '../documents/to-utf8.js';
import { SpapiError, UsageError } from '../errors.js';
import { isFinished, pollInterval, type ProcessingStatus, type WaitOptions } from '../lifecycle.js';
import type { Operations } from '../operations.js';
import type { Sleep } from '../sleep.js';
import { parseProcessingReport, type FeedSummary } from './processing-report.js';

/** The Feeds API 2021-06-30 operations (spapi-facts §10). */
export const FEEDS_OPS = {
  createDocument: 'feeds_2021-06-30.createFeedDocument',
  create: 'feeds_2021-06-30.createFeed',
  get: 'feeds_2021-06-30.getFeed',
  list: 'feeds_2021-06-30.getFeeds',
  cancel: 'feeds_2021-06-30.cancelFeed',
  document: 'feeds_2021-06-30.getFeedDocument',
} as const;

export interface Feed {
  feedId: string;
  feedType: string;
  processingStatus: ProcessingStatus;
  createdTime?: string;
  marketplaceIds?: string[];
  processingStartTime?: string;
  processingEndTime?: string;
  /** The processing report's document, once the feed is DONE (sometimes FATAL too). */
  resultFeedDocumentId?: string;
}

export interface FeedRequest {
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  feedOptions?: Record<string, string> | undefined;
}

export interface FeedDocument extends DocumentSource {
  feedDocumentId: string;
}

/** Amazon's bounds on createFeed's marketplaceIds. */
const MAX_MARKETPLACES = 25;

/** createFeedDocument → the document's id and the presigned URL the file is PUT to (valid 5 minutes). */
export async function createFeedDocument(ops: Operations, contentType: string, signal?: AbortSignal): Promise<{ feedDocumentId: string; url: string }> {
  const answer = await ops.json<{ feedDocumentId?: string; url?: string }>(FEEDS_OPS.createDocument, { body: { contentType }, signal });
  if (!answer?.feedDocumentId || !answer.url) throw new SpapiError('api', 'createFeedDocument answered without a feedDocumentId and url');
  return { feedDocumentId: answer.feedDocumentId, url: answer.url };
}

/** createFeed → the new feed's id. */
export async function createFeed(ops: Operations, request: FeedRequest, signal?: AbortSignal): Promise<string> {
  checkMarketplaces(request.marketplaceIds);
  const body = {
    feedType: request.feedType,
    marketplaceIds: request.marketplaceIds,
    inputFeedDocumentId: request.inputFeedDocumentId,
    ...(request.feedOptions && Object.keys(request.feedOptions).length ? { feedOptions: request.feedOptions } : {}),
  };
  const answer = await ops.json<{ feedId?: string }>(FEEDS_OPS.create, { body, signal });
  if (!answer?.feedId) throw new SpapiError('api', 'createFeed answered without a feedId');
  return answer.feedId;
}

/** A feed needs 1 to 25 marketplaces; checked before anything is sent. */
export function checkMarketplaces(marketplaceIds: readonly string[]): void {
  if (marketplaceIds.length === 0) throw new UsageError('a feed needs a marketplace: pass --marketplace (repeat it for several)');
  if (marketplaceIds.length > MAX_MARKETPLACES) throw new UsageError(`a feed takes at most ${MAX_MARKETPLACES} marketplaces (got ${marketplaceIds.length})`);
}

export async function getFeed(ops: Operations, feedId: string, signal?: AbortSignal): Promise<Feed> {
  const feed = await ops.json<Feed>(FEEDS_OPS.get, { params: [['feedId', feedId]], signal });
  if (!feed) throw new SpapiError('api', `getFeed ${feedId} answered with no body`);
  return feed;
}

/** getFeedDocument → the processing report's source (a fresh five-minute URL each call). */
export async function getFeedDocument(ops: Operations, feedDocumentId: string, signal?: AbortSignal): Promise<FeedDocument> {
  const document = await ops.json<FeedDocument>(FEEDS_OPS.document, { params: [['feedDocumentId', feedDocumentId]], signal });
  if (!document?.url) throw new SpapiError('api', `getFeedDocument ${feedDocumentId} answered without a url`);
  return document;
}

/**
 * Polls getFeed (never faster than its rate in the catalog) until the feed is finished and
 * returns it, DONE, CANCELLED or FATAL alike: a FATAL feed may still have a processing report,
 * and what the outcome means is the caller's to say. Timing out throws PendingError, whose hint
 * is the `spapi feeds result <id>` command.
 */
export async function waitForFeed(ops: Operations, feedId: string, options: WaitOptions<Feed>): Promise<Feed> {
  return pollUntil({
    check: () => getFeed(ops, feedId, options.signal),
    isDone: (feed: Feed) => isFinished(feed.processingStatus),
    timeoutMs: options.timeoutMs,
    minIntervalMs: pollInterval(ops, FEEDS_OPS.get),
    describe: (feed: Feed, elapsedMs: number) => `feed ${feedId} (${feed.feedType}) is still ${feed.processingStatus} after ${Math.round(elapsedMs / 1000)} s`,
    timeoutHint: `read its processing report later with \`spapi feeds result ${feedId}\``,
    signal: options.signal,
    onStatus: options.onStatus,
    sleep: options.sleep,
    now: options.now,
  });
}

/** Processing reports held in memory to be summarised; a larger one is refused. */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export interface ProcessingReport {
  summary: FeedSummary;
  /** The report's bytes after gunzip, as Amazon sent them. */
  bytes: number;
  contentType: string | undefined;
  charset: string;
}

export interface ReadReportOptions {
  /** Also keep the report, as Amazon sent it (decompressed), in this file (written atomically). */
  out?: string | undefined;
  /** A fresh URL when the five-minute one expired (getFeedDocument again). */
  refresh?: (() => Promise<DocumentSource>) | undefined;
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
  sleep?: Sleep | undefined;
}

/**
 * Downloads a processing report through the document pipeline (gunzip, resume, no SP-API
 * headers), decodes it from its charset and summarises it. With `out` the report is also written
 * to that file, byte for byte.
 */
export async function readProcessingReport(source: DocumentSource, options: ReadReportOptions = {}): Promise<ProcessingReport> {
  const common = {
    format: 'raw' as const,
    ...(options.refresh ? { refresh: options.refresh } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  let bytes: Buffer;
  let result;
  if (options.out) {
    result = await downloadDocument(source, { ...common, out: options.out });
    const { size } = await stat(options.out);
    if (size > MAX_REPORT_BYTES) throw tooLarge(size, `it is in ${options.out}`);
    bytes = await readFile(options.out);
  } else {
    const chunks: Buffer[] = [];
    let size = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > MAX_REPORT_BYTES) done(tooLarge(size, 'keep it with --out FILE'));
        else {
          chunks.push(chunk);
          done();
        }
      },
    });
    result = await downloadDocument(source, { ...common, out: sink });
    bytes = Buffer.concat(chunks);
  }
  const text = decode(bytes, result.charset);
  return { summary: parseProcessingReport(text, result.contentType), bytes: bytes.length, contentType: result.contentType, charset: result.charset };
}

function tooLarge(size: number, where: string): SpapiError {
  return new SpapiError('api', `the processing report is over ${MAX_REPORT_BYTES / 1024 / 1024} MiB (${size} bytes so far): too large to summarise; ${where}`);
}

function decode(bytes: Buffer, charset: string): string {
  const converter = toUtf8(charset);
  const parts = [converter.write(bytes), converter.end()].filter((part): part is Buffer => part !== undefined);
  return Buffer.concat(parts).toString('utf8');
}
