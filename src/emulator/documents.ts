import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type { ResolvedOptions } from './options.js';
import { decideRange, etagFor, httpDate, preconditionStatus } from './report-document-http.js';
import { DocumentUrlSigner, expiredRefusal } from './report-document-url.js';
import type { StorageRefusal, UrlVerdict } from './report-document-url.js';
import type { StatsRecorder } from './stats.js';
import { escapeXml } from './xml-text.js';

/** Where report documents are served on the documents server; getReportDocument's URL points here. */
export const DOCUMENTS_PATH = '/documents/';

/** The stored object of a document: its bytes (gzip or plain), as S3 holds them. */
export interface DocumentBody {
  /** Bytes of the stored object. */
  readonly length: number;
  /** Memory this body holds, for the store's cache bound. */
  readonly memoryBytes: number;
  /** The stored bytes [start, end) in order, produced as they are consumed; each call starts over. */
  read(start: number, end: number): Iterable<Buffer>;
}

/** A document as the report store registers it. */
export interface DocumentSpec {
  /** Everything that determines the bytes (id, content kind, size, seed, window…); the ETag hashes it. */
  fingerprint: string;
  /** When the document was written (the report's processingEndTime); served as Last-Modified. */
  lastModified: number;
  /** Content-Type of every download: the object's metadata, whatever the URL asks for. */
  contentType: string;
  /** What the stored bytes are: a gzip object, or the text itself (no compressionAlgorithm). */
  compression: 'gzip' | 'none';
  /**
   * When a gzip object is served with Content-Encoding: gzip. `on-request` (reports): only through
   * a URL getReportDocument signed for enableContentEncodingUrlHeader=true; `always` (Data Kiosk,
   * whose documents announce compression only this way).
   */
  contentEncoding: 'on-request' | 'always';
  /** Builds the stored object; called again when the store has dropped it from its cache. */
  open(): DocumentBody;
}

/** A small document, held whole in memory. */
export class BufferBody implements DocumentBody {
  readonly length: number;
  readonly memoryBytes: number;

  constructor(private readonly bytes: Buffer) {
    this.length = bytes.length;
    this.memoryBytes = bytes.length;
  }

  static gzip(bytes: Buffer): BufferBody {
    return new BufferBody(gzipSync(bytes));
  }

  *read(start: number, end: number): Iterable<Buffer> {
    if (end > start) yield this.bytes.subarray(start, end);
  }
}

// Bodies are rebuilt on demand, so the cache only saves work: bound it well below any test's RSS budget.
const CACHE_BYTES = 32 * 1024 * 1024;
// The first write is at least this big (or the whole body), so a resetDocument fault, which halves
// the first write (faults.ts cutMidBody), cuts a streamed document after a useful part of it.
const FIRST_WRITE_BYTES = 128 * 1024;
// Later writes gather pieces up to this size.
const WRITE_BYTES = 256 * 1024;
// Without a drain to wait for, let the loop breathe this often so a destroyed socket is noticed.
const YIELD_EVERY_BYTES = 1024 * 1024;

/**
 * The emulator's stand-in for Amazon's document storage (S3 behind presigned URLs): signed URLs
 * that expire, ETag, Last-Modified, conditional requests, single byte ranges and HEAD. Downloads
 * need no x-amz-access-token, as on Amazon; a client that sends one anyway is visible in
 * stats.lastRequests.
 */
export class DocumentStore {
  private readonly documents = new Map<string, DocumentSpec>();
  /** Recently used bodies, least recent first. */
  private readonly cache = new Map<string, DocumentBody>();
  private cachedBytes = 0;
  private readonly signer: DocumentUrlSigner;
  private readonly lifetimeSeconds: number;
  /** How far the storage clock runs ahead of the emulator's (expireUrls). */
  private clockOffsetMs = 0;

  constructor(
    options: Pick<ResolvedOptions, 'seed' | 'documentUrlLifetimeSeconds'>,
    private readonly stats: StatsRecorder,
    private readonly now: () => number = Date.now,
  ) {
    this.lifetimeSeconds = options.documentUrlLifetimeSeconds;
    this.signer = new DocumentUrlSigner(options.seed, options.documentUrlLifetimeSeconds);
  }

  /**
   * Moves the storage clock past the lifetime of every URL handed out so far, so they are refused
   * as expired (the same check as a real expiry); URLs signed afterwards use the moved clock and
   * work. Lets a test expire URLs without waiting five minutes.
   */
  expireUrls(): void {
    this.clockOffsetMs += (this.lifetimeSeconds + 1) * 1000;
  }

  put(documentId: string, spec: DocumentSpec): void {
    if (!this.documents.has(documentId)) this.documents.set(documentId, spec);
  }

  has(documentId: string): boolean {
    return this.documents.has(documentId);
  }

  /** How the document is stored, for getReportDocument's compressionAlgorithm. */
  compressionOf(documentId: string): 'gzip' | 'none' | undefined {
    return this.documents.get(documentId)?.compression;
  }

  /**
   * A presigned URL; `contentEncoding` mirrors getReportDocument's enableContentEncodingUrlHeader
   * and only applies to gzip objects served Content-Encoding on request.
   */
  url(baseUrl: string, documentId: string, now: number, contentEncoding: boolean): string {
    const spec = this.documents.get(documentId);
    const switchable = spec?.compression === 'gzip' && spec.contentEncoding === 'on-request';
    return this.signer.sign(baseUrl, `${DOCUMENTS_PATH}${encodeURIComponent(documentId)}`, now + this.clockOffsetMs, contentEncoding && switchable);
  }

  /**
   * A presigned PUT URL for uploading to `documentId` (feed documents): it signs `content-type;host`,
   * so the upload must send exactly `contentType`. Expires like the download URLs (expireUrls too).
   */
  uploadUrl(baseUrl: string, documentId: string, now: number, contentType: string): string {
    return this.signer.signUpload(baseUrl, `${DOCUMENTS_PATH}${encodeURIComponent(documentId)}`, now + this.clockOffsetMs, contentType);
  }

  /** S3's checks of an upload URL against the request's Content-Type (an absent header is ''). */
  verifyUpload(url: URL, contentType: string): UrlVerdict {
    return this.signer.verify(url, this.now() + this.clockOffsetMs, { method: 'PUT', contentType });
  }

  /**
   * The S3 answer to a request for an expired URL (the expireDocument fault), as verify() gives
   * it for a real one: the URL's own X-Amz-Expires, an expiry just before the server time.
   */
  refuseAsExpired(res: ServerResponse, url: URL): void {
    const now = this.now() + this.clockOffsetMs;
    const lifetime = url.searchParams.get('X-Amz-Expires') ?? String(this.lifetimeSeconds);
    storageError(res, expiredRefusal(lifetime, now - 1000, now), { 'x-amz-request-id': storageRequestId() });
  }

  /** Answers GET/HEAD on a document URL. */
  async serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const requestId = storageRequestId();
    const refuse = (refusal: StorageRefusal, headers: Record<string, string> = {}): void => storageError(res, refusal, { 'x-amz-request-id': requestId, ...headers });
    if (method !== 'GET' && method !== 'HEAD') return refuse({ status: 405, code: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.' });
    const verdict = this.signer.verify(url, this.now() + this.clockOffsetMs);
    if (!verdict.ok) return refuse(verdict.refusal);
    const documentId = url.pathname.startsWith(DOCUMENTS_PATH) ? safeDecode(url.pathname.slice(DOCUMENTS_PATH.length)) : undefined;
    const spec = documentId === undefined ? undefined : this.documents.get(documentId);
    if (documentId === undefined || !spec) return refuse({ status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' });

    const etag = etagFor(spec.fingerprint);
    const validators = { etag, 'last-modified': httpDate(spec.lastModified), 'x-amz-request-id': requestId };
    const precondition = preconditionStatus(req.headers, etag, spec.lastModified);
    if (precondition === 412) return refuse({ status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' }, validators);
    if (precondition === 304) {
      res.writeHead(304, validators);
      res.end();
      return;
    }

    const body = this.body(documentId, spec);
    const range = decideRange(req.headers, etag, spec.lastModified, body.length);
    if (range.kind === 'unsatisfiable') {
      return refuse({ status: 416, code: 'InvalidRange', message: 'The requested range is not satisfiable' }, { ...validators, 'content-range': `bytes */${body.length}` });
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end + 1] : [0, body.length];
    // Without Content-Encoding a client gets the gzip bytes as they are (compressionAlgorithm tells
    // it to gunzip); with it, HTTP clients inflate them. Range counts stored bytes either way.
    const encoded = spec.compression === 'gzip' && (spec.contentEncoding === 'always' || verdict.contentEncoding);
    res.writeHead(range.kind === 'partial' ? 206 : 200, {
      ...validators,
      'accept-ranges': 'bytes',
      'content-type': spec.contentType,
      ...(encoded ? { 'content-encoding': 'gzip' } : {}),
      'content-length': String(end - start),
      ...(range.kind === 'partial' ? { 'content-range': `bytes ${start}-${end - 1}/${body.length}` } : {}),
    });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    this.stats.documentDownload();
    await writeBody(res, body.read(start, end), (bytes) => this.stats.documentBytes(bytes));
  }

  /** The document's stored object, from the cache or built again (documents are deterministic). */
  private body(documentId: string, spec: DocumentSpec): DocumentBody {
    let body = this.cache.get(documentId);
    if (body) {
      this.cache.delete(documentId);
    } else {
      body = spec.open();
      this.cachedBytes += body.memoryBytes;
    }
    this.cache.set(documentId, body);
    for (const [id, cached] of this.cache) {
      if (this.cachedBytes <= CACHE_BYTES || id === documentId) break;
      this.cache.delete(id);
      this.cachedBytes -= cached.memoryBytes;
    }
    return body;
  }
}

/**
 * Streams `chunks` into `res` with backpressure and ends it; stops when the client goes away (the
 * iterator is closed then, so a generated body stops being generated).
 */
async function writeBody(res: ServerResponse, chunks: Iterable<Buffer>, counted: (bytes: number) => void): Promise<void> {
  let closed = false;
  const onClose = new Promise<void>((resolve) =>
    res.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  let sinceYield = 0;
  const send = async (chunk: Buffer): Promise<void> => {
    counted(chunk.length);
    sinceYield += chunk.length;
    if (!res.write(chunk)) {
      sinceYield = 0;
      await Promise.race([new Promise((resolve) => res.once('drain', resolve)), onClose]);
    } else if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await nextTurn();
    }
  };
  // Pieces are small (a pool block is ~16 KiB of gzip); gathering them into bigger writes costs a
  // copy but saves most of the per-write overhead.
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let target = FIRST_WRITE_BYTES;
  const flush = async (): Promise<void> => {
    const chunk = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    pending.length = 0;
    pendingBytes = 0;
    target = WRITE_BYTES;
    await send(chunk);
  };
  for (const chunk of chunks) {
    if (closed || res.destroyed) return;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= target) await flush();
  }
  if (closed || res.destroyed) return;
  if (pendingBytes > 0) await flush();
  if (!closed && !res.destroyed) res.end();
}

/** An S3 request id (x-amz-request-id): 16 upper-case hex digits. */
export function storageRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/**
 * Answers with S3's XML error body. S3 answers in XML, not SP-API's JSON error list; clients must
 * not parse it as SP-API errors. `headers` must hold the x-amz-request-id the body repeats.
 */
export function storageError(res: ServerResponse, refusal: StorageRefusal, headers: Record<string, string>): void {
  const extra = Object.entries(refusal.extra ?? {})
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message>${extra}<RequestId>${headers['x-amz-request-id'] ?? ''}</RequestId></Error>`;
  res.writeHead(refusal.status, { ...headers, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
