import { createHash } from 'node:crypto';
import { MARKETPLACES as AMAZON_MARKETPLACES } from '../core/regions.js';
import type { CallContext } from './handler.js';
import { enumListParam, listParam } from './query.js';
import { checkRegionMarketplaces } from './regional-hosts.js';
import { ErrorReply, invalidInput, UNAUTHORIZED_MESSAGE } from './replies.js';

/*
 * Request readers the product-side APIs (listings, inventory, catalog, pricing) share: the seller
 * in the path, marketplace lists, includedData, and sealed page tokens.
 */

const KNOWN_MARKETPLACES: ReadonlySet<string> = new Set(AMAZON_MARKETPLACES.map((m) => m.id));

/** The path's sellerId must be the selling partner the access token was issued for. */
export function pathSeller(ctx: CallContext): string {
  const sellerId = ctx.pathParams['sellerId'] ?? '';
  if (sellerId !== ctx.caller.sellingPartnerId) {
    throw new ErrorReply(403, 'Unauthorized', UNAUTHORIZED_MESSAGE, `The sellerId ${sellerId} is not the selling partner this access token was issued for.`);
  }
  return sellerId;
}

/** A required list of Amazon marketplace ids of this host's region, at most `max`. */
export function marketplacesParam(ctx: CallContext, name: string, max = Infinity): string[] {
  const ids = listParam(ctx.query, name);
  if (!ids) throw invalidInput(`Missing required parameter: ${name}.`);
  if (ids.length > max) throw invalidInput(`${name} accepts at most ${max} value${max === 1 ? '' : 's'}; got ${ids.length}.`);
  const unknown = ids.filter((id) => !KNOWN_MARKETPLACES.has(id));
  if (unknown.length > 0) throw invalidInput(`Invalid ${name}: ${unknown.join(', ')}.`);
  checkRegionMarketplaces(ids, ctx.region, name);
  return [...new Set(ids)];
}

/** A required single marketplace id (the pricing v0 MarketplaceId, granularityId). */
export function marketplaceParam(ctx: CallContext, name: string): string {
  const [id] = marketplacesParam(ctx, name, 1);
  return id ?? '';
}

/** includedData: the allowed values, or `fallback` when the parameter is absent. */
export function includedDataParam<T extends string>(ctx: CallContext, allowed: readonly T[], fallback: readonly T[]): ReadonlySet<T> {
  return new Set(enumListParam(ctx.query, 'includedData', allowed) ?? fallback);
}

/** An enum parameter with one value. */
export function enumParam<T extends string>(ctx: CallContext, name: string, allowed: readonly T[], required: boolean): T | undefined {
  const value = ctx.query.get(name);
  if (value === null || value === '') {
    if (required) throw invalidInput(`Missing required parameter: ${name}.`);
    return undefined;
  }
  if (!(allowed as readonly string[]).includes(value)) throw invalidInput(`Invalid value for ${name}: ${value}. Allowed: ${allowed.join(', ')}.`);
  return value as T;
}

/** A page token this operation sealed on this host, or 400. */
/** The query a page token carries; `parameter` words the refusal as that API does (`Invalid NextToken.`). */
export function openPageToken<T>(ctx: CallContext, token: string, parameter?: string): T {
  const sealed = ctx.state.pageTokens.open(token, ctx.region) as { op?: unknown; q?: T } | undefined;
  if (sealed?.op !== ctx.qualified || sealed.q === undefined) throw invalidInput(parameter ? `Invalid ${parameter}.` : `Invalid page token: ${token.slice(0, 40)}`);
  return sealed.q;
}

export function sealPageToken(ctx: CallContext, q: unknown): string {
  return ctx.state.pageTokens.seal({ op: ctx.qualified, q }, ctx.region);
}

/**
 * One page of a search paged by `pageToken` (Listings Items and Catalog Items search): a token
 * belongs to the search of the first page, so it must come with the same parameters (`query`,
 * digested into the token); the page's bounds and its `pagination` (nextToken, previousToken).
 */
export function searchPage(ctx: CallContext, query: unknown, pageSize: number, total: number): { offset: number; end: number; pagination: { nextToken?: string; previousToken?: string } | undefined } {
  // A digest, not the query itself, keeps tokens short.
  const key = createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
  let offset = 0;
  const token = ctx.query.get('pageToken');
  if (token !== null) {
    const sealed = openPageToken<{ key: string; offset: number }>(ctx, token);
    if (sealed.key !== key) throw invalidInput('The pageToken belongs to a search with other parameters; send the same parameters with it.');
    offset = sealed.offset;
  }
  const end = offset + pageSize;
  const pagination = {
    ...(end < total ? { nextToken: sealPageToken(ctx, { key, offset: end }) } : {}),
    ...(offset > 0 ? { previousToken: sealPageToken(ctx, { key, offset: Math.max(0, offset - pageSize) }) } : {}),
  };
  return { offset, end, pagination: Object.keys(pagination).length > 0 ? pagination : undefined };
}

/** The request body as an object, or 400. */
export function bodyObject(ctx: CallContext): Record<string, unknown> {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** 400 when the body does not fit the operation's schema, naming the first problems. */
export function checkBody(ctx: CallContext): Record<string, unknown> {
  const body = bodyObject(ctx);
  const problems = ctx.state.products.validator.body(ctx.qualified, body) ?? [];
  if (problems.length > 0) {
    throw invalidInput('The request body is invalid.', problems.slice(0, 5).map((p) => `${p.path || '(body)'}: ${p.message}`).join('; '));
  }
  return body;
}
