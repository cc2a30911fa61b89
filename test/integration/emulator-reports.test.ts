import { callEmulator, type Reply } from '../helpers/emulator.js';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/* Reports 2021-06-30: lifecycle, CANCELLED/FATAL rules, getReports, document content; and the grantless Notifications destinations. */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-reports: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
// A real marketplace the emulated seller has no orders in.
const IT = 'APJ6JRA9NG5V4';
const ORDERS_REPORT = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';
const ORDERS_BY_UPDATE = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL';
const LISTINGS_REPORT = 'GET_MERCHANT_LISTINGS_ALL_DATA';
const SEEDED_TYPES = [ORDERS_REPORT, LISTINGS_REPORT, 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA', 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE'];
const DAY = 86_400_000;
const REPORTS = '/reports/2021-06-30/reports';

interface Report {
  reportId: string;
  reportType: string;
  processingStatus: string;
  createdTime: string;
  marketplaceIds: string[];
  dataStartTime: string;
  dataEndTime: string;
  processingStartTime?: string;
  processingEndTime?: string;
  reportDocumentId?: string;
}


let emulator: Emulator;

async function accessToken(fields: Record<string, string>): Promise<string> {
  const response = await fetch(emulator.urls.lwa, { method: 'POST', body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, ...fields }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

function call<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  return callEmulator<T>(emulator, token, method, path, body);
}

function errorCode(body: unknown): string | undefined {
  return (body as { errors?: Array<{ code: string }> }).errors?.[0]?.code;
}

const sellerToken = (): Promise<string> => accessToken({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN });

async function create(token: string, spec: Record<string, unknown>): Promise<string> {
  const created = await call<{ reportId: string }>(token, 'POST', REPORTS, { marketplaceIds: [US], ...spec });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return created.body.reportId;
}

/** getReport until the report leaves IN_QUEUE/IN_PROGRESS; returns every status seen. */
async function pollToEnd(token: string, reportId: string, limit = 10): Promise<{ report: Report; statuses: string[] }> {
  const statuses: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    const reply = await call<Report>(token, 'GET', `${REPORTS}/${reportId}`);
    expect(reply.status).toBe(200);
    statuses.push(reply.body.processingStatus);
    if (!['IN_QUEUE', 'IN_PROGRESS'].includes(reply.body.processingStatus)) return { report: reply.body, statuses };
  }
  throw new Error(`report ${reportId} did not finish in ${limit} polls: ${statuses.join(' ')}`);
}

/** The document of a finished report: gunzipped when compressionAlgorithm says so, decoded as its Content-Type says. */
async function documentText(token: string, documentId: string): Promise<string> {
  const doc = await call<{ url: string; compressionAlgorithm?: string }>(token, 'GET', `/reports/2021-06-30/documents/${documentId}`);
  expect(doc.status).toBe(200);
  const download = await fetch(doc.body.url);
  expect(download.status).toBe(200);
  const stored = Buffer.from(await download.arrayBuffer());
  const bytes = doc.body.compressionAlgorithm === 'GZIP' ? gunzipSync(stored) : stored;
  const charset = /charset=([^;]+)/.exec(download.headers.get('content-type') ?? '')?.[1] ?? 'UTF-8';
  return new TextDecoder(charset === 'Cp1252' ? 'windows-1252' : charset).decode(bytes);
}

function tsv(text: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [head = '', ...lines] = text.replace(/\n$/, '').split('\n');
  const header = head.split('\t');
  return { header, rows: lines.map((line) => Object.fromEntries(line.split('\t').map((value, i) => [header[i] ?? `#${i}`, value]))) };
}

describe.skipIf(!catalogPresent)('emulated reports', () => {
  let seller = '';
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    seller = await sellerToken();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('creates a report that goes IN_QUEUE -> IN_PROGRESS -> DONE as it is polled (pollsToDone defaults to 2)', async () => {
    const reportId = await create(seller, { reportType: ORDERS_REPORT });
    const statuses: string[] = [];
    let report: Report | undefined;
    for (let i = 0; i < 4; i += 1) {
      const reply = await call<Report>(seller, 'GET', `${REPORTS}/${reportId}`);
      expect(reply.status).toBe(200);
      report = reply.body;
      statuses.push(report.processingStatus);
    }
    expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'DONE']);
    expect(report).toMatchObject({ reportId, reportType: ORDERS_REPORT, marketplaceIds: [US], reportDocumentId: expect.any(String), createdTime: expect.any(String) });
    expect(Date.parse(report?.processingEndTime ?? '')).toBeGreaterThanOrEqual(Date.parse(report?.processingStartTime ?? ''));
  });

  it('validates createReport bodies like Amazon', async () => {
    const bodies: unknown[] = [
      { marketplaceIds: [US] },
      { reportType: ORDERS_REPORT },
      { reportType: ORDERS_REPORT, marketplaceIds: [] },
      { reportType: ORDERS_REPORT, marketplaceIds: ['NOT_A_MARKETPLACE'] },
      { reportType: ORDERS_REPORT, marketplaceIds: Array.from({ length: 26 }, () => US) },
      { reportType: 'get_orders', marketplaceIds: [US] },
      { reportType: ORDERS_REPORT, marketplaceIds: [US], dataStartTime: 'soon' },
      { reportType: ORDERS_REPORT, marketplaceIds: [US], dataStartTime: '2024-02-01T00:00:00Z', dataEndTime: '2024-01-01T00:00:00Z' },
      { reportType: ORDERS_REPORT, marketplaceIds: [US], reportOptions: { emulatorSizeBytes: 5 } },
      { reportType: ORDERS_REPORT, marketplaceIds: [US], reportOptions: ['x'] },
      [ORDERS_REPORT],
    ];
    for (const body of bodies) {
      const reply = await call(seller, 'POST', REPORTS, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    }
    // dataStartTime equal to dataEndTime is a valid (empty) window.
    const at = new Date(Date.now() - 10 * DAY).toISOString();
    expect((await call(seller, 'POST', REPORTS, { reportType: ORDERS_REPORT, marketplaceIds: [US], dataStartTime: at, dataEndTime: at })).status).toBe(202);
  });

  it('ends CANCELLED, without a document, when there is no data', async () => {
    const longAgo = { dataStartTime: new Date(Date.now() - 400 * DAY).toISOString(), dataEndTime: new Date(Date.now() - 300 * DAY).toISOString() };
    const cases: Array<Record<string, unknown>> = [
      // No order was placed in the window.
      { reportType: ORDERS_REPORT, ...longAgo },
      { reportType: ORDERS_BY_UPDATE, ...longAgo },
      // A marketplace the seller has no orders in.
      { reportType: ORDERS_REPORT, marketplaceIds: [IT] },
      // Nothing has happened yet after a future dataStartTime (any report type).
      { reportType: LISTINGS_REPORT, dataStartTime: new Date(Date.now() + DAY).toISOString() },
      // A requested size of 0 bytes, and the explicit switch.
      { reportType: LISTINGS_REPORT, reportOptions: { emulatorSizeBytes: '0' } },
      { reportType: LISTINGS_REPORT, reportOptions: { emulatorOutcome: 'CANCELLED' } },
    ];
    for (const spec of cases) {
      const { report, statuses } = await pollToEnd(seller, await create(seller, spec));
      expect(statuses, JSON.stringify(spec)).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'CANCELLED']);
      expect(report.reportDocumentId).toBeUndefined();
      // Amazon reports processing times for reports it cancelled for lack of data.
      expect(report.processingEndTime).toEqual(expect.any(String));
    }
  });

  it('ends FATAL with a reportDocumentId pointing at a JSON error document', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ emulatorOutcome: 'FATAL' }, /emulatorOutcome is FATAL/],
      [{ emulatorOutcome: 'MAYBE' }, /invalid reportOptions\.emulatorOutcome "MAYBE"/],
      [{ emulatorSizeBytes: 'lots' }, /invalid reportOptions\.emulatorSizeBytes "lots"/],
      [{ emulatorSizeBytes: String(2 ** 41) }, /invalid reportOptions\.emulatorSizeBytes/],
    ];
    for (const [reportOptions, reason] of cases) {
      const { report } = await pollToEnd(seller, await create(seller, { reportType: ORDERS_REPORT, reportOptions }));
      expect(report.processingStatus).toBe('FATAL');
      expect(report.reportDocumentId).toEqual(expect.any(String));
      const error = JSON.parse(await documentText(seller, report.reportDocumentId ?? '')) as { errorDetails: string };
      expect(error.errorDetails).toMatch(reason);
      expect(error.errorDetails).toContain(ORDERS_REPORT);
    }
  });

  it('emulatorOutcome DONE forces a document even without data: the header alone', async () => {
    const spec = { reportType: ORDERS_REPORT, marketplaceIds: [IT], reportOptions: { emulatorOutcome: 'DONE' } };
    const { report } = await pollToEnd(seller, await create(seller, spec));
    expect(report.processingStatus).toBe('DONE');
    const { header, rows } = tsv(await documentText(seller, report.reportDocumentId ?? ''));
    expect(header[0]).toBe('amazon-order-id');
    expect(rows).toEqual([]);
  });

  it('cancels a report only while it is IN_QUEUE (the model: only IN_QUEUE reports can be cancelled)', async () => {
    const queued = await create(seller, { reportType: ORDERS_REPORT });
    const path = `${REPORTS}/${queued}`;
    expect((await call(seller, 'DELETE', path)).status).toBe(200);
    const cancelled = await call<Report>(seller, 'GET', path);
    expect(cancelled.body.processingStatus).toBe('CANCELLED');
    // Cancelled before processing started: no processing times, no document.
    expect(cancelled.body.processingStartTime).toBeUndefined();
    expect(cancelled.body.reportDocumentId).toBeUndefined();
    expect((await call<Report>(seller, 'GET', path)).body.processingStatus).toBe('CANCELLED');
    const again = await call(seller, 'DELETE', path);
    expect(again.status).toBe(400);
    expect(errorCode(again.body)).toBe('InvalidInput');

    const inProgress = await create(seller, { reportType: ORDERS_REPORT });
    await call(seller, 'GET', `${REPORTS}/${inProgress}`);
    expect((await call<Report>(seller, 'GET', `${REPORTS}/${inProgress}`)).body.processingStatus).toBe('IN_PROGRESS');
    expect((await call(seller, 'DELETE', `${REPORTS}/${inProgress}`)).status).toBe(400);
    const done = await pollToEnd(seller, inProgress);
    expect(done.report.processingStatus).toBe('DONE');
    const refused = await call(seller, 'DELETE', `${REPORTS}/${inProgress}`);
    expect(refused.status).toBe(400);
    expect(errorCode(refused.body)).toBe('InvalidInput');
    expect((await call<Report>(seller, 'GET', `${REPORTS}/${inProgress}`)).body.processingStatus).toBe('DONE');

    expect((await call(seller, 'DELETE', `${REPORTS}/123`)).status).toBe(404);
    expect((await call(seller, 'GET', `${REPORTS}/123`)).status).toBe(404);
  });

  it('lists reports newest first, paging with nextToken as the only parameter', async () => {
    const query = `reportTypes=${SEEDED_TYPES.join(',')}&pageSize=7`;
    const first = await call<{ reports: Report[]; nextToken?: string }>(seller, 'GET', `${REPORTS}?${query}`);
    expect(first.status).toBe(200);
    expect(first.body.reports).toHaveLength(7);
    const all = [...first.body.reports];
    let token = first.body.nextToken;
    expect(token).toEqual(expect.any(String));

    // Amazon: "Specifying nextToken with any other parameters will cause the request to fail."
    const mixed = await call(seller, 'GET', `${REPORTS}?${query}&nextToken=${encodeURIComponent(token ?? '')}`);
    expect(mixed.status).toBe(400);
    expect(errorCode(mixed.body)).toBe('InvalidInput');

    while (token !== undefined) {
      const page: Reply<{ reports: Report[]; nextToken?: string }> = await call(seller, 'GET', `${REPORTS}?nextToken=${encodeURIComponent(token)}`);
      expect(page.status).toBe(200);
      expect(page.body.reports.length).toBeLessThanOrEqual(7);
      all.push(...page.body.reports);
      token = page.body.nextToken;
    }
    expect(all.length).toBeGreaterThan(14);
    expect(new Set(all.map((r) => r.reportId)).size).toBe(all.length);
    const times = all.map((r) => Date.parse(r.createdTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // One page of 100 holds the same reports in the same order.
    const whole = await call<{ reports: Report[]; nextToken?: string }>(seller, 'GET', `${REPORTS}?reportTypes=${SEEDED_TYPES.join(',')}&pageSize=100`);
    expect(whole.body.reports.map((r) => r.reportId)).toEqual(all.map((r) => r.reportId));
    expect(whole.body.nextToken).toBeUndefined();

    for (const bad of ['nextToken=bogus', '', 'reportTypes=X&pageSize=0', 'reportTypes=X&pageSize=101', 'reportTypes=X&processingStatuses=SOMETIMES', 'reportTypes=X&createdSince=yesterday']) {
      const reply = await call(seller, 'GET', `${REPORTS}?${bad}`);
      expect(reply.status, bad).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    }
  });

  it('filters getReports by processingStatuses, marketplaceIds and createdSince/createdUntil', async () => {
    const type = 'GET_FLAT_FILE_OPEN_LISTINGS_DATA';
    const done = await create(seller, { reportType: type, marketplaceIds: [CA] });
    await pollToEnd(seller, done);
    const queued = await create(seller, { reportType: type, marketplaceIds: [US, CA] });
    const fatal = await create(seller, { reportType: type, marketplaceIds: [US], reportOptions: { emulatorOutcome: 'FATAL' } });
    await pollToEnd(seller, fatal);

    const list = async (query: string): Promise<string[]> => {
      const reply = await call<{ reports: Report[] }>(seller, 'GET', `${REPORTS}?reportTypes=${type}&${query}`);
      expect(reply.status, query).toBe(200);
      return reply.body.reports.map((r) => r.reportId);
    };
    expect(await list('')).toEqual([fatal, queued, done]);
    expect(await list('processingStatuses=DONE,FATAL')).toEqual([fatal, done]);
    expect(await list('processingStatuses=IN_QUEUE')).toEqual([queued]);
    expect(await list(`marketplaceIds=${CA}`)).toEqual([queued, done]);
    expect(await list(`marketplaceIds=${US}&processingStatuses=FATAL`)).toEqual([fatal]);
    expect(await list(`createdUntil=${new Date(Date.now() - DAY).toISOString()}`)).toEqual([]);
    expect(await list(`createdSince=${new Date(Date.now() + DAY).toISOString()}&createdUntil=${new Date(Date.now() + 2 * DAY).toISOString()}`)).toEqual([]);
    // The seeded history is older than a minute; a createdSince just now keeps only these three.
    const seededAndNew = await call<{ reports: Report[] }>(seller, 'GET', `${REPORTS}?reportTypes=${type},${ORDERS_REPORT}&createdSince=${new Date(Date.now() - 60_000).toISOString()}&pageSize=100`);
    expect(seededAndNew.body.reports.every((r) => Date.parse(r.createdTime) >= Date.now() - 60_000)).toBe(true);
  });

  it('order reports hold one row per order line of exactly the orders the Orders API lists for the window', async () => {
    const start = new Date(Date.now() - 40 * DAY).toISOString();
    const end = new Date(Date.now() - 5 * DAY).toISOString();
    for (const [reportType, after, before] of [
      [ORDERS_REPORT, 'CreatedAfter', 'CreatedBefore'],
      [ORDERS_BY_UPDATE, 'LastUpdatedAfter', 'LastUpdatedBefore'],
    ] as const) {
      const { report } = await pollToEnd(seller, await create(seller, { reportType, marketplaceIds: [US, CA], dataStartTime: start, dataEndTime: end }));
      expect(report).toMatchObject({ processingStatus: 'DONE', dataStartTime: start, dataEndTime: end, marketplaceIds: [US, CA] });
      const { header, rows } = tsv(await documentText(seller, report.reportDocumentId ?? ''));
      expect(header.slice(0, 7)).toEqual(['amazon-order-id', 'merchant-order-id', 'purchase-date', 'last-updated-date', 'order-status', 'fulfillment-channel', 'sales-channel']);
      expect(header).toEqual(expect.arrayContaining(['sku', 'asin', 'quantity', 'currency', 'item-price', 'ship-country']));
      expect(rows.every((row) => Object.keys(row).length === header.length)).toBe(true);

      const orders: Array<{ AmazonOrderId: string; SellerOrderId: string; PurchaseDate: string; OrderStatus: string; MarketplaceId: string }> = [];
      let next: string | undefined;
      do {
        const filters = `MarketplaceIds=${US},${CA}&${after}=${start}&${before}=${end}`;
        const query = next ? `${filters}&NextToken=${encodeURIComponent(next)}` : filters;
        const page = await call<{ payload: { Orders: typeof orders; NextToken?: string } }>(seller, 'GET', `/orders/v0/orders?${query}`);
        expect(page.status).toBe(200);
        orders.push(...page.body.payload.Orders);
        next = page.body.payload.NextToken;
      } while (next);
      expect(orders.length).toBeGreaterThan(5);
      const ids = [...new Set(rows.map((row) => row['amazon-order-id']))];
      expect(ids.sort()).toEqual(orders.map((o) => o.AmazonOrderId).sort());
      expect(rows.length).toBeGreaterThanOrEqual(orders.length);
      for (const order of orders) {
        const row = rows.find((r) => r['amazon-order-id'] === order.AmazonOrderId);
        expect(row?.['merchant-order-id']).toBe(order.SellerOrderId);
        expect(row?.['order-status']).toBe(order.OrderStatus);
        expect(Date.parse(row?.['purchase-date'] ?? '')).toBe(Math.floor(Date.parse(order.PurchaseDate) / 1000) * 1000);
        expect(row?.['sales-channel']).toBe(order.MarketplaceId === US ? 'Amazon.com' : 'Amazon.ca');
      }
    }
  });

  it('the listings report lists every SKU once with the listings columns', async () => {
    const { report } = await pollToEnd(seller, await create(seller, { reportType: LISTINGS_REPORT }));
    expect(report.processingStatus).toBe('DONE');
    const { header, rows } = tsv(await documentText(seller, report.reportDocumentId ?? ''));
    expect(header.slice(0, 6)).toEqual(['item-name', 'item-description', 'listing-id', 'seller-sku', 'price', 'quantity']);
    expect(header).toEqual(expect.arrayContaining(['asin1', 'product-id', 'fulfillment-channel', 'status']));
    expect(rows.length).toBeGreaterThan(5);
    const skus = rows.map((row) => row['seller-sku']);
    expect(new Set(skus).size).toBe(skus.length);
    for (const row of rows) {
      expect(row['seller-sku']).toMatch(/^EMU-SKU-\d{3}$/);
      expect(row['asin1']).toMatch(/^B0[A-Z0-9]{8}$/);
      expect(row['price']).toMatch(/^\d+\.\d{2}$/);
    }
  });
});

describe.skipIf(!catalogPresent)('report lifecycle options', () => {
  async function withEmulator(options: EmulatorOptions, run: (token: string) => Promise<void>): Promise<void> {
    emulator = await startEmulator({ rateScale: 100_000, ...options });
    try {
      await run(await sellerToken());
    } finally {
      await emulator.close();
    }
  }

  it('reports.pollsToDone sets how many getReport calls see the report unfinished', async () => {
    const expected: Record<number, string[]> = {
      0: ['DONE'],
      1: ['IN_QUEUE', 'DONE'],
      2: ['IN_QUEUE', 'IN_PROGRESS', 'DONE'],
      4: ['IN_QUEUE', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'DONE'],
    };
    for (const [polls, statuses] of Object.entries(expected)) {
      await withEmulator({ reports: { pollsToDone: Number(polls) } }, async (token) => {
        expect((await pollToEnd(token, await create(token, { reportType: ORDERS_REPORT }))).statuses).toEqual(statuses);
        // The final status is reached the same way whatever it is.
        expect((await pollToEnd(token, await create(token, { reportType: ORDERS_REPORT, reportOptions: { emulatorOutcome: 'FATAL' } }))).statuses.at(-1)).toBe('FATAL');
      });
    }
  });

  it('reports.msToDone drives the lifecycle by time, not polls; getReports and cancelReport see it too', async () => {
    await withEmulator({ reports: { msToDone: 1500 } }, async (token) => {
      const reportId = await create(token, { reportType: ORDERS_REPORT });
      const created = Date.now();
      // Polls alone do not move it (IN_QUEUE for the first half of msToDone, IN_PROGRESS for the second).
      for (let i = 0; i < 5; i += 1) expect((await call<Report>(token, 'GET', `${REPORTS}/${reportId}`)).body.processingStatus).toBe('IN_QUEUE');
      const other = await create(token, { reportType: ORDERS_REPORT });
      await sleep(Math.max(0, created + 900 - Date.now()));
      expect((await call<Report>(token, 'GET', `${REPORTS}/${reportId}`)).body.processingStatus).toBe('IN_PROGRESS');
      await sleep(Math.max(0, created + 1600 - Date.now()));
      // Never polled, yet listed as DONE: time moved it.
      const listed = await call<{ reports: Report[] }>(token, 'GET', `${REPORTS}?reportTypes=${ORDERS_REPORT}&processingStatuses=DONE&createdSince=${new Date(created - 5000).toISOString()}`);
      expect(listed.body.reports.map((r) => r.reportId).sort()).toEqual([reportId, other].sort());
      expect((await call(token, 'DELETE', `${REPORTS}/${other}`)).status).toBe(400);
      const report = (await call<Report>(token, 'GET', `${REPORTS}/${reportId}`)).body;
      expect(report.processingStatus).toBe('DONE');
      expect(report.reportDocumentId).toEqual(expect.any(String));
    });
  });

  it('with pollsToDone and msToDone both set, whichever comes first finishes the report', async () => {
    await withEmulator({ reports: { pollsToDone: 1, msToDone: 60_000 } }, async (token) => {
      expect((await pollToEnd(token, await create(token, { reportType: ORDERS_REPORT }))).statuses).toEqual(['IN_QUEUE', 'DONE']);
    });
    await withEmulator({ reports: { pollsToDone: 1000, msToDone: 100 } }, async (token) => {
      const reportId = await create(token, { reportType: ORDERS_REPORT });
      await sleep(150);
      expect((await call<Report>(token, 'GET', `${REPORTS}/${reportId}`)).body.processingStatus).toBe('DONE');
    });
  });

  it('rejects lifecycle and document options it cannot honour', async () => {
    const bad: EmulatorOptions[] = [
      { reports: { pollsToDone: -1 } },
      { reports: { pollsToDone: 1.5 } },
      { reports: { msToDone: -5 } },
      { reports: { size: -1 } },
      { reports: { size: { [ORDERS_REPORT]: 2 ** 41 } } },
      { documentUrlLifetimeSeconds: 0 },
      { documentUrlLifetimeSeconds: 604_801 },
    ];
    for (const options of bad) await expect(startEmulator(options), JSON.stringify(options)).rejects.toThrow(/Emulator option (reports\.|documentUrlLifetimeSeconds)/);
  });
});

describe.skipIf(!catalogPresent)('emulated notifications destinations', () => {
  let grantless = '';
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    grantless = await accessToken({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications' });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('creates, lists, gets and deletes destinations with a grantless token', async () => {
    expect((await call(grantless, 'GET', '/notifications/v1/destinations')).body).toEqual({ payload: [] });
    const arn = 'arn:aws:sqs:us-east-1:123456789012:spapi-emulator';
    const created = await call<{ payload: { destinationId: string; name: string; resource: unknown } }>(grantless, 'POST', '/notifications/v1/destinations', {
      name: 'queue',
      resourceSpecification: { sqs: { arn } },
    });
    expect(created.status).toBe(200);
    expect(created.body.payload).toEqual({ destinationId: expect.any(String), name: 'queue', resource: { sqs: { arn } } });
    const duplicate = await call(grantless, 'POST', '/notifications/v1/destinations', { name: 'again', resourceSpecification: { sqs: { arn } } });
    expect(duplicate.status).toBe(409);
    const bridge = await call<{ payload: { resource: { eventBridge: Record<string, string> } } }>(grantless, 'POST', '/notifications/v1/destinations', {
      name: 'bus',
      resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '123456789012' } },
    });
    expect(bridge.body.payload.resource.eventBridge).toMatchObject({ region: 'us-east-1', accountId: '123456789012', name: expect.any(String) });
    expect((await call<{ payload: unknown[] }>(grantless, 'GET', '/notifications/v1/destinations')).body.payload).toHaveLength(2);
    const id = created.body.payload.destinationId;
    expect((await call(grantless, 'GET', `/notifications/v1/destinations/${id}`)).status).toBe(200);
    expect((await call(grantless, 'DELETE', `/notifications/v1/destinations/${id}`)).status).toBe(200);
    expect((await call(grantless, 'GET', `/notifications/v1/destinations/${id}`)).status).toBe(404);
  });

  it('validates destination bodies', async () => {
    for (const body of [{ name: 'x' }, { name: 'x', resourceSpecification: { sqs: { arn: 'not-an-arn' } } }, { resourceSpecification: { sqs: { arn: 'arn:aws:sqs:us-east-1:123456789012:q' } } }]) {
      const reply = await call(grantless, 'POST', '/notifications/v1/destinations', body);
      expect(reply.status).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    }
  });
});
