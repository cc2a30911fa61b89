import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DocumentStoreError, downloadDocument } from '../../src/core/documents/index.js';
import type { DownloadOptions, DownloadProgress } from '../../src/core/documents/index.js';
import { NetworkError, SpapiError, UsageError } from '../../src/core/errors.js';

/*
 * downloadDocument against small node:http servers on 127.0.0.1 that play S3 for what the
 * emulator does not do: charsets in the Content-Type, uncompressed bodies, Content-Encoding, an
 * object that changes between attempts, a URL that expires mid-download, AES-CBC bodies, stalls,
 * redirects, 5xx, and the atomic file output.
 */

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const SECRET = 'X-Amz-Credential=AKIDEXAMPLE&X-Amz-Signature=deadbeefsecret';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

interface StoredObject {
  body: Buffer;
  etag?: string | undefined;
  contentType?: string | undefined;
  contentEncoding?: string | undefined;
}

interface ObjectServerOptions {
  /** The object for the n-th request (1-based); it may change between requests. */
  object: (n: number) => StoredObject;
  /** Bytes after which the n-th answer drops its connection (undefined: the whole body). */
  cutAfter?: (n: number) => number | undefined;
  /** Bytes after which the n-th answer stops sending without closing (a stall). */
  stallAfter?: (n: number) => number | undefined;
  /** A refusal for the n-th request instead of the object. */
  refuse?: (n: number, url: URL) => { status: number; body?: string; headers?: Record<string, string> } | undefined;
  /** Bytes per write (small writes exercise chunk boundaries). */
  writeBytes?: number;
}

class TestServer {
  readonly requests: Seen[] = [];
  private server: Server | undefined;
  origin = '';

  constructor(private readonly handler: (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
      void this.handler(req, res, this.requests.length);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  url(path = '/report.tsv'): string {
    return `${this.origin}${path}?${SECRET}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const servers: TestServer[] = [];
async function serve(handler: ConstructorParameters<typeof TestServer>[0]): Promise<TestServer> {
  const server = await new TestServer(handler).start();
  servers.push(server);
  return server;
}

/** An S3-like object server: ETag, Range with If-Range, Content-Range; faults on chosen requests. */
function objectServer(options: ObjectServerOptions): Promise<TestServer> {
  return serve(async (req, res, n) => {
    const refusal = options.refuse?.(n, new URL(req.url ?? '/', 'http://x'));
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/xml', 'x-amz-request-id': `REQ${n}`, ...refusal.headers });
      res.end(refusal.body ?? '');
      return;
    }
    const object = options.object(n);
    const total = object.body.length;
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const partial = range !== null && (ifRange === undefined || ifRange === object.etag) && Number(range[1]) < total;
    if (partial) start = Number(range?.[1]);
    res.writeHead(partial ? 206 : 200, {
      ...(object.etag ? { etag: object.etag } : {}),
      ...(object.contentType ? { 'content-type': object.contentType } : {}),
      ...(object.contentEncoding ? { 'content-encoding': object.contentEncoding } : {}),
      'content-length': String(total - start),
      ...(partial ? { 'content-range': `bytes ${start}-${total - 1}/${total}` } : {}),
    });
    const body = object.body.subarray(start);
    const cut = options.cutAfter?.(n);
    const stall = options.stallAfter?.(n);
    const limit = Math.min(cut ?? body.length, stall ?? body.length);
    const step = options.writeBytes ?? 64 * 1024;
    for (let offset = 0; offset < limit; offset += step) {
      // Each piece reaches the socket before the next (and before a cut), so a cut is at an exact byte.
      await new Promise((resolve) => res.write(body.subarray(offset, Math.min(offset + step, limit)), resolve));
      if (res.destroyed) return;
    }
    if (cut !== undefined && cut < body.length) {
      res.destroy();
      return;
    }
    if (stall !== undefined && stall < body.length) return;
    res.end();
  });
}

const expiredXml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>300</X-Amz-Expires><RequestId>R1</RequestId></Error>';

/** A flat file of `rows` rows with the given product names, so chunk boundaries fall everywhere. */
function flatFile(names: string[], rows: number): string {
  let text = 'sku\tproduct-name\tprice\r\n';
  for (let i = 0; i < rows; i++) text += `SKU-${i}\t${names[i % names.length]}\t${(i % 100) + 0.5}\r\n`;
  return text;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spapi-documents-store-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string): string => join(dir, name);
const partFiles = (): string[] => readdirSync(dir).filter((name) => name.endsWith('.part'));
const fast: Partial<DownloadOptions> = { resumeDelayMs: 1 };

describe('charsets and transcoding', () => {
  const text = 'sku\tname\nA\tMüller – 10 €\n';
  const cp1252 = iconv.encode(text, 'cp1252');

  it('raw keeps the bytes as sent; the charset comes from the Content-Type', async () => {
    const server = await objectServer({ object: () => ({ body: cp1252, etag: '"a"', contentType: 'text/plain;charset=windows-1252' }) });
    const result = await downloadDocument({ url: server.url() }, { out: file('cp1252.raw') });
    expect(readFileSync(file('cp1252.raw')).equals(cp1252)).toBe(true);
    expect(result.charset).toBe('windows-1252');
    expect(result.bytesWritten).toBe(cp1252.length);
  });

  it('auto decodes by the Content-Type charset for csv/json, else by defaultCharset', async () => {
    const declared = await objectServer({ object: () => ({ body: cp1252, etag: '"a"', contentType: 'text/tab-separated-values; charset=Cp1252' }) });
    await downloadDocument({ url: declared.url() }, { out: file('declared.csv'), format: 'csv' });
    expect(readFileSync(file('declared.csv'), 'utf8')).toBe('sku,name\nA,Müller – 10 €\n');
    const silent = await objectServer({ object: () => ({ body: cp1252, etag: '"a"', contentType: 'text/plain' }) });
    const result = await downloadDocument({ url: silent.url() }, { out: file('default.json'), format: 'json', defaultCharset: 'cp1252' });
    expect(JSON.parse(readFileSync(file('default.json'), 'utf8'))).toEqual([{ sku: 'A', name: 'Müller – 10 €' }]);
    expect(result.charset).toBe('cp1252');
  });

  it('an explicit encoding transcodes raw output to UTF-8, whatever the Content-Type says', async () => {
    const server = await objectServer({ object: () => ({ body: cp1252, etag: '"a"', contentType: 'text/plain;charset=UTF-8' }) });
    const result = await downloadDocument({ url: server.url() }, { out: file('transcoded.txt'), encoding: 'cp1252' });
    expect(readFileSync(file('transcoded.txt'), 'utf8')).toBe(text);
    expect(result.charset).toBe('cp1252');
  });

  it('Shift_JIS (windows-31j) arriving in 1-byte writes, gzip per compressionAlgorithm: no character is split', async () => {
    const names = ['テスト商品', '日本語の名前、"引用"付き', 'ｶﾀｶﾅ①'];
    const tsv = flatFile(names, 300);
    const sjis = iconv.encode(tsv, 'windows-31j');
    const server = await objectServer({ object: () => ({ body: sjis, etag: '"sj"' }), writeBytes: 1 });
    await downloadDocument({ url: server.url() }, { out: file('sjis.ndjson'), format: 'ndjson', encoding: 'windows-31j' });
    const rows = readFileSync(file('sjis.ndjson'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(rows).toHaveLength(300);
    expect(rows.map((row) => row['product-name'])).toEqual(Array.from({ length: 300 }, (_, i) => names[i % names.length]));

    const gz = await objectServer({ object: () => ({ body: gzipSync(iconv.encode(tsv, 'shift_jis')), etag: '"gz"' }), writeBytes: 7 });
    await downloadDocument({ url: gz.url(), compressionAlgorithm: 'GZIP' }, { out: file('sjis.txt'), encoding: 'shift_jis' });
    expect(readFileSync(file('sjis.txt'), 'utf8')).toBe(tsv);
  });

  it('a UTF-8 BOM is dropped when decoding, kept in raw', async () => {
    const body = Buffer.from('\ufeffa\tb\n1\t2\n', 'utf8');
    const server = await objectServer({ object: () => ({ body, etag: '"bom"' }) });
    await downloadDocument({ url: server.url() }, { out: file('bom.csv'), format: 'csv' });
    expect(readFileSync(file('bom.csv'), 'utf8')).toBe('a,b\n1,2\n');
    await downloadDocument({ url: server.url() }, { out: file('bom.raw') });
    expect(readFileSync(file('bom.raw')).equals(body)).toBe(true);
  });

  it('an unknown charset is a UsageError before any request', async () => {
    const server = await objectServer({ object: () => ({ body: cp1252 }) });
    await expect(downloadDocument({ url: server.url() }, { out: file('never.txt'), encoding: 'klingon' })).rejects.toThrow(UsageError);
    await expect(downloadDocument({ url: server.url() }, { out: file('never.txt'), defaultCharset: 'nope' })).rejects.toThrow(/unknown charset "nope"/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('formats of a flat file with tabs, quotes and newlines', () => {
  it('csv quotes, json and ndjson keep every value as a string; a last line without newline counts', async () => {
    const tsv = 'id\tnote\tprice\r\n1\tsay "hi", then go\t1.00\r\n2\t\t\r\n3\tplain\t2.50';
    const server = await objectServer({ object: () => ({ body: gzipSync(tsv), etag: '"f"' }), writeBytes: 5 });
    const source = { url: server.url(), compressionAlgorithm: 'GZIP' as const };
    await downloadDocument(source, { out: file('f.csv'), format: 'csv' });
    expect(readFileSync(file('f.csv'), 'utf8')).toBe('id,note,price\n1,"say ""hi"", then go",1.00\n2,,\n3,plain,2.50\n');
    await downloadDocument(source, { out: file('f.json'), format: 'json' });
    const objects = [
      { id: '1', note: 'say "hi", then go', price: '1.00' },
      { id: '2', note: '', price: '' },
      { id: '3', note: 'plain', price: '2.50' },
    ];
    expect(JSON.parse(readFileSync(file('f.json'), 'utf8'))).toEqual(objects);
    await downloadDocument(source, { out: file('f.ndjson'), format: 'ndjson' });
    expect(readFileSync(file('f.ndjson'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(objects);
  });

  it('Data Kiosk JSON Lines (Content-Encoding gzip, no compressionAlgorithm): ndjson passes through, json wraps, csv flattens', async () => {
    const lines = ['{"startDate":"2025-01-01","sales":{"orderedProductSales":{"amount":10.5,"currencyCode":"USD"},"unitsOrdered":3}}', '{"startDate":"2025-01-02","sales":{"orderedProductSales":{"amount":0,"currencyCode":"USD"},"unitsOrdered":0}}'];
    const jsonl = `${lines.join('\n')}\n`;
    const server = await objectServer({ object: () => ({ body: gzipSync(jsonl), etag: '"dk"', contentEncoding: 'gzip', contentType: 'application/x-ndjson' }) });
    const source = { url: server.url() };
    await downloadDocument(source, { out: file('dk.ndjson'), format: 'ndjson' });
    expect(readFileSync(file('dk.ndjson'), 'utf8')).toBe(jsonl);
    await downloadDocument(source, { out: file('dk.json'), format: 'json' });
    expect(JSON.parse(readFileSync(file('dk.json'), 'utf8'))).toEqual(lines.map((line) => JSON.parse(line)));
    await downloadDocument(source, { out: file('dk.csv'), format: 'csv' });
    expect(readFileSync(file('dk.csv'), 'utf8')).toBe('startDate,sales.orderedProductSales.amount,sales.orderedProductSales.currencyCode,sales.unitsOrdered\n2025-01-01,10.5,USD,3\n2025-01-02,0,USD,0\n');
    const raw = await downloadDocument(source, { out: file('dk.raw') });
    expect(readFileSync(file('dk.raw'), 'utf8')).toBe(jsonl);
    expect(raw.bytesDownloaded).toBeLessThan(raw.bytesWritten);
  });
});

describe('decompression and decryption', () => {
  const plain = flatFile(['a', 'b'], 5000);

  it('uncompressed bodies pass through; Content-Encoding gzip is gunzipped once even with compressionAlgorithm GZIP', async () => {
    const uncompressed = await objectServer({ object: () => ({ body: Buffer.from(plain), etag: '"u"' }) });
    await downloadDocument({ url: uncompressed.url() }, { out: file('u.tsv') });
    expect(readFileSync(file('u.tsv'), 'utf8')).toBe(plain);
    const encoded = await objectServer({ object: () => ({ body: gzipSync(plain), etag: '"e"', contentEncoding: 'gzip' }) });
    await downloadDocument({ url: encoded.url(), compressionAlgorithm: 'GZIP' }, { out: file('e.tsv') });
    expect(readFileSync(file('e.tsv'), 'utf8')).toBe(plain);
  });

  it('a gzip document that is not gzip, or an unsupported Content-Encoding, fails without leaving a file', async () => {
    const notGzip = await objectServer({ object: () => ({ body: Buffer.from(plain), etag: '"n"' }) });
    await expect(downloadDocument({ url: notGzip.url(), compressionAlgorithm: 'GZIP' }, { out: file('bad.tsv') })).rejects.toThrow(/not valid gzip/);
    const brotli = await objectServer({ object: () => ({ body: Buffer.from(plain), etag: '"b"', contentEncoding: 'br' }) });
    await expect(downloadDocument({ url: brotli.url() }, { out: file('bad.tsv') })).rejects.toThrow(/Content-Encoding: br/);
    expect(existsSync(file('bad.tsv'))).toBe(false);
    expect(partFiles()).toEqual([]);
  });

  it('AES-256-CBC legacy documents are decrypted before gunzip, also across a resume', async () => {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    const encrypted = Buffer.concat([cipher.update(gzipSync(plain)), cipher.final()]);
    // Cut at a byte that is not a block boundary: the decipher must carry its state into the Range answer.
    const server = await objectServer({ object: () => ({ body: encrypted, etag: '"enc"' }), cutAfter: (n) => (n === 1 ? 1001 : undefined) });
    const encryptionDetails = { standard: 'AES' as const, key: key.toString('base64'), initializationVector: iv.toString('base64') };
    const result = await downloadDocument({ url: server.url(), compressionAlgorithm: 'GZIP', encryptionDetails }, { out: file('dec.tsv'), ...fast });
    expect(readFileSync(file('dec.tsv'), 'utf8')).toBe(plain);
    expect(result.resumes).toBe(1);
    expect(server.requests[1]?.headers.range).toBe('bytes=1001-');

    const wrongKey = { ...encryptionDetails, key: randomBytes(32).toString('base64') };
    const failed = await downloadDocument({ url: server.url(), compressionAlgorithm: 'GZIP', encryptionDetails: wrongKey }, { out: file('wrong.tsv') }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(SpapiError);
    expect(existsSync(file('wrong.tsv'))).toBe(false);
    await expect(downloadDocument({ url: server.url(), encryptionDetails: { ...encryptionDetails, key: 'c2hvcnQ=' } }, { out: file('wrong.tsv') })).rejects.toThrow(/32 bytes/);
  });
});

describe('resuming, restarting, refreshing', () => {
  const body = Buffer.from(flatFile(['x', 'y', 'z'], 40_000));

  it('a connection dropped mid-body resumes with Range + If-Range; the output hashes like the source', async () => {
    const gz = gzipSync(body);
    const server = await objectServer({ object: () => ({ body: gz, etag: '"v1"' }), cutAfter: (n) => (n <= 2 ? 40_000 : undefined) });
    const progress: DownloadProgress[] = [];
    const result = await downloadDocument({ url: server.url(), compressionAlgorithm: 'GZIP' }, { out: file('resumed.tsv'), onProgress: (p) => progress.push(p), ...fast });
    expect(sha256(readFileSync(file('resumed.tsv')))).toBe(sha256(body));
    expect(result).toMatchObject({ resumes: 2, restarts: 0, bytesDownloaded: gz.length, bytesWritten: body.length });
    expect(server.requests.map((r) => [r.headers.range, r.headers['if-range']])).toEqual([
      [undefined, undefined],
      ['bytes=40000-', '"v1"'],
      ['bytes=80000-', '"v1"'],
    ]);
    expect(progress.every((p) => p.total === gz.length)).toBe(true);
    expect(progress.at(-1)).toEqual({ received: gz.length, total: gz.length, written: body.length });
  });

  it('the object changed between attempts (If-Range no longer matches → 200): the output restarts from byte 0', async () => {
    const changed = Buffer.from(flatFile(['new'], 30_000));
    const server = await objectServer({
      object: (n) => (n === 1 ? { body, etag: '"old"' } : { body: changed, etag: '"new"' }),
      cutAfter: (n) => (n === 1 ? 300_000 : undefined),
    });
    const result = await downloadDocument({ url: server.url() }, { out: file('changed.tsv'), format: 'ndjson', ...fast });
    const rows = readFileSync(file('changed.tsv'), 'utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(30_000);
    expect(JSON.parse(rows[0] ?? '')).toEqual({ sku: 'SKU-0', 'product-name': 'new', price: '0.5' });
    expect(result).toMatchObject({ resumes: 0, restarts: 1, bytesDownloaded: 300_000 + changed.length });
    expect(server.requests[1]?.headers).toMatchObject({ range: 'bytes=300000-', 'if-range': '"old"' });
  });

  it('into a stream, a restart after bytes went out is a NetworkError (a stream cannot be rewound)', async () => {
    const changed = Buffer.from('sku\nnew\n');
    const server = await objectServer({ object: (n) => (n === 1 ? { body, etag: '"old"' } : { body: changed, etag: '"new"' }), cutAfter: (n) => (n === 1 ? 300_000 : undefined) });
    const sink = new PassThrough();
    sink.resume();
    await expect(downloadDocument({ url: server.url() }, { out: sink, ...fast })).rejects.toThrow(NetworkError);
  });

  it('a stalled body (no byte for idleTimeoutMs) resumes like a dropped one', async () => {
    const server = await objectServer({ object: () => ({ body, etag: '"s"' }), stallAfter: (n) => (n === 1 ? 100_000 : undefined) });
    const result = await downloadDocument({ url: server.url() }, { out: file('stalled.tsv'), idleTimeoutMs: 300, ...fast });
    expect(result.resumes).toBe(1);
    expect(sha256(readFileSync(file('stalled.tsv')))).toBe(sha256(body));
  });

  it('without an ETag a drop restarts from byte 0 (a range could not be checked)', async () => {
    const server = await objectServer({ object: () => ({ body }), cutAfter: (n) => (n === 1 ? 100_000 : undefined) });
    const result = await downloadDocument({ url: server.url() }, { out: file('no-etag.tsv'), ...fast });
    expect(result).toMatchObject({ resumes: 0, restarts: 1 });
    expect(server.requests[1]?.headers.range).toBeUndefined();
    expect(sha256(readFileSync(file('no-etag.tsv')))).toBe(sha256(body));
  });

  it('a URL that expires mid-download is refreshed and the download continues from the byte it reached', async () => {
    const server = await objectServer({
      object: () => ({ body, etag: '"r"' }),
      cutAfter: (n) => (n === 1 ? 200_000 : undefined),
      refuse: (_n, url) => (url.searchParams.get('X-Amz-Signature') === 'deadbeefsecret' && server.requests.length > 1 ? { status: 403, body: expiredXml } : undefined),
    });
    const fresh = `${server.origin}/report.tsv?X-Amz-Signature=fresh`;
    const result = await downloadDocument({ url: server.url() }, { out: file('refreshed.tsv'), refresh: async () => ({ url: fresh }), ...fast });
    expect(result).toMatchObject({ refreshed: 1, resumes: 1, restarts: 0 });
    expect(sha256(readFileSync(file('refreshed.tsv')))).toBe(sha256(body));
    expect(server.requests.map((r) => [r.path.includes('fresh'), r.headers.range])).toEqual([
      [false, undefined],
      [false, 'bytes=200000-'],
      [true, 'bytes=200000-'],
    ]);
  });

  it('a URL that stays expired stops after maxRefreshes', async () => {
    const server = await objectServer({ object: () => ({ body }), refuse: () => ({ status: 403, body: expiredXml }) });
    let calls = 0;
    const failed = await downloadDocument({ url: server.url() }, { out: file('stays.tsv'), maxRefreshes: 2, refresh: async () => (calls++, server.url()) }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DocumentStoreError);
    expect(calls).toBe(2);
  });

  it('5xx answers are retried; drops beyond maxResumes are a NetworkError and leave nothing behind', async () => {
    const flaky = await objectServer({ object: () => ({ body, etag: '"f"' }), refuse: (n) => (n <= 2 ? { status: 503, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' } : undefined) });
    await downloadDocument({ url: flaky.url() }, { out: file('flaky.tsv'), ...fast });
    expect(flaky.requests).toHaveLength(3);
    expect(sha256(readFileSync(file('flaky.tsv')))).toBe(sha256(body));

    const broken = await objectServer({ object: () => ({ body, etag: '"b"' }), cutAfter: () => 10_000 });
    const failed = await downloadDocument({ url: broken.url() }, { out: file('broken.tsv'), maxResumes: 3, ...fast }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NetworkError);
    expect((failed as Error).message).toMatch(/failed after 3 resumes/);
    expect((failed as Error).message).not.toContain('deadbeefsecret');
    expect(broken.requests).toHaveLength(4);
    expect(existsSync(file('broken.tsv'))).toBe(false);
    expect(partFiles()).toEqual([]);
  });
});

describe('what is sent, and errors', () => {
  it('a plain GET: no SP-API header of any kind, only Range/If-Range when resuming', async () => {
    const server = await objectServer({ object: () => ({ body: Buffer.from('a\n'), etag: '"h"' }) });
    await downloadDocument({ url: server.url() }, { out: file('headers.txt') });
    const headers = server.requests[0]?.headers ?? {};
    expect(server.requests[0]?.method).toBe('GET');
    expect(Object.keys(headers).filter((name) => !['host', 'connection'].includes(name))).toEqual([]);
  });

  it('an HTTP error is a DocumentStoreError with the status, S3 code and request id; the message shows origin + path, never the query', async () => {
    const server = await objectServer({ object: () => ({ body: Buffer.alloc(0) }), refuse: () => ({ status: 404, body: '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>' }) });
    const failed = (await downloadDocument({ url: server.url('/docs/amzn1.spdoc.1') }, { out: file('missing.tsv') }).catch((e: unknown) => e)) as DocumentStoreError;
    expect(failed).toBeInstanceOf(DocumentStoreError);
    expect(failed).toMatchObject({ kind: 'api', status: 404, code: 'NoSuchKey', requestId: 'REQ1' });
    expect(failed.message).toBe(`${server.origin}/docs/amzn1.spdoc.1 answered 404 NoSuchKey: The specified key does not exist.`);
    expect(JSON.stringify({ message: failed.message, hint: failed.hint })).not.toMatch(/Signature|Credential|AKID/);
    expect(existsSync(file('missing.tsv'))).toBe(false);
  });

  it("S3's echo of the presigned query (SignatureDoesNotMatch) is masked in the kept body", async () => {
    const echo = `<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><StringToSign>AWS4-HMAC-SHA256\n20250101T000000Z</StringToSign><SignatureProvided>deadbeefsecret</SignatureProvided><CanonicalRequest>GET\n/report.tsv\n${SECRET}&amp;X-Amz-Security-Token=FQoGZXIvYXdzEBYaDSECRET</CanonicalRequest></Error>`;
    const server = await objectServer({ object: () => ({ body: Buffer.alloc(0) }), refuse: () => ({ status: 403, body: echo }) });
    const failed = (await downloadDocument({ url: `${server.url()}&X-Amz-Security-Token=FQoGZXIvYXdzEBYaDSECRET` }, { out: file('sig.tsv') }).catch((e: unknown) => e)) as DocumentStoreError;
    expect(failed).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(failed.body).toContain('<CanonicalRequest>***</CanonicalRequest>');
    expect(failed.body).not.toMatch(/deadbeefsecret|AKIDEXAMPLE|FQoGZXIvYXdzEBYaDSECRET/);
    expect(failed.message).not.toMatch(/deadbeefsecret|AKIDEXAMPLE|FQoG/);
  });

  it('follows a redirect on the same origin only', async () => {
    const other = await objectServer({ object: () => ({ body: Buffer.from('elsewhere\n') }) });
    const server = await serve((req, res) => {
      if (req.url?.startsWith('/moved')) {
        res.writeHead(307, { location: '/report.tsv?sig=2' });
        res.end();
      } else if (req.url?.startsWith('/away')) {
        res.writeHead(302, { location: other.url() });
        res.end();
      } else res.end('here\n');
    });
    await downloadDocument({ url: server.url('/moved') }, { out: file('moved.txt') });
    expect(readFileSync(file('moved.txt'), 'utf8')).toBe('here\n');
    await expect(downloadDocument({ url: server.url('/away') }, { out: file('away.txt') })).rejects.toThrow(/redirect to another host \(http:\/\/127\.0\.0\.1:\d+\); not followed/);
    expect(other.requests).toHaveLength(0);
  });

  it('bad options are one UsageError listing every problem, before any request', async () => {
    const server = await objectServer({ object: () => ({ body: Buffer.from('x') }) });
    const failed = (await downloadDocument({ url: server.url(), compressionAlgorithm: 'ZIP' as 'GZIP' }, { out: '', format: 'xml' as 'csv', maxResumes: -1 }).catch((e: unknown) => e)) as UsageError;
    expect(failed).toBeInstanceOf(UsageError);
    expect(failed.problems).toHaveLength(4);
    await expect(downloadDocument({ url: 'ftp://example.com/x' }, { out: file('x') })).rejects.toThrow(/must be https/);
    await expect(downloadDocument({ url: server.url() }, { out: join(dir, 'no/such/dir/x.tsv') })).rejects.toThrow(/does not exist/);
    await expect(downloadDocument({ url: server.url() }, { out: dir })).rejects.toThrow(/is a directory/);
    expect(server.requests).toHaveLength(0);
  });

  it('uses a dispatcher that is passed in, and leaves it open', async () => {
    const server = await objectServer({ object: () => ({ body: Buffer.from('one\n') }) });
    const agent = new Agent();
    try {
      await downloadDocument({ url: server.url() }, { out: file('d1.txt'), dispatcher: agent });
      await downloadDocument({ url: server.url() }, { out: file('d2.txt'), dispatcher: agent });
      expect(readFileSync(file('d2.txt'), 'utf8')).toBe('one\n');
    } finally {
      await agent.close();
    }
  });
});

describe('output', () => {
  const body = Buffer.from(flatFile(['p', 'q'], 50_000));

  it('a file path is written atomically: a .<name>.*.part beside it while downloading, renamed at the end', async () => {
    const target = file('atomic.tsv');
    writeFileSync(target, 'previous content');
    const server = await objectServer({ object: () => ({ body, etag: '"a"' }) });
    const during: string[][] = [];
    let previousSeen = '';
    await downloadDocument({ url: server.url() }, {
      out: target,
      onProgress: () => {
        if (during.length === 0) {
          during.push(partFiles());
          previousSeen = readFileSync(target, 'utf8');
        }
      },
    });
    expect(during[0]).toHaveLength(1);
    expect(during[0]?.[0]).toMatch(/^\.atomic\.tsv\.[0-9a-f]+\.part$/);
    expect(previousSeen).toBe('previous content');
    expect(sha256(readFileSync(target))).toBe(sha256(body));
    expect(partFiles()).toEqual([]);
  });

  it('on failure or abort the target keeps its old content (or stays absent) and no .part remains', async () => {
    const target = file('kept.tsv');
    writeFileSync(target, 'old');
    const broken = await objectServer({ object: () => ({ body, etag: '"k"' }), cutAfter: () => 1000 });
    await expect(downloadDocument({ url: broken.url() }, { out: target, maxResumes: 0 })).rejects.toThrow(NetworkError);
    expect(readFileSync(target, 'utf8')).toBe('old');

    const slow = await objectServer({ object: () => ({ body, etag: '"k"' }), writeBytes: 4096 });
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const aborted = downloadDocument({ url: slow.url() }, { out: file('aborted.tsv'), signal: controller.signal, onProgress: (p) => p.received > 100_000 && controller.abort(reason) });
    await expect(aborted).rejects.toBe(reason);
    expect(existsSync(file('aborted.tsv'))).toBe(false);
    expect(partFiles()).toEqual([]);
  });

  it('a failing output is a SpapiError with the system error as its cause', async () => {
    const server = await objectServer({ object: () => ({ body, etag: '"e"' }) });
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('broken pipe'), { code: 'EPIPE' }));
      },
    });
    const failed = (await downloadDocument({ url: server.url() }, { out: broken }).catch((e: unknown) => e)) as SpapiError;
    expect(failed).toBeInstanceOf(SpapiError);
    expect(failed.message).toMatch(/writing the output stream failed: broken pipe \(EPIPE\)/);
    expect((failed.cause as NodeJS.ErrnoException).code).toBe('EPIPE');
  });

  it('a stream is written with backpressure and not ended', async () => {
    const server = await objectServer({ object: () => ({ body, etag: '"w"' }) });
    const chunks: Buffer[] = [];
    let pending = 0;
    // A slow consumer with a tiny buffer: the download must wait for it.
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        pending += 1;
        setImmediate(() => {
          pending -= 1;
          callback();
        });
      },
    });
    const result = await downloadDocument({ url: server.url() }, { out: slow });
    expect(slow.writableEnded).toBe(false);
    expect(pending).toBeLessThanOrEqual(1);
    expect(result.bytesWritten).toBe(body.length);
    await new Promise((resolve) => slow.end(resolve));
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(body));
  });
});
