import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';

/*
 * Report documents on the emulator's storage origin, as S3 serves them behind presigned URLs:
 * expiry and signature, ETag/Last-Modified, conditional requests, byte ranges and resuming a
 * dropped download, HEAD, generated documents of an exact size, the resetDocument fault, stats.
 * Order reports are gzip objects; listing reports are stored uncompressed (report-format.ts).
 */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-documents: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const ORDERS_REPORT = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';
const LISTINGS_REPORT = 'GET_MERCHANT_LISTINGS_ALL_DATA';
const ORDER_COLUMNS = 31;
const LISTING_COLUMNS = 29;
const MIB = 1024 * 1024;

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** False when the connection ended before the declared body arrived. */
  complete: boolean;
}

/** A request with node:http, so a cut body is seen as it is rather than as a fetch error. */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }));
    });
    req.on('error', reject);
    req.end();
  });
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

class Reports {
  private token = '';

  constructor(readonly emulator: Emulator) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    if (!this.token) {
      const response = await fetch(this.emulator.urls.lwa, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
      });
      this.token = ((await response.json()) as { access_token: string }).access_token;
    }
    const response = await fetch(`${this.emulator.urls.spApi}${path}`, {
      method,
      headers: { 'x-amz-access-token': this.token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  /** Creates a report, polls it to DONE and returns its document id and processingEndTime. */
  async done(reportType: string, reportOptions?: Record<string, string>): Promise<{ documentId: string; processingEndTime: string }> {
    const created = await this.call<{ reportId: string }>('POST', '/reports/2021-06-30/reports', { reportType, marketplaceIds: [US], ...(reportOptions ? { reportOptions } : {}) });
    expect(created.status).toBe(202);
    for (let i = 0; i < 5; i += 1) {
      const report = await this.call<{ processingStatus: string; reportDocumentId?: string; processingEndTime?: string }>('GET', `/reports/2021-06-30/reports/${created.body.reportId}`);
      if (report.body.processingStatus === 'DONE') return { documentId: report.body.reportDocumentId ?? '', processingEndTime: report.body.processingEndTime ?? '' };
    }
    throw new Error('the report never got DONE');
  }

  /** getReportDocument: the URL, and whether the document is gzip (compressionAlgorithm GZIP or absent). */
  async document(documentId: string, query = ''): Promise<{ url: string; gzip: boolean }> {
    const reply = await this.call<{ url: string; compressionAlgorithm?: string; reportDocumentId: string }>('GET', `/reports/2021-06-30/documents/${documentId}${query}`);
    expect(reply.status).toBe(200);
    const gzip = reply.body.compressionAlgorithm !== undefined;
    expect(reply.body).toEqual({ reportDocumentId: documentId, url: expect.any(String), ...(gzip ? { compressionAlgorithm: 'GZIP' } : {}) });
    return { url: reply.body.url, gzip };
  }

  async url(documentId: string, query = ''): Promise<string> {
    return (await this.document(documentId, query)).url;
  }

  /** A DONE document of a generated size: its URL, its whole stored body and that body as plain bytes. */
  async sized(bytes: number, reportType = ORDERS_REPORT): Promise<{ documentId: string; url: string; full: Raw; plain: Buffer }> {
    const { documentId } = await this.done(reportType, { emulatorSizeBytes: String(bytes) });
    const { url, gzip } = await this.document(documentId);
    const full = await raw(url);
    expect(full.status).toBe(200);
    expect(full.complete).toBe(true);
    return { documentId, url, full, plain: gzip ? gunzipSync(full.body) : full.body };
  }
}

/** The lines of a TSV text (without the final newline's empty tail) and their column counts. */
function columnCounts(text: string): number[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.split('\t').length);
}

describe.skipIf(!catalogPresent)('report document storage', () => {
  let emulator: Emulator;
  let reports: Reports;
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    reports = new Reports(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('hands out a presigned URL on another origin, valid five minutes, that needs no access token', async () => {
    const { documentId } = await reports.done(ORDERS_REPORT);
    const before = Date.now();
    const url = new URL(await reports.url(documentId));
    expect(url.origin).toBe(emulator.urls.documents);
    expect(url.origin).not.toBe(new URL(emulator.urls.spApi).origin);
    expect(url.pathname).toBe(`/documents/${documentId}`);
    const params = url.searchParams;
    expect(params.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(params.get('X-Amz-Expires')).toBe('300');
    expect(params.get('X-Amz-SignedHeaders')).toBe('host');
    expect(params.get('X-Amz-Credential')).toMatch(/^[A-Z]+\/\d{8}\/us-east-1\/s3\/aws4_request$/);
    expect(params.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const signedAt = Date.parse((params.get('X-Amz-Date') ?? '').replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(Math.abs(signedAt - before)).toBeLessThan(5_000);
    expect(params.has('response-content-encoding')).toBe(false);

    emulator.resetStats();
    const download = await fetch(url);
    expect(download.status).toBe(200);
    // The object's own metadata, as S3 serves it, gzip or not.
    expect(download.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(download.headers.get('content-encoding')).toBeNull();
    const text = gunzipSync(Buffer.from(await download.arrayBuffer())).toString('utf8');
    expect(text.split('\n')[0]?.split('\t')[0]).toBe('amazon-order-id');
    const stats = emulator.stats();
    expect(stats.requests).toBe(0);
    expect(stats.lastRequests).toEqual([expect.objectContaining({ kind: 'document', method: 'GET' })]);
    expect(stats.lastRequests[0]?.headers['x-amz-access-token']).toBeUndefined();
  });

  it('with enableContentEncodingUrlHeader=true the URL serves Content-Encoding: gzip, which HTTP clients inflate', async () => {
    const { documentId } = await reports.done(LISTINGS_REPORT, { emulatorCompression: 'GZIP' });
    const plainUrl = await reports.url(documentId, '?enableContentEncodingUrlHeader=false');
    expect(new URL(plainUrl).searchParams.has('response-content-encoding')).toBe(false);
    const encodedUrl = await reports.url(documentId, '?enableContentEncodingUrlHeader=true');
    expect(new URL(encodedUrl).searchParams.get('response-content-encoding')).toBe('gzip');
    const stored = await raw(plainUrl);
    const inflated = await fetch(encodedUrl);
    expect(inflated.headers.get('content-encoding')).toBe('gzip');
    expect(inflated.headers.get('content-type')).toBe('text/plain; charset=Cp1252');
    expect(Buffer.from(await inflated.arrayBuffer()).equals(gunzipSync(stored.body))).toBe(true);
    // Same object, same validator, whichever header the URL asks for.
    expect((await raw(encodedUrl, { 'accept-encoding': 'identity' })).headers.etag).toBe(stored.headers.etag);
    const bad = await reports.call('GET', `/reports/2021-06-30/documents/${documentId}?enableContentEncodingUrlHeader=yes`);
    expect(bad.status).toBe(400);
  });

  it('ETag and Last-Modified are stable across requests and URLs; HEAD answers the same headers without a body', async () => {
    const { documentId, processingEndTime } = await reports.done(ORDERS_REPORT);
    const first = await raw(await reports.url(documentId));
    const second = await raw(await reports.url(documentId));
    const head = await raw(await reports.url(documentId), {}, 'HEAD');
    expect(first.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(sha256(second.body)).toBe(sha256(first.body));
    expect(first.headers['accept-ranges']).toBe('bytes');
    expect(first.headers['content-length']).toBe(String(first.body.length));
    expect(Date.parse(first.headers['last-modified'] ?? '')).toBe(Math.floor(Date.parse(processingEndTime) / 1000) * 1000);
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['etag', 'last-modified', 'content-length', 'accept-ranges', 'content-type']) expect(head.headers[name], name).toBe(first.headers[name]);

    const other = await reports.done(ORDERS_REPORT);
    expect((await raw(await reports.url(other.documentId), {}, 'HEAD')).headers.etag).not.toBe(first.headers.etag);
  });

  it('answers conditional requests as S3 does: If-None-Match/If-Modified-Since 304, If-Match/If-Unmodified-Since 412', async () => {
    const { documentId } = await reports.done(LISTINGS_REPORT);
    const url = await reports.url(documentId);
    const { headers } = await raw(url, {}, 'HEAD');
    const etag = headers.etag ?? '';
    const lastModified = headers['last-modified'] ?? '';
    const notModified = await raw(url, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers.etag).toBe(etag);
    expect((await raw(url, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await raw(url, { 'if-none-match': '"other"' })).status).toBe(200);
    expect((await raw(url, { 'if-modified-since': lastModified })).status).toBe(304);
    expect((await raw(url, { 'if-modified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString() })).status).toBe(200);
    expect((await raw(url, { 'if-match': etag })).status).toBe(200);
    const failed = await raw(url, { 'if-match': '"0123456789abcdef0123456789abcdef"' });
    expect(failed.status).toBe(412);
    expect(failed.body.toString()).toContain('<Code>PreconditionFailed</Code>');
    expect((await raw(url, { 'if-unmodified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString() })).status).toBe(412);
    expect((await raw(url, { 'if-unmodified-since': lastModified })).status).toBe(200);
  });

  it('serves byte ranges of the stored bytes (gzip or plain): 206 with Content-Range, 416 when unsatisfiable, the whole object for what S3 ignores', async () => {
    const small = await reports.done(ORDERS_REPORT);
    const cachedUrl = await reports.url(small.documentId);
    const sized = await reports.sized(3 * MIB + 12_345, LISTINGS_REPORT);
    for (const [url, full] of [
      [cachedUrl, (await raw(cachedUrl)).body],
      [sized.url, sized.full.body],
    ] as const) {
      const total = full.length;
      const expectRange = async (range: string, start: number, end: number): Promise<void> => {
        const part = await raw(url, { range });
        expect(part.status, range).toBe(206);
        expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${total}`);
        expect(part.headers['content-length']).toBe(String(end - start + 1));
        expect(part.body.equals(full.subarray(start, end + 1)), range).toBe(true);
      };
      await expectRange('bytes=0-99', 0, 99);
      await expectRange('bytes=100-', 100, total - 1);
      await expectRange(`bytes=${total - 1}-${total + 1000}`, total - 1, total - 1);
      await expectRange('bytes=-500', total - 500, total - 1);
      await expectRange(`bytes=-${total + 10}`, 0, total - 1);
      await expectRange(`bytes=${Math.floor(total / 3)}-${Math.floor(total / 2)}`, Math.floor(total / 3), Math.floor(total / 2));
      for (const range of [`bytes=${total}-`, `bytes=${total + 5}-${total + 10}`, 'bytes=-0']) {
        const refused = await raw(url, { range });
        expect(refused.status, range).toBe(416);
        expect(refused.headers['content-range']).toBe(`bytes */${total}`);
        expect(refused.body.toString()).toContain('<Code>InvalidRange</Code>');
      }
      // Malformed, reversed and multiple ranges are ignored: the whole object, 200.
      for (const range of ['bytes=5-2', 'items=0-10', 'bytes=0-1,5-6', 'bytes=abc']) {
        const whole = await raw(url, { range });
        expect(whole.status, range).toBe(200);
        expect(whole.body.equals(full)).toBe(true);
      }
      const head = await raw(url, { range: 'bytes=10-19' }, 'HEAD');
      expect(head.status).toBe(206);
      expect(head.headers['content-length']).toBe('10');
    }
  });

  it('If-Range keeps the range only for the current ETag or Last-Modified', async () => {
    const { url, full } = await reports.sized(MIB);
    const etag = full.headers.etag ?? '';
    const current = await raw(url, { range: 'bytes=1000-', 'if-range': etag });
    expect(current.status).toBe(206);
    expect(current.body.equals(full.body.subarray(1000))).toBe(true);
    expect((await raw(url, { range: 'bytes=1000-', 'if-range': full.headers['last-modified'] ?? '' })).status).toBe(206);
    for (const stale of ['"0123456789abcdef0123456789abcdef"', `W/${etag}`, new Date(0).toUTCString()]) {
      const whole = await raw(url, { range: 'bytes=1000-', 'if-range': stale });
      expect(whole.status, stale).toBe(200);
      expect(whole.body.equals(full.body)).toBe(true);
    }
  });

  it('a download dropped mid-body resumes with Range + If-Range into the identical byte stream', async () => {
    const size = 16 * MIB + 4321;
    const sized = await reports.sized(size);
    const small = await reports.done(ORDERS_REPORT);
    const smallUrl = await reports.url(small.documentId);
    const smallFull = await raw(smallUrl);
    for (const [url, full] of [
      [sized.url, sized.full],
      [smallUrl, smallFull],
    ] as const) {
      emulator.setFaults({ resetDocument: { onDownloads: [1] } });
      const cut = await raw(url);
      expect(cut.status).toBe(200);
      expect(cut.complete).toBe(false);
      expect(cut.body.length).toBeGreaterThan(0);
      expect(cut.body.length).toBeLessThan(full.body.length);
      const rest = await raw(url, { range: `bytes=${cut.body.length}-`, 'if-range': cut.headers.etag ?? '' });
      expect(rest.status).toBe(206);
      expect(rest.headers['content-range']).toBe(`bytes ${cut.body.length}-${full.body.length - 1}/${full.body.length}`);
      const resumed = Buffer.concat([cut.body, rest.body]);
      expect(sha256(resumed)).toBe(sha256(full.body));
      emulator.setFaults({});
    }
    // The resumed stream is a valid gzip (CRC and length checked by gunzip) of exactly `size` bytes.
    expect(gunzipSync(sized.full.body).length).toBe(size);
  });

  it('resetDocument drops exactly the Nth downloads, after part of the body, and counts every download', async () => {
    const { url, full } = await reports.sized(8 * MIB);
    emulator.resetStats();
    emulator.setFaults({ resetDocument: { onDownloads: [2, 4] } });
    const downloads: Raw[] = [];
    for (let i = 0; i < 5; i += 1) downloads.push(await raw(url));
    expect(downloads.map((d) => d.complete)).toEqual([true, false, true, false, true]);
    for (const download of downloads) {
      expect(download.status).toBe(200);
      expect(download.headers['content-length']).toBe(String(full.body.length));
      if (download.complete) expect(download.body.equals(full.body)).toBe(true);
      // About half of the first 128 KiB write: a useful part, not a few bytes.
      else expect(download.body.length).toBeGreaterThanOrEqual(64 * 1024);
      if (!download.complete) expect(download.body.equals(full.body.subarray(0, download.body.length))).toBe(true);
    }
    emulator.setFaults({});
    expect(emulator.stats().documentDownloads).toBe(5);
  });

  it('refuses a URL past its X-Amz-Expires with S3 AccessDenied XML; expireDocumentUrls gets there without waiting', async () => {
    const shortLived = await startEmulator({ rateScale: 100_000, documentUrlLifetimeSeconds: 2 });
    try {
      const client = new Reports(shortLived);
      const { documentId } = await client.done(ORDERS_REPORT);
      const url = await client.url(documentId);
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('2');
      expect((await raw(url)).status).toBe(200);
      const date = new URL(url).searchParams.get('X-Amz-Date') ?? '';
      const expires = Date.parse(date.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')) + 2000;
      shortLived.expireDocumentUrls();
      for (const method of ['GET', 'HEAD']) {
        const refused = await raw(url, {}, method);
        expect(refused.status).toBe(403);
        expect(refused.headers['content-type']).toBe('application/xml');
      }
      const body = (await raw(url)).body.toString();
      expect(body).toContain('<Code>AccessDenied</Code>');
      expect(body).toContain('<Message>Request has expired</Message>');
      expect(body).toContain('<X-Amz-Expires>2</X-Amz-Expires>');
      // The expiry is the URL's own; the server time is past it.
      const [, expiresAt = '', serverTime = ''] = /<Expires>([^<]+)<\/Expires><ServerTime>([^<]+)<\/ServerTime>/.exec(body) ?? [];
      expect(Date.parse(expiresAt)).toBe(expires);
      expect(Date.parse(serverTime)).toBeGreaterThan(expires);
      // A fresh getReportDocument hands out a fresh URL, which works.
      const fresh = await client.url(documentId);
      expect((await raw(fresh)).status).toBe(200);
      expect((await raw(url)).status).toBe(403);
    } finally {
      await shortLived.close();
    }
  });

  it('refuses tampered and unsigned URLs with 403 XML, and methods other than GET/HEAD with 405', async () => {
    const { documentId } = await reports.done(ORDERS_REPORT);
    const other = await reports.done(ORDERS_REPORT);
    const good = new URL(await reports.url(documentId));
    const variants: Array<[string, (url: URL) => void, number, string]> = [
      ['signature', (u) => u.searchParams.set('X-Amz-Signature', (u.searchParams.get('X-Amz-Signature') ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0'))), 403, 'SignatureDoesNotMatch'],
      ['longer expiry', (u) => u.searchParams.set('X-Amz-Expires', '604800'), 403, 'SignatureDoesNotMatch'],
      ['earlier date', (u) => u.searchParams.set('X-Amz-Date', '20200101T000000Z'), 403, 'SignatureDoesNotMatch'],
      ['content encoding added', (u) => u.searchParams.set('response-content-encoding', 'gzip'), 403, 'SignatureDoesNotMatch'],
      ['another document', (u) => (u.pathname = `/documents/${other.documentId}`), 403, 'SignatureDoesNotMatch'],
      ['a parameter missing', (u) => u.searchParams.delete('X-Amz-Credential'), 400, 'AuthorizationQueryParametersError'],
      ['no query', (u) => (u.search = ''), 403, 'AccessDenied'],
    ];
    for (const [name, tamper, status, code] of variants) {
      const url = new URL(good);
      tamper(url);
      const refused = await raw(url.href);
      expect(refused.status, name).toBe(status);
      expect(refused.headers['content-type']).toBe('application/xml');
      expect(refused.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
      expect(refused.body.toString(), name).toContain(`<Code>${code}</Code>`);
    }
    const posted = await raw(good.href, {}, 'POST');
    expect(posted.status).toBe(405);
    expect(posted.body.toString()).toContain('<Code>MethodNotAllowed</Code>');
    expect((await raw(good.href)).status).toBe(200);
    // Unknown to SP-API: a 404 there, before any URL exists.
    expect((await reports.call('GET', '/reports/2021-06-30/documents/amzn1.spdoc.nope')).status).toBe(404);
  });

  it('generates documents of exactly the requested size, header first and rows of the report columns', async () => {
    const headerBytes = { [ORDERS_REPORT]: 0, [LISTINGS_REPORT]: 0 };
    for (const reportType of [ORDERS_REPORT, LISTINGS_REPORT]) {
      const columns = reportType === ORDERS_REPORT ? ORDER_COLUMNS : LISTING_COLUMNS;
      const sample = (await reports.sized(10_000, reportType)).plain.toString('latin1');
      headerBytes[reportType] = sample.indexOf('\n') + 1;
      const header = headerBytes[reportType];
      for (const size of [1, 40, header - 1, header, header + 1, header + 300, header + 65_536, header + 3 * 65_536 + 777, 1_000_003]) {
        const text = (await reports.sized(size, reportType)).plain.toString('latin1');
        expect(text.length, `${reportType} ${size}`).toBe(size);
        if (size < header) {
          expect(sample.startsWith(text)).toBe(true);
          continue;
        }
        expect(text.slice(0, header)).toBe(sample.slice(0, header));
        expect(text.endsWith('\n')).toBe(true);
        const counts = columnCounts(text);
        // Every line holds the report's columns, but a remainder too short for a row: a blank line.
        const lastIsBlank = /\n *\n$/.test(text);
        expect(counts.slice(0, lastIsBlank ? -1 : undefined).every((n) => n === columns), `${reportType} ${size}`).toBe(true);
      }
    }
    // Deterministic: two emulators with the same seed serve the same bytes for the same report.
    const twins = await Promise.all([startEmulator({ rateScale: 100_000 }), startEmulator({ rateScale: 100_000 })]);
    try {
      const [first, second] = await Promise.all(twins.map((twin) => new Reports(twin).sized(2 * MIB + 1)));
      expect(second?.documentId).toBe(first?.documentId);
      expect(sha256(second?.full.body ?? Buffer.alloc(0))).toBe(sha256(first?.full.body ?? Buffer.alloc(1)));
      expect(second?.full.headers.etag).toBe(first?.full.headers.etag);
    } finally {
      await Promise.all(twins.map((twin) => twin.close()));
    }
  });

  it('reports.size sets the document size per report type; 0 means no data (CANCELLED)', async () => {
    const sizedEmulator = await startEmulator({ rateScale: 100_000, reports: { size: { [LISTINGS_REPORT]: 200_000, GET_FLAT_FILE_OPEN_LISTINGS_DATA: 0 } } });
    try {
      const client = new Reports(sizedEmulator);
      const listings = await client.done(LISTINGS_REPORT);
      // Listing reports are stored uncompressed: the download is the document itself.
      expect((await raw(await client.url(listings.documentId))).body.length).toBe(200_000);
      // The report option wins over the emulator option.
      const overridden = await client.done(LISTINGS_REPORT, { emulatorSizeBytes: '1234' });
      expect((await raw(await client.url(overridden.documentId))).body.length).toBe(1234);
      // Other types keep their real content.
      const orders = await client.done(ORDERS_REPORT);
      expect(gunzipSync((await raw(await client.url(orders.documentId))).body).toString().startsWith('amazon-order-id\t')).toBe(true);
      const created = await client.call<{ reportId: string }>('POST', '/reports/2021-06-30/reports', { reportType: 'GET_FLAT_FILE_OPEN_LISTINGS_DATA', marketplaceIds: [US] });
      let status = '';
      for (let i = 0; i < 3; i += 1) status = (await client.call<{ processingStatus: string }>('GET', `/reports/2021-06-30/reports/${created.body.reportId}`)).body.processingStatus;
      expect(status).toBe('CANCELLED');
    } finally {
      await sizedEmulator.close();
    }
  });

  it('counts downloads and body bytes in stats; HEAD, 304 and refusals are not downloads', async () => {
    const { url, full } = await reports.sized(MIB);
    emulator.resetStats();
    await raw(url);
    await raw(url, { range: 'bytes=0-99' });
    await raw(url, {}, 'HEAD');
    await raw(url, { 'if-none-match': full.headers.etag ?? '' });
    await raw(`${url}x`);
    const stats = emulator.stats();
    expect(stats.documentDownloads).toBe(2);
    expect(stats.documentBytesServed).toBe(full.body.length + 100);
    expect(stats.requests).toBe(0);
    expect(stats.lastRequests.filter((r) => r.kind === 'document')).toHaveLength(5);
  });
});
