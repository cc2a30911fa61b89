import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { bodySchema, checkBody, exampleBody } from '../../src/core/catalog/body-check.js';
import { buildRequest } from '../../src/core/catalog/build-request.js';
import { findOperation } from '../../src/core/catalog/lookup.js';
import { loadSchemaCatalog } from '../../src/core/catalog/schemas.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { loadGeneratedCatalog } from '../../src/emulator/catalog.js';
import { usageError } from '../helpers/usage-error.js';

const catalog = { operations: loadGeneratedCatalog() };
const op = (name: string): OperationSpec => findOperation(catalog, name).spec;
const createReport = op('reports_2021-06-30.createReport');
const WITH_BODY = Object.entries(loadSchemaCatalog().operations).filter(([, schemas]) => schemas.body).map(([name]) => name);

describe('checkBody: a body against its model', () => {
  it('lists every problem with its JSON path', () => {
    expect(checkBody(createReport, {})).toEqual(['/marketplaceIds: required', '/reportType: required']);
    expect(checkBody(createReport, { reportType: 'X', marketplaceIds: [] })).toEqual(['/marketplaceIds: must NOT have fewer than 1 items']);
    expect(checkBody(createReport, [])).toEqual(['(the body): must be object']);
  });

  it('is [] for a body that fits, undefined for an operation the schema catalog does not know', () => {
    expect(checkBody(createReport, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: ['ATVPDKIKX0DER'] })).toEqual([]);
    expect(checkBody({ ...createReport, model: 'reports_2099-01-01' }, {})).toBeUndefined();
  });
});

describe('buildRequest checks the body (one rule for spapi call and the lifecycles)', () => {
  it('refuses a body that does not fit, every problem listed, with a hint', () => {
    const error = usageError(() => buildRequest(createReport, { params: [], body: {} }));
    expect(error.message).toBe('the body of reports_2021-06-30.createReport does not fit the model');
    expect(error.problems).toEqual(['/marketplaceIds: required', '/reportType: required']);
    expect(error.hint).toContain('spapi ops describe reports_2021-06-30.createReport');
    expect(error.hint).toContain('--no-validate');
  });

  it('puts a single problem in the message (the CLI lists problems only when there are several)', () => {
    const error = usageError(() => buildRequest(createReport, { params: [], body: { reportType: 'GET_X' } }));
    expect(error.message).toBe('the body of reports_2021-06-30.createReport does not fit the model: /marketplaceIds: required');
  });

  it('lists parameter and body problems together', () => {
    const putItem = op('listingsItems_2021-08-01.putListingsItem');
    const error = usageError(() => buildRequest(putItem, { params: [['sellerId', 'A1'], ['sku', 'S1']], body: { productType: 7 } }));
    expect(error.message).toBe('listingsItems_2021-08-01.putListingsItem: 3 problems with the request');
    expect(error.problems).toEqual([
      'missing required query parameter marketplaceIds (list of string, comma-separated)',
      'body /attributes: required',
      'body /productType: must be string',
    ]);
  });

  it('validateBody: false sends it as given', () => {
    expect(buildRequest(createReport, { params: [], body: {}, validateBody: false }).body).toBe('{}');
  });

  it('an operation the schema catalog does not know goes out unchecked, and the caller is told why', () => {
    const told = vi.fn();
    const newer = { ...createReport, model: 'reports_2099-01-01' };
    expect(buildRequest(newer, { params: [], body: {}, onUncheckedBody: told }).body).toBe('{}');
    expect(told).toHaveBeenCalledWith("reports_2099-01-01.createReport is not in spapi's schema catalog (a newer catalog?): its body is sent unchecked");
    told.mockClear();
    buildRequest(createReport, { params: [], body: { reportType: 'X', marketplaceIds: ['ATVPDKIKX0DER'] }, onUncheckedBody: told });
    expect(told).not.toHaveBeenCalled();
  });
});

describe('bodySchema: self-contained, only what it reaches', () => {
  const require = createRequire(import.meta.url);
  const { Ajv } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

  it('createReport: its definition at the root, ReportOptions beside it, nothing else of the model', () => {
    const schema = bodySchema('reports_2021-06-30.createReport');
    expect(schema?.['title']).toBe('CreateReportSpecification');
    expect(schema?.['required']).toEqual(['marketplaceIds', 'reportType']);
    expect(schema?.['$ref']).toBeUndefined();
    expect(Object.keys(schema?.definitions ?? {})).toEqual(['ReportOptions']);
    expect(Object.keys(loadSchemaCatalog().models['reports_2021-06-30']?.definitions ?? {}).length).toBeGreaterThan(2);
  });

  it('undefined for an operation without a body', () => {
    expect(bodySchema('ordersV0.getOrders')).toBeUndefined();
    expect(exampleBody('ordersV0.getOrders')).toBeUndefined();
  });

  // Every body of the catalog: the schema compiles on its own (a standalone ajv, no model beside
  // it), and the example `ops describe --example` prints fits it and the validator spapi call uses.
  it.each(WITH_BODY)('%s: the schema stands alone and the example fits it', (name) => {
    const schema = bodySchema(name);
    expect(schema).toBeDefined();
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false, unicodeRegExp: false });
    addFormats(ajv);
    for (const format of ['int32', 'int64', 'float', 'double', 'byte']) ajv.addFormat(format, true);
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema)) as object);
    const example = exampleBody(name, undefined, { now: Date.UTC(2026, 0, 15) });
    expect(example).toBeDefined();
    expect(validate(example?.value), JSON.stringify(validate.errors)).toBe(true);
    expect(checkBody({ ...createReport, model: name.slice(0, name.lastIndexOf('.')), operationId: name.slice(name.lastIndexOf('.') + 1) }, example?.value)).toEqual([]);
  });

  it('prefers the model\'s sandbox example, and most bodies have one that fits', () => {
    expect(exampleBody('reports_2021-06-30.createReport')).toEqual({
      source: 'model',
      value: loadSchemaCatalog().operations['reports_2021-06-30.createReport']?.bodyExample,
    });
    const fromModel = WITH_BODY.filter((name) => exampleBody(name)?.source === 'model').length;
    expect(fromModel).toBeGreaterThan(50);
    expect(WITH_BODY.length).toBe(147);
  });
});
