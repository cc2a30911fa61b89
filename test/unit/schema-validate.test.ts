/**
 * The schema catalog and its validator, on the committed schemas.gen.json: every problem of a
 * body at once, each with its JSON Pointer; Swagger's formats; answers by status.
 */
import { describe, expect, it } from 'vitest';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { loadSchemaCatalog, operationSchemas, successResponses } from '../../src/core/catalog/schemas.js';

const validator = new SchemaValidator();

describe('SchemaValidator', () => {
  it('createReport {}: both required fields, in one list', () => {
    expect(validator.body('reports_2021-06-30.createReport', {})).toEqual([
      { path: '/marketplaceIds', message: 'required' },
      { path: '/reportType', message: 'required' },
    ]);
  });

  it('a wrong type, a bad enum and a date that is not one are each named by path', () => {
    const problems = validator.body('reports_2021-06-30.createReport', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: 'ATVPDKIKX0DER', dataStartTime: 'yesterday' });
    expect(problems).toEqual(expect.arrayContaining([
      { path: '/marketplaceIds', message: 'must be array' },
      { path: '/dataStartTime', message: 'must match format "date-time"' },
    ]));
    const enumProblem = validator.body('feeds_2021-06-30.createFeedDocument', { contentType: 7 });
    expect(enumProblem).toEqual([{ path: '/contentType', message: 'must be string' }]);
  });

  it('a valid body has no problems; an operation without a body has no body schema', () => {
    expect(validator.body('reports_2021-06-30.createReport', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: ['ATVPDKIKX0DER'] })).toEqual([]);
    expect(validator.body('sellers.getMarketplaceParticipations', {})).toBeUndefined();
  });

  it('answers are checked by status against the model', () => {
    expect(validator.response('reports_2021-06-30.createReport', 202, { reportId: '123' })).toEqual([]);
    expect(validator.response('reports_2021-06-30.createReport', 202, { id: 1 })).toEqual([{ path: '/reportId', message: 'required' }]);
    expect(validator.response('reports_2021-06-30.createReport', 400, { errors: [{ code: 'InvalidInput', message: 'x' }] })).toEqual([]);
    expect(validator.response('reports_2021-06-30.createReport', 299, {})).toBeUndefined();
  });

  it('int32 is a width, not a decoration', () => {
    const catalog = loadSchemaCatalog();
    const own = new SchemaValidator({ ...catalog, operations: { 'x.y': { model: 'x', body: { type: 'object', properties: { n: { type: 'integer', format: 'int32' } } }, responses: {} } } });
    expect(own.body('x.y', { n: 2 ** 31 })).toEqual([{ path: '/n', message: 'must match format "int32"' }]);
    expect(own.body('x.y', { n: 12 })).toEqual([]);
  });
});

describe('the schema catalog', () => {
  it('has the sandbox example body where the model has one, and success answers in status order', () => {
    const createReport = operationSchemas('reports_2021-06-30.createReport');
    expect(createReport?.bodyExample).toMatchObject({ reportType: expect.any(String), marketplaceIds: expect.any(Array) });
    expect(successResponses(createReport!).map(([status]) => status)).toEqual([202]);
  });
});
