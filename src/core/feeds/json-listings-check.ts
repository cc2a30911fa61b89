/**
 * The local check of a JSON_LISTINGS_FEED before it is uploaded, after Amazon's
 * `listings-feed-schema-v2.json` (spapi-facts §10): what the schema requires of the header and of
 * each message, so a feed that Amazon would refuse as a whole (or message by message) fails here
 * at once, every problem listed, with nothing uploaded. Product-type attributes are not checked:
 * that needs the product type's own schema (the Product Type Definitions API).
 */

import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** Amazon's cap on messages in one JSON_LISTINGS_FEED (25,000 since 2025; it was 10,000). */
export const MAX_LISTINGS_MESSAGES = 25_000;
/** Amazon's advice: keep a feed under 10 MiB. */
export const ADVISED_FEED_BYTES = 10 * 1024 * 1024;
/** Past this the file is not parsed at all: no JSON_LISTINGS_FEED is anywhere near it. */
export const MAX_JSON_FEED_BYTES = 100 * 1024 * 1024;
/** Problems listed one by one; the rest are counted. */
const LISTED_PROBLEMS = 100;

export const OPERATION_TYPES = ['UPDATE', 'PARTIAL_UPDATE', 'PATCH', 'DELETE'] as const;
export const PATCH_OPS = ['add', 'replace', 'merge', 'delete'] as const;
export const REQUIREMENTS = ['LISTING', 'LISTING_PRODUCT_ONLY', 'LISTING_OFFER_ONLY'] as const;
export const INCLUDED_DATA = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'] as const;
/** The largest messageId the schema allows (a signed 32-bit integer). */
const MAX_MESSAGE_ID = 2_147_483_647;

/** The fields each operation must not carry (listings-feed-schema-v2 `oneOf`). */
const NOT_APPLICABLE: Record<(typeof OPERATION_TYPES)[number], readonly string[]> = {
  UPDATE: ['patches'],
  PARTIAL_UPDATE: ['requirements', 'patches'],
  PATCH: ['requirements', 'attributes'],
  DELETE: ['requirements', 'attributes', 'productType', 'patches'],
};

export interface JsonListingsCheck {
  /** Every problem found, in file order (at most 100 spelled out, then a count of the rest). */
  problems: string[];
  /** Advice that does not stop the upload (a file over 10 MiB). */
  notes: string[];
  /** Messages in the feed. */
  messages: number;
  /** messageId → sku, to name the SKU of an issue when the processing report does not. */
  skus: Map<number, string>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * Where and why JSON.parse failed: its message names no position on every Node version, so the
 * position comes from jsonc-parser's strict parse.
 */
function syntaxError(text: string, error: Error): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return error.message;
  const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${what} at ${lineAndColumn(text, first.offset)}`;
}

/** The 1-based line and column of a character position in `text`. */
function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

/**
 * Checks a JSON_LISTINGS_FEED (its UTF-8 bytes). Never throws for a bad feed: the problems are
 * returned, all of them, for the caller to refuse the upload with.
 */
export function checkJsonListingsFeed(bytes: Buffer): JsonListingsCheck {
  const problems: string[] = [];
  const notes: string[] = [];
  const skus = new Map<number, string>();
  const result = (messages = 0): JsonListingsCheck => ({ problems: capped(problems), notes, messages, skus });
  if (bytes.length > MAX_JSON_FEED_BYTES) {
    problems.push(`the file is ${bytes.length} bytes, over the ${MAX_JSON_FEED_BYTES / 1024 / 1024} MiB spapi checks: split it into feeds under 10 MiB (Amazon's advice)`);
    return result();
  }
  if (bytes.length > ADVISED_FEED_BYTES) notes.push(`the feed is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; Amazon advises feeds under 10 MiB`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) problems.push('the file starts with a UTF-8 byte-order mark, which JSON does not allow (RFC 8259 §8.1): save it without one');
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch (error) {
    problems.push(`not valid JSON: ${syntaxError(text, error as Error)}`);
    return result();
  }
  if (!isObject(feed)) {
    problems.push(`the feed must be a JSON object with "header" and "messages", not ${describe(feed)}`);
    return result();
  }
  checkHeader(feed['header'], problems);
  const messages = feed['messages'];
  if (!Array.isArray(messages)) {
    problems.push(`messages: required, an array of messages (got ${describe(messages)})`);
    return result();
  }
  if (messages.length === 0) problems.push('messages: empty; a feed needs at least one message');
  if (messages.length > MAX_LISTINGS_MESSAGES) problems.push(`messages: ${messages.length} messages, over Amazon's ${MAX_LISTINGS_MESSAGES.toLocaleString('en-US')} per feed: split the file`);
  const seen = new Map<number, number>();
  messages.forEach((message, index) => checkMessage(message, index, seen, skus, problems));
  return result(messages.length);
}

function capped(problems: string[]): string[] {
  if (problems.length <= LISTED_PROBLEMS) return problems;
  return [...problems.slice(0, LISTED_PROBLEMS), `… and ${problems.length - LISTED_PROBLEMS} more problems`];
}

function checkHeader(header: unknown, problems: string[]): void {
  if (!isObject(header)) {
    problems.push(`header: required, an object with sellerId and version "2.0" (got ${describe(header)})`);
    return;
  }
  const sellerId = header['sellerId'];
  if (typeof sellerId !== 'string' || sellerId.trim() === '') problems.push(`header.sellerId: required, the selling partner id (got ${describe(sellerId)})`);
  if (header['version'] !== '2.0') problems.push(`header.version: must be "2.0" (got ${describe(header['version'])})`);
  const locale = header['issueLocale'];
  if (locale !== undefined && typeof locale !== 'string') problems.push(`header.issueLocale: a locale such as "en_US" (got ${describe(locale)})`);
  const report = header['report'];
  if (report === undefined) return;
  if (!isObject(report)) {
    problems.push(`header.report: an object {includedData, apiVersion} (got ${describe(report)})`);
    return;
  }
  const included = report['includedData'];
  if (!Array.isArray(included) || included.length === 0 || included.some((item) => !(INCLUDED_DATA as readonly unknown[]).includes(item))) {
    problems.push(`header.report.includedData: a non-empty array of ${INCLUDED_DATA.join(', ')} (got ${describe(included)})`);
  }
  if (report['apiVersion'] !== '2021-08-01') problems.push(`header.report.apiVersion: must be "2021-08-01" (got ${describe(report['apiVersion'])})`);
}

function checkMessage(message: unknown, index: number, seen: Map<number, number>, skus: Map<number, string>, problems: string[]): void {
  let at = `messages[${index}]`;
  if (!isObject(message)) {
    problems.push(`${at}: a message must be an object (got ${describe(message)})`);
    return;
  }
  const id = message['messageId'];
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MAX_MESSAGE_ID) {
    problems.push(`${at}.messageId: required, a whole number from 1 to ${MAX_MESSAGE_ID} (got ${describe(id)})`);
  } else {
    at = `${at} (messageId ${id})`;
    const first = seen.get(id);
    if (first !== undefined) problems.push(`${at}: messageId ${id} is also the id of messages[${first}]; ids must be unique in the feed`);
    else seen.set(id, index);
  }
  const sku = message['sku'];
  if (typeof sku !== 'string' || sku.trim() === '') problems.push(`${at}.sku: required (got ${describe(sku)})`);
  else if (typeof id === 'number' && Number.isInteger(id)) skus.set(id, sku);
  const operation = message['operationType'];
  if (typeof operation !== 'string' || !(OPERATION_TYPES as readonly string[]).includes(operation)) {
    problems.push(`${at}.operationType: one of ${OPERATION_TYPES.join(', ')} (got ${describe(operation)})`);
    return;
  }
  for (const field of NOT_APPLICABLE[operation as (typeof OPERATION_TYPES)[number]]) {
    if (message[field] !== undefined) problems.push(`${at}.${field}: not allowed in a ${operation} message`);
  }
  const requirements = message['requirements'];
  if (requirements !== undefined && operation === 'UPDATE' && !(REQUIREMENTS as readonly unknown[]).includes(requirements)) problems.push(`${at}.requirements: one of ${REQUIREMENTS.join(', ')} (got ${describe(requirements)})`);
  if (operation === 'DELETE') return;
  const productType = message['productType'];
  if (typeof productType !== 'string' || productType.trim() === '') problems.push(`${at}.productType: ${operation} needs the product type, e.g. "PRODUCT" (got ${describe(productType)})`);
  if (operation === 'PATCH') {
    checkPatches(message['patches'], at, problems);
    return;
  }
  const attributes = message['attributes'];
  if (!isObject(attributes) || Object.keys(attributes).length === 0) problems.push(`${at}.attributes: ${operation} needs a non-empty attributes object (got ${describe(attributes)})`);
}

function checkPatches(patches: unknown, at: string, problems: string[]): void {
  if (!Array.isArray(patches) || patches.length === 0) {
    problems.push(`${at}.patches: PATCH needs a non-empty array of patches {op, path, value} (got ${describe(patches)})`);
    return;
  }
  patches.forEach((patch, index) => {
    const where = `${at}.patches[${index}]`;
    if (!isObject(patch)) {
      problems.push(`${where}: a patch must be an object {op, path, value} (got ${describe(patch)})`);
      return;
    }
    const op = patch['op'];
    const known = typeof op === 'string' && (PATCH_OPS as readonly string[]).includes(op);
    if (!known) {
      const hint = op === 'remove' ? ' — Amazon says delete where RFC 6902 says remove' : '';
      problems.push(`${where}.op: one of ${PATCH_OPS.join(', ')} (got ${describe(op)})${hint}`);
    }
    const path = patch['path'];
    if (typeof path !== 'string' || !/^\/attributes\/[^/]+/.test(path)) problems.push(`${where}.path: an attribute path such as "/attributes/fulfillment_availability" (got ${describe(path)})`);
    const value = patch['value'];
    // What value an unknown op needs is unknown: its op is the problem to fix first.
    if (value === undefined && known && op !== 'delete') problems.push(`${where}.value: ${op} needs an array of values, e.g. [{"fulfillment_channel_code": "DEFAULT", "quantity": 42}] (got missing)`);
    else if (value !== undefined && (!Array.isArray(value) || value.some((item) => !isObject(item)))) problems.push(`${where}.value: an array of objects, e.g. [{"fulfillment_channel_code": "DEFAULT", "quantity": 42}] (got ${describe(value)})`);
  });
}
