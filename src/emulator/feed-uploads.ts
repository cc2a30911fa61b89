import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegionCode } from '../core/regions.js';
import { DOCUMENTS_PATH, safeDecode, storageError, storageRequestId } from './documents.js';
import type { DocumentStore } from './documents.js';
import type { UploadFaults } from './faults.js';
import type { StorageRefusal } from './report-document-url.js';
import type { StatsRecorder } from './stats.js';

/*
 * Feed input documents: createFeedDocument registers one with its contentType and hands out a
 * presigned PUT URL on the documents origin; the upload is S3's PutObject as Amazon's feed URLs
 * get it (feeds use case guide, step 2; spapi-facts §10):
 * - the URL signs `content-type;host`, so the Content-Type header must be the createFeedDocument
 *   contentType byte for byte, or 403 SignatureDoesNotMatch (the classic: fetch's
 *   `text/plain;charset=UTF-8` for a string body, axios' form default; selling-partner-api-docs #97, #1602);
 * - no credentials: an Authorization header next to the presigned query is 400 InvalidArgument
 *   ("Only one auth mechanism allowed"); an x-amz-access-token is ignored by S3 but counted in
 *   stats.credentialsAtDocuments (server.ts), a token sent where it does not belong;
 * - Content-Length is required (411 MissingContentLength, also for chunked bodies), at most 5 GiB
 *   (S3's single PUT), and must match what arrives; Content-MD5, when sent, must match (BadDigest);
 * - a second PUT to a valid URL replaces the object, as on S3.
 * Bodies are streamed: hashed (sha256, MD5 for the ETag) as they arrive, and written to a temporary
 * file only when they are at most KEPT_UPLOAD_BYTES, which processing reads later; a larger upload
 * keeps its hash and size only, so a 500 MiB upload costs no memory.
 */

/**
 * PUTs that came with `Expect: 100-continue` and have not been told to go on (the documents
 * server's checkContinue, index.ts). S3 judges their headers first: a refusal is the final answer
 * before any of the body, and the connection is closed; an accepted one gets "100 Continue".
 */
const awaitingContinue = new WeakSet<IncomingMessage>();

/** For the documents server's 'checkContinue': this request waits for "100 Continue" (PUTs) or gets it now. */
export function expectsContinue(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'PUT') awaitingContinue.add(req);
  else res.writeContinue();
}

function goOn(req: IncomingMessage, res: ServerResponse): void {
  if (awaitingContinue.delete(req)) res.writeContinue();
}

/** Uploads up to this size are kept for processing; larger ones keep their size and hash only. */
export const KEPT_UPLOAD_BYTES = 50 * 1024 * 1024;
// S3 refuses a single PUT above 5 GiB (EntityTooLarge).
const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

/** What a test can check about a feed document: `Emulator.feedDocument()`. */
export interface FeedDocumentInspection {
  /** The contentType given to createFeedDocument. */
  contentType: string;
  /** The Content-Type header of the last stored upload; undefined before the first. */
  uploadedContentType: string | undefined;
  /** Body bytes of the last stored upload (0 before the first). */
  bytes: number;
  /** Hex sha256 of the last stored upload's body. */
  sha256: string | undefined;
  /** Uploads stored so far (refused, failed and reset PUTs do not count). */
  uploads: number;
  /** Header names of the last stored upload, lower-case, as received. */
  headers: string[];
}

interface StoredUpload {
  contentType: string;
  bytes: number;
  sha256: string;
  headers: string[];
  /** The body on disk, when it was at most KEPT_UPLOAD_BYTES. */
  file?: string;
}

/** A feed document created by createFeedDocument. */
export interface FeedInputDocument {
  feedDocumentId: string;
  contentType: string;
  region: RegionCode;
  createdTime: number;
  uploads: number;
  upload?: StoredUpload;
}

/** What processing reads of an uploaded document. */
export type UploadedContent = { kept: true; bytes: Buffer } | { kept: false; size: number };

const INTERNAL_ERROR: StorageRefusal = { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };

export class FeedDocuments {
  private readonly documents = new Map<string, FeedInputDocument>();
  private directory: string | undefined;
  private created = 0;
  private spooled = 0;

  constructor(
    private readonly seed: number,
    private readonly storage: DocumentStore,
    private readonly stats: StatsRecorder,
  ) {}

  /** createFeedDocument: a new, empty document whose id names the region of the host it was created on. */
  create(contentType: string, region: RegionCode, now: number): FeedInputDocument {
    this.created += 1;
    const feedDocumentId = tortugaId(`${this.seed}\nfeed input\n${this.created}`, region);
    const document: FeedInputDocument = { feedDocumentId, contentType, region, createdTime: now, uploads: 0 };
    this.documents.set(feedDocumentId, document);
    return document;
  }

  find(feedDocumentId: string): FeedInputDocument | undefined {
    return this.documents.get(feedDocumentId);
  }

  /** The presigned upload URL of a document, valid for the documents' URL lifetime from `now`. */
  uploadUrl(baseUrl: string, document: FeedInputDocument, now: number): string {
    return this.storage.uploadUrl(baseUrl, document.feedDocumentId, now, document.contentType);
  }

  inspect(feedDocumentId: string): FeedDocumentInspection | undefined {
    const document = this.documents.get(feedDocumentId);
    if (!document) return undefined;
    const { upload } = document;
    return {
      contentType: document.contentType,
      uploadedContentType: upload?.contentType,
      bytes: upload?.bytes ?? 0,
      sha256: upload?.sha256,
      uploads: document.uploads,
      headers: [...(upload?.headers ?? [])],
    };
  }

  /** The uploaded bytes for processing, or only their size when the upload was too big to keep; undefined before any upload. */
  content(document: FeedInputDocument): UploadedContent | undefined {
    const { upload } = document;
    if (!upload) return undefined;
    return upload.file === undefined ? { kept: false, size: upload.bytes } : { kept: true, bytes: readFileSync(upload.file) };
  }

  /** Answers one PUT on the documents origin; `faults` are this upload's (FaultInjector.onUpload). */
  async receive(req: IncomingMessage, res: ServerResponse, url: URL, faults: UploadFaults): Promise<void> {
    const headers = { 'x-amz-request-id': storageRequestId() };
    const refuse = async (refusal: StorageRefusal): Promise<void> => {
      if (awaitingContinue.delete(req)) {
        storageError(res, refusal, { ...headers, connection: 'close' });
        return;
      }
      // Read what the client sends first, so it gets the answer instead of a broken pipe.
      await drain(req);
      storageError(res, refusal, headers);
    };
    // Faults strike the body: it is asked for first.
    if (faults.reset || faults.fail) goOn(req, res);
    if (faults.reset) return resetMidBody(req, res);
    if (faults.fail) return refuse(INTERNAL_ERROR);
    if (req.headers.authorization !== undefined) {
      return refuse({
        status: 400,
        code: 'InvalidArgument',
        message: 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        extra: { ArgumentName: 'Authorization' },
      });
    }
    const verdict = this.storage.verifyUpload(url, req.headers['content-type'] ?? '');
    if (!verdict.ok) return refuse(verdict.refusal);
    const id = url.pathname.startsWith(DOCUMENTS_PATH) ? safeDecode(url.pathname.slice(DOCUMENTS_PATH.length)) : undefined;
    const document = id === undefined ? undefined : this.documents.get(id);
    // Only URLs the emulator signed get here, and it signs only for documents it has.
    if (!document) return refuse({ status: 403, code: 'AccessDenied', message: 'Access Denied' });
    const declared = contentLength(req);
    if (declared === undefined) return refuse({ status: 411, code: 'MissingContentLength', message: 'You must provide the Content-Length HTTP header.' });
    if (declared > MAX_UPLOAD_BYTES) {
      // Not worth reading 5 GiB to refuse it: answer and close.
      storageError(
        res,
        { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size', extra: { ProposedSize: String(declared), MaxSizeAllowed: String(MAX_UPLOAD_BYTES) } },
        { ...headers, connection: 'close' },
      );
      return;
    }

    goOn(req, res);
    let spooled: Spooled;
    try {
      spooled = await this.spool(req, declared <= KEPT_UPLOAD_BYTES);
    } catch {
      // The client went away mid-body: S3 stores nothing.
      res.destroy();
      return;
    }
    const discard = (): void => {
      if (spooled.file !== undefined) rmSync(spooled.file, { force: true });
    };
    if (spooled.bytes !== declared) {
      discard();
      return refuse({ status: 400, code: 'IncompleteBody', message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.' });
    }
    const rawMd5 = req.headers['content-md5'];
    const md5 = Array.isArray(rawMd5) ? rawMd5.join(',') : rawMd5;
    if (md5 !== undefined && md5 !== spooled.md5.toString('base64')) {
      discard();
      return refuse({ status: 400, code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.', extra: { ExpectedDigest: md5 } });
    }

    const previous = document.upload?.file;
    let file: string | undefined;
    if (spooled.file !== undefined) {
      file = join(this.dir(), `${this.documentIndex(document)}.body`);
      renameSync(spooled.file, file);
    } else if (previous !== undefined) {
      rmSync(previous, { force: true });
    }
    document.upload = {
      contentType: req.headers['content-type'] ?? '',
      bytes: spooled.bytes,
      sha256: spooled.sha256,
      headers: Object.keys(req.headers),
      ...(file !== undefined ? { file } : {}),
    };
    document.uploads += 1;
    this.stats.feedUpload(spooled.bytes);
    // S3's ETag of a single-part object is the MD5 of its bytes.
    res.writeHead(200, { ...headers, etag: `"${spooled.md5.toString('hex')}"`, 'content-length': '0' });
    res.end();
  }

  /** Removes the kept upload bodies (the emulator is closing). */
  async close(): Promise<void> {
    const directory = this.directory;
    this.directory = undefined;
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  }

  /** Hashes the body as it arrives and, when `keep`, writes it to a new temporary file. */
  private async spool(req: IncomingMessage, keep: boolean): Promise<Spooled> {
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let bytes = 0;
    this.spooled += 1;
    const file = keep ? join(this.dir(), `upload-${this.spooled}.part`) : undefined;
    const out = file === undefined ? undefined : createWriteStream(file);
    try {
      for await (const chunk of req) {
        const buffer = chunk as Buffer;
        sha256.update(buffer);
        md5.update(buffer);
        bytes += buffer.length;
        if (out && !out.write(buffer)) await once(out, 'drain');
      }
      if (out) {
        out.end();
        await once(out, 'close');
      }
    } catch (error) {
      out?.destroy();
      if (file !== undefined) rmSync(file, { force: true });
      throw error;
    }
    return { bytes, sha256: sha256.digest('hex'), md5: md5.digest(), ...(file !== undefined ? { file } : {}) };
  }

  private dir(): string {
    this.directory ??= mkdtempSync(join(tmpdir(), 'spapi-emulator-uploads-'));
    return this.directory;
  }

  private documentIndex(document: FeedInputDocument): string {
    return createHash('sha256').update(document.feedDocumentId).digest('hex').slice(0, 16);
  }
}

interface Spooled {
  bytes: number;
  sha256: string;
  md5: Buffer;
  file?: string;
}

/**
 * A document id in the style of Amazon's feed and result documents
 * (`amzn1.tortuga.4.na.<uuid>.T<13 characters>`), derived from `key`, naming `region`.
 */
export function tortugaId(key: string, region: RegionCode): string {
  const hash = createHash('sha256').update(key).digest('hex');
  const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
  return `amzn1.tortuga.4.${region}.${uuid}.T${hash.slice(32, 45).toUpperCase()}`;
}

/** The Content-Length of a body sent with one; undefined for chunked or missing lengths. */
function contentLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined || req.headers['transfer-encoding'] !== undefined) return undefined;
  return /^\d{1,16}$/.test(value) ? Number(value) : undefined;
}

async function drain(req: IncomingMessage): Promise<void> {
  try {
    for await (const _chunk of req) {
      // Discarded.
    }
  } catch {
    // The client went away; the answer below goes nowhere, which is fine.
  }
}

/** The upload-reset fault: read about half of the declared body, then destroy the connection. */
async function resetMidBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const declared = contentLength(req);
  const half = declared === undefined ? 1 : Math.floor(declared / 2);
  let seen = 0;
  if (half > 0) {
    try {
      for await (const chunk of req) {
        seen += (chunk as Buffer).length;
        if (seen >= half) break;
      }
    } catch {
      // Already gone.
    }
  }
  res.destroy();
}
