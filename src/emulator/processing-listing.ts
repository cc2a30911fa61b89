/**
 * getReports and getFeeds: the same query (1–10 types or a nextToken sent alone, processing
 * statuses, marketplaces of the region, a creation window within the 90 days Amazon keeps, page
 * sizes 1–100) over the same kind of stored job, newest first, in pages sealed into nextTokens.
 */
import type { CallContext } from './handler.js';
import { PROCESSING_STATUSES } from './processing-lifecycle.js';
import { dateParam, enumListParam, intParam, listParam, otherParams } from './query.js';
import { checkRegionMarketplaces, inRegion } from './regional-hosts.js';
import { invalidInput } from './replies.js';
import type { Reply } from './replies.js';

const DAY_MS = 86_400_000;
/** Both APIs keep their jobs 90 days. */
export const RETENTION_MS = 90 * DAY_MS;

/** What a nextToken carries. */
interface ListingQuery {
  types: string[];
  statuses?: string[];
  marketplaceIds?: string[];
  since: number;
  until: number;
  pageSize: number;
  offset: number;
}

interface Job {
  createdTime: number;
  marketplaceIds: string[];
  status: string;
}

/** A regional host knows only the jobs of its own marketplaces; the root knows every job. */
export function servedHere(ctx: CallContext, job: Pick<Job, 'marketplaceIds'>): boolean {
  return job.marketplaceIds.every((id) => inRegion(id, ctx.region));
}

export interface ListingSpec<T extends Job> {
  /** The query parameter of the types: reportTypes, feedTypes. */
  typesParam: string;
  /** The body key of the list: reports, feeds. */
  listKey: string;
  jobs: readonly T[];
  typeOf(job: T): string;
  idOf(job: T): string;
  /** Time-driven jobs may have moved on since they were last polled. */
  advance(job: T): void;
  render(job: T): unknown;
}

function parseQuery(ctx: CallContext, typesParam: string): ListingQuery {
  const { query, now } = ctx;
  const types = listParam(query, typesParam);
  if (!types) throw invalidInput(`Either ${typesParam} or nextToken is required.`);
  if (types.length > 10) throw invalidInput(`${typesParam} accepts at most 10 values.`);
  const marketplaceIds = listParam(query, 'marketplaceIds');
  if (marketplaceIds && marketplaceIds.length > 10) throw invalidInput('marketplaceIds accepts at most 10 values.');
  if (marketplaceIds) checkRegionMarketplaces(marketplaceIds, ctx.region, 'marketplaceIds');
  const statuses = enumListParam(query, 'processingStatuses', PROCESSING_STATUSES);
  const since = dateParam(query, 'createdSince') ?? now - RETENTION_MS;
  const until = dateParam(query, 'createdUntil') ?? now;
  if (until < since) throw invalidInput('createdUntil must be after createdSince.');
  return {
    types,
    ...(statuses ? { statuses } : {}),
    ...(marketplaceIds ? { marketplaceIds } : {}),
    since,
    until,
    pageSize: intParam(query, 'pageSize', 1, 100, 10),
    offset: 0,
  };
}

export function listJobs<T extends Job>(ctx: CallContext, spec: ListingSpec<T>): Reply {
  const token = ctx.query.get('nextToken');
  let q: ListingQuery;
  if (token !== null) {
    // The model: "Specifying nextToken with any other parameters will cause the request to fail."
    const others = otherParams(ctx.query, 'nextToken');
    if (others.length > 0) throw invalidInput(`nextToken must be the only parameter; also got ${others.join(', ')}.`);
    const sealed = ctx.state.pageTokens.open(token, ctx.region) as { op?: unknown; q?: ListingQuery } | undefined;
    if (sealed?.op !== ctx.qualified || !sealed.q) throw invalidInput('Invalid nextToken.');
    q = sealed.q;
  } else {
    q = parseQuery(ctx, spec.typesParam);
  }
  const matching = spec.jobs
    .filter((job) => {
      if (!servedHere(ctx, job)) return false;
      if (!q.types.includes(spec.typeOf(job)) || job.createdTime < q.since || job.createdTime > q.until) return false;
      if (q.marketplaceIds && !job.marketplaceIds.some((id) => q.marketplaceIds?.includes(id))) return false;
      spec.advance(job);
      return !q.statuses || q.statuses.includes(job.status);
    })
    .sort((a, b) => b.createdTime - a.createdTime || spec.idOf(b).localeCompare(spec.idOf(a)));
  const end = q.offset + q.pageSize;
  const next = end < matching.length ? ctx.state.pageTokens.seal({ op: ctx.qualified, q: { ...q, offset: end } }, ctx.region) : undefined;
  return { status: 200, body: { [spec.listKey]: matching.slice(q.offset, end).map((job) => spec.render(job)), ...(next !== undefined ? { nextToken: next } : {}) } };
}
