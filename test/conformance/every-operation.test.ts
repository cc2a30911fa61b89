import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFromSchema } from '../../src/core/catalog/schema-sample.js';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { loadSchemaCatalog, operationSchemas } from '../../src/core/catalog/schemas.js';
import type { OperationSpec, ParamSpec } from '../../src/core/catalog/types.js';
import { STATEFUL_HANDLERS } from '../../src/emulator/apis.js';
import { loadGeneratedCatalog } from '../../src/emulator/catalog.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';

/*
 * Conformance of the emulator to Amazon's models: every GET operation of the catalog, and one
 * operation of every API family (its first that takes a body, if any), called with typed
 * placeholder parameters on the NA host must answer a status its model declares, with a body that
 * validates against that status's schema (none where the model declares none). Stateful handlers
 * answer their own operations (often 404 for a placeholder id); every other one is generated.
 */

const NOW = Date.now();
const MARKETPLACE = 'ATVPDKIKX0DER';
const OPERATIONS = loadGeneratedCatalog();
const validator = new SchemaValidator();
const qualified = (op: OperationSpec): string => `${op.model}.${op.operationId}`;

/** A value of the parameter's type that Amazon's validation accepts. */
function placeholder(param: ParamSpec): string {
  const name = param.name.toLowerCase();
  if (param.enum?.[0] !== undefined) return param.enum[0];
  if (param.itemsEnum?.[0] !== undefined) return param.itemsEnum[0];
  if (name.includes('marketplace')) return MARKETPLACE;
  if (param.format === 'date-time' || /(after|before|date|time|since|until)$/i.test(param.name) && param.type === 'string') return new Date(NOW - 86_400_000).toISOString();
  if (param.format === 'date') return new Date(NOW - 86_400_000).toISOString().slice(0, 10);
  if (param.type === 'integer' || param.type === 'number' || param.items === 'integer') return String(param.minimum ?? Math.min(1, param.maximum ?? 1));
  if (param.type === 'boolean' || param.format === 'boolean') return 'true';
  if (name === 'asin' || name === 'asins') return 'B0TESTASIN';
  if (name.endsWith('orderid')) return '111-1234567-1234567';
  if (name.includes('sku')) return 'SKU-TEST-001';
  if (name.includes('country')) return 'US';
  if (name.includes('currency')) return 'USD';
  if (name.includes('locale') || name.includes('language')) return 'en_US';
  return 'sample1';
}

interface Outcome {
  name: string;
  status: number;
  problems: string[];
  generated: boolean;
}

describe('every operation answers as its model says', () => {
  let emulator: Emulator;
  const tokens = new Map<string, string>();
  const outcomes: Outcome[] = [];

  async function lwa(fields: Record<string, string>): Promise<string> {
    const response = await fetch(emulator.urls.lwa, { method: 'POST', body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, ...fields }) });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function tokenFor(op: OperationSpec): Promise<string> {
    const key = op.grantlessScope ?? 'seller';
    let token = tokens.get(key);
    if (token === undefined) {
      token = op.grantlessScope === null ? await lwa({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN }) : await lwa({ grant_type: 'client_credentials', scope: op.grantlessScope });
      tokens.set(key, token);
    }
    return token;
  }

  /** Calls `op` with placeholders and records whether the answer fits the model. */
  async function check(op: OperationSpec): Promise<Outcome> {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const param = op.params.find((p) => p.in === 'path' && p.name === name);
      return encodeURIComponent(param ? placeholder(param) : 'sample1');
    });
    const query = new URLSearchParams();
    const headers: Record<string, string> = { 'x-amz-access-token': await tokenFor(op) };
    for (const param of op.params.filter((p) => p.required)) {
      if (param.in === 'query') query.set(param.name, placeholder(param));
      if (param.in === 'header') headers[param.name] = placeholder(param);
    }
    const schemas = operationSchemas(qualified(op));
    let body: string | undefined;
    if (op.body && schemas?.body) {
      const definitions = loadSchemaCatalog().models[schemas.model]?.definitions ?? {};
      body = JSON.stringify(sampleFromSchema(schemas.body, definitions, { seed: 7, optional: 'required', now: NOW }));
      headers['content-type'] = 'application/json';
    }
    const qs = query.toString();
    const response = await fetch(`${emulator.urls.spApi}/na${path}${qs ? `?${qs}` : ''}`, { method: op.method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const name = qualified(op);
    const problems: string[] = [];
    const declared = schemas?.responses[String(response.status)];
    if (declared === undefined) {
      problems.push(`status ${response.status} is not declared (${Object.keys(schemas?.responses ?? {}).join(', ')}): ${text.slice(0, 200)}`);
    } else if (declared === null) {
      if (text !== '') problems.push(`status ${response.status} declares no body, got ${text.slice(0, 200)}`);
    } else {
      const found = validator.response(name, response.status, text === '' ? undefined : (JSON.parse(text) as unknown)) ?? [];
      problems.push(...found.slice(0, 5).map((p) => `${response.status} ${p.path} ${p.message}`));
    }
    const outcome = { name, status: response.status, problems, generated: STATEFUL_HANDLERS[name] === undefined };
    outcomes.push(outcome);
    return outcome;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 1_000_000 });
  });
  afterAll(async () => {
    await emulator.close();
    const fitting = outcomes.filter((o) => o.problems.length === 0);
    const generated = outcomes.filter((o) => o.generated);
    console.log(
      `every-operation: ${fitting.length}/${outcomes.length} calls fit their model (${generated.filter((o) => o.problems.length === 0).length}/${generated.length} generated, ` +
        `${fitting.length - generated.filter((o) => o.problems.length === 0).length}/${outcomes.length - generated.length} stateful); ` +
        `statuses ${JSON.stringify(Object.fromEntries([...new Set(outcomes.map((o) => o.status))].sort().map((s) => [s, outcomes.filter((o) => o.status === s).length])))}`,
    );
  });

  const gets = OPERATIONS.filter((op) => op.method === 'GET');
  it('the catalog has about 180 GET operations', () => {
    expect(gets.length).toBeGreaterThan(170);
  });

  it.each(gets.map((op) => [qualified(op), op] as const))('GET %s', async (_, op) => {
    const outcome = await check(op);
    expect(outcome.problems).toEqual([]);
    // Generated answers are successes: the placeholders are valid, so nothing refuses them.
    if (outcome.generated) expect(outcome.status).toBeLessThan(300);
  });

  const families = [...new Set(OPERATIONS.map((op) => op.family))].sort();
  const perFamily = families.map((family) => {
    const ops = OPERATIONS.filter((op) => op.family === family);
    return ops.find((op) => op.body && op.method !== 'GET') ?? (ops[0] as OperationSpec);
  });

  it.each(perFamily.map((op) => [op.family, `${op.method} ${qualified(op)}`, op] as const))('family %s: %s', async (_, __, op) => {
    const outcome = await check(op);
    expect(outcome.problems).toEqual([]);
    if (outcome.generated) expect(outcome.status).toBeLessThan(300);
  });
});

describe('requests are validated like Amazon, before any answer', () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 1_000_000 });
    token = await sellerToken(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  const refusal = async (method: string, path: string, body?: unknown): Promise<{ status: number; errors: Array<{ code: string; message: string; details: string }> }> => {
    const reply = await send(emulator, token, method, path, body);
    return { status: reply.status, errors: (reply.body as { errors: Array<{ code: string; message: string; details: string }> }).errors };
  };

  it.each([
    ['a missing required query parameter', 'GET', '/catalog/2022-04-01/items/B0TESTASIN', /^Missing required parameter: marketplaceIds\.$/],
    ['an integer that is not one', 'GET', '/catalog/2020-12-01/items?marketplaceIds=ATVPDKIKX0DER&keywords=shoe&pageSize=ten', /^pageSize must be an integer; got "ten"\.$/],
    ['an integer above the maximum', 'GET', '/catalog/2020-12-01/items?marketplaceIds=ATVPDKIKX0DER&keywords=shoe&pageSize=21', /^pageSize must be at most 20; got 21\.$/],
    ['a value outside the enum', 'GET', '/catalog/2022-04-01/items/B0TESTASIN?marketplaceIds=ATVPDKIKX0DER&includedData=summaries,bogus', /^Invalid value for includedData: bogus\. Allowed: /],
    ['more items than maxItems', 'GET', '/catalog/2022-04-01/items?marketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2&keywords=shoe', /^marketplaceIds accepts at most 1 value; got 2\.$/],
    ['a boolean that is not one', 'GET', '/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER&details=yes', /^details must be true or false; got "yes"\.$/],
  ])('400 InvalidInput for %s', async (_, method, path, message) => {
    const { status, errors } = await refusal(method, path);
    expect(status).toBe(400);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('InvalidInput');
    expect(errors[0]?.message).toMatch(message);
  });

  it('400 InvalidInput for a body that breaks the schema, every problem in the details', async () => {
    const { status, errors } = await refusal('POST', '/products/fees/v0/listings/SKU-1/feesEstimate', { FeesEstimateRequest: { MarketplaceId: 'ATVPDKIKX0DER', IsAmazonFulfilled: 'yes' } });
    expect(status).toBe(400);
    expect(errors[0]?.code).toBe('InvalidInput');
    expect(errors[0]?.message).toMatch(/^Invalid request body: \/FeesEstimateRequest\/\S+ /);
    expect(errors[0]?.details).toContain('/FeesEstimateRequest/IsAmazonFulfilled must be boolean.');
    expect(errors[0]?.details).toContain('/FeesEstimateRequest/PriceToEstimateFees required.');
  });

  it('400 InvalidInput for a missing required body', async () => {
    const { status, errors } = await refusal('POST', '/products/fees/v0/listings/SKU-1/feesEstimate');
    expect([status, errors[0]?.message]).toEqual([400, 'The request body is required.']);
  });
});

describe('generated answers are realistic and deterministic', () => {
  const emulators: Emulator[] = [];
  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
  });
  const start = async (seed: number): Promise<{ emulator: Emulator; token: string }> => {
    const emulator = await startEmulator({ rateScale: 1_000_000, seed });
    emulators.push(emulator);
    return { emulator, token: await sellerToken(emulator) };
  };

  it('echoes the request, uses the region and its currency, and shapes ids like Amazon', async () => {
    const { emulator, token } = await start(1);
    const inventory = await send(emulator, token, 'GET', '/eu/fba/outbound/2020-07-01/features/inventory/BLANK_BOX?marketplaceId=A1PA6795UKMFR9');
    expect(inventory.status).toBe(200);
    const payload = (inventory.body as { payload: { marketplaceId: string; featureName: string; featureSkus: Array<{ asin: string; sellerSku: string; fnSku: string }> } }).payload;
    expect([payload.marketplaceId, payload.featureName]).toEqual(['A1PA6795UKMFR9', 'BLANK_BOX']);
    expect(payload.featureSkus).toHaveLength(2);
    for (const row of payload.featureSkus) {
      expect(row.asin).toMatch(/^B0[A-Z0-9]{8}$/);
      expect(row.sellerSku).toMatch(/^SKU-[A-Z0-9]{4}-\d{3}$/);
      expect(row.fnSku).toMatch(/^X00[A-Z0-9]{7}$/);
    }
    const order = await send(emulator, token, 'GET', '/eu/fba/outbound/2020-07-01/fulfillmentOrders/FO-1');
    type Money = { currencyCode: string; value: string };
    const fulfillment = (order.body as { payload: { fulfillmentOrder: { sellerFulfillmentOrderId: string; receivedDate: string; destinationAddress: { countryCode: string }; codSettings: Record<string, Money | boolean> } } }).payload.fulfillmentOrder;
    expect(fulfillment.sellerFulfillmentOrderId).toBe('FO-1');
    expect(fulfillment.destinationAddress.countryCode).toBe('DE');
    const charges = Object.values(fulfillment.codSettings).filter((v): v is Money => typeof v === 'object');
    expect(charges.length).toBeGreaterThan(0);
    for (const charge of charges) {
      expect(charge.currencyCode).toBe('EUR');
      expect(charge.value).toMatch(/^\d+\.\d{2}$/);
    }
    expect(Math.abs(Date.parse(fulfillment.receivedDate) - Date.now())).toBeLessThan(8 * 86_400_000);
    // Not echoed: an order id of the region's first marketplace (Amazon.de: 302-306).
    const shipment = await send(emulator, token, 'GET', '/eu/mfn/v0/shipments/S1');
    expect((shipment.body as { payload: { ShipmentId: string; AmazonOrderId: string } }).payload).toMatchObject({ ShipmentId: 'S1', AmazonOrderId: expect.stringMatching(/^30[2-6]-\d{7}-\d{7}$/) });
    const jp = await send(emulator, token, 'GET', '/fe/catalog/2020-12-01/items/B0TESTASIN?marketplaceIds=A1VC38T7YXB528&includedData=summaries');
    expect(jp.body).toMatchObject({ asin: 'B0TESTASIN', summaries: [{ marketplaceId: 'A1VC38T7YXB528' }, { marketplaceId: 'A1VC38T7YXB528' }] });
  });

  it('answers the same request the same way under a seed, and otherwise under another seed', async () => {
    const one = await start(1);
    const again = await start(1);
    const other = await start(2);
    const path = '/na/catalog/2020-12-01/items?marketplaceIds=ATVPDKIKX0DER&keywords=shoe';
    const first = await send(one.emulator, one.token, 'GET', path);
    expect((await send(one.emulator, one.token, 'GET', path)).body).toEqual(first.body);
    expect((await send(again.emulator, again.token, 'GET', path)).body).toEqual(first.body);
    expect((await send(other.emulator, other.token, 'GET', path)).body).not.toEqual(first.body);
    expect((await send(one.emulator, one.token, 'GET', `${path}&pageSize=5`)).body).not.toEqual(first.body);
  });

  it('answers 204 without a body where that is all the model declares', async () => {
    const op = OPERATIONS.find((o) => {
      const schemas = operationSchemas(qualified(o));
      const codes = Object.keys(schemas?.responses ?? {}).filter((c) => c.startsWith('2'));
      return codes.length === 1 && codes[0] === '204' && !STATEFUL_HANDLERS[qualified(o)] && o.grantlessScope === null && !o.body && o.params.every((p) => !p.required || p.in === 'path');
    });
    if (!op) throw new Error('no operation answers 204 only');
    const { emulator, token } = await start(1);
    const reply = await fetch(`${emulator.urls.spApi}${op.path.replace(/\{[^}]+\}/g, 'x1')}`, { method: op.method, headers: { 'x-amz-access-token': token } });
    expect([qualified(op), reply.status, await reply.text()]).toEqual([qualified(op), 204, '']);
  });
});

async function sellerToken(emulator: Emulator): Promise<string> {
  const response = await fetch(emulator.urls.lwa, {
    method: 'POST',
    body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function send(emulator: Emulator, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.urls.spApi}${path}`, {
    method,
    headers: { 'x-amz-access-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
