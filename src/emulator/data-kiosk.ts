import { createHash } from 'node:crypto';
import { parseKioskQuery } from './data-kiosk-query.js';
import type { StoredQuery } from './data-kiosk-store.js';
import type { CallContext, HandlerTable } from './handler.js';
import { PROCESSING_STATUSES } from './processing-lifecycle.js';
import type { ProcessingStatus } from './processing-lifecycle.js';
import { dateParam, intParam, iso, listParam } from './query.js';
import { checkRegionMarketplaces } from './regional-hosts.js';
import { ErrorReply, invalidInput } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Data Kiosk API 2023-11-15 handlers (spapi-facts §11): createQuery validates like Amazon and
 * answers 202 {queryId}; the lifecycle, outcomes and documents are in data-kiosk-store.ts. The
 * error wordings that Amazon's sandbox examples show are used as they are.
 */

const DAY_MS = 86_400_000;
// getQueries' createdSince defaults to 90 days ago (the model).
const LIST_WINDOW_MS = 90 * DAY_MS;
const PAGE_OP = 'dataKiosk_2023-11-15.resultPage';

const QUERY_ID = /^\d{1,20}$/;
const DOCUMENT_ID = /^amzn1\.tortuga\.4\.(?:na|eu|fe)\.[0-9a-f-]{36}\.[A-Z0-9]+$/;

/** What a result-page token remembers of its query: equal for the same query, whatever its spacing. */
function queryHash(normalized: string): string {
  return createHash('sha256').update(normalized).digest('base64url').slice(0, 22);
}

function renderQuery(ctx: CallContext, query: StoredQuery): Record<string, unknown> {
  // Each host seals its own tokens, as for every other paginated answer.
  const nextToken = query.nextPage === undefined ? undefined : ctx.state.pageTokens.seal({ op: PAGE_OP, q: queryHash(query.parsed.normalized), page: query.nextPage }, ctx.region);
  return {
    queryId: query.queryId,
    query: query.query,
    createdTime: iso(query.createdTime),
    processingStatus: query.status,
    ...(query.processingStartTime !== undefined ? { processingStartTime: iso(query.processingStartTime) } : {}),
    ...(query.processingEndTime !== undefined ? { processingEndTime: iso(query.processingEndTime) } : {}),
    ...(query.dataDocumentId !== undefined ? { dataDocumentId: query.dataDocumentId } : {}),
    ...(query.errorDocumentId !== undefined ? { errorDocumentId: query.errorDocumentId } : {}),
    ...(nextToken !== undefined ? { pagination: { nextToken } } : {}),
  };
}

function createQuery(ctx: CallContext): Reply {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object.');
  const { query, paginationToken } = body as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') throw invalidInput('query is required and must be a GraphQL query string.');
  if (paginationToken !== undefined && (typeof paginationToken !== 'string' || paginationToken === '')) throw invalidInput('paginationToken must be a non-empty string.');
  const parsed = parseKioskQuery(query);
  const marketplaceIds = parsed.args['marketplaceIds'];
  if (Array.isArray(marketplaceIds)) checkRegionMarketplaces(marketplaceIds as string[], ctx.region, 'marketplaceIds');
  let page = 0;
  if (paginationToken !== undefined) {
    const sealed = ctx.state.pageTokens.open(paginationToken, ctx.region) as { op?: unknown; q?: unknown; page?: unknown } | undefined;
    if (sealed?.op !== PAGE_OP || typeof sealed.page !== 'number') throw invalidInput('The provided paginationToken is invalid.');
    // The model: the next page takes the query of the Query object the token came from.
    if (sealed.q !== queryHash(parsed.normalized)) throw invalidInput('The provided paginationToken is invalid.', 'The paginationToken belongs to another query; send the query it came with.');
    page = sealed.page;
  }
  const created = ctx.state.dataKiosk.create(query, parsed, page, ctx.region, ctx.now);
  return { status: 202, body: { queryId: created.queryId } };
}

/** A regional host knows only its region's queries; the root knows every query. */
function findQuery(ctx: CallContext): StoredQuery {
  const queryId = ctx.pathParams['queryId'] ?? '';
  // The sandbox's answers for a malformed and an unknown id.
  if (!QUERY_ID.test(queryId)) throw new ErrorReply(400, 'InvalidInput', 'Invalid input', 'Invalid input');
  const query = ctx.state.dataKiosk.find(queryId);
  if (!query || (ctx.region !== undefined && query.region !== ctx.region)) throw new ErrorReply(404, 'NotFound', 'The provided queryId was not found.');
  return query;
}

function getQuery(ctx: CallContext): Reply {
  const query = findQuery(ctx);
  ctx.state.dataKiosk.advance(query, ctx.now, true);
  return { status: 200, body: renderQuery(ctx, query) };
}

function cancelQuery(ctx: CallContext): Reply {
  const query = findQuery(ctx);
  if (!ctx.state.dataKiosk.cancel(query, ctx.now)) {
    throw invalidInput(`Only queries with a non-terminal processingStatus (IN_QUEUE, IN_PROGRESS) can be cancelled; this one is ${query.status}.`);
  }
  return { status: 204 };
}

function getDocument(ctx: CallContext): Reply {
  const documentId = ctx.pathParams['documentId'] ?? '';
  if (!DOCUMENT_ID.test(documentId)) throw new ErrorReply(400, 'InvalidInput', 'Invalid input', 'Invalid input');
  const query = ctx.state.dataKiosk.findByDocument(documentId);
  if (!query || (ctx.region !== undefined && query.region !== ctx.region)) throw new ErrorReply(404, 'NotFound', 'The provided documentId was not found.');
  return { status: 200, body: { documentId, documentUrl: ctx.state.documents.url(ctx.documentsBaseUrl, documentId, ctx.now, false) } };
}

/** What a getQueries paginationToken carries: the filters as given, and where the next page starts. */
interface QueriesPage {
  statuses: string | null;
  since: string | null;
  until: string | null;
  /** createdUntil as resolved on the first page (it defaults to that request's time). */
  untilAt: number;
  offset: number;
}

function getQueries(ctx: CallContext): Reply {
  const { query: params, now } = ctx;
  const statuses = statusesParam(params);
  const since = dateParam(params, 'createdSince') ?? now - LIST_WINDOW_MS;
  let until = dateParam(params, 'createdUntil') ?? now;
  if (until < since) throw invalidInput('createdUntil must be after createdSince.');
  const pageSize = intParam(params, 'pageSize', 1, 100, 10);
  const given = { statuses: params.get('processingStatuses'), since: params.get('createdSince'), until: params.get('createdUntil') };
  let offset = 0;
  const token = params.get('paginationToken');
  if (token !== null) {
    const sealed = ctx.state.pageTokens.open(token, ctx.region) as { op?: unknown; p?: QueriesPage } | undefined;
    if (sealed?.op !== ctx.qualified || !sealed.p) throw invalidInput('The provided paginationToken is invalid.');
    // The model: every other parameter as on the first page, pageSize excepted.
    if (sealed.p.statuses !== given.statuses || sealed.p.since !== given.since || sealed.p.until !== given.until) {
      throw invalidInput('The provided paginationToken is invalid.', 'Send the same processingStatuses, createdSince and createdUntil as the request the token came from.');
    }
    offset = sealed.p.offset;
    until = sealed.p.untilAt;
  }
  const store = ctx.state.dataKiosk;
  const matching = store
    .all()
    .filter((query) => {
      if (ctx.region !== undefined && query.region !== ctx.region) return false;
      if (query.createdTime < since || query.createdTime > until) return false;
      // Time-driven queries may have moved on since they were last polled.
      store.advance(query, now, false);
      return !statuses || statuses.includes(query.status);
    })
    .sort((a, b) => b.createdTime - a.createdTime || b.queryId.localeCompare(a.queryId));
  const end = offset + pageSize;
  const page: QueriesPage = { ...given, untilAt: until, offset: end };
  const nextToken = end < matching.length ? ctx.state.pageTokens.seal({ op: ctx.qualified, p: page }, ctx.region) : undefined;
  return {
    status: 200,
    body: { queries: matching.slice(offset, end).map((query) => renderQuery(ctx, query)), ...(nextToken !== undefined ? { pagination: { nextToken } } : {}) },
  };
}

/** processingStatuses, refused with the wording of Amazon's sandbox example. */
function statusesParam(params: URLSearchParams): ProcessingStatus[] | undefined {
  const values = listParam(params, 'processingStatuses');
  if (!values) return undefined;
  if (values.every((value) => (PROCESSING_STATUSES as readonly string[]).includes(value))) return values as ProcessingStatus[];
  throw invalidInput(
    `1 validation error detected: Value '[${values.join(', ')}]' at 'processingStatuses' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [DONE, FATAL, IN_PROGRESS, CANCELLED, IN_QUEUE]]`,
  );
}

export const dataKioskHandlers: HandlerTable = {
  'dataKiosk_2023-11-15.createQuery': createQuery,
  'dataKiosk_2023-11-15.getQueries': getQueries,
  'dataKiosk_2023-11-15.getQuery': getQuery,
  'dataKiosk_2023-11-15.cancelQuery': cancelQuery,
  'dataKiosk_2023-11-15.getDocument': getDocument,
};
