import type { ApiResult, CallOptions, PreparedRequest, SpapiClient } from './client.js';
import type { OperationSpec, PaginationSpec } from './catalog/types.js';
import { SpapiError } from './errors.js';

export interface PaginateOptions {
  /** Resume from a token printed by an earlier run (--starting-token). */
  startingToken?: string | undefined;
  /** Stop once this many items were yielded (--max-items); the last page is cut to fit. */
  maxItems?: number | undefined;
  maxPages?: number | undefined;
}

export interface Page {
  body: unknown;
  result: ApiResult;
  /** The token that fetches the next page, absent on the last one. */
  nextToken: string | undefined;
  /** The page's item array, when one could be found (see itemsLocation). */
  items: unknown[] | undefined;
  /**
   * What --starting-token takes to continue right after this page's last yielded item: the next
   * token, or, when --max-items cut this page, a resume token that refetches it and skips what was
   * shown. Absent when nothing is left.
   */
  resumeToken?: string | undefined;
}

// A page cut by --max-items still holds items nobody saw; Amazon's tokens point only at whole pages,
// so the resume token carries the page's own token plus how many of its items to skip.
const RESUME = /^spapi-resume:(\d+):(.*)$/s;

function resumeToken(pageToken: string | undefined, skip: number): string {
  return `spapi-resume:${skip}:${pageToken ?? ''}`;
}

export function getPath(value: unknown, dotted: string): unknown {
  let current = value;
  for (const part of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Where a page keeps its items: the operation's rows when the catalog knows them (`spec.rows`, so
 * aplusContent's `warnings` beside `contentMetadataRecords` is not taken for them), else the first
 * array beside the next token, or beside the `pagination` object that holds it
 * (payload.NextToken → payload.Orders; pagination.nextToken → orders).
 */
export function itemsLocation(body: unknown, pagination: PaginationSpec, rows?: string | null): { container: Record<string, unknown>; key: string } | undefined {
  if (rows) {
    const path = rows.split('.');
    const key = path.pop() as string;
    const container = path.length ? getPath(body, path.join('.')) : body;
    if (container && typeof container === 'object' && !Array.isArray(container) && Array.isArray((container as Record<string, unknown>)[key])) {
      return { container: container as Record<string, unknown>, key };
    }
  }
  const parts = pagination.response.split('.');
  parts.pop();
  if (parts.at(-1) === 'pagination') parts.pop();
  const container = parts.length ? getPath(body, parts.join('.')) : body;
  if (!container || typeof container !== 'object' || Array.isArray(container)) return undefined;
  const record = container as Record<string, unknown>;
  const key = Object.keys(record).find((k) => Array.isArray(record[k]));
  return key === undefined ? undefined : { container: record, key };
}

function deletePath(value: unknown, dotted: string): void {
  const parts = dotted.split('.');
  const last = parts.pop();
  const parent = parts.length ? getPath(value, parts.join('.')) : value;
  if (last && parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last];
}

/**
 * Pages through an operation with its own token rules: the request parameter and response path
 * recorded in the catalog (NextToken, nextToken, paginationToken, pageToken, ...), and for getReports
 * the token sent alone. `nextRequest(token)` builds each request so those rules live in build-request.
 */
export async function* paginate(
  client: SpapiClient,
  spec: OperationSpec,
  nextRequest: (token: string | undefined) => PreparedRequest,
  callOptions: CallOptions,
  options: PaginateOptions = {},
): AsyncGenerator<Page> {
  const pagination = spec.pagination;
  const resume = options.startingToken === undefined ? null : RESUME.exec(options.startingToken);
  let token = resume ? resume[2] || undefined : options.startingToken;
  let skip = resume ? Number(resume[1]) : 0;
  let yielded = 0;
  const seen = new Set<string>();
  for (let pages = 0; options.maxPages === undefined || pages < options.maxPages; pages++) {
    const result = await client.call(spec, nextRequest(token), callOptions);
    const body: unknown = result.text ? JSON.parse(result.text) : undefined;
    const found = pagination ? getPath(body, pagination.response) : undefined;
    const nextToken = typeof found === 'string' && found !== '' ? found : undefined;
    const location = pagination ? itemsLocation(body, pagination, spec.rows) : undefined;
    let items = location ? (location.container[location.key] as unknown[]) : undefined;
    let done = nextToken === undefined;
    if (items && skip > 0) {
      items = items.slice(skip);
      if (location) location.container[location.key] = items;
    }
    let resumeAt = nextToken;
    if (items && options.maxItems !== undefined) {
      const room = options.maxItems - yielded;
      if (items.length >= room) {
        if (items.length > room) resumeAt = resumeToken(token, skip + room);
        items = items.slice(0, room);
        if (location) location.container[location.key] = items;
        done = true;
      }
      yielded += items.length;
    }
    yield { body, result, nextToken, items, resumeToken: resumeAt };
    skip = 0;
    if (done || !nextToken) return;
    // A server that hands back the same token would page forever.
    if (seen.has(nextToken)) throw new SpapiError('api', `${callOptions.operationName} returned the same page token twice; stopping`);
    seen.add(nextToken);
    token = nextToken;
  }
}

/** --slurp: one document shaped like the first page, with every page's items in one array and no token. */
export function mergePages(pages: Page[], spec: OperationSpec): unknown {
  const first = pages[0];
  if (!first) return undefined;
  if (!spec.pagination) return first.body;
  const merged: unknown = structuredClone(first.body);
  deletePath(merged, spec.pagination.response);
  const location = itemsLocation(merged, spec.pagination, spec.rows);
  if (location) location.container[location.key] = pages.flatMap((p) => p.items ?? []);
  return merged;
}
