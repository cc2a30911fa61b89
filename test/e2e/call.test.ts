import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { getPath } from '../../src/core/paginate.js';
import { bucketId, sellingPartnerId } from '../../src/core/ratelimit/index.js';
import { loadGeneratedCatalog } from '../../src/emulator/catalog.js';
import { assertBuilt, cliEnv, lines, ndjson, runCli, tempDirs } from '../helpers/cli.js';
import { accessTokensSeen, SELLER, sellerAccessToken, useEmulator } from '../helpers/emulator.js';

/*
 * `spapi call` end to end: the built bin in a child process against an in-process emulator. Every
 * run gets a fresh SPAPI_CONFIG_DIR, so token caches and bucket states never leak between tests.
 */

assertBuilt();
const OPERATIONS = loadGeneratedCatalog();
const spec = (name: string): OperationSpec => {
  const found = OPERATIONS.find((op) => `${op.model}.${op.operationId}` === name);
  if (!found) throw new Error(`${name} is not in the catalog`);
  return found;
};

const RETRY_OP = 'fulfillmentInbound_2024-03-20.listInboundPlanItems';
const emu = useEmulator({
  // Fast buckets everywhere except where a test is about throttling.
  rateScale: 1000,
  rateOverrides: {
    // One token, refilled every three seconds: a call right after another is answered 429.
    [RETRY_OP]: { rate: 0.34, burst: 1 },
    // No rate in the catalog: the CLI must take it from x-amzn-RateLimit-Limit.
    'supplySources_2020-07-01.getSupplySources': { rate: 7, burst: 5 },
    // A catalog rate (0.5) the server contradicts.
    'financesV0.listFinancialEventGroups': { rate: 3, burst: 30 },
  },
});
const newDir = tempDirs();
const env = (overrides: Record<string, string | undefined> = {}, dir = newDir()): Record<string, string> => cliEnv(emu(), dir, overrides);
const spapi = (args: string[], environment: Record<string, string> = env()) => runCli(args, { env: environment });

const iso = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86_400_000;
const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

beforeEach(() => {
  emu().setFaults({});
  emu().resetStats();
});

describe('a plain call', () => {
  it('prints the exact API body as compact JSON in a pipe, nothing on stderr, exit 0', async () => {
    const token = await sellerAccessToken(emu());
    const direct = await fetch(`${emu().urls.spApi}/sellers/v1/marketplaceParticipations`, { headers: { 'x-amz-access-token': token } });
    const expected = await direct.text();
    emu().resetStats();

    const result = await spapi(['call', 'sellers.getMarketplaceParticipations']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${expected}\n`);
    expect(JSON.parse(result.stdout).payload.length).toBeGreaterThan(5);
    expect(emu().stats().byOperation['sellers.getMarketplaceParticipations']).toEqual({ requests: 1, throttled: 0 });
  });

  it('--include prints the status line and headers before the body', async () => {
    const result = await spapi(['call', 'sellers.getMarketplaceParticipations', '--include']);
    expect(result.exitCode).toBe(0);
    const [head, body] = result.stdout.split('\n\n');
    expect(head?.split('\n')[0]).toBe('HTTP 200');
    expect(head).toMatch(new RegExp(`^x-amzn-requestid: ${REQUEST_ID}$`, 'm'));
    expect(head).toMatch(/^x-amzn-ratelimit-limit: 16(\.0)?$/m);
    expect(JSON.parse(body ?? '').payload[0].marketplace.id).toBe('ATVPDKIKX0DER');
  });

  it('--dry-run prints method, URL and masked headers and sends nothing', async () => {
    const result = await spapi([
      'call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', 'CreatedAfter=2026-01-01T00:00:00Z',
      '-H', 'x-custom-secret: do-not-show-me', '--dry-run',
    ]);
    expect(result.exitCode).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toBe(`GET ${emu().urls.spApi}/orders/v0/orders?CreatedAfter=2026-01-01T00%3A00%3A00Z&MarketplaceIds=ATVPDKIKX0DER`);
    expect(out).toContain('x-amz-access-token: *** (LWA access token)');
    expect(out).toContain('x-custom-secret: ***');
    expect(result.stdout).not.toContain('do-not-show-me');
    expect(result.stdout + result.stderr).not.toContain(SELLER.refreshToken);
    expect(result.stdout + result.stderr).not.toContain(SELLER.clientSecret);
    const stats = emu().stats();
    expect(stats.requests).toBe(0);
    expect(stats.lwaRequests).toBe(0);
  });
});

describe('validation: exit 2 before any request', () => {
  async function expectUsage(args: string[]): Promise<string> {
    const result = await spapi(args);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    const stats = emu().stats();
    expect(stats.requests).toBe(0);
    expect(stats.lwaRequests).toBe(0);
    return result.stderr;
  }

  it('lists every parameter problem in one go: missing, unknown with suggestion, enum, integer', async () => {
    const stderr = await expectUsage([
      'call', 'catalogItems_2022-04-01.searchCatalogItems', '-p', 'keyword=shoe', '-p', 'identifiersType=asin', '-p', 'pageSize=ten',
    ]);
    expect(stderr).toMatch(/^spapi: usage: catalogItems_2022-04-01\.searchCatalogItems: 4 problems with the request$/m);
    expect(stderr).toMatch(/^ {2}- unknown parameter keyword; did you mean keywords\?$/m);
    expect(stderr).toMatch(/^ {2}- missing required query parameter marketplaceIds/m);
    expect(stderr).toMatch(/^ {2}- identifiersType: "asin" is not allowed \(did you mean ASIN\?\); allowed: ASIN, /m);
    expect(stderr).toMatch(/^ {2}- pageSize: "ten" is not an integer$/m);
  });

  it('an unknown operation gets a did-you-mean', async () => {
    const stderr = await expectUsage(['call', 'getMarketplaceParticipation']);
    expect(stderr).toMatch(/^spapi: usage: unknown operation "getMarketplaceParticipation"; did you mean getMarketplaceParticipations/m);
    expect(stderr).toMatch(/^hint: /m);
  });

  it('an ambiguous bare name lists the qualified candidates', async () => {
    const stderr = await expectUsage(['call', 'getOrders']);
    expect(stderr).toMatch(/^spapi: usage: operation getOrders exists in \d APIs; call it by its qualified name$/m);
    expect(stderr).toMatch(/^ {2}- ordersV0\.getOrders \(/m);
    expect(stderr).toMatch(/^ {2}- vendorDirectFulfillmentOrders_2021-12-28\.getOrders \(/m);
  });

  it('--marketplace DE with --region na is a mismatch', async () => {
    const stderr = await expectUsage(['call', 'sellers.getMarketplaceParticipations', '--marketplace', 'DE', '--region', 'na']);
    expect(stderr).toMatch(/marketplace DE \(A1PA6795UKMFR9\) is in region eu, not na/);
  });

  it('an unknown flag is a usage error', async () => {
    const stderr = await expectUsage(['call', 'sellers.getMarketplaceParticipations', '--bogus']);
    expect(stderr).toMatch(/^spapi: usage: unknown option '--bogus'$/m);
  });
});

describe('pagination in every token style', () => {
  // One operation per distinct (response path, request parameter) of the catalog, answered by the
  // emulator's generated pages (3 pages, 2 rows each), with the required parameters each one needs.
  const CASES: Array<[string, string[]]> = [
    ['awd_2024-05-09.listInventory', []],
    ['aplusContent_2020-11-01.searchContentDocuments', ['marketplaceId=ATVPDKIKX0DER']],
    // Catalog Items 2022-04-01 and FBA Inventory are stateful (emulator-catalog-items, emulator-fba-inventory tests).
    ['catalogItems_2020-12-01.searchCatalogItems', ['keywords=shoe', 'marketplaceIds=ATVPDKIKX0DER']],
    ['fulfillmentInbound_2024-03-20.listInboundPlans', []],
    ['vendorDirectFulfillmentOrders_2021-12-28.getOrders', ['createdAfter=2026-01-01T00:00:00Z', 'createdBefore=2026-01-02T00:00:00Z']],
    ['financesInvoices_2026-06-25.getInvoice', ['marketplaceId=ATVPDKIKX0DER', 'invoiceIdentifier=INV-1']],
    ['fulfillmentInboundV0.getShipments', ['QueryType=DATE_RANGE', 'MarketplaceId=ATVPDKIKX0DER']],
    ['fulfillmentOutbound_2020-07-01.listAllFulfillmentOrders', []],
    ['supplySources_2020-07-01.getSupplySources', []],
    ['services.getServiceJobs', ['marketplaceIds=ATVPDKIKX0DER']],
    ['vendorOrders.getPurchaseOrders', []],
  ];
  it('covers every response token path of the catalog', () => {
    const covered = new Set(CASES.map(([name]) => spec(name).pagination?.response));
    const all = new Set(OPERATIONS.map((op) => op.pagination?.response).filter((p): p is string => Boolean(p)));
    expect([...all].filter((path) => !covered.has(path))).toEqual([]);
  });

  // Concurrent: these read no emulator counters, and each run has its own config dir.
  const slurps = async (name: string, params: string[]): Promise<void> => {
    const { pagination, rows } = spec(name);
    if (!pagination || rows === null) throw new Error(`${name} does not paginate a list`);
    const args = ['call', name, ...params.flatMap((p) => ['-p', p])];
    const rowsOf = (page: unknown): unknown[] => (getPath(page, rows) as unknown[] | undefined) ?? [];

    const [paged, slurped] = await Promise.all([spapi([...args, '--paginate']), spapi([...args, '--paginate', '--slurp'])]);
    expect(paged.stderr).toBe('');
    expect(paged.exitCode).toBe(0);
    const pages = ndjson(paged.stdout);
    expect(pages).toHaveLength(3);
    pages.forEach((page, i) => {
      expect(rowsOf(page)).toHaveLength(2);
      expect(typeof getPath(page, pagination.response)).toBe(i < 2 ? 'string' : 'undefined');
    });
    // Each page is generated afresh: no page repeats another.
    expect(new Set(pages.map((page) => JSON.stringify(rowsOf(page)))).size).toBe(3);

    expect(slurped.exitCode).toBe(0);
    expect(lines(slurped.stdout)).toHaveLength(1);
    const merged = JSON.parse(slurped.stdout) as unknown;
    expect(rowsOf(merged)).toEqual(pages.flatMap(rowsOf));
    expect(getPath(merged, pagination.response)).toBeUndefined();
  };
  it.concurrent.each(CASES)('%s: --paginate prints 3 pages, --slurp merges 6 rows', slurps);

  it('reports getReports sends the token alone on follow-up pages and gets every report', async () => {
    const types = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL,GET_MERCHANT_LISTINGS_ALL_DATA,GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA,GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE';
    const all = await spapi(['call', 'reports_2021-06-30.getReports', '-p', `reportTypes=${types}`, '-p', 'pageSize=100']);
    expect(all.exitCode).toBe(0);
    const everything = JSON.parse(all.stdout) as { reports: Array<{ reportId: string }>; nextToken?: string };
    expect(everything.nextToken).toBeUndefined();
    const total = everything.reports.length;
    expect(total).toBeGreaterThan(10);

    emu().resetStats();
    const paged = await spapi(['call', 'reports_2021-06-30.getReports', '-p', `reportTypes=${types}`, '-p', 'pageSize=5', '--paginate']);
    expect(paged.stderr).toBe('');
    expect(paged.exitCode).toBe(0);
    const pages = ndjson(paged.stdout) as Array<{ reports: Array<{ reportId: string }> }>;
    expect(pages).toHaveLength(Math.ceil(total / 5));
    expect(pages.flatMap((p) => p.reports.map((r) => r.reportId))).toEqual(everything.reports.map((r) => r.reportId));
    const sent = emu().stats().lastRequests.filter((r) => r.kind === 'sp-api').map((r) => new URL(r.path, 'http://x').searchParams);
    expect(sent).toHaveLength(pages.length);
    for (const query of sent.slice(1)) expect([...query.keys()]).toEqual(['nextToken']);
  });

  it('feeds getFeeds sends the token alone on follow-up pages and gets every feed', async () => {
    // getFeeds answers from the emulator's feeds (no synthetic pages): submit some first.
    const dir = newDir();
    const file = join(dir, 'feed.json');
    writeFileSync(file, JSON.stringify({ header: { sellerId: 'AEMULATORSELLER', version: '2.0' }, messages: [{ messageId: 1, sku: 'EMU-SKU-001', operationType: 'DELETE' }] }));
    for (let i = 0; i < 3; i++) expect((await spapi(['feeds', 'submit', 'JSON_LISTINGS_FEED', file, '--marketplace', 'US', '--no-wait'], env({}, dir))).exitCode).toBe(0);
    const all = await spapi(['call', 'feeds_2021-06-30.getFeeds', '-p', 'feedTypes=JSON_LISTINGS_FEED', '-p', 'pageSize=100']);
    expect(all.exitCode).toBe(0);
    const everything = JSON.parse(all.stdout) as { feeds: Array<{ feedId: string }>; nextToken?: string };
    expect(everything.nextToken).toBeUndefined();
    expect(everything.feeds.length).toBeGreaterThanOrEqual(3);

    emu().resetStats();
    const paged = await spapi(['call', 'feeds_2021-06-30.getFeeds', '-p', 'feedTypes=JSON_LISTINGS_FEED', '-p', 'pageSize=1', '--paginate']);
    expect(paged.stderr).toBe('');
    expect(paged.exitCode).toBe(0);
    const pages = ndjson(paged.stdout) as Array<{ feeds: Array<{ feedId: string }> }>;
    expect(pages).toHaveLength(everything.feeds.length);
    expect(pages.flatMap((p) => p.feeds.map((f) => f.feedId))).toEqual(everything.feeds.map((f) => f.feedId));
    const sent = emu().stats().lastRequests.filter((r) => r.kind === 'sp-api').map((r) => new URL(r.path, 'http://x').searchParams);
    expect(sent).toHaveLength(pages.length);
    for (const query of sent.slice(1)) expect([...query.keys()]).toEqual(['nextToken']);
  });

  it('ordersV0.getOrders follows NextToken', async () => {
    const base = ['call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', `CreatedAfter=${iso(91 * DAY)}`];
    const all = await spapi([...base, '-p', 'MaxResultsPerPage=100']);
    expect(all.exitCode).toBe(0);
    const everything = (JSON.parse(all.stdout) as { payload: { Orders: Array<{ AmazonOrderId: string }>; NextToken?: string } }).payload;
    expect(everything.NextToken).toBeUndefined();
    const total = everything.Orders.length;
    expect(total).toBeGreaterThan(20);

    const paged = await spapi([...base, '-p', 'MaxResultsPerPage=20', '--paginate']);
    expect(paged.exitCode).toBe(0);
    const pages = ndjson(paged.stdout) as Array<{ payload: { Orders: Array<{ AmazonOrderId: string }>; NextToken?: string } }>;
    expect(pages).toHaveLength(Math.ceil(total / 20));
    expect(pages.slice(0, -1).every((p) => typeof p.payload.NextToken === 'string')).toBe(true);

    const slurped = await spapi([...base, '-p', 'MaxResultsPerPage=20', '--paginate', '--slurp']);
    const merged = (JSON.parse(slurped.stdout) as { payload: { Orders: Array<{ AmazonOrderId: string }>; NextToken?: string } }).payload;
    expect(merged.NextToken).toBeUndefined();
    expect(merged.Orders.map((o) => o.AmazonOrderId)).toEqual(everything.Orders.map((o) => o.AmazonOrderId));
  });

  it('orders_2026-01-01.searchOrders follows paginationToken', async () => {
    const base = ['call', 'orders_2026-01-01.searchOrders', '-p', 'marketplaceIds=ATVPDKIKX0DER', '-p', `createdAfter=${iso(91 * DAY)}`];
    const all = await spapi([...base, '-p', 'maxResultsPerPage=100']);
    expect(all.exitCode).toBe(0);
    const everything = JSON.parse(all.stdout) as { orders: Array<{ orderId: string }>; pagination?: unknown };
    expect(everything.pagination).toBeUndefined();
    const total = everything.orders.length;

    const slurped = await spapi([...base, '-p', 'maxResultsPerPage=15', '--paginate', '--slurp']);
    expect(slurped.exitCode).toBe(0);
    const merged = JSON.parse(slurped.stdout) as { orders: Array<{ orderId: string }>; pagination?: { nextToken?: string } };
    expect(merged.orders.map((o) => o.orderId)).toEqual(everything.orders.map((o) => o.orderId));
    expect(merged.pagination?.nextToken).toBeUndefined();
    expect(emu().stats().byOperation['orders_2026-01-01.searchOrders']?.requests).toBe(1 + Math.ceil(total / 15));
  });

  // The rows of listInventory's generated pages (2 per page), each as JSON: the same request gets the same pages.
  const itemIds = (stdout: string): string[] => (ndjson(stdout) as Array<{ inventory: unknown[] }>).flatMap((p) => p.inventory.map((row) => JSON.stringify(row)));

  it.concurrent.each([2, 3, 4, 5])('--max-items %i cuts, prints the resume token, and --starting-token resumes exactly after it', async (max) => {
    const dir = newDir();
    const allIds = itemIds((await spapi(['call', 'awd_2024-05-09.listInventory', '--paginate'], env({}, dir))).stdout);
    expect(new Set(allIds).size).toBe(6);
    const first = await spapi(['call', 'awd_2024-05-09.listInventory', '--paginate', '--max-items', String(max)], env({}, dir));
    expect(first.exitCode).toBe(0);
    expect(itemIds(first.stdout)).toEqual(allIds.slice(0, max));
    const token = /^more results: resume with spapi .* --starting-token (\S+)$/m.exec(first.stderr)?.[1];
    expect(token, first.stderr).toBeDefined();

    const rest = await spapi(['call', 'awd_2024-05-09.listInventory', '--paginate', '--starting-token', token ?? ''], env({}, dir));
    expect(rest.exitCode).toBe(0);
    expect(itemIds(rest.stdout)).toEqual(allIds.slice(max));
    expect(rest.stderr).not.toMatch(/more results/);
  });
});

describe('throttling and retries', () => {
  it('retries a 429 and succeeds, saying so on stderr', async () => {
    // Empty the emulator's one-token bucket for this seller and operation, then call at once.
    const token = await sellerAccessToken(emu());
    const drain = await fetch(`${emu().urls.spApi}/inbound/fba/2024-03-20/inboundPlans/wf1/items`, { headers: { 'x-amz-access-token': token } });
    expect(drain.status).toBe(200);
    emu().resetStats();

    const result = await spapi(['call', RETRY_OP, '-p', 'inboundPlanId=wf1']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^retrying ${RETRY_OP} in \\d+\\.\\d s \\(HTTP 429, attempt 1\\)$`, 'm'));
    expect((JSON.parse(result.stdout) as { items: unknown[] }).items).toHaveLength(2);
    const op = emu().stats().byOperation[RETRY_OP];
    expect(op?.throttled).toBeGreaterThanOrEqual(1);
    expect(op?.requests).toBe((op?.throttled ?? 0) + 1);
  });

  it('gives up after --max-attempts with exit 4 and a one-line error naming the request', async () => {
    emu().setFaults({ throttleAll: true });
    const result = await spapi(['call', 'awd_2024-05-09.listInventory', '--max-attempts', '2']);
    expect(result.exitCode).toBe(4);
    expect(JSON.parse(result.stdout)).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
    expect(result.stderr).toMatch(
      new RegExp(`^spapi: throttled: awd_2024-05-09\\.listInventory is still throttled \\(429 QuotaExceeded\\) after 2 attempts \\(request ${REQUEST_ID}\\)$`, 'm'),
    );
    expect(emu().stats().byOperation['awd_2024-05-09.listInventory']).toEqual({ requests: 2, throttled: 2 });
  });

  it('retries a 5xx on GET', async () => {
    emu().setFaults({ status5xx: { status: 503, onCalls: [1] } });
    const result = await spapi(['call', 'sellers.getMarketplaceParticipations']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/^retrying sellers\.getMarketplaceParticipations in \d+\.\d s \(HTTP 503, attempt 1\)$/m);
    expect(JSON.parse(result.stdout).payload.length).toBeGreaterThan(5);
    expect(emu().stats().byOperation['sellers.getMarketplaceParticipations']?.requests).toBe(2);
  });

  it('does not resend a POST after a 5xx: exit 1 with the SP-API error body on stdout', async () => {
    emu().setFaults({ status5xx: { status: 500, onCalls: [1] } });
    const body = JSON.stringify({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: ['ATVPDKIKX0DER'] });
    const result = await spapi(['call', 'reports_2021-06-30.createReport', '--body', body]);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      errors: [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.', details: '' }],
    });
    expect(result.stderr).not.toMatch(/retrying/);
    expect(result.stderr).toMatch(new RegExp(`^spapi: InternalFailure: 500 We encountered an internal error\\. Please try again\\. \\(request ${REQUEST_ID}\\)$`, 'm'));
    expect(emu().stats().byOperation['reports_2021-06-30.createReport']?.requests).toBe(1);
  });

  it('adopts the x-amzn-RateLimit-Limit rate into the shared bucket state', async () => {
    const bucketFile = (dir: string, operation: string): string =>
      join(dir, 'ratelimit', `${bucketId({ clientId: SELLER.clientId, sellingPartner: sellingPartnerId(SELLER.refreshToken), region: 'na', operation })}.json`);
    const cases: Array<[string, number]> = [
      ['supplySources_2020-07-01.getSupplySources', 7],
      ['financesV0.listFinancialEventGroups', 3],
    ];
    expect(spec('supplySources_2020-07-01.getSupplySources').rate).toBeNull();
    expect(spec('financesV0.listFinancialEventGroups').rate).toBe(0.5);
    for (const [operation, rate] of cases) {
      const dir = newDir();
      const result = await spapi(['call', operation], env({}, dir));
      expect(result.exitCode).toBe(0);
      const state = JSON.parse(readFileSync(bucketFile(dir, operation), 'utf8')) as { rate: number };
      expect(state.rate).toBe(rate);
    }
  });
});

describe('exit codes of failures', () => {
  it('3 for a wrong client secret (invalid_client), with a hint', async () => {
    const result = await spapi(['call', 'sellers.getMarketplaceParticipations'], env({ SPAPI_CLIENT_SECRET: 'not-the-secret' }));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^spapi: auth: Login with Amazon refused the token request: invalid_client/m);
    expect(result.stderr).toMatch(/^hint: the client id or client secret is wrong/m);
    expect(emu().stats().requests).toBe(0);
  });

  it('3 for an unknown refresh token (invalid_grant), with a hint', async () => {
    const result = await spapi(['call', 'sellers.getMarketplaceParticipations'], env({ SPAPI_REFRESH_TOKEN: 'Atzr|not-registered' }));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^spapi: auth: Login with Amazon refused the token request: invalid_grant/m);
    expect(result.stderr).toMatch(/^hint: the refresh token was revoked/m);
    expect(emu().stats().requests).toBe(0);
  });

  it('3 with no credentials at all', async () => {
    const result = await spapi(
      ['call', 'sellers.getMarketplaceParticipations'],
      env({ SPAPI_CLIENT_ID: undefined, SPAPI_CLIENT_SECRET: undefined, SPAPI_REFRESH_TOKEN: undefined }),
    );
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^spapi: auth: not logged in: no profile default is saved and the environment holds no client secret$/m);
    expect(result.stderr).toMatch(/^hint: /m);
    expect(emu().stats().lwaRequests).toBe(0);
    expect(emu().stats().requests).toBe(0);
  });

  it('1 for a 404, with the error body on stdout', async () => {
    const result = await spapi(['call', 'ordersV0.getOrder', '-p', 'orderId=111-0000000-0000000']);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ errors: [{ code: 'NotFound', message: 'Order 111-0000000-0000000 was not found.', details: '' }] });
    expect(result.stderr).toMatch(new RegExp(`^spapi: NotFound: 404 Order 111-0000000-0000000 was not found\\. \\(request ${REQUEST_ID}\\)$`, 'm'));
    expect(result.stderr).toMatch(/^hint: /m);
  });

  it('1 for a 400, with the error body on stdout', async () => {
    const future = new Date(Date.now() + DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const result = await spapi(['call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', `CreatedAfter=${future}`]);
    expect(result.exitCode).toBe(1);
    const body = JSON.parse(result.stdout) as { errors: Array<{ code: string; message: string }> };
    expect(body.errors[0]?.code).toBe('InvalidInput');
    expect(body.errors[0]?.message).toMatch(/CreatedAfter must be at least two minutes before/);
    expect(result.stderr).toMatch(/^spapi: InvalidInput: 400 CreatedAfter must be/m);
  });
});

describe('tokens', () => {
  it('caches the LWA access token across invocations sharing a config dir', async () => {
    const shared = env();
    for (let i = 0; i < 2; i++) expect((await spapi(['call', 'sellers.getMarketplaceParticipations'], shared)).exitCode).toBe(0);
    expect(emu().stats().lwaRequests).toBe(1);
    expect(emu().stats().requests).toBe(2);
  });

  it('asks LWA every time with SPAPI_TOKEN_CACHE=off', async () => {
    const shared = env({ SPAPI_TOKEN_CACHE: 'off' });
    for (let i = 0; i < 2; i++) expect((await spapi(['call', 'sellers.getMarketplaceParticipations'], shared)).exitCode).toBe(0);
    expect(emu().stats().lwaRequests).toBe(2);
  });
});

describe('restricted and grantless operations', () => {
  let orderId = '';
  beforeAll(async () => {
    const token = await sellerAccessToken(emu());
    const query = new URLSearchParams({ MarketplaceIds: 'ATVPDKIKX0DER', CreatedAfter: iso(91 * DAY), MaxResultsPerPage: '5' });
    const response = await fetch(`${emu().urls.spApi}/orders/v0/orders?${query}`, { headers: { 'x-amz-access-token': token } });
    const body = (await response.json()) as { payload: { Orders: Array<{ AmazonOrderId: string }> } };
    orderId = body.payload.Orders[0]?.AmazonOrderId ?? '';
    expect(orderId).toMatch(/^\d{3}-\d{7}-\d{7}$/);
  });

  it('getOrderAddress obtains an RDT and returns the full address', async () => {
    const result = await spapi(['call', 'ordersV0.getOrderAddress', '-p', `orderId=${orderId}`]);
    expect(result.exitCode).toBe(0);
    const payload = (JSON.parse(result.stdout) as { payload: { AmazonOrderId: string; ShippingAddress: Record<string, string> } }).payload;
    expect(payload.AmazonOrderId).toBe(orderId);
    expect(payload.ShippingAddress['Name']).toEqual(expect.any(String));
    expect(payload.ShippingAddress['AddressLine1']).toEqual(expect.any(String));
    const stats = emu().stats();
    expect(stats.byOperation['tokens_2021-03-01.createRestrictedDataToken']?.requests).toBe(1);
    const addressCall = stats.lastRequests.find((r) => r.path.endsWith(`/orders/v0/orders/${orderId}/address`));
    expect(String(addressCall?.headers['x-amz-access-token'])).toMatch(/^Atz\.sprdt\|/);
  });

  it('--data-elements buyerInfo on getOrders returns buyer info (and not without it)', async () => {
    const args = ['call', 'ordersV0.getOrders', '-p', 'MarketplaceIds=ATVPDKIKX0DER', '-p', `CreatedAfter=${iso(91 * DAY)}`, '-p', 'MaxResultsPerPage=5'];
    const plain = await spapi(args);
    expect(plain.exitCode).toBe(0);
    type Orders = { payload: { Orders: Array<{ BuyerInfo?: { BuyerEmail?: string } }> } };
    expect((JSON.parse(plain.stdout) as Orders).payload.Orders.some((o) => o.BuyerInfo)).toBe(false);
    expect(emu().stats().byOperation['tokens_2021-03-01.createRestrictedDataToken']).toBeUndefined();

    const withPii = await spapi([...args, '--data-elements', 'buyerInfo']);
    expect(withPii.exitCode).toBe(0);
    const orders = (JSON.parse(withPii.stdout) as Orders).payload.Orders;
    expect(orders).toHaveLength(5);
    for (const order of orders) expect(order.BuyerInfo?.BuyerEmail).toMatch(/@/);
    expect(emu().stats().byOperation['tokens_2021-03-01.createRestrictedDataToken']?.requests).toBe(1);
  });

  it('a grantless operation works with only the client id and secret', async () => {
    const result = await spapi(['call', 'notifications.getDestinations'], env({ SPAPI_REFRESH_TOKEN: undefined }));
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ payload: [] });
    const [token] = accessTokensSeen(emu());
    expect(token).toMatch(/^Atza\|/);
    expect(emu().stats().byOperation['notifications.getDestinations']).toEqual({ requests: 1, throttled: 0 });
  });
});
