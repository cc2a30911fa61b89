import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { callEmulator, sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import type { Emulator, Reply } from '../helpers/emulator.js';

/*
 * Feeds 2021-06-30 against the emulator with plain fetch/node:http: createFeedDocument, the
 * presigned PUT upload (its Content-Type trap, no credentials, Content-Length), createFeed,
 * the lifecycle, processing reports (JSON_LISTINGS_FEED, XML, flat file), FATAL and CANCELLED,
 * getFeeds pages, and the upload and feed faults.
 */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-feeds: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const SELLER_ID = 'AEMULATORSELLER';
const FEEDS = '/feeds/2021-06-30/feeds';
const DOCUMENTS = '/feeds/2021-06-30/documents';
const JSON_TYPE = 'application/json; charset=UTF-8';

interface Feed {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  createdTime: string;
  processingStatus: string;
  processingStartTime?: string;
  processingEndTime?: string;
  resultFeedDocumentId?: string;
}

interface ListingsReport {
  header: { sellerId: string; version: string; feedId: string };
  issues: Array<{ messageId?: number; sku?: string; code?: string; severity: string; message: string; attributeName?: string }>;
  summary: { errors: number; warnings: number; messagesProcessed: number; messagesAccepted: number; messagesInvalid: number };
}

/** The raw answer of a PUT sent with node:http, where the test controls every header. */
interface PutAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function rawPut(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<PutAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

function xmlCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

describe.skipIf(!catalogPresent)('emulated feeds', () => {
  const emulator = useEmulator({ rateScale: 100_000 });
  let token = '';
  beforeAll(async () => {
    token = await sellerAccessToken(emulator());
  });

  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> => callEmulator<T>(emulator(), token, method, path, body);

  async function createDocument(contentType: string): Promise<{ feedDocumentId: string; url: string }> {
    const reply = await call<{ feedDocumentId: string; url: string }>('POST', DOCUMENTS, { contentType });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body;
  }

  /** createFeedDocument + the upload with the right Content-Type; returns the document id. */
  async function uploaded(contentType: string, content: string | Buffer): Promise<string> {
    const { feedDocumentId, url } = await createDocument(contentType);
    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body: typeof content === 'string' ? Buffer.from(content) : content });
    expect(response.status, await response.clone().text()).toBe(200);
    return feedDocumentId;
  }

  async function createFeed(feedType: string, inputFeedDocumentId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const reply = await call<{ feedId: string }>('POST', FEEDS, { feedType, marketplaceIds: [US], inputFeedDocumentId, ...extra });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    return reply.body.feedId;
  }

  /** getFeed until the feed leaves IN_QUEUE/IN_PROGRESS; returns it and every status seen. */
  async function pollToEnd(feedId: string): Promise<{ feed: Feed; statuses: string[] }> {
    const statuses: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const reply = await call<Feed>('GET', `${FEEDS}/${feedId}`);
      expect(reply.status).toBe(200);
      statuses.push(reply.body.processingStatus);
      if (!['IN_QUEUE', 'IN_PROGRESS'].includes(reply.body.processingStatus)) return { feed: reply.body, statuses };
    }
    throw new Error(`feed ${feedId} did not finish: ${statuses.join(' ')}`);
  }

  /** The processing report of a finished feed, downloaded without credentials. */
  async function resultText(feed: Feed): Promise<{ text: string; contentType: string | null }> {
    expect(feed.resultFeedDocumentId).toEqual(expect.any(String));
    const doc = await call<{ feedDocumentId: string; url: string; compressionAlgorithm?: string }>('GET', `${DOCUMENTS}/${feed.resultFeedDocumentId ?? ''}`);
    expect(doc.status).toBe(200);
    expect(doc.body.feedDocumentId).toBe(feed.resultFeedDocumentId);
    expect(doc.body.compressionAlgorithm).toBeUndefined();
    const download = await fetch(doc.body.url);
    expect(download.status).toBe(200);
    return { text: await download.text(), contentType: download.headers.get('content-type') };
  }

  /** A JSON_LISTINGS_FEED run to the end: the feed and its parsed report. */
  async function listingsFeed(messages: unknown[], header: Record<string, unknown> = { sellerId: SELLER_ID, version: '2.0' }): Promise<{ feed: Feed; report: ListingsReport }> {
    const documentId = await uploaded(JSON_TYPE, JSON.stringify({ header, messages }));
    const { feed } = await pollToEnd(await createFeed('JSON_LISTINGS_FEED', documentId));
    const { text, contentType } = await resultText(feed);
    expect(contentType).toBe('application/json');
    return { feed, report: JSON.parse(text) as ListingsReport };
  }

  it('runs the whole lifecycle: document, upload, createFeed, IN_QUEUE -> IN_PROGRESS -> DONE, the report', async () => {
    const { feedDocumentId, url } = await createDocument(JSON_TYPE);
    expect(feedDocumentId).toMatch(/^amzn1\.tortuga\.4\.na\.[0-9a-f-]{36}\.T[0-9A-F]{13}$/);
    const presigned = new URL(url);
    expect(presigned.origin).toBe(emulator().urls.documents);
    expect(Object.fromEntries(presigned.searchParams)).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
      'X-Amz-Expires': '300',
      'X-Amz-SignedHeaders': 'content-type;host',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(url).toContain('X-Amz-SignedHeaders=content-type%3Bhost');

    const content = JSON.stringify({
      header: { sellerId: SELLER_ID, version: '2.0', issueLocale: 'en_US' },
      messages: [{ messageId: 1, sku: 'EMU-SKU-001', operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }] }] }],
    });
    const put = await fetch(url, { method: 'PUT', headers: { 'content-type': JSON_TYPE }, body: Buffer.from(content) });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe(`"${createHash('md5').update(content).digest('hex')}"`);
    expect(put.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
    expect(emulator().feedDocument(feedDocumentId)).toEqual({
      contentType: JSON_TYPE,
      uploadedContentType: JSON_TYPE,
      bytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
      uploads: 1,
      headers: expect.arrayContaining(['content-type', 'content-length', 'host']),
    });
    expect(emulator().feedDocument(feedDocumentId)?.headers).not.toContain('x-amz-access-token');

    const feedId = await createFeed('JSON_LISTINGS_FEED', feedDocumentId);
    expect(feedId).toMatch(/^\d{11,12}$/);
    const statuses: string[] = [];
    let feed: Feed | undefined;
    for (let i = 0; i < 4; i += 1) {
      feed = (await call<Feed>('GET', `${FEEDS}/${feedId}`)).body;
      statuses.push(feed.processingStatus);
    }
    expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'DONE']);
    expect(feed).toMatchObject({ feedId, feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], resultFeedDocumentId: expect.stringMatching(/^amzn1\.tortuga\.4\.na\./) });
    expect(Date.parse(feed?.processingEndTime ?? '')).toBeGreaterThanOrEqual(Date.parse(feed?.processingStartTime ?? ''));
    expect(Date.parse(feed?.processingStartTime ?? '')).toBeGreaterThanOrEqual(Date.parse(feed?.createdTime ?? ''));

    const report = JSON.parse((await resultText(feed as Feed)).text) as ListingsReport;
    expect(report).toEqual({
      header: { sellerId: SELLER_ID, version: '2.0', feedId },
      issues: [],
      summary: { errors: 0, warnings: 0, messagesProcessed: 1, messagesAccepted: 1, messagesInvalid: 0 },
    });
    expect(emulator().stats().credentialsAtDocuments).toBe(0);
  });

  it('refuses an upload whose Content-Type differs from createFeedDocument\'s: 403 SignatureDoesNotMatch in XML', async () => {
    const { feedDocumentId, url } = await createDocument(JSON_TYPE);
    // fetch sends a string body as text/plain;charset=UTF-8: the classic trap.
    const cases: Array<[string, RequestInit]> = [
      ['fetch default for a string', { body: '{"header":{}}' }],
      ['no charset', { headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') }],
      ['other case', { headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from('{}') }],
      ['no Content-Type at all', { body: Buffer.from('{}') }],
    ];
    for (const [name, init] of cases) {
      const response = await fetch(url, { method: 'PUT', ...init });
      const body = await response.text();
      expect(response.status, name).toBe(403);
      expect(response.headers.get('content-type'), name).toBe('application/xml');
      const requestId = response.headers.get('x-amz-request-id');
      expect(requestId, name).toMatch(/^[0-9A-F]{16}$/);
      expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>'), `${name}: ${body}`).toBe(true);
      expect(body, name).toContain(`<RequestId>${requestId ?? ''}</RequestId></Error>`);
    }
    // S3 shows what it signed: the Content-Type it received.
    const plain = await (await fetch(url, { method: 'PUT', body: 'x' })).text();
    expect(plain).toContain('content-type:text/plain;charset=UTF-8');
    expect(emulator().feedDocument(feedDocumentId)).toMatchObject({ uploads: 0, bytes: 0, uploadedContentType: undefined, sha256: undefined });
    // createFeed refuses a document that has no content.
    const refused = await call('POST', FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: feedDocumentId });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/InvalidInput.*has no content/);
  });

  it('reports good and bad JSON_LISTINGS_FEED messages in the v2 processing report shape', async () => {
    const product = { productType: 'PRODUCT' };
    const { feed, report } = await listingsFeed([
      { messageId: 1, sku: 'EMU-SKU-002', operationType: 'PATCH', ...product, patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] }] },
      { messageId: 2, sku: 'NO-SUCH-SKU', operationType: 'PATCH', ...product, patches: [{ op: 'replace', path: '/attributes/item_name', value: [{ value: 'x' }] }] },
      { messageId: 3, sku: 'EMU-SKU-003', operationType: 'PARTIAL_UPDATE', ...product, attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: -2 }] } },
      { messageId: 4, sku: 'EMU-SKU-004', operationType: 'PATCH', ...product, patches: [{ op: 'remove', path: '/attributes/item_name' }] },
      { messageId: 5, sku: 'EMU-SKU-005', operationType: 'PATCH', patches: [{ op: 'replace', path: '/attributes/item_name', value: [{ value: 'x' }] }] },
      { messageId: 6, sku: 'NEW-SKU-1', operationType: 'UPDATE', ...product, attributes: { item_name: [{ value: 'New' }], sparkle_level: [{ value: 11 }] } },
      { messageId: 7, sku: 'EMU-SKU-006', operationType: 'PARTIAL_UPDATE', ...product, attributes: { fulfillment_availability: [{ quantity: 1.5 }] } },
    ]);
    expect(feed.processingStatus).toBe('DONE');
    expect(report.header).toEqual({ sellerId: SELLER_ID, version: '2.0', feedId: feed.feedId });
    expect(report.issues).toEqual([
      { messageId: 2, sku: 'NO-SUCH-SKU', code: '4000003', severity: 'ERROR', message: expect.stringMatching(/^The provided SKU does not exist/) },
      { messageId: 3, sku: 'EMU-SKU-003', code: '4000001', severity: 'ERROR', message: expect.stringContaining('quantity must be a whole number'), attributeName: 'fulfillment_availability' },
      { messageId: 4, sku: 'EMU-SKU-004', code: '4002008', severity: 'ERROR', message: expect.stringContaining('patch op must be one of add, replace, merge, delete; got "remove"'), attributeName: 'item_name' },
      { messageId: 5, sku: 'EMU-SKU-005', code: '4002008', severity: 'ERROR', message: expect.stringContaining('productType is required'), attributeName: 'productType' },
      { messageId: 6, sku: 'NEW-SKU-1', code: '4000004', severity: 'WARNING', message: expect.stringContaining("'sparkle_level'"), attributeName: 'sparkle_level' },
      { messageId: 7, sku: 'EMU-SKU-006', code: '4000001', severity: 'ERROR', message: expect.stringContaining('got 1.5'), attributeName: 'fulfillment_availability' },
    ]);
    expect(report.summary).toEqual({ errors: 5, warnings: 1, messagesProcessed: 7, messagesAccepted: 2, messagesInvalid: 5 });

    // The UPDATE created NEW-SKU-1: a later PATCH of it is accepted; DELETE removes it again.
    const patch = { sku: 'NEW-SKU-1', operationType: 'PATCH', ...product, patches: [{ op: 'add', path: '/attributes/list_price', value: [{ currency: 'USD', value: 9.99 }] }] };
    const later = await listingsFeed([{ messageId: 1, ...patch }, { messageId: 2, sku: 'NEW-SKU-1', operationType: 'DELETE' }, { messageId: 3, ...patch }]);
    expect(later.report.issues).toEqual([{ messageId: 3, sku: 'NEW-SKU-1', code: '4000003', severity: 'ERROR', message: expect.any(String) }]);
    expect(later.report.summary).toMatchObject({ messagesProcessed: 3, messagesAccepted: 2, messagesInvalid: 1 });
  });
});
