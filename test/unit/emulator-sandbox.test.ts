import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../src/core/catalog/generate.js';
import type { ModelDocument } from '../../src/core/catalog/generate.js';
import { loadGeneratedCatalog } from '../../src/emulator/catalog.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { sandboxOperations } from '../../src/emulator/sandbox/examples.js';
import type { ListedParam, SandboxExample } from '../../src/emulator/sandbox/examples.js';
import { exampleReply, NO_MATCH_MESSAGE, SandboxIndex } from '../../src/emulator/sandbox/index.js';
import { deepEqual, matchExample, paramMatches } from '../../src/emulator/sandbox/match.js';
import type { SandboxRequest } from '../../src/emulator/sandbox/match.js';
import { sellerAccessToken } from '../helpers/emulator.js';

const request = (parts: { path?: Record<string, string>; query?: string; headers?: Record<string, string>; body?: unknown } = {}): SandboxRequest => ({
  pathParams: parts.path ?? {},
  query: new URLSearchParams(parts.query ?? ''),
  headers: parts.headers ?? {},
  body: parts.body,
});

const param = (name: string, location: ListedParam['in'], value: unknown, type = 'string'): ListedParam => ({ name, in: location, value, type });

const example = (status: number, params: ListedParam[], response: unknown = { status }): SandboxExample => ({
  source: 'static',
  status,
  params,
  anyBody: false,
  hasResponse: true,
  response,
  responseHeaders: {},
  where: `${status} static[0]`,
});

describe('paramMatches', () => {
  const cases: Array<[string, ListedParam, SandboxRequest, boolean]> = [
    ['path value equal', param('orderId', 'path', '123-1'), request({ path: { orderId: '123-1' } }), true],
    ['path value different', param('orderId', 'path', '123-1'), request({ path: { orderId: '123-2' } }), false],
    ['query string equal', param('status', 'query', 'DONE'), request({ query: 'status=DONE' }), true],
    ['query absent', param('status', 'query', 'DONE'), request({ query: 'other=DONE' }), false],
    ['query sent twice for a scalar', param('status', 'query', 'DONE'), request({ query: 'status=DONE&status=DONE' }), false],
    ['integer by value', param('pageSize', 'query', 10, 'integer'), request({ query: 'pageSize=10' }), true],
    ['integer by value, other spelling', param('pageSize', 'query', 10, 'integer'), request({ query: 'pageSize=10.0' }), true],
    ['integer differs', param('pageSize', 'query', 10, 'integer'), request({ query: 'pageSize=11' }), false],
    ['number listed as string', param('weight', 'query', '1.50', 'number'), request({ query: 'weight=1.5' }), true],
    ['boolean by value', param('preview', 'query', true, 'boolean'), request({ query: 'preview=true' }), true],
    ['boolean case-insensitive', param('preview', 'query', 'True', 'boolean'), request({ query: 'preview=TRUE' }), true],
    ['boolean differs', param('preview', 'query', false, 'boolean'), request({ query: 'preview=true' }), false],
    ['array listed as JSON array, sent csv', param('ids', 'query', ['A', 'B'], 'array'), request({ query: 'ids=A%2CB' }), true],
    ['array listed as JSON array, sent multi', param('ids', 'query', ['A', 'B'], 'array'), request({ query: 'ids=A&ids=B' }), true],
    ['array listed as csv text, sent multi', param('ids', 'query', 'A,B', 'array'), request({ query: 'ids=A&ids=B' }), true],
    ['array listed as csv text with spaces', param('ids', 'query', 'A, B', 'array'), request({ query: 'ids=A,B' }), true],
    ['array order matters', param('ids', 'query', ['A', 'B'], 'array'), request({ query: 'ids=B,A' }), false],
    ['array with an extra item', param('ids', 'query', ['A'], 'array'), request({ query: 'ids=A,B' }), false],
    ['array listed for an undeclared param', param('ids', 'query', ['A', 'B']), request({ query: 'ids=A,B' }), true],
    ['header case-insensitive name', param('x-amzn-shipping-business-id', 'header', 'AmazonShipping_US'), request({ headers: { 'x-amzn-shipping-business-id': 'AmazonShipping_US' } }), true],
    ['header with capitals in the model', param('Accept-Language', 'header', 'en_US'), request({ headers: { 'accept-language': 'en_US' } }), true],
    ['header absent', param('locale', 'header', 'en_US'), request(), false],
    ['body deep-equal, other key order', param('body', 'body', { a: 1, b: [1, { c: 'x' }] }), request({ body: { b: [1, { c: 'x' }], a: 1 } }), true],
    ['body with an extra key', param('body', 'body', { a: 1 }), request({ body: { a: 1, b: 2 } }), false],
    ['body missing', param('body', 'body', { a: 1 }), request(), false],
    ['body number by value', param('body', 'body', { a: 1.0 }), request({ body: { a: 1 } }), true],
    ['body array order matters', param('body', 'body', [1, 2]), request({ body: [2, 1] }), false],
  ];
  it.each(cases)('%s', (_name, listed, req, expected) => {
    expect(paramMatches(listed, req)).toBe(expected);
  });
});

describe('matchExample', () => {
  const general = example(200, [param('marketplaceIds', 'query', ['ATVPDKIKX0DER'], 'array')], 'general');
  const specific = example(200, [param('marketplaceIds', 'query', ['ATVPDKIKX0DER'], 'array'), param('status', 'query', 'DONE')], 'specific');
  const invalid = example(400, [param('marketplaceIds', 'query', ['ATVPDKIKX0DER'], 'array'), param('status', 'query', 'BAD')], 'invalid');
  const first = example(200, [param('id', 'path', '1')], 'first');
  const second = example(400, [param('id', 'path', '1')], 'second');
  const anything = example(403, [], 'anything');

  const cases: Array<[string, SandboxExample[], SandboxRequest, unknown]> = [
    ['the listed params are a subset of the request', [general], request({ query: 'marketplaceIds=ATVPDKIKX0DER&pageSize=5' }), 'general'],
    ['the most specific match wins, whatever the order', [general, specific], request({ query: 'marketplaceIds=ATVPDKIKX0DER&status=DONE' }), 'specific'],
    ['the most specific match wins (listed last)', [specific, general], request({ query: 'marketplaceIds=ATVPDKIKX0DER&status=DONE' }), 'specific'],
    ['a more specific example that does not match is skipped', [general, specific, invalid], request({ query: 'marketplaceIds=ATVPDKIKX0DER&status=OTHER' }), 'general'],
    ['the error example when its values are sent', [general, specific, invalid], request({ query: 'marketplaceIds=ATVPDKIKX0DER&status=BAD' }), 'invalid'],
    ['a tie goes to the first in model order', [first, second], request({ path: { id: '1' } }), 'first'],
    ['an example without params matches anything', [anything], request({ query: 'x=1' }), 'anything'],
    ['an example without params loses to any listed match', [anything, first], request({ path: { id: '1' } }), 'first'],
    ['no match', [general, first], request({ query: 'marketplaceIds=A1F83G8C2ARO7P' }), undefined],
  ];
  it.each(cases)('%s', (_name, examples, req, expected) => {
    expect(matchExample(examples, req)?.response).toBe(expected);
  });
});

describe('deepEqual', () => {
  it.each([
    [{ a: [1, { b: null }] }, { a: [1, { b: null }] }, true],
    [{ a: 1 }, { a: '1' }, false],
    [[], {}, false],
    [null, {}, false],
    [{ a: undefined }, { b: undefined }, false],
  ])('%j vs %j', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });
});

// A synthetic model with every non-conforming shape spapi-facts §1.3 lists.
const MODEL: ModelDocument = {
  name: 'widgets_2024-01-01',
  folder: 'widgets-api-model',
  json: {
    swagger: '2.0',
    info: { version: '2024-01-01', title: 'Widgets' },
    paths: {
      '/widgets/2024-01-01/widgets/{widgetId}': {
        parameters: [{ name: 'widgetId', in: 'path', required: true, type: 'string' }],
        get: {
          operationId: 'getWidget',
          parameters: [{ name: 'includeParts', in: 'query', type: 'boolean' }],
          responses: {
            '200': {
              description: 'ok',
              'x-amzn-api-sandbox': {
                static: [
                  { request: { parameters: { widgetId: { value: 'W1' } } }, response: { id: 'W1' } },
                  { request: { parameters: { widgetId: { value: 'W1' }, includeParts: { value: true } } }, response: { id: 'W1', parts: [] } },
                  // `body: {}` on an operation without a body constrains nothing.
                  { request: { parameters: { widgetId: { value: 'W3' }, body: {} } }, response: { id: 'W3' } },
                ],
              },
            },
            '400': {
              description: 'bad',
              'x-amzn-api-sandbox': { static: [{ request: { parameters: { widgetId: { value: 'BAD' } } }, response: { errors: [{ code: 'InvalidInput', message: 'bad id' }] } }] },
              'x-amazon-spds-sandbox-behaviors': [{ request: { parameters: { widgetId: { value: 'OLD' } } }, response: { errors: [{ code: 'InvalidInput', message: 'legacy' }] } }],
            },
          },
        },
        put: {
          operationId: 'putWidget',
          parameters: [{ name: 'payload', in: 'body', required: true, schema: { type: 'object' } }],
          responses: {
            '201': {
              description: 'created',
              'x-amzn-api-sandbox': {
                static: [
                  // Named `body` although the model calls it `payload`, with a stray key beside `value`.
                  { request: { parameters: { widgetId: { value: 'W1' }, body: { value: { name: 'a' }, widgetId: { value: 'W1' } } } }, response: { ok: 'value' }, responseHeaders: { location: { value: '/widgets/W1' } } },
                  // The raw body without the {value} wrapper (easyShip).
                  { request: { parameters: { widgetId: { value: 'W2' }, payload: { name: 'raw' } } }, response: { ok: 'raw' } },
                  // Any body (`body: {}`).
                  { request: { parameters: { widgetId: { value: 'W3' }, payload: {} } }, response: { ok: 'any' } },
                ],
              },
            },
            '204': { description: 'no content', 'x-amzn-api-sandbox': { static: [{ request: { parameters: { widgetId: { value: 'EMPTY' } } } }] } },
          },
        },
        delete: {
          operationId: 'deleteWidget',
          // Written 400 first, but JSON.parse puts integer keys in ascending order: 200 is "first".
          responses: {
            '400': { description: 'response only', 'x-amzn-api-sandbox': { static: [{ response: { errors: [{ code: 'InvalidInput', message: 'not enrolled' }] } }] } },
            '200': { description: 'request: {}', 'x-amzn-api-sandbox': { static: [{ request: {}, response: { deleted: true } }] } },
          },
        },
      },
      '/widgets/2024-01-01/live': {
        'x-amzn-api-sandbox': { dynamic: {} },
        get: { operationId: 'listLive', responses: { '200': { description: 'ok' } } },
      },
      '/widgets/2024-01-01/plain': {
        get: { operationId: 'plain', 'x-amzn-api-sandbox': { dynamic: {} }, responses: { '200': { description: 'ok' } } },
        post: { operationId: 'none', responses: { '200': { description: 'ok' } } },
      },
    },
  },
};

describe('sandboxOperations (non-conforming shapes)', () => {
  const ops = sandboxOperations(MODEL);
  const op = (operationId: string) => {
    const found = ops.find((o) => o.operationId === operationId);
    if (!found) throw new Error(operationId);
    return found;
  };

  it('reads every operation, static examples before legacy ones, and the dynamic markers at path and operation level', () => {
    expect(ops.map((o) => [o.operationId, o.method, o.dynamic, o.examples.length])).toEqual([
      ['getWidget', 'GET', false, 5],
      ['putWidget', 'PUT', false, 4],
      ['deleteWidget', 'DELETE', false, 2],
      ['listLive', 'GET', true, 0],
      ['plain', 'GET', true, 0],
      ['none', 'POST', false, 0],
    ]);
    expect(op('getWidget').examples.map((e) => [e.where, e.source])).toEqual([
      ['200 static[0]', 'static'],
      ['200 static[1]', 'static'],
      ['200 static[2]', 'static'],
      ['400 static[0]', 'static'],
      ['400 x-amazon-spds-sandbox-behaviors[0]', 'legacy'],
    ]);
  });

  it('takes parameter locations and types from the model, path-level ones included', () => {
    expect(op('getWidget').examples[1]?.params).toEqual([param('widgetId', 'path', 'W1'), param('includeParts', 'query', true, 'boolean')]);
  });

  it('tolerates body shapes: {value} under another name with a stray key, raw body, and body: {}', () => {
    const [wrapped, raw, any] = op('putWidget').examples;
    expect(wrapped?.params).toEqual([param('widgetId', 'path', 'W1'), { name: 'body', in: 'body', value: { name: 'a' }, type: 'object' }]);
    expect(wrapped?.responseHeaders).toEqual({ location: '/widgets/W1' });
    expect(raw?.params[1]).toEqual({ name: 'payload', in: 'body', value: { name: 'raw' }, type: 'object' });
    expect(any?.params).toEqual([param('widgetId', 'path', 'W3')]);
    expect(any?.anyBody).toBe(true);
    expect(op('getWidget').examples[2]?.params).toEqual([param('widgetId', 'path', 'W3')]);
  });

  it('reads request-only, response-only and request: {} entries', () => {
    const empty = op('putWidget').examples[3];
    expect([empty?.status, empty?.hasResponse, empty?.params]).toEqual([204, false, [param('widgetId', 'path', 'EMPTY')]]);
    expect(op('deleteWidget').examples.map((e) => [e.status, e.params.length, e.hasResponse])).toEqual([
      [200, 0, true],
      [400, 0, true],
    ]);
  });
});

describe('SandboxIndex', () => {
  const index = new SandboxIndex(sandboxOperations(MODEL), '/models');
  const at = (method: string, path: string, operationId: string) => ({ model: 'widgets_2024-01-01', method, path, operationId });
  const widget = (method: string, operationId: string) => at(method, '/widgets/2024-01-01/widgets/{widgetId}', operationId);

  const cases: Array<[string, ReturnType<typeof at>, SandboxRequest, number, unknown]> = [
    ['the general example', widget('GET', 'getWidget'), request({ path: { widgetId: 'W1' } }), 200, { id: 'W1' }],
    ['the specific example', widget('GET', 'getWidget'), request({ path: { widgetId: 'W1' }, query: 'includeParts=true' }), 200, { id: 'W1', parts: [] }],
    ['an unlisted value of a listed param falls back to the general one', widget('GET', 'getWidget'), request({ path: { widgetId: 'W1' }, query: 'includeParts=false' }), 200, { id: 'W1' }],
    ['a legacy example', widget('GET', 'getWidget'), request({ path: { widgetId: 'OLD' } }), 400, { errors: [{ code: 'InvalidInput', message: 'legacy' }] }],
    ['a body named `body` in the example', widget('PUT', 'putWidget'), request({ path: { widgetId: 'W1' }, body: { name: 'a' } }), 201, { ok: 'value' }],
    ['a raw body', widget('PUT', 'putWidget'), request({ path: { widgetId: 'W2' }, body: { name: 'raw' } }), 201, { ok: 'raw' }],
    ['any body', widget('PUT', 'putWidget'), request({ path: { widgetId: 'W3' }, body: { whatever: 1 } }), 201, { ok: 'any' }],
    ['a 204 without a body', widget('PUT', 'putWidget'), request({ path: { widgetId: 'EMPTY' }, body: {} }), 204, undefined],
    ['request: {} and response-only tie: the lower response code wins', widget('DELETE', 'deleteWidget'), request({ path: { widgetId: 'X' } }), 200, { deleted: true }],
  ];
  it.each(cases)('%s', (_name, op, req, status, body) => {
    const reply = index.reply(op, req);
    expect(reply?.status).toBe(status);
    expect(reply?.body).toEqual(body);
  });

  it('answers 400 InvalidInput listing what the examples expect when none matches', () => {
    const reply = index.reply(widget('PUT', 'putWidget'), request({ path: { widgetId: 'W1' }, body: { name: 'b' } }));
    expect(reply?.status).toBe(400);
    const error = (reply?.body as { errors: Array<{ code: string; message: string; details: string }> }).errors[0];
    expect(error?.code).toBe('InvalidInput');
    expect(error?.message).toBe(NO_MATCH_MESSAGE);
    expect(error?.details).toContain('widgets_2024-01-01.putWidget');
    expect(error?.details).toContain('widgetId=W1, body={"name":"a"} -> 201');
    expect(error?.details).toContain('widgetId=W3, body=<any> -> 201');
  });

  it('leaves operations without static examples to the caller, and says why', () => {
    expect(index.reply(at('GET', '/widgets/2024-01-01/live', 'listLive'), request())).toBeUndefined();
    expect(index.whyNotEmulated(at('GET', '/widgets/2024-01-01/live', 'listLive'))).toMatch(/dynamic sandbox/);
    expect(index.whyNotEmulated(at('GET', '/widgets/2024-01-01/plain', 'plain'))).toMatch(/dynamic sandbox/);
    expect(index.reply(at('POST', '/widgets/2024-01-01/plain', 'none'), request())).toBeUndefined();
    expect(index.whyNotEmulated(at('POST', '/widgets/2024-01-01/plain', 'none'))).toMatch(/no static sandbox examples/);
    expect(index.whyNotEmulated(at('GET', '/elsewhere', 'other'))).toMatch(/not in the models of \/models/);
  });

  it('counts operations and examples', () => {
    expect(index.counts()).toEqual({ operations: 6, withExamples: 3, dynamic: 2, staticExamples: 10, legacyExamples: 1 });
  });
});

describe('exampleReply', () => {
  it('sends the status, the body and the response headers; a 204 never has a body', () => {
    expect(exampleReply({ ...example(201, []), response: { a: 1 }, responseHeaders: { location: '/x' } })).toEqual({ status: 201, body: { a: 1 }, headers: { location: '/x' } });
    expect(exampleReply({ ...example(204, []), response: {} })).toEqual({ status: 204 });
    expect(exampleReply({ ...example(200, []), hasResponse: false })).toEqual({ status: 200 });
  });
});


describe('the emulator in models mode', () => {
  let dir: string;
  const started: Emulator[] = [];
  // The test model is not Amazon's, so roles.json does not know it: it brings its own role table.
  const roles = { roles: [], models: { [MODEL.name]: { roles: [] } } };
  const catalog = [...generateCatalog([MODEL], { source: 'test', generatedAt: '2024-01-01T00:00:00Z', roles }).operations, ...loadGeneratedCatalog()];
  const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
    const emulator = await startEmulator({ catalog, ...options });
    started.push(emulator);
    return emulator;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spapi-sandbox-models-'));
    mkdirSync(join(dir, 'models', 'widgets-api-model'), { recursive: true });
    writeFileSync(join(dir, 'models', 'widgets-api-model', 'widgets_2024-01-01.json'), JSON.stringify(MODEL.json));
  });
  afterAll(async () => {
    await Promise.all(started.map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (emulator: Emulator, path: string, token: string | undefined, init: RequestInit = {}) => {
    const response = await fetch(`${emulator.urls.spApi}${path}`, { ...init, headers: { ...(token ? { 'x-amz-access-token': token } : {}), 'content-type': 'application/json' } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  const message = (body: unknown): string => (body as { errors: Array<{ code: string; message: string }> }).errors.map((e) => `${e.code}: ${e.message}`).join('; ');

  it('answers from the examples with the example status, body and headers plus the request id and rate limit', async () => {
    const emulator = await start({ models: dir });
    const token = await sellerAccessToken(emulator);
    const got = await call(emulator, '/widgets/2024-01-01/widgets/W1?includeParts=true', token);
    expect([got.status, got.body]).toEqual([200, { id: 'W1', parts: [] }]);
    expect(got.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.headers.get('x-amzn-ratelimit-limit')).toBe('1.0');
    const put = await call(emulator, '/widgets/2024-01-01/widgets/W1', token, { method: 'PUT', body: JSON.stringify({ name: 'a' }) });
    expect([put.status, put.body, put.headers.get('location')]).toEqual([201, { ok: 'value' }, '/widgets/W1']);
    const empty = await call(emulator, '/widgets/2024-01-01/widgets/EMPTY', token, { method: 'PUT', body: '{}' });
    expect([empty.status, empty.body]).toEqual([204, undefined]);
  });

  it('still wants a valid token', async () => {
    const emulator = await start({ models: dir });
    expect((await call(emulator, '/widgets/2024-01-01/widgets/W1', undefined)).status).toBe(403);
  });

  it('answers 400 when no example matches, 501 for dynamic-sandbox operations the schema catalog lacks, a generated answer for operations the models lack; stateful APIs keep their handlers', async () => {
    const emulator = await start({ models: dir });
    const token = await sellerAccessToken(emulator);
    const unmatched = await call(emulator, '/widgets/2024-01-01/widgets/W9', token);
    expect([unmatched.status, message(unmatched.body)]).toEqual([400, `InvalidInput: ${NO_MATCH_MESSAGE}`]);
    const live = await call(emulator, '/widgets/2024-01-01/live', token);
    expect(live.status).toBe(501);
    expect(message(live.body)).toMatch(/^NotEmulated: widgets_2024-01-01\.listLive uses Amazon's dynamic sandbox/);
    // An operation these models lack but the schema catalog knows is generated from its model.
    const absent = await call(emulator, '/catalog/2020-12-01/items/B000000000?marketplaceIds=ATVPDKIKX0DER', token);
    expect(absent.status).toBe(200);
    expect(absent.body).toMatchObject({ asin: 'B000000000' });
    // Catalog Items 2022-04-01 is stateful: an unknown ASIN is the handler's 404, not the models' 501.
    const stateful = await call(emulator, '/catalog/2022-04-01/items/B000000000?marketplaceIds=ATVPDKIKX0DER', token);
    expect(stateful.status).toBe(404);
    const sellers = await call(emulator, '/sellers/v1/marketplaceParticipations', token);
    expect(sellers.status).toBe(200);
    expect(Array.isArray((sellers.body as { payload?: unknown }).payload)).toBe(true);
  });

  it('without models, says how to answer from the sandbox examples', async () => {
    const emulator = await start();
    const got = await call(emulator, '/widgets/2024-01-01/widgets/W1', await sellerAccessToken(emulator));
    expect(got.status).toBe(501);
    expect(message(got.body)).toMatch(/^NotEmulated: widgets_2024-01-01\.getWidget is not emulated yet\./);
    expect(message(got.body)).toContain('start the emulator with --models <dir of selling-partner-api-models>');
  });

  it('refuses to start on a folder without models', async () => {
    await expect(startEmulator({ models: join(dir, 'nothing-here') })).rejects.toThrow(/models folder not found/);
  });
});
