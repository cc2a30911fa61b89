/**
 * Pins name resolution and request building against the real generated catalog. The unit tables in
 * lookup.test.ts and build-request.test.ts use inline specs; this file checks that the rules hold
 * for all 370 operations Amazon actually ships.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPageToken, buildRequest } from '../../src/core/catalog/build-request.js';
import { findOperation, qualifiedName } from '../../src/core/catalog/lookup.js';
import { isMarketplaceParam } from '../../src/core/catalog/marketplace-params.js';
import type { Catalog, OperationSpec, ParamSpec } from '../../src/core/catalog/types.js';
import { UsageError } from '../../src/core/errors.js';
import { usageError } from '../helpers/usage-error.js';

const file = new URL('../../src/core/catalog/operations.gen.json', import.meta.url);
const present = existsSync(file);
if (!present) console.warn(`SKIPPED lookup-catalog tests: ${file.pathname} does not exist (run npm run gen:catalog)`);
const catalog: Catalog = present ? (JSON.parse(readFileSync(file, 'utf8')) as Catalog) : { source: '', generatedAt: '', operations: [] };

// The one operationId defined twice inside one model (spapi-facts §1.1).
const DUPLICATE = 'shippingV2.linkCarrierAccount';


/** A plausible value for a parameter, so every operation can be built from its required params. */
function sample(param: ParamSpec): string {
  const type = param.type === 'array' ? (param.items ?? 'string') : param.type;
  const allowed = param.type === 'array' ? param.itemsEnum : param.enum;
  if (allowed?.[0] !== undefined) return allowed[0];
  if (type === 'integer' || type === 'number') return String(param.minimum ?? 1);
  if (type === 'boolean') return 'true';
  if (param.format === 'date-time') return '2024-01-31T00:00:00Z';
  if (param.format === 'date') return '2024-01-31';
  if (isMarketplaceParam(param)) return 'ATVPDKIKX0DER';
  return 'x';
}

describe.skipIf(!present)('generated catalog', () => {
  it('has unique qualified names, except the documented shippingV2 duplicate (PUT and POST)', () => {
    const byName = new Map<string, OperationSpec[]>();
    for (const op of catalog.operations) byName.set(qualifiedName(op), [...(byName.get(qualifiedName(op)) ?? []), op]);
    const duplicates = [...byName].filter(([, ops]) => ops.length > 1);
    expect(duplicates.map(([name]) => name)).toEqual([DUPLICATE]);
    expect(byName.get(DUPLICATE)?.map((op) => op.method).sort()).toEqual(['POST', 'PUT']);
    const withMethod = new Set(catalog.operations.map((op) => `${qualifiedName(op)}:${op.method}`));
    expect(withMethod.size).toBe(catalog.operations.length);
  });

  it('resolves every operation by its qualified name (plus :METHOD for the duplicate)', () => {
    for (const op of catalog.operations) {
      const name = qualifiedName(op) === DUPLICATE ? `${DUPLICATE}:${op.method}` : qualifiedName(op);
      const found = findOperation(catalog, name);
      expect([found.spec.method, found.spec.path, found.notice]).toEqual([op.method, op.path, undefined]);
    }
  });

  it('resolves or rejects every bare operationId with a UsageError, never anything else', () => {
    for (const id of new Set(catalog.operations.map((op) => op.operationId))) {
      try {
        findOperation(catalog, id);
      } catch (error) {
        expect(error, id).toBeInstanceOf(UsageError);
      }
    }
  });

  it('resolves bare getReport to reports_2021-06-30 without a notice', () => {
    const found = findOperation(catalog, 'getReport');
    expect(qualifiedName(found.spec)).toBe('reports_2021-06-30.getReport');
    expect(found.notice).toBeUndefined();
  });

  // Decision: bare getOrders FAILS. orders_2026-01-01 has no getOrders (it has searchOrders), so the
  // candidates are the deprecated ordersV0 one and two Vendor Direct Fulfillment ones: different
  // families, and guessing between a seller and a vendor API would call the wrong one silently.
  it('rejects bare getOrders with the qualified candidates of each family', () => {
    const error = usageError(() => findOperation(catalog, 'getOrders'));
    expect(error.message).toMatch(/^operation getOrders exists in 2 APIs/);
    expect(error.problems.map((line) => line.split(' ')[0])).toEqual([
      'ordersV0.getOrders',
      'vendorDirectFulfillmentOrdersV1.getOrders',
      'vendorDirectFulfillmentOrders_2021-12-28.getOrders',
    ]);
    expect(error.problems[0]).toContain('deprecated');
  });

  it.each([
    ['getCatalogItem', 'catalogItems_2022-04-01'],
    ['searchCatalogItems', 'catalogItems_2022-04-01'],
    ['putListingsItem', 'listingsItems_2021-08-01'],
    ['getRates', 'shippingV2'],
    ['getPackingSlips', 'vendorDirectFulfillmentShipping_2021-12-28'],
    ['getTransactionStatus', 'vendorDirectFulfillmentTransactions_2021-12-28'],
  ])('resolves bare %s to the newest version, %s, with a notice', (name, model) => {
    const found = findOperation(catalog, name);
    expect(found.spec.model).toBe(model);
    expect(found.notice).toContain(`using ${model}.${name}`);
  });

  it('explains the shippingV2 linkCarrierAccount duplicate', () => {
    const error = usageError(() => findOperation(catalog, 'linkCarrierAccount'));
    expect(error.message).toMatch(/defined 2 times in the shippingV2 model/);
    expect(error.hint).toMatch(/shippingV2\.linkCarrierAccount:(PUT|POST) or shippingV2\.linkCarrierAccount:(PUT|POST)/);
  });

  it('builds every operation from sample values of its required parameters', () => {
    for (const op of catalog.operations) {
      const params = op.params.filter((p) => p.required).map((p): [string, string] => [p.name, sample(p)]);
      const request = buildRequest(op, { params, validateBody: false, ...(op.bodyRequired ? { body: {} } : {}) });
      expect(request.path, qualifiedName(op)).not.toMatch(/[{}]/);
      expect(request.path.startsWith('/'), qualifiedName(op)).toBe(true);
    }
  });

  it('knows every marketplace parameter of the catalog, query parameters all', () => {
    const params = catalog.operations.flatMap((op) => op.params.filter((p) => /marketplace/i.test(p.name)));
    expect(params.filter((p) => !isMarketplaceParam(p)).map((p) => p.name)).toEqual([]);
    expect(new Set(params.map((p) => `${p.name} ${p.in}`))).toEqual(
      new Set(['marketplaceId query', 'MarketplaceId query', 'marketplaceIds query', 'MarketplaceIds query']),
    );
    expect(params).toHaveLength(108);
  });

  it('expands marketplace codes and checks the region against the real getOrders', () => {
    const { spec } = findOperation(catalog, 'ordersV0.getOrders');
    expect(buildRequest(spec, { params: [['MarketplaceIds', 'US,CA']], region: 'na' }).query).toEqual([['MarketplaceIds', 'ATVPDKIKX0DER,A2EUQ1WTGCTBG2']]);
    expect(usageError(() => buildRequest(spec, { params: [['MarketplaceIds', 'A1PA6795UKMFR9']], region: 'na' })).problems).toEqual([
      'MarketplaceIds=A1PA6795UKMFR9 (DE) is in region eu, not na: call with --region eu or --marketplace DE',
    ]);
  });

  it('builds the README headline call: CreatedAfter=7d goes out as ISO 8601', () => {
    // spapi call ordersV0.getOrders --marketplace US -p MarketplaceIds=ATVPDKIKX0DER -p CreatedAfter=7d --paginate
    const { spec } = findOperation(catalog, 'ordersV0.getOrders');
    const now = new Date('2026-11-27T12:00:00.250Z');
    const request = buildRequest(spec, { params: [['MarketplaceIds', 'ATVPDKIKX0DER'], ['CreatedAfter', '7d']], now, region: 'na' });
    expect(request.query).toEqual([['CreatedAfter', '2026-11-20T12:00:00Z'], ['MarketplaceIds', 'ATVPDKIKX0DER']]);
  });

  it('sends the getReports page token alone (spapi-facts §1.4)', () => {
    const { spec } = findOperation(catalog, 'reports_2021-06-30.getReports');
    const first = buildRequest(spec, { params: [['reportTypes', 'GET_FLAT_FILE_OPEN_LISTINGS_DATA'], ['pageSize', '10']] });
    expect(applyPageToken(spec, first, 'T').path).toBe('/reports/2021-06-30/reports?nextToken=T');
  });
});
