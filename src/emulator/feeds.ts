import { MARKETPLACES as AMAZON_MARKETPLACES } from '../core/regions.js';
import { feedTypeInfo } from './feed-types.js';
import type { StoredFeed } from './feed-store.js';
import type { CallContext, HandlerTable } from './handler.js';
import { PROCESSING_STATUSES } from './processing-lifecycle.js';
import { dateParam, enumListParam, intParam, iso, listParam, otherParams } from './query.js';
import { checkRegionMarketplaces, inRegion, regionOfMarketplace } from './regional-hosts.js';
import { ErrorReply, invalidInput, notFound, QUOTA_EXCEEDED_MESSAGE } from './replies.js';
import type { Reply } from './replies.js';
import { listJobs, servedHere } from './processing-listing.js';

/*
 * Feeds API 2021-06-30 handlers (spapi-facts §10). The lifecycle and processing are in
 * feed-store.ts, the uploads (PUT on the documents origin) in feed-uploads.ts; this file
 * validates requests like Amazon and renders the model's shapes.
 */

const DAY_MS = 86_400_000;
// Feeds are kept 90 days; getFeeds' createdSince defaults to that (model text).
// createFeed accepts a feed document for two days after createFeedDocument (the use case guide).
const DOCUMENT_LIFETIME_MS = 2 * DAY_MS;
// The model's CreateFeedSpecification.marketplaceIds bounds.
const MAX_CREATE_MARKETPLACES = 25;
const KNOWN_MARKETPLACES = new Set(AMAZON_MARKETPLACES.map((m) => m.id));
// JSON_LISTINGS_FEED has a limit of its own on top of createFeed's usage plan: five submissions per
// five minutes per region (changelog 2025-05-06, "Feed size and rate limit changes"). Scaled like
// every rate by rateScale.
const LISTINGS_FEED_PLAN = { rate: 5 / 300, burst: 5 };

function renderFeed(feed: StoredFeed): Record<string, unknown> {
  return {
    feedId: feed.feedId,
    feedType: feed.feedType,
    marketplaceIds: feed.marketplaceIds,
    createdTime: iso(feed.createdTime),
    processingStatus: feed.status,
    ...(feed.processingStartTime !== undefined ? { processingStartTime: iso(feed.processingStartTime) } : {}),
    ...(feed.processingEndTime !== undefined ? { processingEndTime: iso(feed.processingEndTime) } : {}),
    ...(feed.resultFeedDocumentId !== undefined ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
  };
}

function bodyObject(ctx: CallContext): Record<string, unknown> {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function createFeedDocument(ctx: CallContext): Reply {
  const { contentType } = bodyObject(ctx);
  if (typeof contentType !== 'string' || contentType.trim() === '') throw invalidInput('contentType is required: the Content-Type the upload will be sent with.');
  const document = ctx.state.feedDocuments.create(contentType, ctx.region ?? 'na', ctx.now);
  const url = ctx.state.feedDocuments.uploadUrl(ctx.documentsBaseUrl, document, ctx.now);
  return { status: 201, body: { feedDocumentId: document.feedDocumentId, url } };
}

function createFeed(ctx: CallContext): Reply {
  const spec = bodyObject(ctx);
  const { feedType, marketplaceIds, inputFeedDocumentId, feedOptions } = spec;
  if (typeof feedType !== 'string' || feedType === '') throw invalidInput('feedType is required.');
  if (!feedTypeInfo(feedType).known) throw invalidInput(`Invalid feed type: ${feedType}.`);
  if (!Array.isArray(marketplaceIds) || marketplaceIds.length === 0 || !marketplaceIds.every((id) => typeof id === 'string')) {
    throw invalidInput('marketplaceIds must be a non-empty list of marketplace ids.');
  }
  if (marketplaceIds.length > MAX_CREATE_MARKETPLACES) throw invalidInput(`marketplaceIds accepts at most ${MAX_CREATE_MARKETPLACES} values.`);
  const unknown = (marketplaceIds as string[]).filter((id) => !KNOWN_MARKETPLACES.has(id));
  if (unknown.length > 0) throw invalidInput(`Invalid marketplaceIds: ${unknown.join(', ')}.`);
  checkRegionMarketplaces(marketplaceIds as string[], ctx.region, 'marketplaceIds');
  if (typeof inputFeedDocumentId !== 'string' || inputFeedDocumentId === '') throw invalidInput('inputFeedDocumentId is required.');
  const document = ctx.state.feedDocuments.find(inputFeedDocumentId);
  if (!document) throw invalidInput(`Invalid inputFeedDocumentId: ${inputFeedDocumentId} is not a feed document of this selling partner.`);
  if (ctx.now - document.createdTime > DOCUMENT_LIFETIME_MS) throw invalidInput(`The feed document ${inputFeedDocumentId} has expired: createFeed accepts a document for two days.`);
  if (document.uploads === 0) {
    throw invalidInput(`The feed document ${inputFeedDocumentId} has no content: upload it (PUT to the url from createFeedDocument) before calling createFeed.`);
  }
  if (feedOptions !== undefined && !isStringMap(feedOptions)) throw invalidInput('feedOptions must be an object of string values.');
  if (feedType === 'JSON_LISTINGS_FEED') takeListingsFeedQuota(ctx);
  const ids = [...new Set(marketplaceIds as string[])];
  const feed = ctx.state.feeds.create(
    {
      feedType,
      marketplaceIds: ids,
      inputFeedDocumentId,
      feedOptions: feedOptions ?? {},
      region: ctx.region ?? regionOfMarketplace(ids[0] ?? '') ?? 'na',
      sellerId: ctx.caller.sellingPartnerId,
      faulted: ctx.state.faults.onFeedCreated(),
    },
    ctx.now,
  );
  return { status: 202, body: { feedId: feed.feedId } };
}

/** The JSON_LISTINGS_FEED submission limit: 429 QuotaExceeded when this region's five are used. */
function takeListingsFeedQuota(ctx: CallContext): void {
  const { caller, state } = ctx;
  const plan = { rate: LISTINGS_FEED_PLAN.rate * state.options.rateScale, burst: LISTINGS_FEED_PLAN.burst };
  const bucket = `${caller.clientId}\n${caller.sellingPartnerId}\n${ctx.region ?? 'root'}\n${ctx.qualified}#JSON_LISTINGS_FEED`;
  if (state.buckets.take(bucket, plan, ctx.now)) return;
  state.stats.throttled(ctx.qualified);
  throw new ErrorReply(429, 'QuotaExceeded', QUOTA_EXCEEDED_MESSAGE);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}


function findFeed(ctx: CallContext): StoredFeed {
  const feedId = ctx.pathParams['feedId'] ?? '';
  const feed = ctx.state.feeds.find(feedId);
  if (!feed || !servedHere(ctx, feed)) throw notFound(`Feed ${feedId} was not found.`);
  return feed;
}

function getFeed(ctx: CallContext): Reply {
  const feed = findFeed(ctx);
  ctx.state.feeds.advance(feed, ctx.now, true);
  return { status: 200, body: renderFeed(feed) };
}

function cancelFeed(ctx: CallContext): Reply {
  const feed = findFeed(ctx);
  if (!ctx.state.feeds.cancel(feed, ctx.now)) throw invalidInput(`Only IN_QUEUE feeds can be cancelled; this one is ${feed.status}.`);
  return { status: 200 };
}

function getFeeds(ctx: CallContext): Reply {
  const store = ctx.state.feeds;
  return listJobs(ctx, {
    typesParam: 'feedTypes',
    listKey: 'feeds',
    jobs: store.all(),
    typeOf: (job) => job.feedType,
    idOf: (job) => job.feedId,
    advance: (job) => store.advance(job, ctx.now, false),
    render: renderFeed,
  });
}


function getFeedDocument(ctx: CallContext): Reply {
  const documentId = ctx.pathParams['feedDocumentId'] ?? '';
  const feed = ctx.state.feeds.findByDocument(documentId);
  // Result documents only: the emulator does not hand out download URLs for uploaded feeds.
  if (!feed || !servedHere(ctx, feed) || !ctx.state.documents.has(documentId)) throw notFound(`Feed document ${documentId} was not found.`);
  const flag = ctx.query.get('enableContentEncodingUrlHeader');
  if (flag !== null && flag !== 'true' && flag !== 'false') throw invalidInput(`enableContentEncodingUrlHeader must be true or false; got "${flag}".`);
  const url = ctx.state.documents.url(ctx.documentsBaseUrl, documentId, ctx.now, flag === 'true');
  const compressed = ctx.state.documents.compressionOf(documentId) === 'gzip';
  return { status: 200, body: { feedDocumentId: documentId, url, ...(compressed ? { compressionAlgorithm: 'GZIP' } : {}) } };
}

export const feedsHandlers: HandlerTable = {
  'feeds_2021-06-30.getFeeds': getFeeds,
  'feeds_2021-06-30.createFeed': createFeed,
  'feeds_2021-06-30.getFeed': getFeed,
  'feeds_2021-06-30.cancelFeed': cancelFeed,
  'feeds_2021-06-30.createFeedDocument': createFeedDocument,
  'feeds_2021-06-30.getFeedDocument': getFeedDocument,
};
