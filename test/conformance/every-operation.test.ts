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
