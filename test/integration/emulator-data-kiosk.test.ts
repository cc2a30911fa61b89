import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellerAccessToken } from '../helpers/emulator.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/*
 * Data Kiosk 2023-11-15 on the emulator: createQuery's validation, the IN_QUEUE -> IN_PROGRESS ->
 * DONE lifecycle, JSON Lines documents served with Content-Encoding: gzip, result pages by
 * re-creating the query with paginationToken, DONE without documents when there is no data,
 * FATAL with an error document, cancelQuery, getQueries' filters and pages, regional hosts.
 */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-data-kiosk: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const FR = 'A13V1IB3VIYZZH';
// A marketplace Amazon has and the emulated seller does not sell in.
const SE = 'A2NODRKZP88ZB9';
const QUERIES = '/dataKiosk/2023-11-15/queries';
const DOCUMENTS = '/dataKiosk/2023-11-15/documents';
const DAY = 86_400_000;
const SCALE = 100_000;

type ErrorBody = { errors: Array<{ code: string; message: string; details: string }> };

interface Query {
  queryId: string;
  query: string;
  createdTime: string;
  processingStatus: string;
  processingStartTime?: string;
  processingEndTime?: string;
  dataDocumentId?: string;
  errorDocumentId?: string;
  pagination?: { nextToken?: string };
}

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A date `days` before today (UTC), as the schemas' Date. */
const daysAgo = (days: number): string => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

function salesByDate(start: string, end: string, marketplaceIds: string[], aggregateBy = 'DAY', comment = ''): string {
  const ids = marketplaceIds.map((id) => JSON.stringify(id)).join(', ');
  return `${comment}query SalesByDate {
  analytics_salesAndTraffic_2024_04_24 {
    salesAndTrafficByDate(startDate: "${start}", endDate: "${end}", aggregateBy: ${aggregateBy}, marketplaceIds: [${ids}]) {
      startDate endDate marketplaceId
      sales { orderedProductSales { amount currencyCode } unitsOrdered totalOrderItems }
      traffic { sessions pageViews }
    }
  }
}`;
}

class Client {
  private token = '';

  constructor(readonly emulator: Emulator) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, base = this.emulator.urls.spApi): Promise<Answer<T>> {
    this.token ||= await sellerAccessToken(this.emulator);
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'x-amz-access-token': this.token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
  }

  async create(query: string, paginationToken?: string, base?: string): Promise<string> {
    const created = await this.call<{ queryId: string }>('POST', QUERIES, { query, ...(paginationToken !== undefined ? { paginationToken } : {}) }, base);
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.body).toEqual({ queryId: expect.stringMatching(/^\d{11}$/) });
    return created.body.queryId;
  }

  /** getQuery until the query is final; returns it and every status seen. */
  async finish(queryId: string, base?: string): Promise<{ query: Query; statuses: string[] }> {
    const statuses: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const reply = await this.call<Query>('GET', `${QUERIES}/${queryId}`, undefined, base);
      expect(reply.status).toBe(200);
      statuses.push(reply.body.processingStatus);
      if (!['IN_QUEUE', 'IN_PROGRESS'].includes(reply.body.processingStatus)) return { query: reply.body, statuses };
    }
    throw new Error(`query ${queryId} did not finish: ${statuses.join(' ')}`);
  }

  async run(query: string, paginationToken?: string): Promise<Query> {
    return (await this.finish(await this.create(query, paginationToken))).query;
  }

  /** getDocument and the download as a client with fetch sees it (inflated by Content-Encoding). */
  async document(documentId: string): Promise<{ url: string; text: string; headers: Headers }> {
    const reply = await this.call<{ documentId: string; documentUrl: string }>('GET', `${DOCUMENTS}/${documentId}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ documentId, documentUrl: expect.any(String) });
    const download = await fetch(reply.body.documentUrl);
    expect(download.status).toBe(200);
    return { url: reply.body.documentUrl, text: await download.text(), headers: download.headers };
  }

  async records(documentId: string): Promise<Array<Record<string, unknown>>> {
    const { text } = await this.document(documentId);
    expect(text.endsWith('\n')).toBe(true);
    return text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** The stored bytes and headers of a download, without HTTP decoding. */
function rawGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe.skipIf(!catalogPresent)('Data Kiosk', () => {
  let emulator: Emulator;
  let client: Client;
  const others: Emulator[] = [];
  const startOther = async (options: EmulatorOptions): Promise<Client> => {
    const other = await startEmulator({ rateScale: SCALE, ...options });
    others.push(other);
    return new Client(other);
  };

  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: SCALE });
    client = new Client(emulator);
  });
  afterAll(async () => {
    await Promise.all([emulator, ...others].map((e) => e.close()));
  });

  it('createQuery answers 202 {queryId} with a request id and the usage plan; the query goes IN_QUEUE -> IN_PROGRESS -> DONE', async () => {
    const created = await client.call<{ queryId: string }>('POST', QUERIES, { query: salesByDate(daysAgo(10), daysAgo(1), [US]) });
    expect(created.status).toBe(202);
    expect(created.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    // createQuery's plan is 0.0167/s (the model), scaled by rateScale.
    expect(Number(created.headers.get('x-amzn-ratelimit-limit'))).toBeCloseTo(0.0167 * SCALE, 6);
    const { query, statuses } = await client.finish(created.body.queryId);
    expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE']);
    expect(query).toMatchObject({ queryId: created.body.queryId, query: salesByDate(daysAgo(10), daysAgo(1), [US]), processingStatus: 'DONE', dataDocumentId: expect.stringMatching(/^amzn1\.tortuga\.4\.na\./) });
    expect(query.errorDocumentId).toBeUndefined();
    expect(query.pagination).toBeUndefined();
    expect(Date.parse(query.processingEndTime ?? '')).toBeGreaterThanOrEqual(Date.parse(query.processingStartTime ?? ''));
    expect(Date.parse(query.processingStartTime ?? '')).toBeGreaterThanOrEqual(Date.parse(query.createdTime));
    const getQuery = await client.call('GET', `${QUERIES}/${query.queryId}`);
    expect(Number(getQuery.headers.get('x-amzn-ratelimit-limit'))).toBeCloseTo(2 * SCALE, 6);
  });

  it('serves the data document as JSON Lines with Content-Encoding: gzip and no compressionAlgorithm, records as selected and as the orders say', async () => {
    const start = daysAgo(20);
    const end = daysAgo(2);
    const query = await client.run(salesByDate(start, end, [US]));
    const reply = await client.call<Record<string, unknown>>('GET', `${DOCUMENTS}/${query.dataDocumentId ?? ''}`);
    expect(Object.keys(reply.body).sort()).toEqual(['documentId', 'documentUrl']);
    const url = new URL(String(reply.body['documentUrl']));
    expect(url.origin).toBe(emulator.urls.documents);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const stored = await rawGet(url.href);
    expect(stored.headers['content-encoding']).toBe('gzip');
    expect([...stored.body.subarray(0, 2)]).toEqual([0x1f, 0x8b]);

    const records = await client.records(query.dataDocumentId ?? '');
    expect(gunzipSync(stored.body).toString('utf8')).toBe(`${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    // One record a day, only the selected fields, in the selection's shape.
    expect(records.map((r) => r['startDate'])).toEqual(Array.from({ length: 19 }, (_, i) => daysAgo(20 - i)));
    for (const record of records) {
      expect(Object.keys(record)).toEqual(['startDate', 'endDate', 'marketplaceId', 'sales', 'traffic']);
      expect(record['endDate']).toBe(record['startDate']);
      expect(record['marketplaceId']).toBe(US);
      expect(Object.keys(record['sales'] as object)).toEqual(['orderedProductSales', 'unitsOrdered', 'totalOrderItems']);
      expect((record['sales'] as { orderedProductSales: { currencyCode: string } }).orderedProductSales.currencyCode).toBe('USD');
      expect(Object.keys(record['traffic'] as object)).toEqual(['sessions', 'pageViews']);
    }

    // Units per day are the Orders API's, cancelled orders left out.
    const orders = await client.call<{ payload: { Orders: Array<{ AmazonOrderId: string; PurchaseDate: string; OrderStatus: string }> } }>(
      'GET',
      `/orders/v0/orders?MarketplaceIds=${US}&CreatedAfter=${start}T00:00:00Z&CreatedBefore=${daysAgo(1)}T00:00:00Z&MaxResultsPerPage=100`,
    );
    const units = new Map<string, number>();
    for (const order of orders.body.payload.Orders.filter((o) => o.OrderStatus !== 'Canceled')) {
      const items = await client.call<{ payload: { OrderItems: Array<{ QuantityOrdered: number }> } }>('GET', `/orders/v0/orders/${order.AmazonOrderId}/orderItems`);
      const date = order.PurchaseDate.slice(0, 10);
      units.set(date, (units.get(date) ?? 0) + items.body.payload.OrderItems.reduce((sum, item) => sum + item.QuantityOrdered, 0));
    }
    for (const record of records) expect((record['sales'] as { unitsOrdered: number }).unitsOrdered, String(record['startDate'])).toBe(units.get(String(record['startDate'])) ?? 0);
    expect([...units.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // The same query gives the same records (the seed fixes traffic too).
    expect(await client.records((await client.run(salesByDate(start, end, [US]))).dataDocumentId ?? '')).toEqual(records);
  });

  it('document URLs expire like report URLs; a fresh getDocument goes on', async () => {
    const query = await client.run(salesByDate(daysAgo(5), daysAgo(1), [US]));
    const { url } = await client.document(query.dataDocumentId ?? '');
    emulator.expireDocumentUrls();
    const refused = await rawGet(url);
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toContain('<Message>Request has expired</Message>');
    expect((await client.document(query.dataDocumentId ?? '')).text.length).toBeGreaterThan(0);
  });

  it('salesAndTrafficByAsin and economics records follow their schemas; aliases name the fields', async () => {
    const byAsin = await client.run(`{ analytics_salesAndTraffic_2024_04_24 { salesAndTrafficByAsin(aggregateBy: SKU, startDate: "${daysAgo(30)}", endDate: "${daysAgo(1)}", marketplaceIds: ["${DE}"]) {
      parentAsin childAsin sku marketplaceId sales { unitsOrdered orderedProductSales { amount currencyCode } } traffic { sessions sessionPercentage unitSessionPercentage }
    } } }`);
    const asins = await client.records(byAsin.dataDocumentId ?? '');
    expect(asins.length).toBeGreaterThan(1);
    for (const record of asins) {
      expect(record).toMatchObject({ parentAsin: expect.stringMatching(/^B0[A-Z0-9]{8}$/), childAsin: expect.stringMatching(/^B0[A-Z0-9]{8}$/), sku: expect.stringMatching(/^EMU-SKU-\d{3}$/), marketplaceId: DE });
      expect((record['sales'] as { orderedProductSales: { currencyCode: string } }).orderedProductSales.currencyCode).toBe('EUR');
    }
    const shares = asins.map((r) => (r['traffic'] as { sessionPercentage: number }).sessionPercentage);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);

    const economics = await client.run(`query { analytics_economics_2024_03_15 { economics(startDate: "${daysAgo(30)}", endDate: "${daysAgo(1)}", marketplaceIds: ["${US}"], aggregateBy: { date: RANGE, productId: MSKU }) {
      startDate endDate msku units: sales { n: unitsOrdered netProductSales { amount } } fees { feeTypeName charge { aggregatedDetail { totalAmount { amount currencyCode } } } } netProceeds { total { amount } } cost { costOfGoodsSold { amount } } notAField
    } } }`);
    const rows = await client.records(economics.dataDocumentId ?? '');
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['startDate', 'endDate', 'msku', 'units', 'fees', 'netProceeds', 'cost', 'notAField']);
      expect(row).toMatchObject({ startDate: daysAgo(30), endDate: daysAgo(1), units: { n: expect.any(Number) }, cost: { costOfGoodsSold: null }, notAField: null });
      const fees = row['fees'] as Array<{ feeTypeName: string }>;
      expect(fees[0]?.feeTypeName).toBe('Referral fee');
    }
  });

  it('refuses invalid bodies and queries with 400 InvalidInput "The provided query is invalid."', async () => {
    const valid = salesByDate(daysAgo(3), daysAgo(1), [US]);
    const refuse = async (body: unknown, details?: RegExp): Promise<void> => {
      const reply = await client.call<ErrorBody>('POST', QUERIES, body);
      expect(reply.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(reply.body.errors[0]?.code).toBe('InvalidInput');
      if (details) {
        expect(reply.body.errors[0]?.message).toBe('The provided query is invalid.');
        expect(reply.body.errors[0]?.details).toMatch(details);
      }
    };
    await refuse({});
    await refuse({ query: 42 });
    await refuse({ query: valid, paginationToken: 7 });
    // The sandbox example's answer for a root Amazon does not have; a retired dataset is one too.
    await refuse({ query: 'query {invalidSampleQuery(startDate:"2023-03-01" endDate:"2023-03-31" marketplaceIds:["ATVPDKIKX0DER"]){sales{date}}}' }, /^Query 'invalidSampleQuery' is not supported\.$/);
    await refuse({ query: valid.replace('2024_04_24', '2023_11_15') }, /Query 'analytics_salesAndTraffic_2023_11_15' is not supported/);
    await refuse({ query: valid.slice(0, -2) }, /Expected/);
    await refuse({ query: 'mutation { x }' }, /Only query operations/);
    await refuse({ query: valid.replace('salesAndTrafficByDate', 'salesByDate') }, /Field 'salesByDate' in type 'Analytics_SalesAndTraffic_2024_04_24' is undefined/);
    await refuse({ query: valid.replace(', aggregateBy: DAY', '') }, /Missing field argument 'aggregateBy'/);
    await refuse({ query: valid.replace('aggregateBy: DAY', 'aggregateBy: HOUR') }, /aggregateBy.*DAY, WEEK, MONTH/);
    await refuse({ query: valid.replace('aggregateBy: DAY', 'aggregateBy: "DAY"') }, /aggregateBy/);
    await refuse({ query: valid.replace(`"${daysAgo(3)}"`, '"2024-02-30"') }, /startDate.*Date/);
    await refuse({ query: valid.replace(/\{\s*startDate endDate[\s\S]*traffic \{ sessions pageViews \}\s*\}/, '') }, /Sub selection required/);
    await refuse({ query: `query ($d: Date) ${valid.slice('query SalesByDate '.length)}` }, /Variables are not supported/);

    // At most 8,000 characters once needless whitespace and comments are gone.
    const fields = Array.from({ length: 800 }, (_, i) => `f${i}: startDate`).join(' ');
    await refuse({ query: valid.replace('startDate endDate marketplaceId', fields) }, /at most 8000/);
    const padded = `# ${'x'.repeat(9000)}\n${valid.replace(/ /g, ' '.repeat(20))}`;
    expect(padded.length).toBeGreaterThan(8000);
    expect((await client.call('POST', QUERIES, { query: padded })).status).toBe(202);
  });

  it('pages a big result: DONE with pagination.nextToken, and createQuery with the same query and paginationToken makes the next page', async () => {
    const paged = await startOther({ reports: { pollsToDone: 0 }, dataKiosk: { recordsPerDocument: 4 } });
    const text = salesByDate(daysAgo(10), daysAgo(1), [US]);
    const pages: Query[] = [await paged.run(text)];
    while (pages.at(-1)?.pagination?.nextToken !== undefined) {
      // Spacing differs from the first page's: the query is the same.
      const next = await paged.run(text.replace(/\n\s*/g, ' '), pages.at(-1)?.pagination?.nextToken);
      pages.push(next);
      if (pages.length > 5) break;
    }
    expect(pages).toHaveLength(3);
    expect(new Set(pages.map((p) => p.queryId)).size).toBe(3);
    const records = [];
    for (const page of pages) records.push(...(await paged.records(page.dataDocumentId ?? '')));
    expect(records.map((r) => r['startDate'])).toEqual(Array.from({ length: 10 }, (_, i) => daysAgo(10 - i)));
    expect(pages.map((p) => p.pagination === undefined)).toEqual([false, false, true]);

    const token = pages[0]?.pagination?.nextToken ?? '';
    const other = await paged.call<ErrorBody>('POST', QUERIES, { query: salesByDate(daysAgo(9), daysAgo(1), [US]), paginationToken: token });
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: 'The provided paginationToken is invalid.' });
    expect((await paged.call('POST', QUERIES, { query: text, paginationToken: 'bogus' })).status).toBe(400);
    // Tokens belong to the host that issued them.
    expect((await paged.call('POST', QUERIES, { query: text, paginationToken: token }, paged.emulator.urls.spApiRegions.na)).status).toBe(400);
  });

  it('ends DONE with neither dataDocumentId nor errorDocumentId when there is no data', async () => {
    for (const text of [
      salesByDate(daysAgo(-10), daysAgo(-20), [US]).replace(`"${daysAgo(-10)}"`, `"${daysAgo(-5)}"`),
      salesByDate(daysAgo(30), daysAgo(1), [FR]),
      salesByDate(daysAgo(3), daysAgo(1), [US], 'DAY', '# emulatorOutcome: NO_DATA\n'),
      // A week that has not ended: WEEK snaps to whole weeks, none is left.
      salesByDate(daysAgo(3), daysAgo(1), [US], 'WEEK'),
    ]) {
      const query = await client.run(text);
      expect(query.processingStatus, text).toBe('DONE');
      expect(query.dataDocumentId, text).toBeUndefined();
      expect(query.errorDocumentId, text).toBeUndefined();
    }
  });

  it('ends FATAL with an errorDocumentId whose JSON says why', async () => {
    const cases: Array<[string, RegExp]> = [
      [salesByDate(daysAgo(30), daysAgo(1), [SE]), /not registered in marketplace A2NODRKZP88ZB9/],
      [salesByDate(daysAgo(30), daysAgo(1), ['NOT_A_MARKETPLACE']), /Invalid marketplaceIds: NOT_A_MARKETPLACE/],
      [salesByDate(daysAgo(1), daysAgo(30), [US]), /is after endDate/],
      [salesByDate(daysAgo(800), daysAgo(790), [US]), /more than two years ago/],
      [salesByDate(daysAgo(3), daysAgo(1), [US], 'DAY', '# emulatorOutcome: FATAL\n'), /emulatorOutcome is FATAL/],
      [`{analytics_vendorAnalytics_2024_09_30{manufacturingView(aggregateBy:WEEK,startDate:"${daysAgo(30)}",endDate:"${daysAgo(1)}"){startDate}}}`, /available to vendors/],
    ];
    for (const [text, reason] of cases) {
      const query = await client.run(text);
      expect(query.processingStatus, text).toBe('FATAL');
      expect(query.dataDocumentId).toBeUndefined();
      expect(query.errorDocumentId).toMatch(/^amzn1\.tortuga\.4\.(na|eu)\./);
      const error = await client.document(query.errorDocumentId ?? '');
      expect(error.headers.get('content-type')).toBe('application/json');
      const body = JSON.parse(error.text) as { errorDetails: string };
      expect(Object.keys(body)).toEqual(['errorDetails']);
      expect(body.errorDetails).toMatch(reason);
    }
  });

  it('cancelQuery: 204 and CANCELLED while IN_QUEUE or IN_PROGRESS, a no-op when CANCELLED, 400 once finished', async () => {
    const queued = await client.create(salesByDate(daysAgo(3), daysAgo(1), [US]));
    const cancel = await client.call('DELETE', `${QUERIES}/${queued}`);
    expect(cancel.status).toBe(204);
    const cancelled = (await client.call<Query>('GET', `${QUERIES}/${queued}`)).body;
    expect(cancelled.processingStatus).toBe('CANCELLED');
    expect(cancelled.processingStartTime).toBeUndefined();
    expect(cancelled.dataDocumentId).toBeUndefined();
    expect((await client.call('DELETE', `${QUERIES}/${queued}`)).status).toBe(204);
    expect((await client.call<Query>('GET', `${QUERIES}/${queued}`)).body.processingStatus).toBe('CANCELLED');

    const running = await client.create(salesByDate(daysAgo(3), daysAgo(1), [US]));
    await client.call('GET', `${QUERIES}/${running}`);
    expect((await client.call<Query>('GET', `${QUERIES}/${running}`)).body.processingStatus).toBe('IN_PROGRESS');
    expect((await client.call('DELETE', `${QUERIES}/${running}`)).status).toBe(204);
    const stopped = (await client.call<Query>('GET', `${QUERIES}/${running}`)).body;
    expect(stopped).toMatchObject({ processingStatus: 'CANCELLED', processingStartTime: expect.any(String), processingEndTime: expect.any(String) });

    const done = (await client.run(salesByDate(daysAgo(3), daysAgo(1), [US]))).queryId;
    const refused = await client.call<ErrorBody>('DELETE', `${QUERIES}/${done}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]?.code).toBe('InvalidInput');
    expect((await client.call<Query>('GET', `${QUERIES}/${done}`)).body.processingStatus).toBe('DONE');

    // The sandbox examples' answers for an unknown and a malformed id.
    for (const method of ['GET', 'DELETE']) {
      expect((await client.call<ErrorBody>(method, `${QUERIES}/12345678901`)).body).toEqual({ errors: [{ code: 'NotFound', message: 'The provided queryId was not found.', details: '' }] });
      const malformed = await client.call<ErrorBody>(method, `${QUERIES}/InvalidQueryId1`);
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual({ errors: [{ code: 'InvalidInput', message: 'Invalid input', details: 'Invalid input' }] });
    }
    expect((await client.call(`GET`, `${DOCUMENTS}/amzn1.spdoc.1.4.na.emulator.1`)).status).toBe(400);
    expect((await client.call(`GET`, `${DOCUMENTS}/amzn1.tortuga.4.na.00000000-0000-0000-0000-000000000000.TNONE`)).status).toBe(404);
  });

  it('getQueries filters by processingStatuses and createdSince, newest first, pages with paginationToken', async () => {
    const listed = await startOther({});
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await listed.create(salesByDate(daysAgo(3), daysAgo(1), [US])));
    // Two finished, one cancelled, two left IN_QUEUE.
    await listed.finish(ids[0] ?? '');
    await listed.finish(ids[1] ?? '');
    await listed.call('DELETE', `${QUERIES}/${ids[2] ?? ''}`);
    const list = async (query: string): Promise<{ ids: string[]; next?: string; status: number }> => {
      const reply = await listed.call<{ queries: Query[]; pagination?: { nextToken?: string } }>('GET', `${QUERIES}${query}`);
      return { status: reply.status, ids: reply.body.queries?.map((q) => q.queryId) ?? [], ...(reply.body.pagination?.nextToken ? { next: reply.body.pagination.nextToken } : {}) };
    };
    expect((await list('')).ids).toEqual([...ids].reverse());
    expect((await list('?processingStatuses=DONE')).ids).toEqual([ids[1], ids[0]]);
    expect((await list('?processingStatuses=IN_QUEUE,CANCELLED')).ids).toEqual([ids[4], ids[3], ids[2]]);
    expect((await list(`?createdSince=${new Date(Date.now() + DAY).toISOString()}`)).ids).toEqual([]);

    const first = await list('?processingStatuses=IN_QUEUE,CANCELLED,DONE&pageSize=2');
    expect(first.ids).toEqual([ids[4], ids[3]]);
    const token = encodeURIComponent(first.next ?? '');
    // pageSize may change between pages; the other parameters may not.
    const second = await list(`?processingStatuses=IN_QUEUE,CANCELLED,DONE&pageSize=3&paginationToken=${token}`);
    expect(second.ids).toEqual([ids[2], ids[1], ids[0]]);
    expect(second.next).toBeUndefined();
    expect((await list(`?processingStatuses=DONE&pageSize=2&paginationToken=${token}`)).status).toBe(400);
    expect((await list('?paginationToken=bogus')).status).toBe(400);

    const invalid = await listed.call<ErrorBody>('GET', `${QUERIES}?processingStatuses=INVALID_STATUS`);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0]?.message).toBe(
      "1 validation error detected: Value '[INVALID_STATUS]' at 'processingStatuses' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [DONE, FATAL, IN_PROGRESS, CANCELLED, IN_QUEUE]]",
    );
    for (const bad of ['pageSize=0', 'pageSize=101', 'createdSince=yesterday']) expect((await list(`?${bad}`)).status, bad).toBe(400);
  });

  it('regional hosts: another region\u2019s marketplace is InvalidInput; a query and its documents live in their region', async () => {
    const { na, eu } = emulator.urls.spApiRegions;
    const refused = await client.call<ErrorBody>('POST', QUERIES, { query: salesByDate(daysAgo(10), daysAgo(1), [DE, US]) }, eu);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: 'The marketplaces you provided are not valid for region.' });

    const queryId = await client.create(salesByDate(daysAgo(10), daysAgo(1), [DE]), undefined, eu);
    const { query } = await client.finish(queryId, eu);
    expect(query.dataDocumentId).toMatch(/^amzn1\.tortuga\.4\.eu\./);
    expect((await client.call('GET', `${QUERIES}/${queryId}`, undefined, na)).status).toBe(404);
    expect((await client.call('GET', `${QUERIES}/${queryId}`)).status).toBe(200);
    expect((await client.call('GET', `${DOCUMENTS}/${query.dataDocumentId ?? ''}`, undefined, na)).status).toBe(404);
    expect((await client.call('GET', `${DOCUMENTS}/${query.dataDocumentId ?? ''}`, undefined, eu)).status).toBe(200);
    const listedOn = async (base: string): Promise<string[]> => (await client.call<{ queries: Query[] }>('GET', `${QUERIES}?pageSize=100`, undefined, base)).body.queries.map((q) => q.queryId);
    expect(await listedOn(eu)).toContain(queryId);
    expect(await listedOn(na)).not.toContain(queryId);
    expect(await listedOn(emulator.urls.spApi)).toContain(queryId);
  });

  it('accepts the static sandbox example query (the fake root sampleQuery) and follows dataKiosk or reports lifecycle options', async () => {
    const quick = await startOther({ dataKiosk: { pollsToDone: 0 } });
    const example = 'query {sampleQuery(startDate:"2023-03-01" endDate:"2023-03-31" marketplaceIds:["ATVPDKIKX0DER"]){sales{date averageSellingPrice{amount currencyCode}}}}';
    const { query, statuses } = await quick.finish(await quick.create(example));
    expect(statuses).toEqual(['DONE']);
    // March 2023 has no orders in the emulator: no data, not a failure.
    expect(query.dataDocumentId).toBeUndefined();
    expect(query.errorDocumentId).toBeUndefined();

    const timed = await startOther({ reports: { pollsToDone: 0 } });
    expect((await timed.finish(await timed.create(salesByDate(daysAgo(3), daysAgo(1), [US])))).statuses).toEqual(['DONE']);
    await expect(startEmulator({ dataKiosk: { recordsPerDocument: 0 } })).rejects.toThrow(/dataKiosk\.recordsPerDocument must be an integer from 1/);
    await expect(startEmulator({ dataKiosk: { pollsToDone: -1 } })).rejects.toThrow(/dataKiosk\.pollsToDone/);
  });
});
