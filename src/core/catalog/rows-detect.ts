/**
 * Where an operation's main list sits in its success body: the array a user wants as table or
 * csv rows (`payload.Orders`, `reports`, `items`). Read from the response schema once, at
 * generation time, so output formatting never guesses from a live body.
 */
import { isObject, resolveSchema, schemaProperties, successResponseSchema } from './swagger.js';
import type { JsonObject } from './swagger.js';

/** What detectRows needs to know about the operation besides its schema. */
export interface RowsContext {
  operationId: string;
  /** The operation pages: a paged answer is a list by definition. */
  paginates: boolean;
}

// Problem reports and warnings ride along with real answers; they are never the rows.
const REPORT_ARRAYS = new Set(['errors', 'warnings']);
// Envelope bookkeeping: a holder made only of the list and these is a list envelope. `_links` is
// HAL metadata beside `_embedded` (messaging, solicitations).
const BOOKKEEPING = /^(?:errors|warnings|pagination|_links)$|token$/i;

interface Holder {
  path: string;
  properties: JsonObject;
  /** The schemas from the body down to this holder, so recursive definitions stop. */
  ancestors: ReadonlySet<JsonObject>;
}

interface Candidate {
  path: string;
  name: string;
  objectItems: boolean;
  holder: Holder;
}

/**
 * The dotted path of the main list in the success body: `""` when the body is an array; else the
 * shallowest array that is a list (see isMainList); else, for an envelope around one record
 * (`{payload: Order, errors}`), the path of that record; else null, meaning the whole body is one
 * row (also when there is no body). Throws an Error when two arrays qualify equally, so a model
 * change that makes the choice unclear stops generation instead of picking one silently.
 */
export function detectRows(doc: JsonObject, responses: JsonObject | undefined, context: RowsContext): string | null {
  const schema = successResponseSchema(responses);
  if (schema === undefined) return null;
  const body = resolveSchema(doc, schema);
  if (!body) throw new Error('the success response schema does not resolve');
  if (isArraySchema(body)) return '';
  if (!isObjectSchema(body)) return null;

  let level: Holder[] = [{ path: '', properties: schemaProperties(doc, body), ancestors: new Set([body]) }];
  while (level.length > 0) {
    const { candidates, next } = scanLevel(doc, level);
    const lists = candidates.filter((candidate) => isMainList(candidate, candidates, context));
    if (lists.length > 0) return pickList(lists, context);
    level = next;
  }
  return singleRecordPath(doc, body);
}

/**
 * The arrays held by this level's objects, and the objects to look into next. The walk goes down
 * only through envelopes (an object holding the child and bookkeeping alone): inside a record,
 * an array is a field of that record (an order's TaxClassifications), never the rows.
 */
function scanLevel(doc: JsonObject, level: readonly Holder[]): { candidates: Candidate[]; next: Holder[] } {
  const candidates: Candidate[] = [];
  const next: Holder[] = [];
  for (const holder of level) {
    for (const [name, property] of Object.entries(holder.properties)) {
      if (REPORT_ARRAYS.has(name)) continue;
      const resolved = resolveSchema(doc, property);
      if (!resolved) continue;
      const path = holder.path === '' ? name : `${holder.path}.${name}`;
      if (isArraySchema(resolved)) {
        const items = resolveSchema(doc, resolved['items']);
        candidates.push({ path, name, objectItems: items !== undefined && isObjectSchema(items), holder });
      } else if (isObjectSchema(resolved) && !holder.ancestors.has(resolved) && onlyBookkeepingBeside(holder.properties, name)) {
        next.push({ path, properties: schemaProperties(doc, resolved), ancestors: new Set([...holder.ancestors, resolved]) });
      }
    }
  }
  return { candidates, next };
}

/**
 * An array is a list, not a field of a record (a report's marketplaceIds, an order's
 * PaymentExecutionDetail), when one of these holds:
 * - it is named after the operation (getOrders → Orders, searchCatalogItems → items), unless it is
 *   a list of scalars beside lists of objects;
 * - the operation pages and it is the only array of objects beside it;
 * - it is the only array in an envelope holding nothing else but bookkeeping (getMarketplaceParticipations → payload).
 */
function isMainList(candidate: Candidate, all: readonly Candidate[], context: RowsContext): boolean {
  const siblings = all.filter((other) => other.holder === candidate.holder);
  // A scalar array named like the operation beside arrays of objects is a field of a record
  // (getShipmentDetails → PaymentMethodDetails), not its rows.
  const named = namesOperation(candidate.name, context.operationId);
  if (named && (candidate.objectItems || !siblings.some((other) => other.objectItems))) return true;
  if (context.paginates && candidate.objectItems && siblings.filter((other) => other.objectItems).length === 1) return true;
  return siblings.length === 1 && onlyBookkeepingBeside(candidate.holder.properties, candidate.name);
}

function onlyBookkeepingBeside(properties: JsonObject, name: string): boolean {
  return Object.keys(properties).every((other) => other === name || BOOKKEEPING.test(other));
}

/**
 * Tie-break among lists found at the same (shallowest) depth: arrays of objects before arrays of
 * scalars (rows want columns), then a name equal to the operation's noun (getRates → rates, not
 * ineligibleRates), then one ending in it. Still tied is an error: a person should choose.
 */
function pickList(lists: readonly Candidate[], context: RowsContext): string {
  const score = (candidate: Candidate): number => (candidate.objectItems ? 4 : 0) + nameScore(candidate.name, context.operationId);
  const ranked = [...lists].sort((a, b) => score(b) - score(a));
  const [best, second] = ranked;
  if (!best) throw new Error('no list to pick');
  if (second && score(second) === score(best)) {
    throw new Error(`the main list is ambiguous: ${ranked.filter((c) => score(c) === score(best)).map((c) => c.path).join(', ')}`);
  }
  return best.path;
}

/** `{payload: Order, errors}` → `payload`: the envelope's one object beside bookkeeping; else null. */
function singleRecordPath(doc: JsonObject, body: JsonObject): string | null {
  const rest = Object.entries(schemaProperties(doc, body)).filter(([name]) => !BOOKKEEPING.test(name));
  const [only, ...others] = rest;
  if (!only || others.length > 0) return null;
  const resolved = resolveSchema(doc, only[1]);
  return resolved && isObjectSchema(resolved) ? only[0] : null;
}

/**
 * How well an array's name matches the operation's plural noun: 2 when it is the noun
 * (getOrders → Orders, searchCatalogItems → CatalogItems), 1 when it ends with the noun's last
 * word (getOrderItems → OrderItems, listHandoverSlots → timeSlots), else 0. Case-insensitive.
 * Only a plural noun counts: getOutbound is one record, though its arrays end in "Outbound".
 */
function nameScore(name: string, operationId: string): number {
  // The qualifier after By/For names a filter, not the result: getShipmentItemsByShipmentId lists items.
  const subject = operationId.replace(/(?:By|For)[A-Z].*$/, '');
  const noun = subject.replace(/^[A-Z]?[a-z]+/, '').toLowerCase();
  const word = lastWord(subject);
  if (word === undefined || !word.endsWith('s')) return 0;
  if (name.toLowerCase() === noun) return 2;
  return lastWord(name) === word ? 1 : 0;
}

function namesOperation(name: string, operationId: string): boolean {
  return nameScore(name, operationId) > 0;
}

function lastWord(text: string): string | undefined {
  return text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g)?.at(-1)?.toLowerCase();
}

function isArraySchema(schema: JsonObject): boolean {
  return schema['type'] === 'array' || (schema['type'] === undefined && schema['items'] !== undefined);
}

// A map (additionalProperties) counts as an object: it is one record with open keys.
function isObjectSchema(schema: JsonObject): boolean {
  if (schema['type'] !== undefined) return schema['type'] === 'object';
  return isObject(schema['properties']) || Array.isArray(schema['allOf']) || schema['additionalProperties'] !== undefined;
}
