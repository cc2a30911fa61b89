import { describe, expect, it } from 'vitest';
import { compareVersions, findOperation, listOperations, qualifiedName } from '../../src/core/catalog/lookup.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { didYouMean, editDistance } from '../../src/core/did-you-mean.js';
import { usageError } from '../helpers/usage-error.js';

function op(model: string, family: string, version: string, operationId: string, method: OperationSpec['method'], path: string, deprecated = false): OperationSpec {
  return {
    model, family, version, operationId, method, path, deprecated,
    params: [], body: false, bodyRequired: false, rate: null, burst: null, pagination: null,
    grantlessScope: null, restricted: false, sandboxOnly: false,
  };
}

// A miniature of the real collisions (spapi-facts §0: 31 reused operationIds, one duplicate inside shippingV2).
const catalog = {
  operations: [
    op('ordersV0', 'orders', 'v0', 'getOrders', 'GET', '/orders/v0/orders', true),
    op('ordersV0', 'orders', 'v0', 'getOrder', 'GET', '/orders/v0/orders/{orderId}', true),
    op('orders_2026-01-01', 'orders', '2026-01-01', 'getOrder', 'GET', '/orders/2026-01-01/orders/{orderId}'),
    op('orders_2026-01-01', 'orders', '2026-01-01', 'searchOrders', 'GET', '/orders/2026-01-01/orders'),
    op('vendorDirectFulfillmentOrdersV1', 'vendor-direct-fulfillment-orders', 'v1', 'getOrders', 'GET', '/vendor/directFulfillment/orders/v1/purchaseOrders'),
    op('vendorDirectFulfillmentOrders_2021-12-28', 'vendor-direct-fulfillment-orders', '2021-12-28', 'getOrders', 'GET', '/vendor/directFulfillment/orders/2021-12-28/purchaseOrders'),
    op('reports_2021-06-30', 'reports', '2021-06-30', 'getReport', 'GET', '/reports/2021-06-30/reports/{reportId}'),
    op('reports_2021-06-30', 'reports', '2021-06-30', 'getReports', 'GET', '/reports/2021-06-30/reports'),
    op('catalogItems_2020-12-01', 'catalog-items', '2020-12-01', 'getCatalogItem', 'GET', '/catalog/2020-12-01/items/{asin}'),
    op('catalogItems_2022-04-01', 'catalog-items', '2022-04-01', 'getCatalogItem', 'GET', '/catalog/2022-04-01/items/{asin}'),
    op('catalogItemsV0', 'catalog-items', 'v0', 'listCatalogCategories', 'GET', '/catalog/v0/categories'),
    op('vendorDirectFulfillmentShippingV1', 'vendor-direct-fulfillment-shipping', 'v1', 'getPackingSlip', 'GET', '/vendor/directFulfillment/shipping/v1/packingSlips/{purchaseOrderNumber}'),
    op('vendorDirectFulfillmentShipping_2021-12-28', 'vendor-direct-fulfillment-shipping', '2021-12-28', 'getPackingSlip', 'GET', '/vendor/directFulfillment/shipping/2021-12-28/packingSlips/{purchaseOrderNumber}'),
    op('shipping', 'shipping', 'v1', 'getRates', 'POST', '/shipping/v1/rates'),
    op('shippingV2', 'shipping', 'v2', 'getRates', 'POST', '/shipping/v2/shipments/rates'),
    op('shippingV2', 'shipping', 'v2', 'linkCarrierAccount', 'PUT', '/shipping/v2/carrierAccounts/{carrier_id}'),
    op('shippingV2', 'shipping', 'v2', 'linkCarrierAccount', 'POST', '/shipping/v2/carrierAccounts/{carrier_id}'),
    op('merchantFulfillmentV0', 'merchant-fulfillment', 'v0', 'cancelShipment', 'DELETE', '/mfn/v0/shipments/{shipmentId}'),
    op('shipping', 'shipping', 'v1', 'cancelShipment', 'POST', '/shipping/v1/shipments/{shipmentId}/cancel'),
    op('finances_2024-06-19', 'finances', '2024-06-19', 'listTransactions', 'GET', '/finances/2024-06-19/transactions'),
    op('transfers_2024-06-01', 'finances', '2024-06-01', 'initiatePayout', 'POST', '/finances/transfers/2024-06-01/payouts'),
    // Synthetic: same family and version in two models, so neither can be preferred.
    op('things_2024-01-01', 'things', '2024-01-01', 'listThings', 'GET', '/things/2024-01-01/things'),
    op('thingsExtra_2024-01-01', 'things', '2024-01-01', 'listThings', 'GET', '/things/extra/2024-01-01/things'),
    op('uploads_2020-11-01', 'uploads', '2020-11-01', 'createUploadDestinationForResource', 'POST', '/uploads/2020-11-01/uploadDestinations/{resource}'),
  ],
};


describe('findOperation resolves', () => {
  it.each([
    // [input, model, method, has notice]
    ['getReport', 'reports_2021-06-30', 'GET', false],
    ['reports_2021-06-30.getReport', 'reports_2021-06-30', 'GET', false],
    [' searchOrders ', 'orders_2026-01-01', 'GET', false],
    ['ordersV0.getOrders', 'ordersV0', 'GET', false],
    ['ordersV0.getOrder', 'ordersV0', 'GET', false], // qualified: the deprecated one on purpose
    ['getOrder', 'orders_2026-01-01', 'GET', true], // deprecated v0 loses
    ['getCatalogItem', 'catalogItems_2022-04-01', 'GET', true], // newest date wins
    ['catalogItems_2020-12-01.getCatalogItem', 'catalogItems_2020-12-01', 'GET', false],
    ['getPackingSlip', 'vendorDirectFulfillmentShipping_2021-12-28', 'GET', true], // date beats v1
    ['getRates', 'shippingV2', 'POST', true], // v2 beats v1 in one family
    ['shipping.getRates', 'shipping', 'POST', false],
    ['shippingV2.linkCarrierAccount:PUT', 'shippingV2', 'PUT', false],
    ['shippingV2.linkCarrierAccount:post', 'shippingV2', 'POST', false],
    ['linkCarrierAccount:POST', 'shippingV2', 'POST', false],
    ['getReport:GET', 'reports_2021-06-30', 'GET', false],
    ['merchantFulfillmentV0.cancelShipment', 'merchantFulfillmentV0', 'DELETE', false],
    ['cancelShipment:DELETE', 'merchantFulfillmentV0', 'DELETE', false], // the method alone disambiguates
  ] as const)('%s -> %s %s (notice: %s)', (input, model, method, notice) => {
    const found = findOperation(catalog, input);
    expect([found.spec.model, found.spec.method]).toEqual([model, method]);
    expect(found.notice !== undefined).toBe(notice);
  });

  it('explains the pick in the notice', () => {
    expect(findOperation(catalog, 'getOrder').notice).toBe(
      'getOrder is in 2 versions of the orders API; using orders_2026-01-01.getOrder (2026-01-01). Call ordersV0.getOrder by name to use another.',
    );
  });
});

describe('findOperation fails', () => {
  it.each([
    // Different families: no silent pick between a seller and a vendor API.
    ['getOrders', /^operation getOrders exists in 2 APIs; call it by its qualified name$/, [
      'ordersV0.getOrders (orders v0, deprecated; GET /orders/v0/orders)',
      'vendorDirectFulfillmentOrdersV1.getOrders (vendor-direct-fulfillment-orders v1; GET /vendor/directFulfillment/orders/v1/purchaseOrders)',
      'vendorDirectFulfillmentOrders_2021-12-28.getOrders (vendor-direct-fulfillment-orders 2021-12-28; GET /vendor/directFulfillment/orders/2021-12-28/purchaseOrders)',
    ]],
    ['cancelShipment', /exists in 2 APIs/, [
      'merchantFulfillmentV0.cancelShipment (merchant-fulfillment v0; DELETE /mfn/v0/shipments/{shipmentId})',
      'shipping.cancelShipment (shipping v1; POST /shipping/v1/shipments/{shipmentId}/cancel)',
    ]],
    ['linkCarrierAccount', /^shippingV2\.linkCarrierAccount is defined 2 times in the shippingV2 model \(PUT \/shipping\/v2\/carrierAccounts\/\{carrier_id\}, POST .*\); add the method to pick one$/, [
      'shippingV2.linkCarrierAccount:PUT (PUT /shipping/v2/carrierAccounts/{carrier_id})',
      'shippingV2.linkCarrierAccount:POST (POST /shipping/v2/carrierAccounts/{carrier_id})',
    ]],
    ['shippingV2.linkCarrierAccount', /defined 2 times/, [
      'shippingV2.linkCarrierAccount:PUT (PUT /shipping/v2/carrierAccounts/{carrier_id})',
      'shippingV2.linkCarrierAccount:POST (POST /shipping/v2/carrierAccounts/{carrier_id})',
    ]],
    ['shippingV2.linkCarrierAccount:GET', /^shippingV2\.linkCarrierAccount has no GET variant; use shippingV2\.linkCarrierAccount:PUT, shippingV2\.linkCarrierAccount:POST$/, []],
    ['getReprot', /^unknown operation "getReprot"; did you mean getReport or getReports\?$/, []],
    ['getreport', /did you mean getReport\b/, []], // case-only mistake
    ['GETORDERS', /did you mean getOrders\?/, []],
    ['orders.getOrders', /did you mean ordersV0\.getOrders/, []], // a family is not a model
    ['ordersV0.getOrdrs', /did you mean ordersV0\.getOrders/, []],
    ['reports_2021-06-30.getOrders', /^unknown operation "reports_2021-06-30.getOrders"/, []],
    ['noSuchThingAtAll', /^unknown operation "noSuchThingAtAll"$/, []],
    ['', /^unknown operation ""$/, []],
  ] as const)('%s', (input, message, problems) => {
    const error = usageError(() => findOperation(catalog, input));
    expect(error.message).toMatch(message);
    expect(error.problems).toEqual(problems);
  });

  it('refuses to guess between two models of one family and version', () => {
    const error = usageError(() => findOperation(catalog, 'listThings'));
    expect([error.message, error.hint]).toEqual([
      'operation listThings is ambiguous; call it by its qualified name',
      'use things_2024-01-01.listThings or thingsExtra_2024-01-01.listThings',
    ]);
  });

  it('hints at the PUT/POST spelling for the shippingV2 duplicate', () => {
    expect(usageError(() => findOperation(catalog, 'linkCarrierAccount')).hint).toBe(
      'use shippingV2.linkCarrierAccount:PUT or shippingV2.linkCarrierAccount:POST',
    );
  });

  it('orders suggestions nearest first', () => {
    const error = usageError(() => findOperation(catalog, 'getOrderz'));
    expect(error.message).toBe('unknown operation "getOrderz"; did you mean getOrder or getOrders?');
  });
});

describe('compareVersions', () => {
  it.each([
    ['2021-06-30', 'v0', 1],
    ['v1', '2020-12-01', -1],
    ['v2', 'v1', 1],
    ['v10', 'v9', 1],
    ['2024-03-20', '2021-06-30', 1],
    ['2021-06-30', '2021-06-30', 0],
    ['v1', 'beta', 1],
  ])('%s vs %s -> %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe('qualifiedName', () => {
  it.each([
    [{ model: 'ordersV0', operationId: 'getOrders' }, 'ordersV0.getOrders'],
    [{ model: 'reports_2021-06-30', operationId: 'getReport' }, 'reports_2021-06-30.getReport'],
  ])('%o -> %s', (spec, name) => {
    expect(qualifiedName(spec)).toBe(name);
  });
});

describe('listOperations', () => {
  const names = (opts: Parameters<typeof listOperations>[1]): string[] => listOperations(catalog, opts).map((o) => `${qualifiedName(o)}:${o.method}`);

  it.each([
    [{ api: 'reports' }, ['reports_2021-06-30.getReport:GET', 'reports_2021-06-30.getReports:GET']],
    [{ api: 'ORDERS' }, ['orders_2026-01-01.getOrder:GET', 'orders_2026-01-01.searchOrders:GET', 'ordersV0.getOrder:GET', 'ordersV0.getOrders:GET']],
    [{ api: 'ordersV0' }, ['ordersV0.getOrder:GET', 'ordersV0.getOrders:GET']],
    [{ api: 'shippingV2' }, ['shippingV2.getRates:POST', 'shippingV2.linkCarrierAccount:POST', 'shippingV2.linkCarrierAccount:PUT']],
    [{ api: 'finances' }, ['finances_2024-06-19.listTransactions:GET', 'transfers_2024-06-01.initiatePayout:POST']], // family includes transfers
    [{ api: 'catalogItems_2022' }, ['catalogItems_2022-04-01.getCatalogItem:GET']],
    [{ search: 'packingslip' }, ['vendorDirectFulfillmentShipping_2021-12-28.getPackingSlip:GET', 'vendorDirectFulfillmentShippingV1.getPackingSlip:GET']],
    [{ search: '/mfn/' }, ['merchantFulfillmentV0.cancelShipment:DELETE']],
    [{ api: 'orders', search: 'search' }, ['orders_2026-01-01.searchOrders:GET']],
    [{ search: 'nothing-matches-this' }, []],
    [{ api: '  ', search: '' }, listOperations(catalog).map((o) => `${qualifiedName(o)}:${o.method}`)],
  ])('%o', (opts, expected) => {
    expect(names(opts)).toEqual(expected);
  });

  it('lists everything, sorted, without filters', () => {
    const all = listOperations(catalog);
    expect(all).toHaveLength(catalog.operations.length);
    expect(all.map(qualifiedName)).toEqual([...all.map(qualifiedName)].sort((a, b) => a.localeCompare(b)));
  });

  it('rejects an unknown API with a suggestion', () => {
    expect(usageError(() => listOperations(catalog, { api: 'reprots' })).message).toBe('unknown API "reprots"; did you mean reports?');
  });
});

describe('did-you-mean', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['getOrders', 'getOrders', 0],
    ['getOrdres', 'getOrders', 1], // transposition counts once
    ['getOrdrs', 'getOrders', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // restricted Damerau, not unrestricted
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it.each([
    ['marketplaceIds', ['MarketplaceIds', 'CreatedAfter'], ['MarketplaceIds']],
    ['pagesize', ['pageSize', 'pageToken'], ['pageSize']],
    ['zzz', ['pageSize', 'pageToken'], []],
    ['x', ['a', 'b', 'c', 'd'], ['a', 'b', 'c']], // at most three
    ['getorders', ['getOrders', 'getOrder'], ['getOrders']], // a case-only match wins alone
  ])('didYouMean(%s)', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toEqual(expected);
  });
});
