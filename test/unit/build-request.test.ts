import { describe, expect, it } from 'vitest';
import { applyPageToken, buildRequest } from '../../src/core/catalog/build-request.js';
import type { RequestInput } from '../../src/core/catalog/build-request.js';
import type { OperationSpec, ParamSpec } from '../../src/core/catalog/types.js';
import { SpapiError } from '../../src/core/errors.js';
import { usageError } from '../helpers/usage-error.js';

// Inline specs shaped like the generated catalog entries they imitate (spapi-facts §1.1, §1.4).
function spec(model: string, operationId: string, method: OperationSpec['method'], path: string, params: ParamSpec[], extra: Partial<OperationSpec> = {}): OperationSpec {
  return {
    model, family: 'test', version: 'v0', operationId, method, path, params,
    body: false, bodyRequired: false, rate: null, burst: null, pagination: null, rows: null,
    deprecated: false, grantlessScope: null, restricted: false, sandboxOnly: false, ...extra,
  };
}
const q = (name: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ name, in: 'query', required: false, type: 'string', ...extra });
const p = (name: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ name, in: 'path', required: true, type: 'string', ...extra });
const h = (name: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ name, in: 'header', required: false, type: 'string', ...extra });

const getOrders = spec('ordersV0', 'getOrders', 'GET', '/orders/v0/orders', [
  q('CreatedAfter', { format: 'date-time' }),
  q('MarketplaceIds', { required: true, type: 'array', items: 'string', maxItems: 3 }),
  q('OrderStatuses', { type: 'array', items: 'string', itemsEnum: ['Pending', 'Unshipped', 'Shipped'] }),
  q('MaxResultsPerPage', { type: 'integer', format: 'int32', minimum: 1, maximum: 100 }),
  q('IsISPU', { type: 'boolean' }),
  q('NextToken'),
], { pagination: { request: 'NextToken', in: 'query', response: 'payload.NextToken' } });

const getOrder = spec('ordersV0', 'getOrder', 'GET', '/orders/v0/orders/{orderId}', [p('orderId')]);

const uploads = spec('uploads_2020-11-01', 'createUploadDestinationForResource', 'POST', '/uploads/2020-11-01/uploadDestinations/{resource}', [
  q('marketplaceIds', { required: true, type: 'array', items: 'string', collectionFormat: 'csv' }),
  q('contentMD5', { required: true }),
  p('resource', { greedy: true }),
]);

const listPrepDetails = spec('fulfillmentInbound_2024-03-20', 'listPrepDetails', 'GET', '/inbound/fba/2024-03-20/items/prepDetails', [
  q('marketplaceId', { required: true }),
  q('mskus', { required: true, type: 'array', items: 'string', collectionFormat: 'multi', maxItems: 3 }),
]);

const tracking = spec('tracking_2026-01-30', 'getTrackingInformation', 'GET', '/tracking/2026-01-30/tracking', [
  q('carrierTracking.trackingNumber', { required: true }),
  q('carrierTracking.carrierId', { required: true }),
]);

const getRates = spec('shippingV2', 'getRates', 'POST', '/shipping/v2/shipments/rates', [
  h('x-amzn-shipping-business-id', { enum: ['AmazonShipping_US', 'AmazonShipping_UK'] }),
], { body: true, bodyRequired: true });

const createQuery = spec('dataKiosk_2023-11-15', 'createQuery', 'POST', '/dataKiosk/2023-11-15/queries', [], {
  body: true, bodyRequired: true, pagination: { request: 'paginationToken', in: 'body', response: 'pagination.nextToken' },
});

const getReports = spec('reports_2021-06-30', 'getReports', 'GET', '/reports/2021-06-30/reports', [
  q('reportTypes', { type: 'array', items: 'string', maxItems: 10 }),
  q('pageSize', { type: 'integer', minimum: 1, maximum: 100 }),
  q('createdSince', { format: 'date-time' }),
  q('nextToken'),
], { pagination: { request: 'nextToken', in: 'query', response: 'nextToken', tokenAlone: true } });

const pricing = spec('productPricingV0', 'getPricing', 'GET', '/products/pricing/v0/price', [
  q('MaxPrice', { type: 'number' }),
  q('Since', { format: 'date' }),
  q('ItemCondition', { enum: ['New', 'Used'] }),
]);

const deleteThing = spec('test', 'deleteThing', 'DELETE', '/things/{thingId}', [p('thingId')], { body: false });
const patchThing = spec('test', 'patchThing', 'PATCH', '/things', [], { body: true, bodyRequired: false });


type Params = RequestInput['params'];
const now = new Date('2026-11-27T12:00:00.500Z');

/** Prefixes each table row with `model.operationId` so test titles stay one readable line. */
function named<T extends [OperationSpec, ...unknown[]]>(rows: T[]): Array<[string, ...T]> {
  return rows.map((row) => [`${row[0].model}.${row[0].operationId}`, ...row]);
}

describe('buildRequest: path and query', () => {
  it.each(named([
    // [spec, params, expected path (encoded, with query)]
    [getOrder, [['orderId', '902-3159896-1390916']], '/orders/v0/orders/902-3159896-1390916'],
    [getOrder, [['orderId', 'a b/c?d#e']], '/orders/v0/orders/a%20b%2Fc%3Fd%23e'],
    [getOrder, [['orderId', '%41']], '/orders/v0/orders/%2541'], // encoded exactly once
    [getOrder, [['orderId', '$&$1']], '/orders/v0/orders/%24%26%241'], // no replace() patterns
    [getOrder, [['orderId', 'Ü']], '/orders/v0/orders/%C3%9C'],
    [uploads, [['resource', 'aplus/2020-11-01/contentDocuments'], ['marketplaceIds', 'ATVPDKIKX0DER'], ['contentMD5', 'x==']], '/uploads/2020-11-01/uploadDestinations/aplus/2020-11-01/contentDocuments?marketplaceIds=ATVPDKIKX0DER&contentMD5=x%3D%3D'],
    [uploads, [['resource', 'a b/c?d'], ['marketplaceIds', 'ATVPDKIKX0DER'], ['contentMD5', 'm']], '/uploads/2020-11-01/uploadDestinations/a%20b/c%3Fd?marketplaceIds=ATVPDKIKX0DER&contentMD5=m'],
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DER']], '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER'],
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DER,A2EUQ1WTGCTBG2']], '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER%2CA2EUQ1WTGCTBG2'],
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DER'], ['MarketplaceIds', 'A2EUQ1WTGCTBG2']], '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER%2CA2EUQ1WTGCTBG2'],
    [getOrders, [['MarketplaceIds', ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2']]], '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER%2CA2EUQ1WTGCTBG2'],
    [getOrders, [['MarketplaceIds', ' ATVPDKIKX0DER , A2EUQ1WTGCTBG2 ']], '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER%2CA2EUQ1WTGCTBG2'], // items are trimmed
    // catalog order, whatever the flag order
    [getOrders, [['NextToken', 't/+='], ['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '2024-01-01T00:00:00Z']], '/orders/v0/orders?CreatedAfter=2024-01-01T00%3A00%3A00Z&MarketplaceIds=ATVPDKIKX0DER&NextToken=t%2F%2B%3D'],
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DER'], ['IsISPU', 'TRUE'], ['MaxResultsPerPage', '100']], '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&MaxResultsPerPage=100&IsISPU=true'],
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DER'], ['OrderStatuses', 'Pending,Shipped']], '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&OrderStatuses=Pending%2CShipped'],
    [listPrepDetails, [['marketplaceId', 'ATVPDKIKX0DER'], ['mskus', 'a,b']], '/inbound/fba/2024-03-20/items/prepDetails?marketplaceId=ATVPDKIKX0DER&mskus=a&mskus=b'],
    [listPrepDetails, [['mskus', 'a'], ['marketplaceId', 'ATVPDKIKX0DER'], ['mskus', 'b']], '/inbound/fba/2024-03-20/items/prepDetails?marketplaceId=ATVPDKIKX0DER&mskus=a&mskus=b'],
    [listPrepDetails, [['marketplaceId', 'ATVPDKIKX0DER'], ['mskus', 'sku\\,with\\,commas,b']], '/inbound/fba/2024-03-20/items/prepDetails?marketplaceId=ATVPDKIKX0DER&mskus=sku%2Cwith%2Ccommas&mskus=b'],
    [tracking, [['carrierTracking.trackingNumber', '1Z 99'], ['carrierTracking.carrierId', 'UPS']], '/tracking/2026-01-30/tracking?carrierTracking.trackingNumber=1Z%2099&carrierTracking.carrierId=UPS'],
    [pricing, [['MaxPrice', '19.99'], ['Since', '2024-02-29'], ['ItemCondition', 'Used']], '/products/pricing/v0/price?MaxPrice=19.99&Since=2024-02-29&ItemCondition=Used'],
    [pricing, [['MaxPrice', '-1e3']], '/products/pricing/v0/price?MaxPrice=-1e3'],
    [pricing, [], '/products/pricing/v0/price'],
  ] as Array<[OperationSpec, Params, string]>))('%#: %s', (_name, op, params, path) => {
    const request = buildRequest(op, { params });
    expect(request.path).toBe(path);
    expect(request.pathTemplate).toBe(op.path);
    expect(request.method).toBe(op.method);
  });

  it('returns decoded query pairs (a multi array repeats its name)', () => {
    expect(buildRequest(listPrepDetails, { params: [['marketplaceId', 'ATVPDKIKX0DER'], ['mskus', 'a,b']] }).query).toEqual([['marketplaceId', 'ATVPDKIKX0DER'], ['mskus', 'a'], ['mskus', 'b']]);
    expect(buildRequest(getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER,A2EUQ1WTGCTBG2']] }).query).toEqual([['MarketplaceIds', 'ATVPDKIKX0DER,A2EUQ1WTGCTBG2']]);
    expect(buildRequest(tracking, { params: [['carrierTracking.carrierId', 'UPS'], ['carrierTracking.trackingNumber', '1']] }).query)
      .toEqual([['carrierTracking.trackingNumber', '1'], ['carrierTracking.carrierId', 'UPS']]);
  });

  it.each([
    // [typed, sent]: RFC 3339 goes out as typed, every other accepted form in UTC
    ['2024-01-31T23:59:59Z', '2024-01-31T23:59:59Z'],
    ['2024-01-31T23:59:59.123Z', '2024-01-31T23:59:59.123Z'],
    ['2024-01-31T23:59:59.000Z', '2024-01-31T23:59:59.000Z'],
    ['2024-01-31T23:59:59+01:00', '2024-01-31T23:59:59+01:00'],
    ['2024-01-31T23:59:59-0530', '2024-02-01T05:29:59Z'],
    ['2024-01-31T23:59Z', '2024-01-31T23:59:00Z'],
    ['2024-01-31t23:59:59z', '2024-01-31T23:59:59Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00Z'],
    ['2026-11-01', '2026-11-01T00:00:00Z'],
    ['2026-11-01T10:00', '2026-11-01T10:00:00Z'],
    ['7d', '2026-11-20T12:00:00Z'],
    ['12h', '2026-11-27T00:00:00Z'],
    ['30m', '2026-11-27T11:30:00Z'],
    ['90s', '2026-11-27T11:58:30Z'],
  ])('sends the date-time %s as %s', (value, sent) => {
    const request = buildRequest(getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', value]], now });
    expect(request.query[0]).toEqual(['CreatedAfter', sent]);
    expect(request.path).toBe(`/orders/v0/orders?CreatedAfter=${encodeURIComponent(sent)}&MarketplaceIds=ATVPDKIKX0DER`);
  });

  it('reads ages against the current time when no clock is given', () => {
    const before = Date.now();
    const sent = buildRequest(getReports, { params: [['createdSince', '1h']] }).query[0]?.[1] ?? '';
    expect(sent).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Math.abs(Date.parse(sent) - (before - 3_600_000))).toBeLessThan(5_000);
  });
});

describe('buildRequest: headers and body', () => {
  it.each(named([
    [getRates, { params: [['x-amzn-shipping-business-id', 'AmazonShipping_US']], body: { a: 1 } }, { 'x-amzn-shipping-business-id': 'AmazonShipping_US' }, '{"a":1}'],
    [getRates, { params: [], body: [] }, {}, '[]'],
    [getRates, { params: [], body: 'text' }, {}, '"text"'],
    [getRates, { params: [], body: null }, {}, 'null'], // null is a JSON body, not an absent one
    [createQuery, { params: [], body: { query: 'query { x }' } }, {}, '{"query":"query { x }"}'],
    [patchThing, { params: [] }, {}, undefined], // optional body may be left out
  ] as Array<[OperationSpec, RequestInput, Record<string, string>, string | undefined]>))('%#: %s', (_name, op, input, headers, body) => {
    // These bodies are about passing JSON through; checking them against the models is body-check.test.ts.
    const request = buildRequest(op, { validateBody: false, ...input });
    expect(request.headers).toEqual(headers);
    expect(request.body).toBe(body);
    expect(request.query).toEqual([]);
  });
});

const NOT_A_DATE = 'is not an ISO 8601 date-time, a date or an age: use e.g. 2026-11-01T00:00:00Z, 2026-11-01 or an age (7d, 12h, 30m, 90s)';

describe('buildRequest: problems', () => {
  it.each(named([
    [getOrders, { params: [] }, ['missing required query parameter MarketplaceIds (list of string, comma-separated)']],
    [getOrder, { params: [] }, ['missing required path parameter orderId']],
    [getOrder, { params: [['orderId', '']] }, ['orderId: a path parameter cannot be empty']],
    [getOrder, { params: [['orderId', 'a'], ['orderId', 'b']] }, ['orderId takes one value, got 2']],
    [getOrders, { params: [['marketplaceIds', 'ATVPDKIKX0DER']] }, ['unknown parameter marketplaceIds; did you mean MarketplaceIds?', 'missing required query parameter MarketplaceIds (list of string, comma-separated)']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['nextToken', 't'], ['nextToken', 'u']] }, ['unknown parameter nextToken; did you mean NextToken?']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['Frobnicate', '1']] }, ['unknown parameter Frobnicate']],
    [getOrder, { params: [['orderId', '1'], ['OrderID', '1']] }, ['unknown parameter OrderID; did you mean orderId?']],
    [deleteThing, { params: [['thingId', '1'], ['body', '{}']] }, ['unknown parameter body']],
    [getRates, { params: [['body', '{}']], body: {} }, ['unknown parameter body: pass the body with --body']],
    [createQuery, { params: [['x', '1']], body: {} }, ['unknown parameter x (dataKiosk_2023-11-15.createQuery takes no parameters)']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['OrderStatuses', 'Pending,shipped,Lost']] }, [
      'OrderStatuses: "shipped" is not allowed (did you mean Shipped?); allowed: Pending, Unshipped, Shipped',
      'OrderStatuses: "Lost" is not allowed; allowed: Pending, Unshipped, Shipped',
    ]],
    [pricing, { params: [['ItemCondition', 'Refurbished']] }, ['ItemCondition: "Refurbished" is not allowed; allowed: New, Used']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['MaxResultsPerPage', '0']] }, ['MaxResultsPerPage: 0 is below the minimum 1']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['MaxResultsPerPage', '101']] }, ['MaxResultsPerPage: 101 is above the maximum 100']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['MaxResultsPerPage', '1.5']] }, ['MaxResultsPerPage: "1.5" is not an integer']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['MaxResultsPerPage', 'ten']] }, ['MaxResultsPerPage: "ten" is not an integer']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['IsISPU', 'yes']] }, ['IsISPU: "yes" is not a boolean (true or false)']],
    [pricing, { params: [['MaxPrice', '1,5']] }, ['MaxPrice: "1,5" is not a number']],
    [pricing, { params: [['MaxPrice', '']] }, ['MaxPrice: "" is not a number']],
    [pricing, { params: [['Since', '2023-02-29']] }, ['Since: "2023-02-29" is not an ISO 8601 date (e.g. 2024-01-31)']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', 'yesterday']] }, [`CreatedAfter: "yesterday" ${NOT_A_DATE}`]],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '01/02/2024']] }, [`CreatedAfter: "01/02/2024" ${NOT_A_DATE}`]],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '2024-02-30T00:00:00Z']] }, ['CreatedAfter: "2024-02-30T00:00:00Z" is not an ISO 8601 date-time: 2024-02 has 29 days']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '2026-02-30']] }, ['CreatedAfter: "2026-02-30" is not an ISO 8601 date-time: 2026-02 has 28 days']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '2026-13-01']] }, ['CreatedAfter: "2026-13-01" is not an ISO 8601 date-time: there is no month 13']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '2026-11-01T25:00:00Z']] }, ['CreatedAfter: "2026-11-01T25:00:00Z" is not an ISO 8601 date-time: hour 25 is above 23']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '2024-01-01T24:00:00Z']] }, ['CreatedAfter: "2024-01-01T24:00:00Z" is not an ISO 8601 date-time: hour 24 is above 23']],
    [getReports, { params: [['createdSince', '7 days']] }, [`createdSince: "7 days" ${NOT_A_DATE}`]],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER,A2EUQ1WTGCTBG2,A1AM78C64UM0Y8,A2Q3Y263D00KWC']] }, ['MarketplaceIds: at most 3 items, got 4']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER,,A2EUQ1WTGCTBG2']] }, ['MarketplaceIds: empty item in "ATVPDKIKX0DER,,A2EUQ1WTGCTBG2"']],
    [getOrders, { params: [['MarketplaceIds', '']] }, ['MarketplaceIds: empty item in ""']],
    [getOrders, { params: [['MarketplaceIds', 'ATVPDKIKX0DER\\,A2EUQ1WTGCTBG2']] }, ['MarketplaceIds: an item cannot contain a comma (the API joins items with commas)']],
    [listPrepDetails, { params: [['marketplaceId', 'ATVPDKIKX0DER'], ['mskus', 'a,b'], ['mskus', 'c,d']] }, ['mskus: at most 3 items, got 4']],
    [getRates, { params: [['x-amzn-shipping-business-id', 'AmazonShipping_FR']], body: {} }, ['x-amzn-shipping-business-id: "AmazonShipping_FR" is not allowed; allowed: AmazonShipping_US, AmazonShipping_UK']],
    [getRates, { params: [] }, ['missing required body (pass it with --body)']],
    [getOrder, { params: [['orderId', '1']], body: {} }, ['ordersV0.getOrder takes no body']],
    [spec('x', 'broken', 'GET', '/a/{b}', []), { params: [] }, ['path placeholder {b} has no parameter in the catalog']],
  ] as Array<[OperationSpec, RequestInput, string[]]>))('%#: %s', (_name, op, input, problems) => {
    const error = usageError(() => buildRequest(op, { validateBody: false, ...input }));
    expect(error.problems).toEqual(problems);
    expect(error.kind).toBe('usage');
  });

  it('reports every problem in one error', () => {
    const error = usageError(() =>
      buildRequest(getOrders, {
        params: [['marketplaceIds', 'ATVPDKIKX0DER'], ['MaxResultsPerPage', '0'], ['IsISPU', 'maybe'], ['CreatedAfter', 'now']],
        body: { x: 1 },
      }),
    );
    expect(error.message).toBe('ordersV0.getOrders: 6 problems with the request');
    expect(error.problems).toEqual([
      'unknown parameter marketplaceIds; did you mean MarketplaceIds?',
      `CreatedAfter: "now" ${NOT_A_DATE}`,
      'missing required query parameter MarketplaceIds (list of string, comma-separated)',
      'MaxResultsPerPage: 0 is below the minimum 1',
      'IsISPU: "maybe" is not a boolean (true or false)',
      'ordersV0.getOrders takes no body',
    ]);
  });

  it('puts a single problem in the message', () => {
    expect(usageError(() => buildRequest(getOrder, { params: [] })).message).toBe('ordersV0.getOrder: missing required path parameter orderId');
  });

  it('refuses line breaks in header values', () => {
    const op = spec('x', 'y', 'GET', '/y', [h('x-amzn-IdempotencyKey')]);
    expect(usageError(() => buildRequest(op, { params: [['x-amzn-IdempotencyKey', 'a\r\nx-evil: 1']] })).problems).toEqual([
      'x-amzn-IdempotencyKey: a header value cannot contain a line break',
    ]);
  });
});

describe('buildRequest: marketplace ids', () => {
  const US = 'ATVPDKIKX0DER';
  const DE = 'A1PA6795UKMFR9';
  const UK = 'A1F83G8C2ARO7P';
  const JP = 'A1VC38T7YXB528';
  const getItems = spec('catalogItems_2022-04-01', 'searchCatalogItems', 'GET', '/catalog/2022-04-01/items', [
    q('marketplaceIds', { required: true, type: 'array', items: 'string', collectionFormat: 'multi' }),
  ]);

  it.each(named([
    // [spec, params, region, expected query]
    [getOrders, [['MarketplaceIds', 'US']], undefined, [['MarketplaceIds', US]]],
    [getOrders, [['MarketplaceIds', 'us']], undefined, [['MarketplaceIds', US]]],
    [getOrders, [['MarketplaceIds', 'US,DE']], undefined, [['MarketplaceIds', `${US},${DE}`]]], // no region: anything goes
    [getOrders, [['MarketplaceIds', 'GB'], ['MarketplaceIds', 'uk']], 'eu', [['MarketplaceIds', `${UK},${UK}`]]],
    [getOrders, [['MarketplaceIds', 'atvpdkikx0der']], 'na', [['MarketplaceIds', US]]],
    [getOrders, [['MarketplaceIds', 'A3NEWMARKET01']], 'na', [['MarketplaceIds', 'A3NEWMARKET01']]], // unknown id: Amazon may have opened it
    [getOrders, [['MarketplaceIds', `DE,${UK}`]], 'eu', [['MarketplaceIds', `${DE},${UK}`]]],
    [listPrepDetails, [['marketplaceId', 'de'], ['mskus', 'a']], 'eu', [['marketplaceId', DE], ['mskus', 'a']]],
    [uploads, [['resource', 'r'], ['marketplaceIds', 'JP'], ['contentMD5', 'm']], 'fe', [['marketplaceIds', JP], ['contentMD5', 'm']]],
    [getItems, [['marketplaceIds', 'US,CA']], 'na', [['marketplaceIds', US], ['marketplaceIds', 'A2EUQ1WTGCTBG2']]],
  ] as Array<[OperationSpec, Params, RequestInput['region'], Array<[string, string]>]>))('%#: %s %j (region %s)', (_name, op, params, region, query) => {
    expect(buildRequest(op, { params, ...(region ? { region } : {}) }).query).toEqual(query);
  });

  it.each(named([
    // [spec, params, region, problems]
    [getOrders, [['MarketplaceIds', DE]], 'na', [`MarketplaceIds=${DE} (DE) is in region eu, not na: call with --region eu or --marketplace DE`]],
    [getOrders, [['MarketplaceIds', 'de']], 'na', [`MarketplaceIds=${DE} (DE) is in region eu, not na: call with --region eu or --marketplace DE`]],
    [getOrders, [['MarketplaceIds', 'US,JP']], 'fe', [`MarketplaceIds=${US} (US) is in region na, not fe: call with --region na or --marketplace US`]],
    [listPrepDetails, [['marketplaceId', 'GB'], ['mskus', 'a']], 'na', [`marketplaceId=${UK} (UK) is in region eu, not na: call with --region eu or --marketplace UK`]],
    [getOrders, [['MarketplaceIds', 'germany']], undefined, ['MarketplaceIds: unknown marketplace "germany"; did you mean DE?']],
    [getOrders, [['MarketplaceIds', 'USA']], 'na', ['MarketplaceIds: unknown marketplace "USA"; did you mean SA or US?']],
    [getOrders, [['MarketplaceIds', 'US,x']], 'na', ['MarketplaceIds: unknown marketplace "x"; did you mean MX?']],
    [getOrders, [['MarketplaceIds', 'us-east-1']], 'na', ['MarketplaceIds: unknown marketplace "us-east-1"']],
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DE']], 'na', ['MarketplaceIds: unknown marketplace "ATVPDKIKX0DE"; did you mean ATVPDKIKX0DER (US)?']], // a typo, not a new id
  ] as Array<[OperationSpec, Params, RequestInput['region'], string[]]>))('%#: %s %j (region %s)', (_name, op, params, region, problems) => {
    expect(usageError(() => buildRequest(op, { params, ...(region ? { region } : {}) })).problems).toEqual(problems);
  });
});

describe('applyPageToken', () => {
  it.each(named([
    // [spec, params, token, expected path]
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DER'], ['MaxResultsPerPage', '5']], 'T1', '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&MaxResultsPerPage=5&NextToken=T1'],
    [getOrders, [['MarketplaceIds', 'ATVPDKIKX0DER'], ['NextToken', 'old'], ['IsISPU', 'false']], 'T/2', '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&IsISPU=false&NextToken=T%2F2'],
    [getOrders, [['NextToken', 'old'], ['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '2024-01-01']], 'new', '/orders/v0/orders?CreatedAfter=2024-01-01T00%3A00%3A00Z&MarketplaceIds=ATVPDKIKX0DER&NextToken=new'],
    // getReports: the token must travel alone
    [getReports, [['reportTypes', 'A,B'], ['pageSize', '10']], 'R=', '/reports/2021-06-30/reports?nextToken=R%3D'],
    [getReports, [], 'R', '/reports/2021-06-30/reports?nextToken=R'],
  ] as Array<[OperationSpec, Params, string, string]>))('%#: %s', (_name, op, params, token, path) => {
    const first = buildRequest(op, { params });
    const next = applyPageToken(op, first, token);
    expect(next.path).toBe(path);
    expect(next.query.filter(([n]) => n === op.pagination?.request)).toEqual([[op.pagination?.request, token]]);
    expect(first.path).toBe(buildRequest(op, { params }).path); // the original is untouched
  });

  it('keeps headers when the token travels alone', () => {
    const op = { ...getReports, params: [...getReports.params, h('x-test')] };
    const next = applyPageToken(op, buildRequest(op, { params: [['x-test', 'v'], ['pageSize', '2']] }), 'T');
    expect(next.headers).toEqual({ 'x-test': 'v' });
    expect(next.query).toEqual([['nextToken', 'T']]);
  });

  it('puts a body token into the JSON body (dataKiosk createQuery)', () => {
    const first = buildRequest(createQuery, { params: [], body: { query: 'q', paginationToken: 'old' } });
    const next = applyPageToken(createQuery, first, 'P2');
    expect(JSON.parse(next.body ?? '')).toEqual({ query: 'q', paginationToken: 'P2' });
    expect(next.path).toBe('/dataKiosk/2023-11-15/queries');
    expect(JSON.parse(first.body ?? '')).toEqual({ query: 'q', paginationToken: 'old' });
  });

  it('refuses an operation without pagination', () => {
    expect(() => applyPageToken(getOrder, buildRequest(getOrder, { params: [['orderId', '1']] }), 'T')).toThrow(SpapiError);
  });
});
