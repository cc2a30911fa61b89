import type { OperationSpec, PaginationSpec } from '../core/catalog/types.js';
import type { CallContext } from './handler.js';
import { otherParams } from './query.js';
import { invalidInput } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Every paginated operation without a stateful handler answers `pages` synthetic pages, so a client
 * can be tested against each token style of the catalog (spapi-facts §1.4) on a real server.
 *
 * What a client sees, for a token at `spec.pagination.response` = P:
 * - the next token at exactly P (e.g. `payload.pagination.nextToken`) on every page but the last;
 *   the last page has no token at all;
 * - the page's items in an array called `items`, in the object that holds the token, or beside the
 *   `pagination` object when the token sits in one:
 *     nextToken                       -> { items, nextToken }
 *     payload.NextToken               -> { payload: { items, NextToken } }
 *     pagination.nextToken            -> { items, pagination: { nextToken } }
 *     payload.pagination.nextToken    -> { payload: { items, pagination: { nextToken } } }
 * - each item is { id: "<model>.<operationId>#<page>.<index>", page, index } (1-based page), two
 *   per page, so merged pages can be checked for order, gaps and duplicates.
 *
 * Requests are checked like Amazon's: an unknown or foreign token is 400 InvalidInput, tokenAlone
 * operations refuse any other query parameter next to the token, and required parameters must be
 * sent on every page except a tokenAlone follow-up.
 */

export const SYNTHETIC_ITEMS_PER_PAGE = 2;

/** True when the operation pages and its token has a place in the response. */
export function hasSyntheticPagination(op: OperationSpec): op is OperationSpec & { pagination: PaginationSpec } {
  return op.pagination !== null && op.pagination.response !== '';
}

/** Where the items array goes for a token path; exported for tests. */
export function syntheticItemsPath(responsePath: string): string[] {
  const container = responsePath.split('.').slice(0, -1);
  if (container.at(-1) === 'pagination') container.pop();
  return [...container, 'items'];
}

export function syntheticPage(ctx: CallContext, pagination: PaginationSpec): Reply {
  const token = readToken(ctx, pagination);
  let page = 1;
  if (token !== undefined) {
    if (pagination.tokenAlone) {
      const others = pagination.in === 'query' ? otherParams(ctx.query, pagination.request) : [];
      if (others.length > 0) throw invalidInput(`${pagination.request} must be the only parameter; also got ${others.join(', ')}.`);
    }
    const sealed = ctx.state.pageTokens.open(token, ctx.region) as { op?: unknown; page?: unknown } | undefined;
    if (sealed?.op !== ctx.qualified || typeof sealed.page !== 'number') throw invalidInput(`Invalid ${pagination.request}.`);
    page = sealed.page;
  }
  if (!(token !== undefined && pagination.tokenAlone)) checkRequired(ctx, pagination);

  const body: Record<string, unknown> = {};
  const items = Array.from({ length: SYNTHETIC_ITEMS_PER_PAGE }, (_, i) => ({ id: `${ctx.qualified}#${page}.${i + 1}`, page, index: i + 1 }));
  setPath(body, syntheticItemsPath(pagination.response), items);
  if (page < ctx.state.options.pages) setPath(body, pagination.response.split('.'), ctx.state.pageTokens.seal({ op: ctx.qualified, page: page + 1 }, ctx.region));
  return { status: 200, body };
}

function readToken(ctx: CallContext, pagination: PaginationSpec): string | undefined {
  if (pagination.in === 'query') return ctx.query.get(pagination.request) ?? undefined;
  const body = ctx.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[pagination.request];
  return typeof value === 'string' ? value : undefined;
}

function checkRequired(ctx: CallContext, pagination: PaginationSpec): void {
  const missing = ctx.op.params
    .filter((p) => p.required && p.name !== pagination.request)
    .filter((p) => (p.in === 'query' ? !ctx.query.has(p.name) : p.in === 'header' ? ctx.headers[p.name.toLowerCase()] === undefined : false))
    .map((p) => p.name);
  if (missing.length > 0) throw invalidInput(`Missing required parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
  if (ctx.op.bodyRequired && ctx.body === undefined) throw invalidInput('The request body is required.');
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const child = node[key];
    if (typeof child === 'object' && child !== null) {
      node = child as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  });
}
