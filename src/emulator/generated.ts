import { createHash } from 'node:crypto';
import { sampleFromSchema } from '../core/catalog/schema-sample.js';
import { SchemaValidator } from '../core/catalog/schema-validate.js';
import { loadSchemaCatalog, operationSchemas, successResponses } from '../core/catalog/schemas.js';
import type { JsonObject } from '../core/catalog/swagger.js';
import type { CallContext } from './handler.js';
import type { Reply } from './replies.js';
import { answerHints } from './sample-hints.js';
import { hasPageToken, pageOf } from './synthetic-pagination.js';

/*
 * The answer of every operation without a stateful handler (and, with --models, without a static
 * sandbox example): the lowest success status the model declares, with a body sampled from that
 * status's schema (none when the model declares none, as for 204). Deterministic: the seed mixes
 * the emulator's --seed with the request (path, query, body, regional host) and the page, so the
 * same request gets the same answer and another page or marketplace gets another one.
 *
 * Paginated operations keep their token style: the next token sits at the model's response path
 * on every page but the last (options.pages), sealed like every emulator token (page-tokens.ts).
 */

/** Items in each generated array: two per page show order and gaps when pages are merged. */
export const GENERATED_ITEMS = 2;

// Compiled schemas are shared by every emulator of the process: the schema catalog is immutable.
let validator: SchemaValidator | undefined;
// Each emulator's clock for generated dates: its first generated answer's minute (see clockOf).
const clocks = new WeakMap<CallContext['state'], number>();
const DAY_MS = 86_400_000;

/** The generated answer, or undefined when the schema catalog does not know the operation. */
export function generatedReply(ctx: CallContext): Reply | undefined {
  const schemas = operationSchemas(ctx.qualified);
  const success = schemas ? successResponses(schemas)[0] : undefined;
  if (!schemas || !success) return undefined;
  const [status, schema] = success;
  const pagination = hasPageToken(ctx.op) ? ctx.op.pagination : undefined;
  const page = pagination ? pageOf(ctx, pagination) : 1;
  if (!schema || status === 204) return { status };

  const seed = requestSeed(ctx, page);
  const now = clockOf(ctx);
  const definitions = loadSchemaCatalog().models[schemas.model]?.definitions ?? {};
  const hint = answerHints({ region: ctx.region, pathParams: ctx.pathParams, query: ctx.query, sellingPartnerId: ctx.caller.sellingPartnerId, now, pageToken: ctx.op.pagination?.request });
  let body = sampleFromSchema(schema, definitions, { seed, hint, items: GENERATED_ITEMS, now });
  withoutErrors(body);
  if (pagination) placeToken(ctx, body, pagination.response, page);
  // A hint is checked against its own schema only; should a combination still break the answer's
  // schema, the plain sample (which always fits) is sent instead.
  if (!fitsAnswer(ctx.qualified, status, body)) {
    body = sampleFromSchema(schema, definitions, { seed, items: GENERATED_ITEMS, now });
    if (pagination) placeToken(ctx, body, pagination.response, page);
  }
  return { status, body };
}

function fitsAnswer(qualified: string, status: number, body: unknown): boolean {
  validator ??= new SchemaValidator();
  const problems = validator.response(qualified, status, body);
  return problems === undefined || problems.length === 0;
}

/**
 * Many success schemas allow an `errors` list beside the payload; Amazon sends it on failures
 * only, so a generated success leaves it out (the answer is checked against the schema after).
 */
function withoutErrors(body: unknown): void {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) delete (body as JsonObject)['errors'];
}

/** The next page's token at the model's response path, or no token at all on the last page. */
function placeToken(ctx: CallContext, body: unknown, responsePath: string, page: number): void {
  if (typeof body !== 'object' || body === null) return;
  const path = responsePath.split('.');
  const last = page >= ctx.state.options.pages;
  let node = body as JsonObject;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (typeof child !== 'object' || child === null || Array.isArray(child)) {
      if (last) return;
      const created: JsonObject = {};
      node[key] = created;
      node = created;
    } else {
      node = child as JsonObject;
    }
  }
  const leaf = path.at(-1) as string;
  if (last) delete node[leaf];
  else node[leaf] = ctx.state.pageTokens.seal({ op: ctx.qualified, page: page + 1 }, ctx.region);
}

/**
 * The time generated dates are near. Not the request's own instant: the same request must get the
 * same answer a second later. It is the minute of the emulator's first generated answer, moved on
 * by whole days as the emulator keeps running, so dates stay within days of the clock.
 */
function clockOf(ctx: CallContext): number {
  let anchor = clocks.get(ctx.state);
  if (anchor === undefined) {
    anchor = Math.floor(ctx.now / 60_000) * 60_000;
    clocks.set(ctx.state, anchor);
  }
  return anchor + Math.max(0, Math.floor((ctx.now - anchor) / DAY_MS)) * DAY_MS;
}

/** A 32-bit seed from the emulator's seed, the request (the page token aside) and the page. */
function requestSeed(ctx: CallContext, page: number): number {
  const token = ctx.op.pagination?.request;
  const query = [...ctx.query.entries()].filter(([name]) => !(ctx.op.pagination?.in === 'query' && name === token)).sort(([a], [b]) => a.localeCompare(b));
  let body = ctx.body;
  if (ctx.op.pagination?.in === 'body' && typeof body === 'object' && body !== null && token !== undefined) {
    body = Object.fromEntries(Object.entries(body).filter(([name]) => name !== token));
  }
  const key = JSON.stringify([ctx.state.options.seed, ctx.qualified, ctx.region ?? '', ctx.pathParams, query, body ?? null, page]);
  return createHash('sha256').update(key).digest().readUInt32LE(0);
}
