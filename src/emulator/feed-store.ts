import { createHash } from 'node:crypto';
import type { RegionCode } from '../core/regions.js';
import { BufferBody } from './documents.js';
import type { DocumentStore } from './documents.js';
import { processFlatFileFeed } from './feed-flat-file.js';
import { listingsReport, processListingsFeed } from './feed-listings.js';
import type { ResolvedFeedsOptions } from './feed-options.js';
import { feedTypeInfo } from './feed-types.js';
import type { FeedFormat } from './feed-types.js';
import { KEPT_UPLOAD_BYTES, tortugaId } from './feed-uploads.js';
import type { FeedDocuments } from './feed-uploads.js';
import { processXmlFeed } from './feed-xml.js';
import type { OrderBook } from './order-data.js';
import { advanceProcessing } from './processing-lifecycle.js';
import type { ProductStore } from './product-store.js';
import type { ProcessingStatus } from './processing-lifecycle.js';
import { SeededRandom } from '../core/random.js';

/*
 * Feeds 2021-06-30 state: created feeds walk IN_QUEUE -> IN_PROGRESS -> DONE or FATAL as they are
 * polled or as time passes (processing-lifecycle.ts, EmulatorOptions.feeds or reports), or become
 * CANCELLED by cancelFeed while IN_QUEUE. A feed is processed when it finishes, in the order
 * feeds finish, so a cancelled feed changes nothing; its result is a processing report document:
 * - JSON_LISTINGS_FEED (feed-listings.ts): DONE with a JSON report of the messages' issues;
 *   FATAL with a report of one feed-level issue when the body is not a listings feed (not JSON, no
 *   header, wrong version or sellerId, no messages, more than 25,000). Accepted messages change the
 *   seller's listings in the product store (product-store.ts), in the feed's marketplaces, so
 *   getListingsItem and getInventorySummaries show what the feed did.
 * - XML feeds (feed-xml.ts) and flat files (feed-flat-file.ts): DONE with the XML ProcessingReport
 *   or the flat-file summary; the order feeds check the order ids against the emulator's orders.
 *   Document uploads (UPLOAD_VAT_INVOICE, POST_EASYSHIP_DOCUMENTS) are DONE with an XML report of
 *   one successful message.
 * - FATAL without a report: the twelve retired XML/flat-file listings types (feed-types.ts), a
 *   document larger than the emulator keeps (KEPT_UPLOAD_BYTES), and the feed-fatal fault.
 * Next to the created feeds, a seeded history of finished feeds gives getFeeds pages to turn.
 */

export interface StoredFeed {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  createdTime: number;
  status: ProcessingStatus;
  /** getFeed calls so far; drives created feeds when feeds.pollsToDone applies. */
  polls: number;
  processingStartTime?: number;
  processingEndTime?: number;
  resultFeedDocumentId?: string;
  /** The region whose host serves the feed and whose id its documents carry. */
  region: RegionCode;
  sellerId: string;
  inputFeedDocumentId: string;
  feedOptions: Record<string, string>;
  /** Set at creation when the feed must end FATAL whatever it holds (a retired type, the feed-fatal fault). */
  fatalReason?: string;
}

/** What createFeed accepted, already validated. */
export interface FeedRequest {
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  feedOptions: Record<string, string>;
  region: RegionCode;
  sellerId: string;
  /** The feed-fatal fault picked this feed. */
  faulted: boolean;
}

interface ProcessingResult {
  status: 'DONE' | 'FATAL';
  report?: { text: string; contentType: string };
}

const REPORT_CONTENT_TYPES: Record<FeedFormat, string> = {
  'json-listings': 'application/json',
  xml: 'text/xml; charset=UTF-8',
  'flat-file': 'text/plain; charset=UTF-8',
  document: 'text/xml; charset=UTF-8',
};
const SEEDED_FEED_TYPES = ['JSON_LISTINGS_FEED', 'POST_ORDER_FULFILLMENT_DATA', 'POST_ORDER_ACKNOWLEDGEMENT_DATA'] as const;

export class FeedStore {
  private readonly feeds: StoredFeed[] = [];
  private readonly byId = new Map<string, StoredFeed>();
  private readonly byDocument = new Map<string, StoredFeed>();
  private nextId: number;

  constructor(
    private readonly options: { seed: number; feeds: ResolvedFeedsOptions },
    anchor: number,
    private readonly orders: OrderBook,
    private readonly documents: DocumentStore,
    private readonly uploads: FeedDocuments,
    private readonly products: ProductStore,
    sellerId: string,
  ) {
    const random = new SeededRandom(options.seed ^ 0xfeed);
    // Feed ids look like Amazon's: eleven or twelve digits.
    this.nextId = 50_000_000_000 + random.int(0, 999_999) * 1000;
    for (let i = 0; i < 15; i += 1) {
      const createdTime = anchor - random.int(1, 89 * 24) * 3_600_000;
      const status = random.weighted({ DONE: 12, CANCELLED: 2, FATAL: 1 });
      const feedType = random.pick(SEEDED_FEED_TYPES);
      const feed = this.add({ feedType, marketplaceIds: ['ATVPDKIKX0DER'], inputFeedDocumentId: '', feedOptions: {}, region: 'na', sellerId, faulted: false }, createdTime);
      if (status === 'CANCELLED') {
        feed.status = 'CANCELLED';
        continue;
      }
      feed.processingStartTime = createdTime + 60_000;
      const end = createdTime + 5 * 60_000;
      const messages = random.int(1, 40);
      this.finishWith(feed, end, status === 'FATAL' ? { status } : { status, report: this.seededReport(feed, messages) });
    }
  }

  /** Registers a created feed (IN_QUEUE). */
  create(request: FeedRequest, now: number): StoredFeed {
    const feed = this.add(request, now);
    const info = feedTypeInfo(request.feedType);
    if (request.faulted) feed.fatalReason = 'the feed-fatal fault';
    else if (info.known && info.retired) feed.fatalReason = `${request.feedType} is no longer supported (use JSON_LISTINGS_FEED)`;
    return feed;
  }

  find(feedId: string): StoredFeed | undefined {
    return this.byId.get(feedId);
  }

  findByDocument(documentId: string): StoredFeed | undefined {
    return this.byDocument.get(documentId);
  }

  all(): readonly StoredFeed[] {
    return this.feeds;
  }

  /** Brings a feed's status up to date with the clock; `poll` counts one getFeed. */
  advance(feed: StoredFeed, now: number, poll: boolean): void {
    if (advanceProcessing(feed, this.options.feeds, now, poll)) this.finishWith(feed, now, this.process(feed, now));
  }

  /** cancelFeed: only an IN_QUEUE feed can be cancelled (the model's cancelFeed text). */
  cancel(feed: StoredFeed, now: number): boolean {
    this.advance(feed, now, false);
    if (feed.status !== 'IN_QUEUE') return false;
    feed.status = 'CANCELLED';
    return true;
  }

  private add(request: FeedRequest, createdTime: number): StoredFeed {
    this.nextId += 1;
    const feed: StoredFeed = {
      feedId: String(this.nextId),
      feedType: request.feedType,
      marketplaceIds: request.marketplaceIds,
      createdTime,
      status: 'IN_QUEUE',
      polls: 0,
      region: request.region,
      sellerId: request.sellerId,
      inputFeedDocumentId: request.inputFeedDocumentId,
      feedOptions: request.feedOptions,
    };
    this.feeds.push(feed);
    this.byId.set(feed.feedId, feed);
    return feed;
  }

  /** Processes the feed's document now (feeds are processed as they finish). */
  private process(feed: StoredFeed, now: number): ProcessingResult {
    if (feed.fatalReason !== undefined) return { status: 'FATAL' };
    const info = feedTypeInfo(feed.feedType);
    const input = this.uploads.find(feed.inputFeedDocumentId);
    const content = input ? this.uploads.content(input) : undefined;
    // createFeed checked both; a document too large to keep cannot be processed.
    if (!info.known || info.retired || !content || !content.kept) {
      feed.fatalReason = content && !content.kept ? `the document has ${content.size} bytes; the emulator processes up to ${KEPT_UPLOAD_BYTES}` : 'the document is gone';
      return { status: 'FATAL' };
    }
    const contentType = REPORT_CONTENT_TYPES[info.format];
    const lookup = (orderId: string) => this.orders.find(orderId, feed.region);
    switch (info.format) {
      case 'json-listings': {
        const skus = this.products.feedBook(feed.sellerId, feed.marketplaceIds, now);
        const outcome = processListingsFeed(content.bytes, { feedId: feed.feedId, sellerId: feed.sellerId, skus });
        return { status: outcome.fatal ? 'FATAL' : 'DONE', report: { text: JSON.stringify(outcome.report), contentType } };
      }
      case 'xml':
        return { status: 'DONE', report: { text: processXmlFeed(content.bytes, { feedId: feed.feedId, sellerId: feed.sellerId, orders: lookup }), contentType } };
      case 'flat-file':
        return { status: 'DONE', report: { text: processFlatFileFeed(content.bytes, { feedType: feed.feedType, orders: lookup }), contentType } };
      case 'document':
        return { status: 'DONE', report: { text: this.acceptedXmlReport(feed, 1), contentType } };
    }
  }

  private finishWith(feed: StoredFeed, now: number, result: ProcessingResult): void {
    feed.status = result.status;
    feed.processingStartTime ??= now;
    feed.processingEndTime = now;
    const { report } = result;
    if (!report) return;
    const documentId = tortugaId(`${this.options.seed}\nfeed result\n${feed.feedId}`, feed.region);
    feed.resultFeedDocumentId = documentId;
    this.byDocument.set(documentId, feed);
    const bytes = Buffer.from(report.text, 'utf8');
    this.documents.put(documentId, {
      fingerprint: `${documentId}\n${createHash('sha256').update(bytes).digest('hex')}`,
      lastModified: now,
      contentType: report.contentType,
      compression: 'none',
      contentEncoding: 'on-request',
      open: () => new BufferBody(bytes),
    });
  }

  /** The report of a seeded feed whose messages were all accepted. */
  private seededReport(feed: StoredFeed, messages: number): { text: string; contentType: string } {
    if (feed.feedType === 'JSON_LISTINGS_FEED') {
      return { text: JSON.stringify(listingsReport(feed, [], messages, 0)), contentType: REPORT_CONTENT_TYPES['json-listings'] };
    }
    return { text: this.acceptedXmlReport(feed, messages), contentType: REPORT_CONTENT_TYPES.xml };
  }

  /** An XML ProcessingReport of `messages` messages, all successful. */
  private acceptedXmlReport(feed: StoredFeed, messages: number): string {
    const envelope = `<AmazonEnvelope>${Array.from({ length: messages }, (_, i) => `<Message><MessageID>${i + 1}</MessageID></Message>`).join('')}</AmazonEnvelope>`;
    return processXmlFeed(Buffer.from(envelope), { feedId: feed.feedId, sellerId: feed.sellerId, orders: () => undefined });
  }
}
