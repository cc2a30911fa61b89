/**
 * Pure request building: an operation spec plus `-p name=value` strings and a parsed body become
 * method, encoded path with query string, headers and body, or ONE UsageError listing every
 * problem so the user fixes them in a single round trip, before anything is sent.
 */
import { didYouMean, didYouMeanSuffix } from '../did-you-mean.js';
import { instantToSend, isCalendarDate } from '../duration.js';
import { SpapiError, UsageError } from '../errors.js';
import type { RegionCode } from '../regions.js';
import { checkBody } from './body-check.js';
import { qualifiedName } from './lookup.js';
import { isMarketplaceParam, marketplaceValue } from './marketplace-params.js';
import type { OperationSpec, ParamSpec } from './types.js';

/** A `-p` value: one string per flag, or a list when the caller already split it. */
export type ParamValue = string | string[];

/** What the user gave: params in flag order (repeated names accumulate) and the parsed JSON body. */
export interface RequestInput {
  params: ReadonlyArray<readonly [string, ParamValue]>;
  body?: unknown;
  /** The clock for ages such as `CreatedAfter=7d`; defaults to the current time. */
  now?: Date;
  /** The region the call goes to; marketplace ids of another region are then refused. */
  region?: RegionCode;
  /**
   * Check the body against the operation's model (default true): every mismatch becomes a
   * problem of the UsageError, with its JSON path. false sends any JSON (`spapi call --no-validate`).
   */
  validateBody?: boolean;
  /** Told why a body goes out unchecked when the schema catalog does not know the operation. */
  onUncheckedBody?: (reason: string) => void;
}

/** A request ready for the HTTP layer (which adds the host, auth and standard headers). */
export interface BuiltRequest {
  method: OperationSpec['method'];
  /** Encoded path plus `?query` when there is one, e.g. `/orders/v0/orders?MarketplaceIds=A%2CB`. */
  path: string;
  /** The catalog template, e.g. `/orders/v0/orders/{orderId}` (rate-limit and RDT keys). */
  pathTemplate: string;
  /** Decoded query pairs in catalog order; a `multi` array repeats its name. */
  query: Array<[string, string]>;
  headers: Record<string, string>;
  /** JSON text of the body, when the operation takes one and it was given. */
  body?: string;
}

/**
 * Builds the request for `spec` from `input`, validating every parameter against the catalog:
 * required, unknown names (with did-you-mean), enums, integer/number/boolean, minimum/maximum,
 * maxItems, date-time/date formats, body presence, and the body against the operation's model
 * (unless `validateBody: false`).
 *
 * A date-time parameter takes whatever readInstant reads (ISO 8601, a date, a zone-less
 * date-time read as UTC, or an age like `7d` before `input.now`) and is sent as ISO 8601 in UTC
 * (`7d` → `2026-11-20T12:00:00Z`), except that a complete RFC 3339 value is sent as typed.
 *
 * A marketplace parameter (MarketplaceIds, marketplaceId, …) takes codes as well as ids
 * (`US` → `ATVPDKIKX0DER`); with `input.region`, ids of another region's marketplaces are refused.
 *
 * Array parameters take `-p name=a,b` and/or repeated `-p name=…`; `\,` keeps a literal comma
 * inside one item (merchant SKUs may contain commas; the `multi` format can carry them).
 */
export function buildRequest(spec: OperationSpec, input: RequestInput): BuiltRequest {
  const problems: string[] = [];
  const given = collect(spec, input.params, problems);
  const context: CheckContext = { now: input.now ?? new Date(), region: input.region };

  let path = spec.path;
  const query: Array<[string, string]> = [];
  const headers: Record<string, string> = {};

  for (const param of spec.params) {
    const raw = given.get(param.name);
    if (raw === undefined) {
      if (param.required) problems.push(`missing required ${param.in} parameter ${param.name}${typeHint(param)}`);
      continue;
    }
    const values = validate(param, raw, context, problems);
    if (values === undefined) continue;
    if (param.in === 'path') {
      const value = values[0] ?? '';
      const encoded = param.greedy
        ? value.split('/').map(encodeURIComponent).join('/')
        : encodeURIComponent(value);
      // A function replacer, so `$&`-style patterns in user values stay literal.
      path = path.replace(`{${param.name}}`, () => encoded);
    } else if (param.in === 'query') {
      if (param.type === 'array' && param.collectionFormat === 'multi') {
        for (const value of values) query.push([param.name, value]);
      } else {
        query.push([param.name, values.join(',')]);
      }
    } else {
      headers[param.name] = values.join(',');
    }
  }

  // A placeholder the catalog does not declare as a parameter cannot be filled by the user.
  for (const leftover of path.match(/\{[^}]*\}/g) ?? []) {
    if (!spec.params.some((p) => p.in === 'path' && `{${p.name}}` === leftover)) {
      problems.push(`path placeholder ${leftover} has no parameter in the catalog`);
    }
  }

  let body: string | undefined;
  let bodyProblems: string[] = [];
  if (input.body !== undefined) {
    if (!spec.body) problems.push(`${qualifiedName(spec)} takes no body`);
    else {
      body = JSON.stringify(input.body);
      if (input.validateBody !== false) {
        const found = checkBody(spec, input.body);
        if (found === undefined) input.onUncheckedBody?.(`${qualifiedName(spec)} is not in spapi's schema catalog (a newer catalog?): its body is sent unchecked`);
        else bodyProblems = found;
      }
    }
  } else if (spec.bodyRequired) {
    problems.push(`missing required body (pass it with --body)`);
  }

  const first = problems[0];
  if (first !== undefined) {
    // Parameters and body wrong at once: one list, the body's problems marked as such.
    const all = [...problems, ...bodyProblems.map((problem) => `body ${problem}`)];
    throw new UsageError(
      all.length === 1 ? `${qualifiedName(spec)}: ${first}` : `${qualifiedName(spec)}: ${all.length} problems with the request`,
      { problems: all },
    );
  }
  if (bodyProblems.length > 0) {
    const only = bodyProblems.length === 1 ? `: ${bodyProblems[0]}` : '';
    throw new UsageError(`the body of ${qualifiedName(spec)} does not fit the model${only}`, {
      problems: bodyProblems,
      hint: `its fields: spapi ops describe ${qualifiedName(spec)} (--example prints one that fits); --no-validate sends it anyway`,
    });
  }

  const request: BuiltRequest = { method: spec.method, path: withQuery(path, query), pathTemplate: spec.path, query, headers };
  if (body !== undefined) request.body = body;
  return request;
}

/**
 * A copy of `request` carrying the pagination token `token` where `spec.pagination` says: as the
 * query parameter (replacing an earlier token), or as a top-level field of the JSON body. With
 * `tokenAlone` every other query parameter is dropped: reports/feeds getReports fail when the
 * token comes with any other parameter (spapi-facts §1.4).
 */
export function applyPageToken(spec: OperationSpec, request: BuiltRequest, token: string): BuiltRequest {
  const pagination = spec.pagination;
  if (!pagination) throw new SpapiError('internal', `${qualifiedName(spec)} does not paginate`);
  const pathname = pathOnly(request.path);
  if (pagination.in === 'body') {
    const parsed: unknown = request.body === undefined ? {} : JSON.parse(request.body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SpapiError('internal', `${qualifiedName(spec)}: cannot put a page token into a non-object body`);
    }
    return { ...request, headers: { ...request.headers }, query: [...request.query], body: JSON.stringify({ ...parsed, [pagination.request]: token }) };
  }
  let query: Array<[string, string]>;
  if (pagination.tokenAlone) {
    query = [[pagination.request, token]];
  } else {
    const at = request.query.findIndex(([name]) => name === pagination.request);
    query = request.query.filter(([name]) => name !== pagination.request);
    // Keep the token where it was, so the query order stays stable from page to page.
    query.splice(at >= 0 ? at : query.length, 0, [pagination.request, token]);
  }
  return { ...request, headers: { ...request.headers }, query, path: withQuery(pathname, query) };
}

/** Groups the given params by exact name; unknown names become problems with suggestions. */
function collect(spec: OperationSpec, params: RequestInput['params'], problems: string[]): Map<string, string[]> {
  const known = new Set(spec.params.map((p) => p.name));
  const given = new Map<string, string[]>();
  const unknown = new Set<string>();
  for (const [name, value] of params) {
    if (!known.has(name)) {
      if (!unknown.has(name)) {
        unknown.add(name);
        problems.push(unknownParamProblem(spec, name));
      }
      continue;
    }
    const list = given.get(name) ?? [];
    list.push(...(typeof value === 'string' ? [value] : value));
    given.set(name, list);
  }
  return given;
}

function unknownParamProblem(spec: OperationSpec, name: string): string {
  if (name.toLowerCase() === 'body' && spec.body) return `unknown parameter body: pass the body with --body`;
  const suggestions = didYouMean(name, spec.params.map((p) => p.name));
  const none = spec.params.length === 0 ? ` (${qualifiedName(spec)} takes no parameters)` : '';
  return `unknown parameter ${name}${didYouMeanSuffix(suggestions)}${none}`;
}

/** What checking a value needs beyond the parameter itself. */
interface CheckContext {
  now: Date;
  region: RegionCode | undefined;
}

/** The validated values of one parameter (one element unless it is an array), or undefined. */
function validate(param: ParamSpec, raw: string[], context: CheckContext, problems: string[]): string[] | undefined {
  const before = problems.length;
  if (param.type === 'array') {
    const items = raw.flatMap(splitItems);
    if (items.some((item) => item === '')) problems.push(`${param.name}: empty item in ${JSON.stringify(raw.join(','))}`);
    if (param.collectionFormat !== 'multi' && items.some((item) => item.includes(','))) {
      problems.push(`${param.name}: an item cannot contain a comma (the API joins items with commas)`);
    }
    if (param.maxItems !== undefined && items.length > param.maxItems) {
      problems.push(`${param.name}: at most ${param.maxItems} items, got ${items.length}`);
    }
    const itemSpec: ParamSpec = { ...param, type: param.items ?? 'string', ...(param.itemsEnum ? { enum: param.itemsEnum } : {}) };
    // Items already refused above (empty, or a comma in a csv list) are not checked again.
    const fine = items.filter((item) => item !== '' && (param.collectionFormat === 'multi' || !item.includes(',')));
    const checked = fine.map((item) => checkScalar(itemSpec, item, context, problems));
    return problems.length === before ? checked : undefined;
  }
  if (raw.length > 1) {
    problems.push(`${param.name} takes one value, got ${raw.length}`);
    return undefined;
  }
  const value = checkScalar(param, raw[0] ?? '', context, problems);
  return problems.length === before ? [value] : undefined;
}

/** Checks one scalar value; returns it normalised (booleans lower-cased, date-times in UTC ISO 8601, marketplace codes as ids). */
function checkScalar(param: ParamSpec, value: string, context: CheckContext, problems: string[]): string {
  const name = param.name;
  if (param.in === 'path' && value === '') {
    problems.push(`${name}: a path parameter cannot be empty`);
    return value;
  }
  if (param.in === 'header' && /[\r\n]/.test(value)) {
    problems.push(`${name}: a header value cannot contain a line break`);
    return value;
  }
  if (param.enum && !param.enum.includes(value)) {
    const caseMatch = param.enum.find((allowed) => allowed.toLowerCase() === value.toLowerCase());
    problems.push(
      `${name}: ${JSON.stringify(value)} is not allowed${caseMatch ? ` (did you mean ${caseMatch}?)` : ''}; allowed: ${param.enum.join(', ')}`,
    );
    return value;
  }
  if (param.type === 'string' && isMarketplaceParam(param)) return marketplaceValue(name, value, context.region, problems);
  switch (param.type) {
    case 'integer':
      if (!/^-?\d+$/.test(value)) {
        problems.push(`${name}: ${JSON.stringify(value)} is not an integer`);
        return value;
      }
      checkRange(param, Number(value), problems);
      return value;
    case 'number':
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
        problems.push(`${name}: ${JSON.stringify(value)} is not a number`);
        return value;
      }
      checkRange(param, Number(value), problems);
      return value;
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') problems.push(`${name}: ${JSON.stringify(value)} is not a boolean (true or false)`);
      return lower;
    }
    default:
      if (param.format === 'date-time') return checkDateTime(name, value, context, problems);
      if (param.format === 'date' && !isCalendarDate(value)) {
        problems.push(`${name}: ${JSON.stringify(value)} is not an ISO 8601 date (e.g. 2024-01-31)`);
      }
      return value;
  }
}

/** A date-time value as sent (core/duration's one rule), or a problem. */
function checkDateTime(name: string, value: string, context: CheckContext, problems: string[]): string {
  const sent = instantToSend(value, context.now);
  if ('problem' in sent) {
    problems.push(`${name}: ${sent.problem}`);
    return value;
  }
  return sent.value;
}

function checkRange(param: ParamSpec, n: number, problems: string[]): void {
  if (param.minimum !== undefined && n < param.minimum) problems.push(`${param.name}: ${n} is below the minimum ${param.minimum}`);
  if (param.maximum !== undefined && n > param.maximum) problems.push(`${param.name}: ${n} is above the maximum ${param.maximum}`);
}

/** Splits one array value on commas; `\,` is a literal comma. */
function splitItems(value: string): string[] {
  return value.split(/(?<!\\),/).map((item) => item.replaceAll('\\,', ',').trim());
}

/**
 * Appends the percent-encoded query. Commas become %2C too, as in Amazon's generated SDKs: the API
 * decodes before splitting csv lists, and a comma inside a `multi` item (a SKU) stays unambiguous.
 */
function withQuery(pathname: string, query: ReadonlyArray<readonly [string, string]>): string {
  if (query.length === 0) return pathname;
  return `${pathname}?${query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** The path without its query string; `?` inside path values is always encoded, so the first one splits. */
function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q >= 0 ? path.slice(0, q) : path;
}

function typeHint(param: ParamSpec): string {
  if (param.enum) return ` (one of: ${param.enum.join(', ')})`;
  if (param.itemsEnum) return ` (comma-separated list of: ${param.itemsEnum.join(', ')})`;
  if (param.type === 'array') return ` (list of ${param.items ?? 'string'}, comma-separated)`;
  if (param.format === 'date-time') return ' (ISO 8601 date-time, date or age such as 7d)';
  if (param.type !== 'string') return ` (${param.type})`;
  return '';
}
