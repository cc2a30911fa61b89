import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { familyOf, generateCatalog, parseRoleTable } from '../../src/core/catalog/generate.js';
import type { GenerateOptions, ModelDocument, RoleTable } from '../../src/core/catalog/generate.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';

const PLAN = '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| 1 | 5 |\n';
// The test models are not Amazon's, so they bring their own role table (keyed by family).
const ROLES: RoleTable = { roles: ['Widget Keeping', 'Order Reading'], models: { widgets: { roles: ['Widget Keeping'] }, orders: { roles: ['Order Reading'] } } };
const provenance: GenerateOptions = { source: 'test', generatedAt: '2024-01-01T00:00:00Z', roles: ROLES };

/** A one-model document set written for these tests. */
function model(paths: Record<string, unknown>, definitions: Record<string, unknown> = {}): ModelDocument[] {
  return [{ name: 'widgets_2024-01-01', folder: 'widgets-api-model', json: { swagger: '2.0', info: { version: '2024-01-01' }, paths, definitions } }];
}

function only(documents: ModelDocument[]): OperationSpec {
  const [operation] = generateCatalog(documents, provenance).operations;
  if (!operation) throw new Error('no operation generated');
  return operation;
}

function problemsOf(documents: ModelDocument[], options: GenerateOptions = provenance): string[] {
  try {
    generateCatalog(documents, options);
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
    expect(operation).toMatchObject({ family: 'widgets', version: '2024-01-01', method: 'GET', rate: 1, burst: 5, body: false, pagination: null, roles: ['Widget Keeping'] });
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
    const roles: RoleTable = { roles: [], models: { b: { roles: [] } } };
    expect(problemsOf(documents, { ...provenance, roles })).toEqual(['a: not a Swagger 2.0 document', 'b: two model files share this name']);
  });
});

describe('roles', () => {
  const document = (name: string, folder: string, operationIds: string[]): ModelDocument => ({
    name,
    folder,
    json: { swagger: '2.0', info: { version: '1' }, paths: Object.fromEntries(operationIds.map((id) => [`/${id}`, { get: { operationId: id, responses: {} } }])) },
  });
  const rolesOf = (catalog: { operations: OperationSpec[] }): Record<string, string[]> =>
    Object.fromEntries(catalog.operations.map((o) => [`${o.model}.${o.operationId}`, o.roles]));

  it('takes the model entry before the family one, an operation\'s own roles where listed, sorted; grantless operations get none', () => {
    const roles: RoleTable = {
      roles: ['Alpha', 'Zeta', 'Admin', 'Family', 'Notified'],
      models: {
        'widgets_2024-01-01': { roles: ['Zeta', 'Alpha'], operations: { deleteWidget: ['Admin'] } },
        widgets: { roles: ['Family'] },
        notifications: { roles: ['Notified'] },
      },
    };
    const catalog = generateCatalog(
      [
        document('widgets_2024-01-01', 'widgets-api-model', ['listWidgets', 'deleteWidget']),
        document('widgets_2025-01-01', 'widgets-api-model', ['listWidgets']),
        document('notifications', 'notifications-api-model', ['getDestinations', 'getSubscription']),
      ],
      { ...provenance, roles },
    );
    expect(rolesOf(catalog)).toEqual({
      'notifications.getDestinations': [],
      'notifications.getSubscription': ['Notified'],
      'widgets_2024-01-01.listWidgets': ['Alpha', 'Zeta'],
      'widgets_2024-01-01.deleteWidget': ['Admin'],
      'widgets_2025-01-01.listWidgets': ['Family'],
    });
  });

  it('stops on a model that roles.json does not know, so a new model forces an entry', () => {
    // No `roles` option: the bundled roles.json, which knows Amazon's models only.
    const bundled = { source: provenance.source, generatedAt: provenance.generatedAt };
    expect(problemsOf([document('gizmos_2030-01-01', 'gizmos-api-model', ['listGizmos'])], bundled)).toEqual([
      'gizmos_2030-01-01: src/core/catalog/roles.json has no entry for this model or its family "gizmos"; add one from Amazon\'s role mappings',
    ]);
  });

  it('with a warn callback, gives an unknown model no roles and reports it instead of failing', () => {
    const warnings: string[] = [];
    const catalog = generateCatalog([document('gizmos_2030-01-01', 'gizmos-api-model', ['listGizmos'])], { ...provenance, warn: (m) => warnings.push(m) });
    expect(rolesOf(catalog)).toEqual({ 'gizmos_2030-01-01.listGizmos': [] });
    expect(warnings).toEqual(['gizmos_2030-01-01: src/core/catalog/roles.json has no entry for this model or its family "gizmos"; its operations get no roles']);
  });

  it.each([
    ['a role missing from the list', { roles: ['A'], models: { m: { roles: ['A', 'B'] } } }, /models\.m\.roles names roles missing from "roles": B/],
    ['an operation role missing from the list', { roles: ['A'], models: { m: { roles: ['A'], operations: { op: ['C'] } } } }, /models\.m\.operations\.op names roles missing/],
    ['a duplicate role name', { roles: ['A', 'A'], models: {} }, /distinct strings/],
    ['an entry without roles', { roles: ['A'], models: { m: {} } }, /models\.m\.roles is not a list of strings/],
  ])('rejects a role table with %s', (_name, table, message) => {
    expect(() => parseRoleTable(table)).toThrow(message);
  });
});
