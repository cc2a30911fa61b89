import type { OperationSpec, PaginationSpec } from '../core/catalog/types.js';
import type { CallContext } from './handler.js';
import { otherParams } from './query.js';
import { invalidInput } from './replies.js';
import type { Reply } from './replies.js';

/*
 * Page tokens of the operations without a stateful handler, in each token style of the catalog
 * (spapi-facts §1.4). The pages themselves are generated from the model's schema (generated.ts);
 * this file reads and checks the token like Amazon: an unknown or foreign token is 400
 * InvalidInput, and tokenAlone operations refuse any other query parameter next to the token.
 *
 * An operation the schema catalog does not know (an inline test catalog) has no schema to
 * generate from; it pages synthetically instead, its items in an array called `items` beside the
 * token (or beside the `pagination` object that holds it), each { id: "<qualified>#<page>.<index>",
 * page, index }, two per page.
 */

export const SYNTHETIC_ITEMS_PER_PAGE = 2;

/** True when the operation pages and its token has a place in the response. */
export function hasPageToken(op: OperationSpec): op is OperationSpec & { pagination: PaginationSpec } {
  return op.pagination !== null && op.pagination.response !== '';
}


/** Where the items array of a synthetic page goes for a token path; exported for tests. */
export function syntheticItemsPath(responsePath: string): string[] {
  const container = responsePath.split('.').slice(0, -1);
  if (container.at(-1) === 'pagination') container.pop();
  return [...container, 'items'];
}

/** The request's page token, as sent (query or body), or undefined on a first page. */
export function readPageToken(ctx: Pick<CallContext, 'query' | 'body'>, pagination: PaginationSpec): string | undefined {
  if (pagination.in === 'query') return ctx.query.get(pagination.request) ?? undefined;
  const body = ctx.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[pagination.request];
  return typeof value === 'string' ? value : undefined;
}

/** The 1-based page a request asks for; throws InvalidInput for a token this operation did not issue. */
export function pageOf(ctx: CallContext, pagination: PaginationSpec): number {
  const token = readPageToken(ctx, pagination);
  if (token === undefined) return 1;
  if (pagination.tokenAlone) {
    const others = pagination.in === 'query' ? otherParams(ctx.query, pagination.request) : [];
    if (others.length > 0) throw invalidInput(`${pagination.request} must be the only parameter; also got ${others.join(', ')}.`);
  }
  const sealed = ctx.state.pageTokens.open(token, ctx.region) as { op?: unknown; page?: unknown } | undefined;
  if (sealed?.op !== ctx.qualified || typeof sealed.page !== 'number') throw invalidInput(`Invalid ${pagination.request}.`);
  return sealed.page;
}

/** A synthetic page, for a paginated operation the schema catalog has no schema of. */
export function syntheticPage(ctx: CallContext, pagination: PaginationSpec): Reply {
  const page = pageOf(ctx, pagination);
  const body: Record<string, unknown> = {};
  const items = Array.from({ length: SYNTHETIC_ITEMS_PER_PAGE }, (_, i) => ({ id: `${ctx.qualified}#${page}.${i + 1}`, page, index: i + 1 }));
  setPath(body, syntheticItemsPath(pagination.response), items);
  if (page < ctx.state.options.pages) setPath(body, pagination.response.split('.'), ctx.state.pageTokens.seal({ op: ctx.qualified, page: page + 1 }, ctx.region));
  return { status: 200, body };
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
