import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogFile } from '../../src/core/catalog/catalog-file.js';
import type { OperationSpec, ParamSpec } from '../../src/core/catalog/types.js';
import { STATEFUL_HANDLERS } from '../../src/emulator/apis.js';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { GENERATED_ITEMS } from '../../src/emulator/generated.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';

/*
 * Generated pagination, one operation per token style of the generated catalog (request parameter,
 * where it goes, the response path of the next token, tokenAlone): a client following the token at
 * `pagination.response` must get exactly `pages` pages, each one valid for the model and different
 * from the others, the same again for the same request, and wrong tokens are refused.
 */

const catalogUrl = new URL('../../src/core/catalog/operations.gen.json', import.meta.url);
const catalogPresent = existsSync(catalogUrl);
if (!catalogPresent) console.warn('emulator-pagination: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const PAGES = 3;

type Paginated = OperationSpec & { pagination: NonNullable<OperationSpec['pagination']> };

/** One synthetic operation per distinct token style. */
function operationsPerStyle(): Array<[string, Paginated]> {
  if (!catalogPresent) return [];
  const catalog = parseCatalogFile(readFileSync(catalogUrl, 'utf8')).operations;
  const styles = new Map<string, Paginated>();
  for (const op of catalog) {
    const p = op.pagination;
    if (!p || p.response === '' || STATEFUL_HANDLERS[`${op.model}.${op.operationId}`]) continue;
    const style = `${p.in}:${p.request} -> ${p.response}${p.tokenAlone ? ' (token alone)' : ''}`;
    if (!styles.has(style)) styles.set(style, op as Paginated);
  }
  return [...styles.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function sampleValue(param: ParamSpec): string {
  if (param.enum?.[0] !== undefined) return param.enum[0];
  if (param.itemsEnum?.[0] !== undefined) return param.itemsEnum[0];
  if (param.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (param.type === 'integer' || param.type === 'number') return String(param.minimum ?? 1);
  if (param.type === 'boolean') return 'true';
  return 'ATVPDKIKX0DER';
}

function getAt(body: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), body);
}

const styles = operationsPerStyle();
const validator = new SchemaValidator();

describe.skipIf(!catalogPresent)('generated pagination over the catalog token styles', () => {
  let emulator: Emulator;
  const tokens: Record<'seller' | string, string> = {};

  async function lwa(fields: Record<string, string>): Promise<string> {
    const response = await fetch(emulator.urls.lwa, { method: 'POST', body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, ...fields }) });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000, pages: PAGES });
    tokens['seller'] = await lwa({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN });
  });
  afterAll(async () => {
    await emulator.close();
  });

  async function send(op: Paginated, query: URLSearchParams, pageToken?: string): Promise<{ status: number; body: unknown }> {
    const path = op.path.replace(/\{[^}]+\}/g, 'sample-id');
    let accessToken = tokens['seller'] ?? '';
    if (op.grantlessScope !== null) {
      tokens[op.grantlessScope] ??= await lwa({ grant_type: 'client_credentials', scope: op.grantlessScope });
      accessToken = tokens[op.grantlessScope] ?? '';
    }
    const headers: Record<string, string> = { 'x-amz-access-token': accessToken };
    for (const param of op.params) if (param.in === 'header' && param.required) headers[param.name] = 'sample';
    let body: string | undefined;
    if (op.body) {
      const json: Record<string, unknown> = {};
      if (op.pagination.in === 'body' && pageToken !== undefined) json[op.pagination.request] = pageToken;
      body = JSON.stringify(json);
      headers['content-type'] = 'application/json';
    }
    const qs = query.toString();
    const response = await fetch(`${emulator.urls.spApi}${path}${qs ? `?${qs}` : ''}`, { method: op.method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  function firstQuery(op: Paginated): URLSearchParams {
    const query = new URLSearchParams();
    for (const param of op.params) if (param.in === 'query' && param.required) query.set(param.name, sampleValue(param));
    return query;
  }

  function nextQuery(op: Paginated, first: URLSearchParams, token: string): URLSearchParams {
    const query = op.pagination.tokenAlone ? new URLSearchParams() : new URLSearchParams(first);
    if (op.pagination.in === 'query') query.set(op.pagination.request, token);
    return query;
  }

  it('covers the catalog token styles', () => {
    expect(styles.length).toBeGreaterThanOrEqual(10);
    // The token-alone style (getReports, getFeeds) is stateful now: emulator-reports and emulator-feeds test it.
    expect(styles.map(([style]) => style)).toEqual(expect.arrayContaining([expect.stringContaining('-> payload.pagination.nextToken')]));
  });

  it.each(styles.map(([style, op]) => [style, `${op.model}.${op.operationId}`, op] as const))('%s (%s)', async (_, qualified, op) => {
    const responsePath = op.pagination.response.split('.');
    const rowsPath = op.rows === null || op.rows === '' ? [] : op.rows.split('.');
    const first = firstQuery(op);
    const pageRows: string[] = [];
    let reply = await send(op, first);
    const again = await send(op, first);
    expect(again.body, 'the same request gets the same page').toEqual(reply.body);
    let pages = 1;
    for (;;) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(validator.response(qualified, 200, reply.body)).toEqual([]);
      const rows = getAt(reply.body, rowsPath);
      expect(Array.isArray(rows), `${rowsPath} is not a list`).toBe(true);
      expect(rows).toHaveLength(GENERATED_ITEMS);
      pageRows.push(JSON.stringify(rows));
      const token = getAt(reply.body, responsePath);
      if (token === undefined) break;
      expect(token).toEqual(expect.any(String));
      reply = await send(op, nextQuery(op, first, token as string), token as string);
      pages += 1;
    }
    expect(pages).toBe(PAGES);
    // Every page is drawn afresh, so merged pages can be checked for repeats.
    expect(new Set(pageRows).size).toBe(PAGES);

    const forged = `bm90IGEgdG9rZW4=+${'A'.repeat(22)}`;
    const bogus = await send(op, nextQuery(op, first, forged), forged);
    expect(bogus.status).toBe(400);
    expect(bogus.body).toMatchObject({ errors: [{ code: 'InvalidInput' }] });

    if (op.pagination.tokenAlone) {
      const firstPage = await send(op, first);
      const token = getAt(firstPage.body, responsePath) as string;
      const mixed = new URLSearchParams({ [op.pagination.request]: token, pageSize: '5' });
      const refused = await send(op, mixed, token);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ errors: [{ code: 'InvalidInput' }] });
    }
  });

  it('refuses a token issued for another operation', async () => {
    const [[, a] = [], [, b] = []] = styles.filter(([, op]) => op.pagination.in === 'query' && !op.pagination.tokenAlone);
    if (!a || !b) throw new Error('need two query-token operations');
    const token = getAt((await send(a, firstQuery(a))).body, a.pagination.response.split('.')) as string;
    const reply = await send(b, nextQuery(b, firstQuery(b), token), token);
    expect(reply.status).toBe(400);
  });
});
