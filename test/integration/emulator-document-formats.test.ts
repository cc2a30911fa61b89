import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEmulator, sellerAccessToken } from '../helpers/emulator.js';
import type { Reply } from '../helpers/emulator.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';

/*
 * Report documents as Amazon stores them: a charset per document (Content-Type text/plain;
 * charset=Cp1252 for NA/EU listing reports, windows-31j for Japan, UTF-8 otherwise), listing
 * reports uncompressed (no compressionAlgorithm), non-ASCII product names that turn into mojibake
 * when decoded with the wrong charset, and reportOptions.emulatorCharset/emulatorCompression.
 */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-document-formats: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';
const PL = 'A1C3SOZRARQ6R3';
const JP = 'A1VC38T7YXB528';
const LISTINGS = 'GET_MERCHANT_LISTINGS_ALL_DATA';
const ORDERS = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';
const DAY = 86_400_000;

// Windows-1252's 0x80-0x9F, written out here so the test does not trust the emulator's table
// (and Node 20's TextDecoder decodes that range as Latin-1).
const CP1252_HIGH: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š', 0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž',
  0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};
const decodeCp1252 = (bytes: Buffer): string => [...bytes].map((b) => CP1252_HIGH[b] ?? String.fromCharCode(b)).join('');

interface Downloaded {
  compressionAlgorithm: string | undefined;
  contentType: string | null;
  contentEncoding: string | null;
  /** The downloaded bytes, gunzipped when compressionAlgorithm says so. */
  bytes: Buffer;
  url: string;
}

describe.skipIf(!catalogPresent)('report document charsets and compression', () => {
  let emulator: Emulator;
  let token = '';

  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> => callEmulator<T>(emulator, token, method, path, body);

  /** createReport, one getReport (pollsToDone 0), getReportDocument, download. */
  async function report(reportType: string, marketplaceIds: string[], reportOptions?: Record<string, string>, extra: Record<string, unknown> = {}): Promise<Downloaded> {
    const created = await call<{ reportId: string }>('POST', '/reports/2021-06-30/reports', { reportType, marketplaceIds, ...(reportOptions ? { reportOptions } : {}), ...extra });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const got = await call<{ processingStatus: string; reportDocumentId?: string }>('GET', `/reports/2021-06-30/reports/${created.body.reportId}`);
    expect(got.body.processingStatus).toMatch(/^(DONE|FATAL)$/);
    return download(got.body.reportDocumentId ?? '');
  }

  async function download(documentId: string, query = ''): Promise<Downloaded> {
    const document = await call<{ url: string; compressionAlgorithm?: string }>('GET', `/reports/2021-06-30/documents/${documentId}${query}`);
    expect(document.status).toBe(200);
    const response = await fetch(document.body.url);
    expect(response.status).toBe(200);
    const stored = Buffer.from(await response.arrayBuffer());
    return {
      compressionAlgorithm: document.body.compressionAlgorithm,
      contentType: response.headers.get('content-type'),
      contentEncoding: response.headers.get('content-encoding'),
      bytes: document.body.compressionAlgorithm === 'GZIP' ? gunzipSync(stored) : stored,
      url: document.body.url,
    };
  }

  /** Column `name` of every row of a TSV text. */
  function column(text: string, name: string): string[] {
    const [head = '', ...rows] = text.replace(/\n$/, '').split('\n');
    const index = head.split('\t').indexOf(name);
    expect(index, `column ${name}`).toBeGreaterThanOrEqual(0);
    return rows.map((row) => row.split('\t')[index] ?? '');
  }

  /** SKU -> title as getOrderItems shows it, for the orders of one marketplace. */
  async function orderTitles(marketplaceId: string): Promise<Map<string, string>> {
    const orders = await call<{ payload: { Orders: Array<{ AmazonOrderId: string }> } }>('GET', `/orders/v0/orders?MarketplaceIds=${marketplaceId}&CreatedAfter=${new Date(Date.now() - 100 * DAY).toISOString()}`);
    expect(orders.status).toBe(200);
    const titles = new Map<string, string>();
    for (const { AmazonOrderId } of orders.body.payload.Orders.slice(0, 5)) {
      const items = await call<{ payload: { OrderItems: Array<{ SellerSKU: string; Title: string }> } }>('GET', `/orders/v0/orders/${AmazonOrderId}/orderItems`);
      for (const item of items.body.payload.OrderItems) titles.set(item.SellerSKU, item.Title);
    }
    expect(titles.size).toBeGreaterThan(0);
    return titles;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000, reports: { pollsToDone: 0 } });
    token = await sellerAccessToken(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('a US listings report is an uncompressed Cp1252 flat file whose names are mojibake as UTF-8', async () => {
    const doc = await report(LISTINGS, [US]);
    expect(doc.compressionAlgorithm).toBeUndefined();
    expect(doc.contentType).toBe('text/plain; charset=Cp1252');
    expect(doc.contentEncoding).toBeNull();
    // "– Müller Home™": en dash 0x96, ü 0xFC, ™ 0x99 — one byte each, none of them UTF-8.
    expect(doc.bytes.includes(Buffer.from([0x20, 0x96, 0x20, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x48, 0x6f, 0x6d, 0x65, 0x99]))).toBe(true);
    expect(doc.bytes.toString('utf8')).toContain('\uFFFD');
    const names = column(decodeCp1252(doc.bytes), 'item-name');
    expect(names.every((name) => name.endsWith(' – Müller Home™'))).toBe(true);
    // The same SKU has the same title in the Orders API.
    const titles = await orderTitles(US);
    const skus = column(decodeCp1252(doc.bytes), 'seller-sku');
    for (const [sku, title] of titles) expect(names[skus.indexOf(sku)]).toBe(title);
  });

  it('EU listings are Cp1252 in the marketplace language; characters Cp1252 lacks arrive as ?', async () => {
    const de = await report(LISTINGS, [DE]);
    expect(de.contentType).toBe('text/plain; charset=Cp1252');
    const names = column(decodeCp1252(de.bytes), 'item-name');
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(name).toMatch(/^\S.* „.+“ – Müller Home, Größe M, 10 €$/);
    expect(de.bytes.includes(Buffer.from(' 10 \x80', 'latin1'))).toBe(true);

    // Polish: ó is in Cp1252, ż and ł are not (amzn/selling-partner-api-models#4888).
    const pl = await report(LISTINGS, [PL]);
    const polish = column(decodeCp1252(pl.bytes), 'item-name');
    expect(polish.every((name) => name.endsWith('– Müller Home, ?ó?ty'))).toBe(true);
  });

  it('Japanese flat files are windows-31j: listings uncompressed, orders gzip, names as in the Orders API', async () => {
    const listings = await report(LISTINGS, [JP]);
    expect(listings.compressionAlgorithm).toBeUndefined();
    expect(listings.contentType).toBe('text/plain; charset=windows-31j');
    // ソ is 0x83 0x5C in Shift_JIS: its second byte is a backslash.
    expect(listings.bytes.includes(Buffer.from([0x83, 0x5c, 0x83, 0x74, 0x83, 0x67]))).toBe(true);
    const text = new TextDecoder('shift_jis').decode(listings.bytes);
    const names = column(text, 'item-name');
    expect(names.every((name) => name.endsWith(' ミュラーホーム（ソフトケース付き）'))).toBe(true);
    expect(listings.bytes.toString('utf8')).toContain('\uFFFD');

    const orders = await report(ORDERS, [JP], undefined, { dataStartTime: new Date(Date.now() - 95 * DAY).toISOString() });
    expect(orders.compressionAlgorithm).toBe('GZIP');
    expect(orders.contentType).toBe('text/plain; charset=windows-31j');
    const orderText = new TextDecoder('shift_jis').decode(orders.bytes);
    const products = column(orderText, 'product-name');
    const skus = column(orderText, 'sku');
    expect(products.length).toBeGreaterThan(0);
    for (const [sku, title] of await orderTitles(JP)) {
      expect(title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(products[skus.indexOf(sku)]).toBe(title);
    }
  });

  it('US order reports stay gzip UTF-8', async () => {
    const doc = await report(ORDERS, [US]);
    expect(doc.compressionAlgorithm).toBe('GZIP');
    expect(doc.contentType).toBe('text/plain; charset=UTF-8');
    expect(column(doc.bytes.toString('utf8'), 'product-name').every((name) => name.endsWith(' – Müller Home™'))).toBe(true);
  });

  it('reportOptions.emulatorCharset and emulatorCompression override the defaults, labels served as given', async () => {
    const utf8 = await report(LISTINGS, [US], { emulatorCharset: 'utf-8' });
    expect(utf8.contentType).toBe('text/plain; charset=UTF-8');
    expect(column(utf8.bytes.toString('utf8'), 'item-name').every((name) => name.endsWith('– Müller Home™'))).toBe(true);

    const sjis = await report(LISTINGS, [JP], { emulatorCharset: 'Shift_JIS', emulatorCompression: 'gzip' });
    expect(sjis.contentType).toBe('text/plain; charset=Shift_JIS');
    expect(sjis.compressionAlgorithm).toBe('GZIP');
    expect(new TextDecoder('shift_jis').decode(sjis.bytes)).toContain('ミュラーホーム');

    const plainOrders = await report(ORDERS, [US], { emulatorCompression: 'NONE', emulatorCharset: 'windows-1252' });
    expect(plainOrders.compressionAlgorithm).toBeUndefined();
    expect(plainOrders.contentType).toBe('text/plain; charset=windows-1252');
    expect(decodeCp1252(plainOrders.bytes).startsWith('amazon-order-id\t')).toBe(true);
    // An uncompressed document has no Content-Encoding to switch on.
    const { url } = await download(new URL(plainOrders.url).pathname.split('/').pop() ?? '', '?enableContentEncodingUrlHeader=true');
    expect(new URL(url).searchParams.has('response-content-encoding')).toBe(false);
    expect((await fetch(url)).headers.get('content-encoding')).toBeNull();
  });

  it('an unknown emulatorCharset or emulatorCompression fails the report (FATAL), as Amazon fails bad reportOptions', async () => {
    for (const [reportOptions, reason] of [
      [{ emulatorCharset: 'EBCDIC' }, /invalid reportOptions\.emulatorCharset "EBCDIC" \(UTF-8, Cp1252, windows-1252, windows-31j, Shift_JIS\)/],
      [{ emulatorCompression: 'zip' }, /invalid reportOptions\.emulatorCompression "zip" \(GZIP or NONE\)/],
    ] as const) {
      const created = await call<{ reportId: string }>('POST', '/reports/2021-06-30/reports', { reportType: LISTINGS, marketplaceIds: [US], reportOptions });
      const got = await call<{ processingStatus: string; reportDocumentId: string }>('GET', `/reports/2021-06-30/reports/${created.body.reportId}`);
      expect(got.body.processingStatus).toBe('FATAL');
      const error = await download(got.body.reportDocumentId);
      expect((JSON.parse(error.bytes.toString('utf8')) as { errorDetails: string }).errorDetails).toMatch(reason);
    }
  });

  it('JSON reports are UTF-8 gzip everywhere; GET_SALES_AND_TRAFFIC_REPORT has its JSON shape and the orders\u2019 figures', async () => {
    const start = new Date(Date.now() - 60 * DAY);
    const end = new Date(Date.now() - DAY);
    const doc = await report('GET_SALES_AND_TRAFFIC_REPORT', [JP], { asinGranularity: 'SKU' }, { dataStartTime: start.toISOString(), dataEndTime: end.toISOString() });
    expect(doc.compressionAlgorithm).toBe('GZIP');
    expect(doc.contentType).toBe('text/plain; charset=UTF-8');
    const json = JSON.parse(doc.bytes.toString('utf8')) as {
      reportSpecification: Record<string, unknown>;
      salesAndTrafficByDate: Array<{ date: string; salesByDate: { unitsOrdered: number; orderedProductSales: { currencyCode: string } }; trafficByDate: { sessions: number } }>;
      salesAndTrafficByAsin: Array<{ parentAsin: string; childAsin: string; sku: string; salesByAsin: { unitsOrdered: number }; trafficByAsin: { sessions: number } }>;
    };
    expect(json.reportSpecification).toEqual({
      reportType: 'GET_SALES_AND_TRAFFIC_REPORT',
      reportOptions: { dateGranularity: 'DAY', asinGranularity: 'SKU' },
      dataStartTime: start.toISOString().slice(0, 10),
      dataEndTime: end.toISOString().slice(0, 10),
      marketplaceIds: [JP],
    });
    expect(json.salesAndTrafficByDate).toHaveLength(60);
    expect(json.salesAndTrafficByDate.every((day) => day.salesByDate.orderedProductSales.currencyCode === 'JPY' && day.trafficByDate.sessions > 0)).toBe(true);
    const byDate = json.salesAndTrafficByDate.reduce((sum, day) => sum + day.salesByDate.unitsOrdered, 0);
    const byAsin = json.salesAndTrafficByAsin.reduce((sum, row) => sum + row.salesByAsin.unitsOrdered, 0);
    expect(byAsin).toBe(byDate);
    for (const row of json.salesAndTrafficByAsin) expect(row).toMatchObject({ parentAsin: expect.any(String), childAsin: expect.any(String), sku: expect.stringMatching(/^EMU-SKU-/) });

    const brand = await report('GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT', [JP], { emulatorOutcome: 'DONE' });
    expect(brand.contentType).toBe('text/plain; charset=UTF-8');
    expect(brand.compressionAlgorithm).toBe('GZIP');

    const created = await call<{ reportId: string }>('POST', '/reports/2021-06-30/reports', { reportType: 'GET_SALES_AND_TRAFFIC_REPORT', marketplaceIds: [US], reportOptions: { dateGranularity: 'HOUR' } });
    const got = await call<{ processingStatus: string; reportDocumentId: string }>('GET', `/reports/2021-06-30/reports/${created.body.reportId}`);
    expect(got.body.processingStatus).toBe('FATAL');
    const error = JSON.parse((await download(got.body.reportDocumentId)).bytes.toString('utf8')) as { errorDetails: string };
    expect(error.errorDetails).toMatch(/invalid reportOptions\.dateGranularity "HOUR"/);
  });

  it('sized documents are exact in any charset and compression; Range counts the stored bytes', async () => {
    const size = 300_000;
    const sjis = await report(LISTINGS, [JP], { emulatorSizeBytes: String(size) });
    expect(sjis.compressionAlgorithm).toBeUndefined();
    expect(sjis.bytes.length).toBe(size);
    const text = new TextDecoder('shift_jis', { fatal: true }).decode(sjis.bytes);
    expect(text).toContain('ミュラーホーム');
    expect(text.split('\n').slice(0, -1).every((line) => line.split('\t').length === 29)).toBe(true);
    const range = await fetch(sjis.url, { headers: { range: 'bytes=1000-1999' } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).equals(sjis.bytes.subarray(1000, 2000))).toBe(true);

    const cp1252 = await report(ORDERS, [DE], { emulatorSizeBytes: String(size), emulatorCharset: 'Cp1252' });
    expect(cp1252.compressionAlgorithm).toBe('GZIP');
    expect(cp1252.bytes.length).toBe(size);
    expect(decodeCp1252(cp1252.bytes)).toContain('– Müller Home, Größe M, 10 €');
    const etag = async (url: string): Promise<string | null> => (await fetch(url, { method: 'HEAD' })).headers.get('etag');
    const utf8 = await report(ORDERS, [DE], { emulatorSizeBytes: String(size) });
    expect(utf8.bytes.length).toBe(size);
    expect(await etag(utf8.url)).not.toBe(await etag(cp1252.url));
  });
});
