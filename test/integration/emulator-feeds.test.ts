import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFaultSpec, startEmulator } from '../../src/emulator/index.js';
import type { FeedDocumentInspection } from '../../src/emulator/index.js';
import { callEmulator, sellerAccessToken, useEmulator } from '../helpers/emulator.js';
import { startEmulatorChild } from '../helpers/emulator-child.js';
import type { EmulatorChild } from '../helpers/emulator-child.js';
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
const XML_TYPE = 'text/xml; charset=UTF-8';
const TSV_TYPE = 'text/tab-separated-values; charset=UTF-8';
const DAY = 86_400_000;

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

function rawPut(url: string, headers: Record<string, string>, chunks: Iterable<Buffer>): Promise<PutAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // Honour backpressure, so a big body is streamed rather than queued in the client.
    const iterator = chunks[Symbol.iterator]();
    const pump = (): void => {
      for (let next = iterator.next(); !next.done; next = iterator.next()) {
        if (!req.write(next.value)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
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

  it('Expect: 100-continue: a refusal comes before the body, an accepted upload is told to go on', async () => {
    const { feedDocumentId, url } = await createDocument(TSV_TYPE);
    const body = Buffer.alloc(3 * 1024 * 1024, 0x61);
    /** A PUT that sends its body only on "100 Continue"; says which came first. */
    const expectPut = (contentType: string): Promise<{ continued: boolean; status: number; code: string | undefined; connection: string | undefined }> =>
      new Promise((resolve, reject) => {
        let continued = false;
        const req = request(url, { method: 'PUT', headers: { 'content-type': contentType, 'content-length': String(body.length), expect: '100-continue' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ continued, status: res.statusCode ?? 0, code: xmlCode(text), connection: res.headers.connection }));
        });
        req.on('continue', () => {
          continued = true;
          req.end(body);
        });
        req.on('error', reject);
      });
    expect(await expectPut('text/plain')).toEqual({ continued: false, status: 403, code: 'SignatureDoesNotMatch', connection: 'close' });
    expect(emulator().feedDocument(feedDocumentId)).toMatchObject({ uploads: 0 });
    expect(await expectPut(TSV_TYPE)).toMatchObject({ continued: true, status: 200 });
    expect(emulator().feedDocument(feedDocumentId)).toMatchObject({ uploads: 1, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
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

  it('refuses credentials on the documents origin: Authorization is 400 InvalidArgument, x-amz-access-token is counted', async () => {
    emulator().resetStats();
    const { feedDocumentId, url } = await createDocument(JSON_TYPE);
    const withAuthorization = await fetch(url, { method: 'PUT', headers: { 'content-type': JSON_TYPE, authorization: 'Bearer not-for-s3' }, body: Buffer.from('{}') });
    const body = await withAuthorization.text();
    expect(withAuthorization.status).toBe(400);
    expect(xmlCode(body)).toBe('InvalidArgument');
    expect(body).toContain('<Message>Only one auth mechanism allowed;');
    expect(body).not.toContain('not-for-s3');
    expect(emulator().stats().credentialsAtDocuments).toBe(1);

    // S3 ignores an x-amz-access-token, so the upload works; the emulator tells the test it leaked.
    const withToken = await fetch(url, { method: 'PUT', headers: { 'content-type': JSON_TYPE, 'x-amz-access-token': token }, body: Buffer.from('{}') });
    expect(withToken.status).toBe(200);
    expect(emulator().stats().credentialsAtDocuments).toBe(2);
    expect(emulator().feedDocument(feedDocumentId)?.headers).toContain('x-amz-access-token');
    emulator().resetStats();
    expect(emulator().stats().credentialsAtDocuments).toBe(0);
  });

  it('requires Content-Length (411 MissingContentLength, chunked too), checks Content-MD5 and records size and sha256', async () => {
    const { feedDocumentId, url } = await createDocument(TSV_TYPE);
    const chunked = await rawPut(url, { 'content-type': TSV_TYPE, 'transfer-encoding': 'chunked' }, [Buffer.from('order-id\n'), Buffer.from('111-1\n')]);
    expect(chunked.status).toBe(411);
    expect(chunked.headers['content-type']).toBe('application/xml');
    expect(xmlCode(chunked.body)).toBe('MissingContentLength');
    expect(chunked.body).toContain(`<RequestId>${String(chunked.headers['x-amz-request-id'])}</RequestId>`);

    const content = Buffer.from('order-id\torder-item-id\n111-0000000-0000000\t1\n');
    const badDigest = await rawPut(url, { 'content-type': TSV_TYPE, 'content-length': String(content.length), 'content-md5': createHash('md5').update('other').digest('base64') }, [content]);
    expect(badDigest.status).toBe(400);
    expect(xmlCode(badDigest.body)).toBe('BadDigest');
    expect(emulator().feedDocument(feedDocumentId)?.uploads).toBe(0);

    const good = await rawPut(url, { 'content-type': TSV_TYPE, 'content-length': String(content.length), 'content-md5': createHash('md5').update(content).digest('base64') }, [content.subarray(0, 10), content.subarray(10)]);
    expect(good.status).toBe(200);
    const second = Buffer.from('order-id\n');
    expect((await rawPut(url, { 'content-type': TSV_TYPE, 'content-length': String(second.length) }, [second])).status).toBe(200);
    // A second PUT replaces the object, as on S3.
    expect(emulator().feedDocument(feedDocumentId)).toEqual({
      contentType: TSV_TYPE,
      uploadedContentType: TSV_TYPE,
      bytes: second.length,
      sha256: createHash('sha256').update(second).digest('hex'),
      uploads: 2,
      headers: ['content-type', 'content-length', 'host', 'connection'],
    });
    expect(emulator().feedDocument('amzn1.tortuga.4.na.unknown')).toBeUndefined();
  });

  it('expires upload URLs with expireDocumentUrls(): 403 AccessDenied "Request has expired"; a new document works', async () => {
    const { url } = await createDocument(JSON_TYPE);
    emulator().expireDocumentUrls();
    const expired = await fetch(url, { method: 'PUT', headers: { 'content-type': JSON_TYPE }, body: Buffer.from('{}') });
    const body = await expired.text();
    expect(expired.status).toBe(403);
    expect(xmlCode(body)).toBe('AccessDenied');
    expect(body).toContain('<Message>Request has expired</Message><X-Amz-Expires>300</X-Amz-Expires>');
    await uploaded(JSON_TYPE, '{}');
  });

  it('ends FATAL: retired XML/flat-file listings types without a report, non-JSON and header-less listings feeds with one feed-level issue', async () => {
    const inventory = await uploaded(XML_TYPE, '<?xml version="1.0"?><AmazonEnvelope><MessageType>Inventory</MessageType></AmazonEnvelope>');
    for (const feedType of ['POST_INVENTORY_AVAILABILITY_DATA', 'POST_PRODUCT_PRICING_DATA', 'POST_FLAT_FILE_INVLOADER_DATA', 'POST_FLAT_FILE_LISTINGS_DATA']) {
      const { feed, statuses } = await pollToEnd(await createFeed(feedType, inventory));
      expect(statuses, feedType).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'FATAL']);
      expect(feed.resultFeedDocumentId, feedType).toBeUndefined();
      expect(feed.processingEndTime, feedType).toEqual(expect.any(String));
    }

    const cases: Array<[string, string, string]> = [
      ['not JSON', '<AmazonEnvelope/>', "4002001 Item 'Feed' cannot be parsed."],
      ['a JSON array', '[]', "4002001 Item 'Feed' cannot be parsed."],
      ['no header', JSON.stringify({ messages: [] }), "4002005 Attribute 'header' is required, but not present."],
      ['no sellerId', JSON.stringify({ header: { version: '2.0' }, messages: [] }), "4002005 Attribute 'sellerId' is required, but not present."],
      ['version 1.0', JSON.stringify({ header: { sellerId: SELLER_ID, version: '1.0' }, messages: [] }), "4002006 The attribute 'version' does not match the required value."],
    ];
    for (const [name, content, expected] of cases) {
      const { feed } = await pollToEnd(await createFeed('JSON_LISTINGS_FEED', await uploaded(JSON_TYPE, content)));
      expect(feed.processingStatus, name).toBe('FATAL');
      const report = JSON.parse((await resultText(feed)).text) as ListingsReport;
      expect(report.issues, name).toHaveLength(1);
      const [issue] = report.issues;
      expect(`${issue?.code ?? ''} ${issue?.message ?? ''}`, name).toBe(expected);
      expect(issue, name).not.toHaveProperty('messageId');
      expect(report.summary, name).toEqual({ errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 });
    }
    // Another seller's id in the header.
    const foreign = await listingsFeed([{ messageId: 1, sku: 'EMU-SKU-001', operationType: 'DELETE' }], { sellerId: 'A2OTHERSELLER', version: '2.0' });
    expect(foreign.feed.processingStatus).toBe('FATAL');
    expect(foreign.report.issues[0]?.message).toContain("sellerId 'A2OTHERSELLER'");
  });

  it('cancels a feed only while it is IN_QUEUE; a cancelled feed is not processed', async () => {
    const documentId = await uploaded(JSON_TYPE, JSON.stringify({ header: { sellerId: SELLER_ID, version: '2.0' }, messages: [{ messageId: 1, sku: 'CANCELLED-SKU', operationType: 'UPDATE', productType: 'PRODUCT', attributes: {} }] }));
    const feedId = await createFeed('JSON_LISTINGS_FEED', documentId);
    expect((await call('DELETE', `${FEEDS}/${feedId}`)).status).toBe(200);
    const cancelled = await call<Feed>('GET', `${FEEDS}/${feedId}`);
    expect(cancelled.body).toMatchObject({ feedId, processingStatus: 'CANCELLED' });
    expect(cancelled.body.processingStartTime).toBeUndefined();
    expect(cancelled.body.resultFeedDocumentId).toBeUndefined();
    const again = await call('DELETE', `${FEEDS}/${feedId}`);
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toContain('Only IN_QUEUE feeds can be cancelled; this one is CANCELLED.');

    const running = await createFeed('JSON_LISTINGS_FEED', documentId);
    await call('GET', `${FEEDS}/${running}`);
    await call('GET', `${FEEDS}/${running}`);
    expect((await call('DELETE', `${FEEDS}/${running}`)).status).toBe(400);
    expect((await call('DELETE', `${FEEDS}/123`)).status).toBe(404);
    // Feeds are processed when they finish: the cancelled feed's UPDATE never happens, the running one's does.
    const remove = [{ messageId: 1, sku: 'CANCELLED-SKU', operationType: 'DELETE' }];
    expect((await listingsFeed(remove)).report.issues).toEqual([expect.objectContaining({ code: '4000003', sku: 'CANCELLED-SKU' })]);
    expect((await pollToEnd(running)).feed.processingStatus).toBe('DONE');
    expect((await listingsFeed(remove)).report.summary).toMatchObject({ messagesAccepted: 1, messagesInvalid: 0 });
  });

  it('processes XML order feeds into an XML ProcessingReport', async () => {
    const since = new Date(Date.now() - 95 * DAY).toISOString();
    const orders = (await call<{ payload: { Orders: Array<{ AmazonOrderId: string; OrderStatus: string }> } }>('GET', `/orders/v0/orders?MarketplaceIds=${US}&CreatedAfter=${since}&MaxResultsPerPage=100`)).body.payload.Orders;
    const open = orders.find((o) => o.OrderStatus === 'Unshipped');
    expect(open).toBeDefined();
    const message = (id: number, orderId: string): string =>
      `<Message><MessageID>${id}</MessageID><OrderFulfillment><AmazonOrderID>${orderId}</AmazonOrderID><FulfillmentDate>2026-01-01T00:00:00Z</FulfillmentDate><FulfillmentData><CarrierName>UPS</CarrierName><ShipperTrackingNumber>1Z</ShipperTrackingNumber></FulfillmentData></OrderFulfillment></Message>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd"><Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>${SELLER_ID}</MerchantIdentifier></Header><MessageType>OrderFulfillment</MessageType>${message(1, open?.AmazonOrderId ?? '')}${message(2, '111-0000000-0000000')}</AmazonEnvelope>`;
    const { feed } = await pollToEnd(await createFeed('POST_ORDER_FULFILLMENT_DATA', await uploaded(XML_TYPE, xml)));
    expect(feed.processingStatus).toBe('DONE');
    const { text, contentType } = await resultText(feed);
    expect(contentType).toBe('text/xml; charset=UTF-8');
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<AmazonEnvelope /);
    expect(text).toContain(`<MerchantIdentifier>${SELLER_ID}</MerchantIdentifier>`);
    expect(text).toContain('<MessageType>ProcessingReport</MessageType>');
    expect(text).toContain(`<DocumentTransactionID>${feed.feedId}</DocumentTransactionID>`);
    expect(text).toContain('<StatusCode>Complete</StatusCode>');
    const summary = /<ProcessingSummary>([\s\S]*?)<\/ProcessingSummary>/.exec(text)?.[1]?.replace(/\s+/g, '');
    expect(summary).toBe('<MessagesProcessed>2</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful><MessagesWithError>1</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning>');
    const results = [...text.matchAll(/<Result>([\s\S]*?)<\/Result>/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ''));
    expect(results).toEqual([expect.stringMatching(/^<MessageID>2<\/MessageID><ResultCode>Error<\/ResultCode><ResultMessageCode>\d+<\/ResultMessageCode><ResultDescription>InvalidOrderIDorAmazonOrderID.*<AdditionalInfo><AmazonOrderID>111-0000000-0000000<\/AmazonOrderID><\/AdditionalInfo>$/)]);

    // Not an envelope at all: one Error for the document, nothing processed.
    const broken = await pollToEnd(await createFeed('POST_ORDER_FULFILLMENT_DATA', await uploaded(XML_TYPE, 'order-id\tcarrier\n')));
    const brokenText = (await resultText(broken.feed)).text;
    expect(brokenText).toContain('<MessagesProcessed>0</MessagesProcessed>');
    expect(brokenText).toContain('<ResultMessageCode>5001</ResultMessageCode>');
    expect(brokenText).toContain('Content is not allowed in prolog.');
  });

  it('processes flat files into the tab-separated summary; XML sent as a flat-file type gets 90012 Fatal', async () => {
    const since = new Date(Date.now() - 95 * DAY).toISOString();
    const orders = (await call<{ payload: { Orders: Array<{ AmazonOrderId: string; OrderStatus: string }> } }>('GET', `/orders/v0/orders?MarketplaceIds=${US}&CreatedAfter=${since}&MaxResultsPerPage=100`)).body.payload.Orders;
    const open = orders.find((o) => o.OrderStatus === 'Unshipped')?.AmazonOrderId ?? '';
    const tsv = `order-id\torder-item-id\tquantity\tship-date\tcarrier-code\ttracking-number\n${open}\t\t1\t2026-01-01\tUPS\t1Z1\n111-0000000-0000001\t555\t1\t2026-01-01\tUPS\t1Z2\n`;
    const { feed } = await pollToEnd(await createFeed('POST_FLAT_FILE_FULFILLMENT_DATA', await uploaded(TSV_TYPE, tsv)));
    expect(feed.processingStatus).toBe('DONE');
    const { text, contentType } = await resultText(feed);
    expect(contentType).toBe('text/plain; charset=UTF-8');
    const lines = text.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'Feed Processing Summary:',
      '\tNumber of records processed\t\t2',
      '\tNumber of records successful\t\t1',
      '',
      'original-record-number\torder-id\torder-item-id\terror-code\terror-type\terror-message',
    ]);
    expect(lines[5]).toMatch(/^2\t111-0000000-0000001\t555\t\d+\tError\tInvalid OrderID or AmazonOrderID/);
    expect(lines.slice(6)).toEqual(['']);

    // amzn/selling-partner-api-docs#133: an XML envelope uploaded as POST_FLAT_FILE_FULFILLMENT_DATA.
    const xml = '<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><MessageType>OrderFulfillment</MessageType></AmazonEnvelope>';
    const misfiled = await pollToEnd(await createFeed('POST_FLAT_FILE_FULFILLMENT_DATA', await uploaded(XML_TYPE, xml)));
    expect(misfiled.feed.processingStatus).toBe('DONE');
    const report = (await resultText(misfiled.feed)).text.split('\n');
    expect(report.slice(1, 3)).toEqual(['\tNumber of records processed\t\t0', '\tNumber of records successful\t\t0']);
    expect(report[5]).toMatch(/^0\t\t\t90012\tFatal\tThe required order-id field is missing from the file\./);
    expect(report[6]).toMatch(/^0\t\t\t90061\tWarning\tThe <\?xml version="1.0" encoding="UTF-8"\?><AmazonEnvelope>.* field heading is invalid/);
  });

  it('stores document feeds (UPLOAD_VAT_INVOICE) as they are: DONE with one successful message', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
    const documentId = await uploaded('application/pdf', pdf);
    expect(emulator().feedDocument(documentId)).toMatchObject({ bytes: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
    const feedOptions = { 'metadata:OrderId': '302-0000000-0000000', 'metadata:InvoiceNumber': 'INV-1', 'metadata:documenttype': 'Invoice' };
    const { feed } = await pollToEnd(await createFeed('UPLOAD_VAT_INVOICE', documentId, { marketplaceIds: ['A1PA6795UKMFR9'], feedOptions }));
    expect(feed.processingStatus).toBe('DONE');
    const { text } = await resultText(feed);
    expect(text.replace(/\s+/g, '')).toContain('<MessagesProcessed>1</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful><MessagesWithError>0</MessagesWithError>');
  });

  it('validates createFeed and createFeedDocument like Amazon', async () => {
    const documentId = await uploaded(JSON_TYPE, '{}');
    const bodies: unknown[] = [
      { marketplaceIds: [US], inputFeedDocumentId: documentId },
      { feedType: 'POST_BOGUS_DATA', marketplaceIds: [US], inputFeedDocumentId: documentId },
      { feedType: 'JSON_LISTINGS_FEED', inputFeedDocumentId: documentId },
      { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [], inputFeedDocumentId: documentId },
      { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: ['NOT_A_MARKETPLACE'], inputFeedDocumentId: documentId },
      { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: Array.from({ length: 26 }, () => US), inputFeedDocumentId: documentId },
      { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US] },
      { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: 'amzn1.tortuga.4.na.nope' },
      { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: documentId, feedOptions: { n: 1 } },
      ['JSON_LISTINGS_FEED'],
    ];
    for (const body of bodies) {
      const reply = await call('POST', FEEDS, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(reply.body), JSON.stringify(body)).toContain('"code":"InvalidInput"');
    }
    for (const body of [{}, { contentType: '' }, { contentType: 7 }]) {
      expect((await call('POST', DOCUMENTS, body)).status, JSON.stringify(body)).toBe(400);
    }
    // 1-25 marketplaces of the host's region; another region's host does not know the feed.
    const feedId = await createFeed('JSON_LISTINGS_FEED', documentId, { marketplaceIds: [US, 'A2EUQ1WTGCTBG2'], feedOptions: { note: 'x' } });
    expect((await call('GET', `/eu${FEEDS}/${feedId}`)).status).toBe(404);
    expect((await call('GET', `/na${FEEDS}/${feedId}`)).status).toBe(200);
    expect((await call('POST', `/eu${FEEDS}`, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: documentId })).status).toBe(400);
    // getFeedDocument knows result documents only.
    expect((await call('GET', `${DOCUMENTS}/${documentId}`)).status).toBe(404);
    expect((await call('GET', `${DOCUMENTS}/amzn1.tortuga.4.na.nope`)).status).toBe(404);
  });

  it('pages getFeeds like getReports: filters, pageSize, nextToken alone', async () => {
    const since = new Date().toISOString();
    const documentId = await uploaded(TSV_TYPE, 'order-id\n');
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push(await createFeed('POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA', documentId));
    await call('DELETE', `${FEEDS}/${created[0] ?? ''}`);
    const first = await call<{ feeds: Feed[]; nextToken?: string }>('GET', `${FEEDS}?feedTypes=POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA&pageSize=2&createdSince=${since}`);
    expect(first.status).toBe(200);
    const seen = first.body.feeds.map((f) => f.feedId);
    let next = first.body.nextToken;
    while (next !== undefined) {
      const page = await call<{ feeds: Feed[]; nextToken?: string }>('GET', `${FEEDS}?nextToken=${encodeURIComponent(next)}`);
      expect(page.status).toBe(200);
      expect(page.body.feeds.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.feeds.map((f) => f.feedId));
      next = page.body.nextToken;
    }
    // Newest first.
    expect(seen).toEqual([...created].reverse());
    const cancelled = await call<{ feeds: Feed[] }>('GET', `${FEEDS}?feedTypes=POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA&processingStatuses=CANCELLED&createdSince=${since}`);
    expect(cancelled.body.feeds.map((f) => f.feedId)).toEqual([created[0]]);
    // The seeded history: finished feeds of the last 90 days.
    const history = await call<{ feeds: Feed[] }>('GET', `${FEEDS}?feedTypes=POST_ORDER_FULFILLMENT_DATA,POST_ORDER_ACKNOWLEDGEMENT_DATA&pageSize=100`);
    expect(history.body.feeds.length).toBeGreaterThan(0);
    for (const feed of history.body.feeds) expect(Date.now() - Date.parse(feed.createdTime)).toBeLessThan(90 * DAY);

    for (const query of ['', '?pageSize=5', `?feedTypes=X&pageSize=0`, `?feedTypes=X&pageSize=101`, `?feedTypes=X&processingStatuses=DONE,MAYBE`, `?nextToken=${encodeURIComponent(first.body.nextToken ?? '')}&pageSize=2`, '?nextToken=bogus']) {
      expect((await call('GET', `${FEEDS}${query}`)).status, query).toBe(400);
    }
  });

  describe('upload and feed faults', () => {
    afterEach(() => emulator().setFaults({}));

    it('upload-reset@1 destroys the first upload mid-body; the retry is stored', async () => {
      emulator().setFaults(parseFaultSpec('upload-reset@1'));
      const { feedDocumentId, url } = await createDocument(TSV_TYPE);
      const content = Buffer.alloc(256 * 1024, 'a');
      await expect(rawPut(url, { 'content-type': TSV_TYPE, 'content-length': String(content.length) }, [content])).rejects.toThrow();
      expect(emulator().feedDocument(feedDocumentId)?.uploads).toBe(0);
      const retry = await rawPut(url, { 'content-type': TSV_TYPE, 'content-length': String(content.length) }, [content]);
      expect(retry.status).toBe(200);
      expect(emulator().feedDocument(feedDocumentId)).toMatchObject({ uploads: 1, bytes: content.length });
    });

    it('upload-500@1 answers S3\'s 500 InternalError XML and stores nothing; the retry works', async () => {
      emulator().setFaults(parseFaultSpec('upload-500@1'));
      const { feedDocumentId, url } = await createDocument(JSON_TYPE);
      const failed = await fetch(url, { method: 'PUT', headers: { 'content-type': JSON_TYPE }, body: Buffer.from('{}') });
      const body = await failed.text();
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toBe('application/xml');
      expect(xmlCode(body)).toBe('InternalError');
      expect(body).toContain('<Message>We encountered an internal error. Please try again.</Message>');
      expect(emulator().feedDocument(feedDocumentId)?.uploads).toBe(0);
      expect((await fetch(url, { method: 'PUT', headers: { 'content-type': JSON_TYPE }, body: Buffer.from('{}') })).status).toBe(200);
      expect(emulator().feedDocument(feedDocumentId)?.uploads).toBe(1);
    });

    it('feed-fatal@1 ends the first accepted feed FATAL without a report; the next one is processed', async () => {
      const documentId = await uploaded(JSON_TYPE, JSON.stringify({ header: { sellerId: SELLER_ID, version: '2.0' }, messages: [{ messageId: 1, sku: 'EMU-SKU-001', operationType: 'DELETE' }] }));
      emulator().setFaults(parseFaultSpec('feed-fatal@1'));
      // A refused createFeed is not counted.
      expect((await call('POST', FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US] })).status).toBe(400);
      const fatal = await pollToEnd(await createFeed('JSON_LISTINGS_FEED', documentId));
      expect(fatal.statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'FATAL']);
      expect(fatal.feed.resultFeedDocumentId).toBeUndefined();
      const done = await pollToEnd(await createFeed('JSON_LISTINGS_FEED', documentId));
      expect(done.feed.processingStatus).toBe('DONE');
    });
  });
});

interface ChildStats {
  peak: number;
  now: number;
  stats: { feedUploads: number; feedBytesReceived: number; credentialsAtDocuments: number };
}

const UPLOAD_BYTES = 200 * 1024 * 1024;
// Far below the upload: an emulator that held it, or even the 50 MiB it keeps of smaller uploads (on
// disk), would not fit. Streaming it measures about 35 MiB: socket buffers waiting for the GC.
const RSS_GROWTH_LIMIT = 64 * 1024 * 1024;

describe.skipIf(!catalogPresent)('a 200 MiB feed upload', () => {
  let emulator: EmulatorChild;
  let urls: { spApi: string; lwa: string; documents: string };
  beforeAll(async () => {
    const started = await startEmulatorChild<{ urls: typeof urls }>();
    emulator = started;
    urls = started.first.urls;
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('is streamed: hashed and counted without holding it, so the emulator RSS stays flat; processing it ends FATAL', async () => {
    const lwa = await fetch(urls.lwa, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'Atzr|emulator-refresh-token', client_id: 'amzn1.application-oa2-client.emulator', client_secret: 'emulator-client-secret' }),
    });
    const token = ((await lwa.json()) as { access_token: string }).access_token;
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${urls.spApi}${path}`, { method, headers: { 'x-amz-access-token': token, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return (await response.json()) as T;
    };
    const { feedDocumentId, url } = await api<{ feedDocumentId: string; url: string }>('POST', DOCUMENTS, { contentType: JSON_TYPE });

    const block = Buffer.alloc(1024 * 1024, '{"messages":[],');
    const expected = createHash('sha256');
    function* body(): Generator<Buffer> {
      for (let sent = 0; sent < UPLOAD_BYTES; sent += block.length) {
        expected.update(block);
        yield block;
      }
    }
    const before = await emulator.ask<ChildStats>('rss');
    emulator.child.stdin?.write('reset\n');
    const answer = await rawPut(url, { 'content-type': JSON_TYPE, 'content-length': String(UPLOAD_BYTES) }, body());
    const after = await emulator.ask<ChildStats>('rss');

    expect(answer.status, answer.body).toBe(200);
    expect(after.stats).toMatchObject({ feedUploads: 1, feedBytesReceived: UPLOAD_BYTES, credentialsAtDocuments: 0 });
    const growth = after.peak - before.now;
    expect(growth, `emulator RSS grew ${Math.round(growth / 2 ** 20)} MiB while receiving ${UPLOAD_BYTES / 2 ** 20} MiB`).toBeLessThan(RSS_GROWTH_LIMIT);
    expect(await emulator.ask<FeedDocumentInspection>(`feed ${feedDocumentId}`)).toMatchObject({ bytes: UPLOAD_BYTES, sha256: expected.digest('hex'), uploads: 1, uploadedContentType: JSON_TYPE });

    // The emulator processes documents up to 50 MiB: this one ends FATAL, without a report.
    const { feedId } = await api<{ feedId: string }>('POST', FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: feedDocumentId });
    let feed: Feed | undefined;
    for (let i = 0; i < 5 && (!feed || ['IN_QUEUE', 'IN_PROGRESS'].includes(feed.processingStatus)); i += 1) feed = await api<Feed>('GET', `${FEEDS}/${feedId}`);
    expect(feed?.processingStatus).toBe('FATAL');
    expect(feed?.resultFeedDocumentId).toBeUndefined();
  }, 60_000);
});

describe.skipIf(!catalogPresent)('feeds usage plans at rateScale 1', () => {
  const emulator = useEmulator();
  let token = '';
  beforeAll(async () => {
    token = await sellerAccessToken(emulator());
  });

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${emulator().urls.spApi}${path}`, { method, headers: { 'x-amz-access-token': token, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }

  it("answers with the catalog's rates, 429 past a burst, and five JSON_LISTINGS_FEED submissions per five minutes", async () => {
    const document = await send('POST', DOCUMENTS, { contentType: JSON_TYPE });
    expect(document.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
    const { feedDocumentId, url } = (await document.json()) as { feedDocumentId: string; url: string };
    expect((await fetch(url, { method: 'PUT', headers: { 'content-type': JSON_TYPE }, body: Buffer.from('{}') })).status).toBe(200);
    const spec = { marketplaceIds: [US], inputFeedDocumentId: feedDocumentId };
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const reply = await send('POST', FEEDS, { feedType: 'JSON_LISTINGS_FEED', ...spec });
      expect(reply.status).toBe(202);
      expect(reply.headers.get('x-amzn-ratelimit-limit')).toBe('0.0083');
      created.push(((await reply.json()) as { feedId: string }).feedId);
    }
    const sixth = await send('POST', FEEDS, { feedType: 'JSON_LISTINGS_FEED', ...spec });
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
    // Other feed types only have createFeed's own plan (burst 15).
    expect((await send('POST', FEEDS, { feedType: 'POST_ORDER_FULFILLMENT_DATA', ...spec })).status).toBe(202);

    const getFeed = await send('GET', `${FEEDS}/${created[0] ?? ''}`);
    expect(getFeed.headers.get('x-amzn-ratelimit-limit')).toBe('2.0');
    expect((await send('GET', `${FEEDS}?feedTypes=JSON_LISTINGS_FEED`)).headers.get('x-amzn-ratelimit-limit')).toBe('0.0222');
    expect((await send('DELETE', `${FEEDS}/${created[1] ?? ''}`)).headers.get('x-amzn-ratelimit-limit')).toBe('2.0');
    expect((await send('GET', `${DOCUMENTS}/amzn1.tortuga.4.na.nope`)).headers.get('x-amzn-ratelimit-limit')).toBe('0.0222');

    // createFeedDocument: burst 15, one already used.
    const statuses: number[] = [];
    for (let i = 0; i < 15; i += 1) statuses.push((await send('POST', DOCUMENTS, { contentType: JSON_TYPE })).status);
    expect(statuses.slice(0, 14).every((status) => status === 201)).toBe(true);
    expect(statuses[14]).toBe(429);
    expect(emulator().stats().byOperation['feeds_2021-06-30.createFeedDocument']).toEqual({ requests: 16, throttled: 1 });
    expect(emulator().stats().byOperation['feeds_2021-06-30.createFeed']).toEqual({ requests: 7, throttled: 1 });
  });
});

describe.skipIf(!catalogPresent)('the feeds lifecycle options', () => {
  const byTime = useEmulator({ rateScale: 100_000, feeds: { msToDone: 600 } });
  const byReports = useEmulator({ rateScale: 100_000, reports: { pollsToDone: 0 } });

  async function feedIn(emulator: Emulator): Promise<{ token: string; feedId: string }> {
    const token = await sellerAccessToken(emulator);
    const document = await callEmulator<{ feedDocumentId: string; url: string }>(emulator, token, 'POST', DOCUMENTS, { contentType: TSV_TYPE });
    await fetch(document.body.url, { method: 'PUT', headers: { 'content-type': TSV_TYPE }, body: Buffer.from('order-id\n') });
    const created = await callEmulator<{ feedId: string }>(emulator, token, 'POST', FEEDS, { feedType: 'POST_FLAT_FILE_FULFILLMENT_DATA', marketplaceIds: [US], inputFeedDocumentId: document.body.feedDocumentId });
    expect(created.status).toBe(202);
    return { token, feedId: created.body.feedId };
  }

  it('feeds.msToDone: IN_QUEUE for the first half, IN_PROGRESS for the second, then DONE, however often it is polled', async () => {
    const { token, feedId } = await feedIn(byTime());
    const status = async (): Promise<string> => (await callEmulator<Feed>(byTime(), token, 'GET', `${FEEDS}/${feedId}`)).body.processingStatus;
    expect(await status()).toBe('IN_QUEUE');
    expect(await status()).toBe('IN_QUEUE');
    await sleep(320);
    expect(await status()).toBe('IN_PROGRESS');
    await sleep(320);
    expect(await status()).toBe('DONE');
  });

  it('follows reports.pollsToDone without options of its own', async () => {
    const { token, feedId } = await feedIn(byReports());
    expect((await callEmulator<Feed>(byReports(), token, 'GET', `${FEEDS}/${feedId}`)).body.processingStatus).toBe('DONE');
  });

  it('refuses bad feeds options', async () => {
    await expect(startEmulator({ feeds: { pollsToDone: -1 } })).rejects.toThrow(/feeds\.pollsToDone must be an integer/);
    await expect(startEmulator({ feeds: { msToDone: 1.5 } })).rejects.toThrow(/feeds\.msToDone must be an integer/);
  });
});
