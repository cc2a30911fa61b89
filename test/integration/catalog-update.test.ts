import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { forgetLoadedCatalogs, loadCatalog, userCatalogPath } from '../../src/core/catalog/load.js';
import { readModels } from '../../src/core/catalog/models-source.js';
import { updateCatalog } from '../../src/core/catalog/update.js';
import { SpapiError, UsageError } from '../../src/core/errors.js';

const PLAN = (rate: string, burst: string): string =>
  `Does a thing.\n\n**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| ${rate} | ${burst} |\n`;

// Two tiny models written for this test, served the way GitHub serves the real repository.
const gadgets = {
  swagger: '2.0',
  info: { version: 'v0', title: 'Gadgets' },
  paths: {
    '/gadgets/v0/gadgets': {
      get: {
        operationId: 'listGadgets',
        description: PLAN('.5', '10'),
        parameters: [{ name: 'NextToken', in: 'query', type: 'string' }],
        responses: { '200': { schema: { $ref: '#/definitions/ListGadgetsResponse' } } },
      },
    },
    '/gadgets/v0/gadgets/{gadgetId}': {
      parameters: [{ name: 'gadgetId', in: 'path', required: true, type: 'string' }],
      get: { operationId: 'getGadget', description: PLAN('2', '4'), responses: { '200': { schema: { type: 'object' } } } },
      delete: { operationId: 'deleteGadget', description: 'No plan is stated.', responses: { '204': { description: 'gone' } } },
    },
  },
  definitions: {
    ListGadgetsResponse: { type: 'object', properties: { payload: { type: 'object', properties: { NextToken: { type: 'string' } } } } },
  },
};
const widgets = {
  swagger: '2.0',
  info: { version: '2024-01-01' },
  paths: {
    '/widgets/2024-01-01/widgets': {
      post: { operationId: 'createWidget', description: PLAN('n', 'n'), parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object' } }], responses: {} },
    },
  },
};
const files: Record<string, unknown> = {
  'models/gadgets-api-model/gadgetsV0.json': gadgets,
  'models/widgets-model/widgets_2024-01-01.json': widgets,
};

let server: Server;
let base: string;
const requests: string[] = [];
let failTree = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? '';
    requests.push(url);
    if (url === '/repos/amzn/selling-partner-api-models/git/trees/main?recursive=1' && !failTree) {
      const tree = [
        { path: 'models', type: 'tree' },
        { path: 'models/README.md', type: 'blob' },
        { path: 'clients/sample.json', type: 'blob' },
        ...Object.keys(files).map((path) => ({ path, type: 'blob' })),
      ];
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ sha: 'f'.repeat(40), tree, truncated: false }));
      return;
    }
    const raw = /^\/amzn\/selling-partner-api-models\/main\/(.+)$/.exec(url)?.[1];
    const file = raw === undefined ? undefined : files[raw];
    if (file !== undefined) {
      response.end(JSON.stringify(file));
      return;
    }
    response.statusCode = 404;
    response.end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

let configDir: string;
beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), 'spapi-catalog-'));
  requests.length = 0;
  failTree = false;
  forgetLoadedCatalogs();
});
afterEach(() => {
  rmSync(configDir, { recursive: true, force: true });
});

describe('updateCatalog from a repository URL', () => {
  it('lists the models with the git-trees API, downloads them and installs the user catalog', async () => {
    const repository = `${base}/amzn/selling-partner-api-models`;
    const first = await updateCatalog({ from: repository, configDir, now: () => new Date('2025-02-03T04:05:06Z') });
    expect(first).toEqual({
      path: userCatalogPath(configDir),
      source: `${repository}/tree/main`,
      operations: 4,
      numericRates: 2,
      models: 2,
      previous: null,
      // The test models are not Amazon's: a user's update tolerates what gen-catalog refuses.
      warnings: [
        'gadgetsV0: src/core/catalog/roles.json has no entry for this model or its family "gadgets"; its operations get no roles',
        'widgets_2024-01-01: src/core/catalog/roles.json has no entry for this model or its family "widgets"; its operations get no roles',
      ],
    });
    expect(requests.sort()).toEqual([
      '/amzn/selling-partner-api-models/main/models/gadgets-api-model/gadgetsV0.json',
      '/amzn/selling-partner-api-models/main/models/widgets-model/widgets_2024-01-01.json',
      '/repos/amzn/selling-partner-api-models/git/trees/main?recursive=1',
    ]);
    expect(statSync(first.path).mode & 0o777).toBe(0o644);

    const loaded = loadCatalog({ configDir });
    expect(loaded.origin).toBe('user');
    expect(loaded.path).toBe(first.path);
    expect(loaded.catalog.generatedAt).toBe('2025-02-03T04:05:06.000Z');
    expect(loaded.catalog.operations.map((o) => `${o.model}.${o.operationId} ${o.rate}/${o.burst}`)).toEqual([
      'gadgetsV0.listGadgets 0.5/10',
      'gadgetsV0.deleteGadget null/null',
      'gadgetsV0.getGadget 2/4',
      'widgets_2024-01-01.createWidget null/null',
    ]);
    expect(loaded.catalog.operations[0]).toMatchObject({ family: 'gadgets', pagination: { request: 'NextToken', response: 'payload.NextToken' } });
    expect(loaded.catalog.operations[3]).toMatchObject({ family: 'widgets', body: true, bodyRequired: true, roles: [] });

    const second = await updateCatalog({ from: `${repository}/tree/main`, configDir });
    expect(second.previous).toBe(4);
    expect(readFileSync(second.path, 'utf8')).toContain('"operations":[\n{"model":"gadgetsV0"');
  });

  it('reports a missing branch as a usage error with a hint', async () => {
    failTree = true;
    const error = await updateCatalog({ from: `${base}/amzn/selling-partner-api-models/tree/main`, configDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/not found \(404\)/);
    expect((error as UsageError).hint).toMatch(/branch/);
  });

  it('reports an unreachable host as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await readModels(`http://127.0.0.1:${port}/amzn/selling-partner-api-models`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpapiError);
    expect((error as SpapiError).kind).toBe('network');
    expect((error as SpapiError).hint).toMatch(/--from/);
  });

  it.each([
    ['plain http to a remote host', 'http://example.com/amzn/selling-partner-api-models'],
    ['another scheme', 'ftp://127.0.0.1/amzn/selling-partner-api-models'],
    ['a URL that names no repository', 'https://github.com/amzn'],
  ])('refuses %s before any request', async (_name, from) => {
    const error = await updateCatalog({ from, configDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(requests).toEqual([]);
  });
});

describe('updateCatalog from a folder', () => {
  it('reads the models recursively and ignores JSON that is not Swagger 2.0', async () => {
    const from = join(configDir, 'models-copy');
    for (const [path, json] of Object.entries(files)) {
      mkdirSync(join(from, path, '..'), { recursive: true });
      writeFileSync(join(from, path), JSON.stringify(json));
    }
    writeFileSync(join(from, 'models', 'package.json'), '{"name":"not-a-model"}');
    const result = await updateCatalog({ from, configDir });
    expect(result).toMatchObject({ operations: 4, models: 2, source: from });
  });

  it('refuses a folder that does not exist', async () => {
    await expect(updateCatalog({ from: join(configDir, 'nope'), configDir })).rejects.toThrow(/models folder not found/);
  });
});

describe('loadCatalog', () => {
  it('reads a user catalog written before spapi knew roles as one with no roles', () => {
    const path = userCatalogPath(configDir);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '{"source":"x","generatedAt":"y","operations":[{"model":"m","operationId":"o","method":"GET","path":"/","params":[]}]}');
    expect(loadCatalog({ configDir }).catalog.operations[0]?.roles).toEqual([]);
  });


  it('uses the built-in catalog when there is no user catalog', () => {
    const loaded = loadCatalog({ configDir });
    expect(loaded.origin).toBe('builtin');
    expect(loaded.path).toMatch(/operations\.gen\.json$/);
    expect(loaded.catalog.operations).toHaveLength(370);
    expect(loaded.catalog).not.toHaveProperty('//');
    expect(loadCatalog({ configDir }).catalog).toBe(loaded.catalog);
  });

  it.each([
    ['truncated JSON', '{"source":"x","generatedAt":"y","operations":[{"model"'],
    ['no operations', '{"source":"x","generatedAt":"y","operations":[]}'],
    ['a malformed operation', '{"source":"x","generatedAt":"y","operations":[{"model":"m"}]}'],
    ['malformed roles', '{"source":"x","generatedAt":"y","operations":[{"model":"m","operationId":"o","method":"GET","path":"/","params":[],"roles":"Pricing"}]}'],
  ])('rejects a user catalog with %s, saying how to recover', (_name, text) => {
    const path = userCatalogPath(configDir);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    let error: unknown;
    try {
      loadCatalog({ configDir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(path);
    expect((error as UsageError).hint).toMatch(/spapi catalog update.*delete the file/);
  });
});
