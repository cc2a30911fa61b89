import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../src/core/catalog/generate.js';
import type { ModelDocument } from '../../src/core/catalog/generate.js';
import { rowsOf } from '../../src/core/catalog/rows.js';
import type { Catalog } from '../../src/core/catalog/types.js';
import { UsageError } from '../../src/core/errors.js';

// The test model is not Amazon's; it brings its own (empty) role table.
const provenance = { source: 'test', generatedAt: '2024-01-01T00:00:00Z', roles: { roles: [], models: { widgets: { roles: [] } } } };
const obj = (properties: Record<string, unknown>): Record<string, unknown> => ({ type: 'object', properties });
const list = (items: unknown): Record<string, unknown> => ({ type: 'array', items });
const str = { type: 'string' };
const thing = obj({ id: str, name: str });
const page = { name: 'nextToken', in: 'query', type: 'string' };

/** One GET operation whose 200 answer has `schema`; `paged` adds a nextToken the response echoes. */
function documents(operationId: string, schema: unknown, options: { paged?: boolean; responses?: Record<string, unknown> } = {}): ModelDocument[] {
  const responses = options.responses ?? (schema === undefined ? { '204': { description: 'none' } } : { '200': { schema } });
  const operation = { operationId, parameters: options.paged ? [page] : [], responses };
  const json = { swagger: '2.0', info: { version: '1' }, paths: { '/w': { get: operation } }, definitions: { Thing: thing, Loop: obj({ next: { $ref: '#/definitions/Loop' } }) } };
  return [{ name: 'widgets', folder: 'widgets-api-model', json }];
}

function rowsFor(operationId: string, schema: unknown, options: { paged?: boolean; responses?: Record<string, unknown> } = {}): string | null | undefined {
  return generateCatalog(documents(operationId, schema, options), provenance).operations[0]?.rows;
}

describe('rows detection', () => {
  it.each([
    // [what, operationId, schema, paged, expected]
    ['the body is an array', 'getFees', list(thing), false, ''],
    ['an array in an envelope, errors ignored', 'getMarketplaceParticipations', obj({ payload: list(thing), errors: list(thing) }), false, 'payload'],
    ['named after the operation, inside payload', 'getOrders', obj({ payload: obj({ Orders: list(thing), NextToken: str, CreatedBefore: str }), errors: list(thing) }), true, 'payload.Orders'],
    ['named by the last word of the operation', 'searchCatalogItems', obj({ numberOfResults: { type: 'integer' }, pagination: obj({ nextToken: str }), refinements: obj({ brands: list(thing) }), items: list(thing) }), true, 'items'],
    ['through a $ref', 'getReports', obj({ reports: list({ $ref: '#/definitions/Thing' }), nextToken: str }), true, 'reports'],
    ['the shallowest list wins', 'listWidgets', obj({ widgets: list(thing), payload: obj({ widgets: list(thing) }) }), false, 'widgets'],
    ['the only array of objects of a paged answer', 'listThings', obj({ results: list(thing), tags: list(str), createdBefore: str, nextToken: str }), true, 'results'],
    ['the same answer unpaged is one record', 'getThing', obj({ results: list(thing), tags: list(str), createdBefore: str }), false, null],
    ['the name equal to the noun beats one ending in it', 'getRates', obj({ payload: obj({ requestToken: str, ineligibleRates: list(thing), rates: list(thing) }) }), false, 'payload.rates'],
    ['arrays of objects beat arrays of scalars', 'listTags', obj({ tags: list(str), widgetTags: list(thing) }), false, 'widgetTags'],
    ['a list of scalars when it is the list', 'getLabelPageTypes', obj({ labelStatus: str, pageTypes: list(str) }), false, 'pageTypes'],
    ['By/For qualifiers are not the noun', 'getSlotsByJobId', obj({ payload: obj({ startTime: str, slots: list(thing) }) }), false, 'payload.slots'],
    ['HAL _embedded beside _links', 'getActionsForOrder', obj({ _links: obj({ actions: list(thing) }), _embedded: obj({ actions: list(thing) }) }), false, '_embedded.actions'],
    ['a record in an envelope, arrays inside it are fields', 'getOrder', obj({ payload: obj({ AmazonOrderId: str, Items: list(thing), Tax: obj({ Parts: list(thing) }) }), errors: list(thing) }), false, 'payload'],
    ['a record without an envelope', 'getReport', obj({ reportId: str, marketplaceIds: list(str) }), false, null],
    ['a singular operation does not name its record\'s arrays', 'getOutbound', obj({ orderId: str, packagesToOutbound: list(thing), productsToOutbound: list(thing) }), false, null],
    ['an envelope around a map', 'cancelShipment', obj({ payload: { type: 'object', additionalProperties: str } }), false, 'payload'],
    ['only errors', 'deleteThing', obj({ errors: list(thing) }), false, null],
    ['two objects are no envelope', 'getPair', obj({ left: thing, right: thing }), false, null],
    ['a recursive definition terminates', 'getLoop', { $ref: '#/definitions/Loop' }, false, 'next'],
    ['no body', 'deleteWidget', undefined, false, null],
  ] as Array<[string, string, unknown, boolean, string | null]>)('%s: %s', (_what, operationId, schema, paged, expected) => {
    expect(rowsFor(operationId, schema, { paged })).toBe(expected);
  });

  it('prefers the 200 answer over other 2xx codes', () => {
    const responses = { '201': { schema: obj({ created: list(thing) }) }, '200': { schema: list(thing) } };
    expect(rowsFor('putThings', undefined, { responses })).toBe('');
  });

  it('stops generation when two lists are equally likely, or the answer schema is dangling', () => {
    const problems = (operationId: string, schema: unknown): string[] => {
      try {
        generateCatalog(documents(operationId, schema), provenance);
      } catch (error) {
        if (error instanceof UsageError) return error.problems;
        throw error;
      }
      return [];
    };
    expect(problems('getTopics', obj({ positiveTopics: list(thing), negativeTopics: list(thing) }))).toEqual([
      'widgets GET /w: the main list is ambiguous: positiveTopics, negativeTopics',
    ]);
    expect(problems('getThing', { $ref: '#/definitions/Missing' })).toEqual(['widgets GET /w: the success response schema does not resolve']);
  });
});

describe('rowsOf', () => {
  const order = { AmazonOrderId: '1' };
  it.each([
    // [rows path, body, expected rows]
    ['payload.Orders', { payload: { Orders: [order, order], NextToken: 't' } }, [order, order]],
    ['payload.Orders', { payload: { Orders: [] } }, []],
    ['payload.Orders', { errors: [{ code: 'x' }] }, []], // missing list: no rows
    ['payload.Orders', { payload: null }, []],
    ['', [1, 2], [1, 2]],
    ['', {}, [{}]], // the catalog promised an array; an object still shows as one row
    ['payload', { payload: order, errors: [] }, [order]],
    ['payload', { errors: [] }, []],
    [null, { reportId: 'r' }, [{ reportId: 'r' }]],
    [null, [1], [[1]]], // null means the whole body is the row, whatever it is
    [null, undefined, []], // no body (204)
    ['reports', undefined, []],
    ['payload.count', { payload: { count: 3 } }, [3]],
  ] as Array<[string | null, unknown, unknown[]]>)('%j of %j', (path, body, rows) => {
    expect(rowsOf({ rows: path }, body)).toEqual({ rows, path });
  });
});

const file = new URL('../../src/core/catalog/operations.gen.json', import.meta.url);
if (!existsSync(file)) console.warn(`SKIPPED: ${file.pathname} is missing, so the committed catalog's rows paths were not checked`);
describe.skipIf(!existsSync(file))('rows in the committed catalog', () => {
  const catalog = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { operations: [] }) as Catalog;
  it.each([
    ['sellers', 'getMarketplaceParticipations', 'payload'],
    ['ordersV0', 'getOrders', 'payload.Orders'],
    ['ordersV0', 'getOrderItems', 'payload.OrderItems'],
    ['ordersV0', 'getOrder', 'payload'],
    ['reports_2021-06-30', 'getReports', 'reports'],
    ['reports_2021-06-30', 'getReport', null],
    ['catalogItems_2022-04-01', 'searchCatalogItems', 'items'],
    ['orders_2026-01-01', 'searchOrders', 'orders'],
    ['orders_2026-01-01', 'getOrder', 'order'],
    ['productFeesV0', 'getMyFeesEstimates', ''],
    ['shippingV2', 'getRates', 'payload.rates'],
    ['fbaInventory', 'getInventorySummaries', 'payload.inventorySummaries'],
  ])('%s.%s → %j', (model, operationId, rows) => {
    const found = catalog.operations.filter((op) => op.model === model && op.operationId === operationId);
    expect(found.map((op) => op.rows)).toEqual([rows]);
  });

  it('gives every operation a rows entry', () => {
    expect(catalog.operations.filter((op) => op.rows === undefined)).toEqual([]);
  });
});
