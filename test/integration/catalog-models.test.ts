import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCatalogFile, parseCatalogFile } from '../../src/core/catalog/catalog-file.js';
import { CURATED_DATE_TIMES } from '../../src/core/catalog/curated-formats.js';
import { familyOf, generateCatalog } from '../../src/core/catalog/generate.js';
import type { ModelDocument } from '../../src/core/catalog/generate.js';
import { readModelsFromDir } from '../../src/core/catalog/models-source.js';
import { formatSchemaCatalogFile, generateSchemaCatalog } from '../../src/core/catalog/schemas-generate.js';
import type { Catalog, OperationSpec } from '../../src/core/catalog/types.js';

// The models are Amazon's, kept outside the repository; without them these pins cannot run.
const modelsDir = process.env['SPAPI_MODELS_DIR'] ?? fileURLToPath(new URL('../../../shared/sp-api-models', import.meta.url));
const available = existsSync(join(modelsDir, 'models'));
if (!available) {
  console.warn(`\n*** SKIPPED catalog model tests: no models at ${modelsDir}. Set SPAPI_MODELS_DIR to a copy of amzn/selling-partner-api-models. ***\n`);
}

describe.skipIf(!available)('catalog generated from the shared models', () => {
  let catalog: Catalog;
  let documents: ModelDocument[];
  const find = (model: string, operationId: string): OperationSpec[] =>
    catalog.operations.filter((operation) => operation.model === model && operation.operationId === operationId);
  const one = (model: string, operationId: string): OperationSpec => {
    const [operation, ...rest] = find(model, operationId);
    if (!operation || rest.length > 0) throw new Error(`expected exactly one ${model}.${operationId}`);
    return operation;
  };

  beforeAll(() => {
    const snapshot = readModelsFromDir(modelsDir);
    documents = snapshot.documents;
    catalog = generateCatalog(snapshot.documents, { source: snapshot.source, generatedAt: snapshot.committedAt ?? snapshot.source });
  });

  it('has every operation of the 66 models, each key unique', () => {
    expect(catalog.operations).toHaveLength(370);
    expect(new Set(catalog.operations.map((o) => o.model)).size).toBe(66);
    expect(new Set(catalog.operations.map((o) => `${o.model} ${o.method} ${o.path}`)).size).toBe(370);
  });

  it('reads 300 numeric rates and turns the 5 `n` placeholders into null', () => {
    expect(catalog.operations.filter((o) => o.rate !== null && o.burst !== null)).toHaveLength(300);
    const placeholders = find('fulfillmentInbound_2024-03-20', 'listPrepDetails').concat(
      catalog.operations.filter((o) => o.model === 'fulfillmentInbound_2024-03-20' && /SelfShipAppointment/.test(o.operationId)),
    );
    expect(placeholders).toHaveLength(5);
    for (const operation of placeholders) expect([operation.rate, operation.burst]).toEqual([null, null]);
  });

  it('pins ordersV0 getOrders', () => {
    expect(one('ordersV0', 'getOrders')).toMatchObject({
      family: 'orders',
      version: 'v0',
      method: 'GET',
      path: '/orders/v0/orders',
      rate: 0.0167,
      burst: 20,
      pagination: { request: 'NextToken', in: 'query', response: 'payload.NextToken' },
      deprecated: true,
      restricted: true,
    });
  });

  it('pins reports and feeds list pagination as token-alone', () => {
    expect(one('reports_2021-06-30', 'getReports').pagination).toEqual({ request: 'nextToken', in: 'query', response: 'nextToken', tokenAlone: true });
    expect(one('feeds_2021-06-30', 'getFeeds').pagination).toEqual({ request: 'nextToken', in: 'query', response: 'nextToken', tokenAlone: true });
    expect(catalog.operations.filter((o) => o.pagination?.tokenAlone)).toHaveLength(2);
  });

  it('counts pagination by token style (spapi-facts §1.4)', () => {
    const styles: Record<string, number> = {};
    for (const { pagination } of catalog.operations) {
      if (pagination) styles[`${pagination.request}/${pagination.in}`] = (styles[`${pagination.request}/${pagination.in}`] ?? 0) + 1;
    }
    expect(styles).toEqual({
      'nextToken/query': 31,
      'paginationToken/query': 18,
      'pageToken/query': 9,
      'NextToken/query': 9,
      'nextPageToken/query': 5,
      'nextTokenForLineItems/query': 1,
      'paginationToken/body': 1,
    });
  });

  it('pins the dataKiosk createQuery body token', () => {
    expect(one('dataKiosk_2023-11-15', 'createQuery').pagination).toEqual({ request: 'paginationToken', in: 'body', response: '' });
  });

  it('marks the uploads resource path parameter greedy', () => {
    const resource = one('uploads_2020-11-01', 'createUploadDestinationForResource').params.find((p) => p.name === 'resource');
    expect(resource).toMatchObject({ in: 'path', required: true, greedy: true });
  });

  it('keeps both shippingV2 linkCarrierAccount operations', () => {
    expect(find('shippingV2', 'linkCarrierAccount').map((o) => `${o.method} ${o.path}`)).toEqual([
      'POST /shipping/v2/carrierAccounts/{carrierId}',
      'PUT /shipping/v2/carrierAccounts/{carrierId}',
    ]);
  });

  it('knows the 7 + 1 grantless operations and their scopes', () => {
    const grantless = catalog.operations.filter((o) => o.grantlessScope !== null).map((o) => `${o.model}.${o.operationId} ${o.grantlessScope}`);
    expect(grantless.sort()).toEqual([
      'application_2023-11-30.rotateApplicationClientSecret sellingpartnerapi::client_credential:rotation',
      'notifications.createDestination sellingpartnerapi::notifications',
      'notifications.deleteDestination sellingpartnerapi::notifications',
      'notifications.deleteSubscriptionById sellingpartnerapi::notifications',
      'notifications.getDestination sellingpartnerapi::notifications',
      'notifications.getDestinations sellingpartnerapi::notifications',
      'notifications.getSubscriptionById sellingpartnerapi::notifications',
      'notifications.sendTestNotification sellingpartnerapi::notifications',
    ]);
  });

  it('counts restricted, deprecated and sandbox-only operations', () => {
    expect(catalog.operations.filter((o) => o.restricted)).toHaveLength(28);
    expect(one('reports_2021-06-30', 'getReportDocument').restricted).toBe(false);
    expect(catalog.operations.filter((o) => o.deprecated)).toHaveLength(6);
    expect(catalog.operations.filter((o) => o.sandboxOnly)).toHaveLength(9);
  });

  it('finds the main list (rows) of each answer', () => {
    const rows = (model: string, operationId: string): string | null => one(model, operationId).rows;
    expect(rows('sellers', 'getMarketplaceParticipations')).toBe('payload');
    expect(rows('ordersV0', 'getOrders')).toBe('payload.Orders');
    expect(rows('ordersV0', 'getOrderItems')).toBe('payload.OrderItems');
    expect(rows('ordersV0', 'getOrder')).toBe('payload');
    expect(rows('reports_2021-06-30', 'getReports')).toBe('reports');
    expect(rows('catalogItems_2022-04-01', 'searchCatalogItems')).toBe('items');
    expect(rows('orders_2026-01-01', 'searchOrders')).toBe('orders');
    expect(rows('orders_2026-01-01', 'getOrder')).toBe('order');
    expect(rows('messaging', 'getMessagingActionsForOrder')).toBe('_embedded.actions');
    const paths = catalog.operations.map((o) => o.rows);
    expect([paths.filter((p) => p === '').length, paths.filter((p) => p !== null && p !== '').length, paths.filter((p) => p === null).length]).toEqual([1, 206, 163]);
  });

  it('curates only date-time parameters that the models leave without a format (a stale entry fails)', () => {
    const formatless = new Set<string>();
    for (const document of documents) {
      const paths = (document.json as { paths: Record<string, Record<string, { parameters?: Array<Record<string, unknown>> }>> }).paths;
      for (const item of Object.values(paths)) {
        for (const operation of Object.values(item)) {
          for (const p of operation.parameters ?? []) {
            if (p['in'] === 'query' && p['type'] === 'string' && p['format'] === undefined) formatless.add(`${document.name} ${String(p['name'])}`);
          }
        }
      }
    }
    const curated = Object.entries(CURATED_DATE_TIMES).flatMap(([model, names]) => names.map((name) => `${model} ${name}`));
    expect(curated.filter((entry) => !formatless.has(entry))).toEqual([]);
    const marked = catalog.operations.flatMap((o) => o.params.filter((p) => p.format === 'date-time' && CURATED_DATE_TIMES[o.model]?.includes(p.name)));
    expect([curated.length, marked.length]).toEqual([17, 19]);
    expect(one('ordersV0', 'getOrders').params.filter((p) => p.format === 'date-time').map((p) => p.name)).toEqual(CURATED_DATE_TIMES['ordersV0']);
  });

  describe('roles (roles.json)', () => {
    const table = JSON.parse(readFileSync(new URL('../../src/core/catalog/roles.json', import.meta.url), 'utf8')) as {
      roles: string[];
      unverified: string[];
      models: Record<string, { roles: string[]; operations?: Record<string, string[]> }>;
    };
    const roles = (model: string, operationId: string): string[] => one(model, operationId).roles;

    it('gives every operation a roles array: at least one role, none when grantless', () => {
      for (const o of catalog.operations) {
        expect(Array.isArray(o.roles), `${o.model}.${o.operationId}`).toBe(true);
        if (o.grantlessScope === null) expect(o.roles.length, `${o.model}.${o.operationId}`).toBeGreaterThan(0);
        else expect(o.roles, `${o.model}.${o.operationId}`).toEqual([]);
      }
      expect(catalog.operations.filter((o) => o.roles.length > 0)).toHaveLength(362);
    });

    it('uses only role names from the list, and every listed role grants something', () => {
      const used = new Set(catalog.operations.flatMap((o) => o.roles));
      expect([...used].filter((role) => !table.roles.includes(role))).toEqual([]);
      expect(table.roles.filter((role) => !used.has(role))).toEqual([]);
    });

    it('pins well-known operations', () => {
      expect(roles('ordersV0', 'getOrders')).toContain('Inventory and Order Tracking');
      expect(roles('ordersV0', 'getOrderAddress')).toContain('Direct-to-Consumer Shipping (Restricted)');
      expect(roles('ordersV0', 'getOrderAddress')).not.toContain('Inventory and Order Tracking');
      expect(roles('notifications', 'getDestinations')).toEqual([]);
      expect(roles('application_2023-11-30', 'rotateApplicationClientSecret')).toEqual([]);
      const inventory = catalog.operations.filter((o) => o.model === 'fbaInventory');
      expect(inventory).toHaveLength(4);
      for (const o of inventory) expect(o.roles).toContain('Amazon Fulfillment');
      expect(roles('aplusContent_2020-11-01', 'createContentDocument')).toEqual(['Brand Analytics', 'Product Listing']);
      expect(roles('sellers', 'getAccount')).toEqual(['Account Information Service Provider', 'Finance and Accounting']);
      expect(roles('vendorShipments', 'SubmitShipmentConfirmations')).toEqual(['Amazon Fulfillment', 'Inventory and Order Tracking']);
    });

    it('has no stale entries: every key is a model or family, every operation and unverified name exists', () => {
      const families = new Map<string, string[]>();
      for (const document of documents) families.set(familyOf(document.folder), [...(families.get(familyOf(document.folder)) ?? []), document.name]);
      const models = new Set(documents.map((d) => d.name));
      const stale: string[] = [];
      for (const [key, entry] of Object.entries(table.models)) {
        const covered = models.has(key) ? [key] : (families.get(key) ?? []);
        if (covered.length === 0) stale.push(`models.${key}`);
        for (const operationId of Object.keys(entry.operations ?? {})) {
          if (!catalog.operations.some((o) => covered.includes(o.model) && o.operationId === operationId)) stale.push(`models.${key}.operations.${operationId}`);
        }
      }
      stale.push(...table.unverified.filter((name) => !models.has(name)).map((name) => `unverified ${name}`));
      expect(stale).toEqual([]);
    });
  });

  it('matches the committed operations.gen.json (run `npx tsx scripts/gen-catalog.ts` when this fails)', () => {
    const text = readFileSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url), 'utf8');
    expect(parseCatalogFile(text)).toEqual(catalog);
    expect(text).toBe(formatCatalogFile(catalog));
  });

  it('matches the committed schemas.gen.json: every operation, compact (run `npx tsx scripts/gen-catalog.ts` when this fails)', () => {
    const text = readFileSync(new URL('../../src/core/catalog/schemas.gen.json', import.meta.url), 'utf8');
    const schemas = generateSchemaCatalog(documents, { source: catalog.source, generatedAt: catalog.generatedAt });
    expect(text).toBe(formatSchemaCatalogFile(schemas));
    // shippingV2.linkCarrierAccount is both a PUT and a POST of one operation id: one entry.
    expect(Object.keys(schemas.operations)).toHaveLength(new Set(catalog.operations.map((o) => `${o.model}.${o.operationId}`)).size);
    for (const operation of catalog.operations) {
      const entry = schemas.operations[`${operation.model}.${operation.operationId}`];
      expect(entry, `${operation.model}.${operation.operationId}`).toBeDefined();
      if (operation.body) expect(entry?.body, `${operation.model}.${operation.operationId} body`).toBeDefined();
    }
    expect(Buffer.byteLength(text)).toBeLessThan(1_200_000);
    // No prose in the schemas (the sandbox example bodies are data and keep theirs).
    const schemasOnly = JSON.stringify([schemas.models, Object.values(schemas.operations).map(({ bodyExample: _example, ...rest }) => rest)]);
    expect(schemasOnly).not.toMatch(/"(description|title)":"|"x-docgen|"example":/);
  });
});
