import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { familyOf, generateCatalog } from '../../src/core/catalog/generate.js';
import type { ModelDocument } from '../../src/core/catalog/generate.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';

const PLAN = '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| 1 | 5 |\n';
const provenance = { source: 'test', generatedAt: '2024-01-01T00:00:00Z' };

/** A one-model document set written for these tests. */
function model(paths: Record<string, unknown>, definitions: Record<string, unknown> = {}): ModelDocument[] {
  return [{ name: 'widgets_2024-01-01', folder: 'widgets-api-model', json: { swagger: '2.0', info: { version: '2024-01-01' }, paths, definitions } }];
}

function only(documents: ModelDocument[]): OperationSpec {
  const [operation] = generateCatalog(documents, provenance).operations;
  if (!operation) throw new Error('no operation generated');
  return operation;
}

function problemsOf(documents: ModelDocument[]): string[] {
  try {
    generateCatalog(documents, provenance);
  } catch (error) {
    if (error instanceof UsageError) return error.problems;
    throw error;
  }
  return [];
}

describe('familyOf', () => {
  it.each([
    ['orders-api-model', 'orders'],
    ['easy-ship-model', 'easy-ship'],
    ['vendor-direct-fulfillment-orders-api-model', 'vendor-direct-fulfillment-orders'],
    ['external-fulfillment', 'external-fulfillment'],
  ])('%s -> %s', (folder, family) => expect(familyOf(folder)).toBe(family));
});

describe('generateCatalog', () => {
  it('merges path-level parameters, the operation winning by name and location', () => {
    const operation = only(
      model({
        '/w/{id}': {
          parameters: [
            { name: 'id', in: 'path', required: true, type: 'string' },
            { name: 'locale', in: 'query', type: 'string' },
          ],
          get: { operationId: 'getWidget', description: PLAN, parameters: [{ name: 'locale', in: 'query', required: true, type: 'string', enum: ['en', 'de'] }], responses: {} },
        },
      }),
    );
    expect(operation.params).toEqual([
      { name: 'id', in: 'path', required: true, type: 'string' },
      { name: 'locale', in: 'query', required: true, type: 'string', enum: ['en', 'de'] },
    ]);
    expect(operation).toMatchObject({ family: 'widgets', version: '2024-01-01', method: 'GET', rate: 1, burst: 5, body: false, pagination: null });
  });

  it('records arrays with csv as the default collection format, and greedy path parameters', () => {
    const operation = only(
      model({
        '/w/{resource}': {
          post: {
            operationId: 'put',
            parameters: [
              { name: 'resource', in: 'path', required: true, type: 'string', 'x-amazon-spds-greedy-path-parameter': true },
              { name: 'ids', in: 'query', type: 'array', items: { type: 'string', enum: ['A', 'B'] }, maxItems: 2 },
              { name: 'tags', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'multi' },
              { name: 'count', in: 'query', type: 'integer', format: 'int32', minimum: 1, maximum: 10 },
              { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
            ],
            responses: {},
          },
        },
      }),
    );
    expect(operation.params).toEqual([
      { name: 'resource', in: 'path', required: true, type: 'string', greedy: true },
      { name: 'ids', in: 'query', required: false, type: 'array', items: 'string', itemsEnum: ['A', 'B'], collectionFormat: 'csv', maxItems: 2 },
      { name: 'tags', in: 'query', required: false, type: 'array', items: 'string', collectionFormat: 'multi' },
      { name: 'count', in: 'query', required: false, type: 'integer', format: 'int32', minimum: 1, maximum: 10 },
    ]);
    expect(operation).toMatchObject({ body: true, bodyRequired: true, rate: null, burst: null });
  });

  it('adds the curated date-time format to format-less query parameters, nowhere else', () => {
    const documents: ModelDocument[] = [{
      name: 'ordersV0',
      folder: 'orders-api-model',
      json: {
        swagger: '2.0',
        info: { version: 'v0' },
        paths: {
          '/orders/{CreatedAfter}': {
            get: {
              operationId: 'getOrders',
              parameters: [
                { name: 'CreatedAfter', in: 'query', type: 'string' },
                { name: 'LastUpdatedAfter', in: 'query', type: 'string', format: 'date' },
                { name: 'CreatedBefore', in: 'header', type: 'string' },
                { name: 'SellerOrderId', in: 'query', type: 'string' },
              ],
              responses: {},
            },
          },
        },
      },
    }];
    expect(only(documents).params.map((p) => [p.name, p.format])).toEqual([
      ['CreatedAfter', 'date-time'],
      ['LastUpdatedAfter', 'date'], // the model's own format wins
      ['CreatedBefore', undefined], // curated entries are query parameters only
      ['SellerOrderId', undefined],
    ]);
  });

  it('finds the next token through $refs and marks a token that must be sent alone', () => {
    const operation = only(
      model(
        {
          '/w': {
            get: {
              operationId: 'listWidgets',
              parameters: [{ name: 'nextToken', in: 'query', type: 'string', description: 'Send this token as the only parameter.' }],
              responses: { '200': { schema: { $ref: '#/definitions/ListResponse' } }, '400': { schema: { $ref: '#/definitions/Errors' } } },
            },
          },
        },
        {
          ListResponse: { type: 'object', properties: { payload: { $ref: '#/definitions/Payload' } } },
          Payload: { allOf: [{ $ref: '#/definitions/Paged' }] },
          Paged: { type: 'object', properties: { pagination: { type: 'object', properties: { previousToken: { type: 'string' }, nextToken: { type: 'string' } } } } },
          Errors: { type: 'object' },
        },
      ),
    );
    expect(operation.pagination).toEqual({ request: 'nextToken', in: 'query', response: 'payload.pagination.nextToken', tokenAlone: true });
  });

  it('detects a page token carried in the body', () => {
    const operation = only(
      model(
        { '/q': { post: { operationId: 'createQuery', parameters: [{ name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Spec' } }], responses: {} } } },
        { Spec: { type: 'object', properties: { query: { type: 'string' }, paginationToken: { type: 'string' } } } },
      ),
    );
    expect(operation.pagination).toEqual({ request: 'paginationToken', in: 'body', response: '' });
  });

  it('takes sandbox-only and deprecated flags from the operation or the path', () => {
    const [a, b] = generateCatalog(
      model({
        '/a': { 'x-amzn-api-sandbox-only': true, get: { operationId: 'a', deprecated: true, responses: {} } },
        '/b': { get: { operationId: 'b', 'x-amzn-api-sandbox-only': true, responses: {} } },
      }),
      provenance,
    ).operations;
    expect([a?.sandboxOnly, a?.deprecated, b?.sandboxOnly, b?.deprecated]).toEqual([true, true, true, false]);
  });

  it('sorts by model, path and method whatever the input order', () => {
    const operations = generateCatalog(
      model({ '/b': { put: { operationId: 'p', responses: {} }, get: { operationId: 'g', responses: {} } }, '/a': { post: { operationId: 'a', responses: {} } } }),
      provenance,
    ).operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(operations).toEqual(['POST /a', 'GET /b', 'PUT /b']);
  });

  it('stops on anything it does not understand, listing every problem', () => {
    const problems = problemsOf(
      model({
        '/w': {
          post: {
            operationId: 'upload',
            description: '**Usage Plan:** | Rate (requests per second) | Burst | (garbled)',
            parameters: [
              { name: 'file', in: 'formData', type: 'file' },
              { name: 'ids', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'pipes' },
              { name: 'nextToken', in: 'query', type: 'string' },
            ],
            responses: { '200': { schema: { type: 'object', properties: {} } } },
          },
          head: { operationId: 'peek', responses: {} },
        },
      }),
    );
    expect(problems).toEqual([
      'widgets_2024-01-01 POST /w: parameter "file" has unknown location "formData"',
      'widgets_2024-01-01 POST /w: array parameter "ids" has unsupported collectionFormat "pipes"',
      'widgets_2024-01-01 POST /w: the usage-plan table in the description cannot be parsed',
      'widgets_2024-01-01 POST /w: page token parameter "nextToken" has no next-token field in the success response',
      'widgets_2024-01-01 HEAD /w: unsupported path item entry "head"',
    ]);
  });

  it('rejects documents that are not Swagger 2.0 and duplicate model names', () => {
    const documents: ModelDocument[] = [
      { name: 'a', folder: 'a-api-model', json: { openapi: '3.0.0' } },
      { name: 'b', folder: 'b-api-model', json: { swagger: '2.0', info: { version: '1' }, paths: {} } },
      { name: 'b', folder: 'c-api-model', json: { swagger: '2.0', info: { version: '1' }, paths: {} } },
    ];
    expect(problemsOf(documents)).toEqual(['a: not a Swagger 2.0 document', 'b: two model files share this name']);
  });
});
