import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** Where report documents are served on the documents server; getReportDocument's URL points here. */
export const DOCUMENTS_PATH = '/documents/';
// Amazon's presigned document URLs live five minutes (spapi-facts §6).
export const DOCUMENT_URL_LIFETIME_SECONDS = 300;

interface StoredDocument {
  /** Builds the plain TSV on first download, so unread documents cost nothing. */
  render: () => string;
  gzipped?: Buffer;
}

/**
 * The emulator's stand-in for Amazon's document storage (an S3 presigned URL). Downloads need no
 * x-amz-access-token, as on Amazon; a client that sends one anyway is visible in stats.lastRequests.
 */
export class DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();

  put(documentId: string, render: () => string): void {
    if (!this.documents.has(documentId)) this.documents.set(documentId, { render });
  }

  has(documentId: string): boolean {
    return this.documents.has(documentId);
  }

  /** A presigned-looking URL; `contentEncoding` mirrors getReportDocument's enableContentEncodingUrlHeader. */
  url(baseUrl: string, documentId: string, now: number, contentEncoding: boolean): string {
    const expires = Math.floor(now / 1000) + DOCUMENT_URL_LIFETIME_SECONDS;
    return `${baseUrl}${DOCUMENTS_PATH}${encodeURIComponent(documentId)}?expires=${expires}${contentEncoding ? '&contentEncoding=gzip' : ''}`;
  }

  /** Answers GET/HEAD on a document URL. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const documentId = safeDecode(url.pathname.slice(DOCUMENTS_PATH.length));
    const stored = documentId === undefined ? undefined : this.documents.get(documentId);
    if (req.method !== 'GET' && req.method !== 'HEAD') return storageError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    if (!url.pathname.startsWith(DOCUMENTS_PATH) || !stored) return storageError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    const expires = Number(url.searchParams.get('expires'));
    if (!Number.isFinite(expires) || Date.now() / 1000 > expires) return storageError(res, 403, 'AccessDenied', 'Request has expired');
    stored.gzipped ??= gzipSync(stored.render());
    const encoded = url.searchParams.get('contentEncoding') === 'gzip';
    res.writeHead(200, {
      'content-type': encoded ? 'text/tab-separated-values;charset=UTF-8' : 'application/octet-stream',
      // Without the flag Amazon serves the gzip bytes as they are; with it, HTTP clients inflate them.
      ...(encoded ? { 'content-encoding': 'gzip' } : {}),
      'content-length': String(stored.gzipped.length),
    });
    res.end(req.method === 'HEAD' ? undefined : stored.gzipped);
  }
}

// S3 answers in XML, not SP-API's JSON error list; clients must not parse it as SP-API errors.
function storageError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
