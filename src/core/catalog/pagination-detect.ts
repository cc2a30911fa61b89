import type { PaginationSpec } from './types.js';
import { isObject, resolveSchema, schemaProperties, stringAt, successResponseSchema } from './swagger.js';
import type { JsonObject } from './swagger.js';

/** Request parameter names that carry a page token somewhere in the models (spapi-facts §1.4). */
export const TOKEN_PARAMETERS = [
  'nextToken',
  'NextToken',
  'paginationToken',
  'pageToken',
  'nextPageToken',
  'nextTokenForLineItems',
] as const;

// Where APIs put the next token in a response, in the order we look.
const RESPONSE_LOCATIONS = ['', 'payload', 'pagination', 'payload.pagination'] as const;

// A request token is usually echoed under its own name; otherwise the response says "next".
// `previousToken`/`previousPageToken` sit beside these and must not be picked.
const RESPONSE_FALLBACKS = ['nextToken', 'NextToken', 'nextPageToken'] as const;

// reports/feeds say the token must be the only parameter of the follow-up call; we key on that phrase.
const TOKEN_ALONE = /\bonly parameter\b/i;

/**
 * Works out how an operation pages, from its merged parameters and its success response schema.
 * Returns null for operations without a page token. Throws an Error when a query token exists but
 * the response schema has no matching next-token field, because a paginator could not follow it.
 */
export function detectPagination(doc: JsonObject, parameters: JsonObject[], responses: JsonObject | undefined): PaginationSpec | null {
  const names: readonly string[] = TOKEN_PARAMETERS;
  const queryToken = parameters.find((p) => p['in'] === 'query' && names.includes(stringAt(p, 'name') ?? ''));
  if (queryToken) {
    const request = stringAt(queryToken, 'name') ?? '';
    const response = findResponseToken(doc, responses, request);
    if (response === undefined) throw new Error(`page token parameter "${request}" has no next-token field in the success response`);
    const description = stringAt(queryToken, 'description') ?? '';
    return { request, in: 'query', response, ...(TOKEN_ALONE.test(description) ? { tokenAlone: true } : {}) };
  }

  // dataKiosk createQuery takes the token as a body property; the token itself comes from another
  // operation's response (getQuery), so this operation's response usually has no token path.
  const body = parameters.find((p) => p['in'] === 'body');
  if (body) {
    const properties = schemaProperties(doc, body['schema']);
    const request = names.find((name) => name in properties);
    if (request !== undefined) return { request, in: 'body', response: findResponseToken(doc, responses, request) ?? '' };
  }
  return null;
}

/** Dotted path of the next token in the first 2xx response schema, or undefined. */
function findResponseToken(doc: JsonObject, responses: JsonObject | undefined, request: string): string | undefined {
  const schema = successResponseSchema(responses);
  if (schema === undefined) return undefined;
  const candidates = [request, ...RESPONSE_FALLBACKS.filter((name) => name !== request)];
  for (const location of RESPONSE_LOCATIONS) {
    const properties = propertiesAt(doc, schema, location);
    if (!properties) continue;
    const hit = candidates.find((name) => name in properties);
    if (hit !== undefined) return location === '' ? hit : `${location}.${hit}`;
  }
  return undefined;
}

function propertiesAt(doc: JsonObject, schema: unknown, location: string): JsonObject | undefined {
  let current: unknown = schema;
  if (location !== '') {
    for (const step of location.split('.')) {
      const properties = schemaProperties(doc, current);
      current = properties[step];
      if (current === undefined) return undefined;
    }
  }
  return isObject(resolveSchema(doc, current)) ? schemaProperties(doc, current) : undefined;
}
