import type { Dispatcher } from 'undici';
import { UsageError } from '../errors.js';
import type { Sleep } from '../sleep.js';
import { checkCharset } from './charset.js';
import type { Decryption } from './decode-chain.js';
import { DOCUMENT_FORMATS } from './formats.js';
import type { DocumentFormat } from './formats.js';

/**
 * A document to download, as getReportDocument returns it (Data Kiosk's getDocument and the feeds'
 * result documents map onto it: `{ url: documentUrl }`).
 */
export interface DocumentSource {
  /** The presigned URL (it expires: 5 minutes for report documents). */
  url: string;
  /** `GZIP`: the stored object is gzip'd (unless the store also says Content-Encoding: gzip, it is gunzipped here). */
  compressionAlgorithm?: 'GZIP' | undefined;
  /** Legacy reports (2020-09-04): AES-256-CBC, key and IV in base64; decrypted before gunzip. */
  encryptionDetails?: { standard: 'AES'; initializationVector: string; key: string } | undefined;
}

/** Progress of one download, for a progress bar. */
export interface DownloadProgress {
  /** Bytes of the stored object received so far (its offset: a resume continues it, a restart starts it over). */
  received: number;
  /** The stored object's size when the store said (Content-Length, Content-Range). */
  total: number | undefined;
  /** Bytes written to the output so far. */
  written: number;
}

export interface DownloadOptions {
  /**
   * A file path, written atomically: a `.<name>.<random>.part` file beside it, fsync'd and renamed
   * into place, so nothing appears at the path unless the download completes (on failure or abort
   * the .part file is removed; a process killed outright, kill -9, may leave one behind, never a
   * partial target). Or a stream the caller owns (process.stdout), which is written with
   * backpressure and not ended.
   */
  out: string | NodeJS.WritableStream;
  /**
   * `raw` (default): the document's bytes as sent, after gunzip/decryption, untouched (transcoded
   * to UTF-8 only when `encoding` names a charset). `csv`, `json`, `ndjson`: the records of a flat
   * file (header + tab-separated rows) or of a JSON document, written as UTF-8.
   */
  format?: DocumentFormat | undefined;
  /**
   * The document's charset: `auto` (default) takes the Content-Type's charset, else
   * `defaultCharset`, else UTF-8. A name (utf8, cp1252, shift_jis, windows-31j, euc-jp…) is used as
   * given; an unknown one is a UsageError before anything is downloaded.
   */
  encoding?: string | undefined;
  /** The charset when `auto` finds none in the Content-Type (JP flat files: windows-31j; many EU/US ones: cp1252). */
  defaultCharset?: string | undefined;
  /**
   * Called when the URL has expired (S3's 403 AccessDenied "Request has expired"): fetch the
   * document again (getReportDocument) and return it or its URL. The download continues from the
   * byte it had reached. Without it an expired URL is an error.
   */
  refresh?: (() => Promise<DocumentSource | string>) | undefined;
  /** How many times `refresh` may be called (default 3). */
  maxRefreshes?: number | undefined;
  /** Dropped connections, 5xx and 429 answers tolerated in one download (default 5); each resumes from the byte reached. */
  maxResumes?: number | undefined;
  /** The first wait before resuming (default 250 ms), doubling, at most 5 s. */
  resumeDelayMs?: number | undefined;
  /** No answer, or no byte of the body, for this long: the connection counts as dropped (default 30 s). */
  idleTimeoutMs?: number | undefined;
  /** undici dispatcher to use (default: a fresh Agent, closed afterwards). Never the SP-API client's chain. */
  dispatcher?: Dispatcher | undefined;
  /** Aborts the download; it rejects with the signal's reason and leaves no file. */
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /** For tests: the wait between resumes. */
  sleep?: Sleep | undefined;
}

export interface DownloadResult {
  /** Body bytes received over the wire, all attempts together (bytes thrown away by a restart included). */
  bytesDownloaded: number;
  /** Bytes in the output. */
  bytesWritten: number;
  /** The charset the document was read with (with `raw` and `auto`: the one it declares, informational). */
  charset: string;
  /** The store's Content-Type. */
  contentType: string | undefined;
  /** Range requests that continued the download after a drop. */
  resumes: number;
  /** Times the download started over from byte 0 (the document changed: its ETag). */
  restarts: number;
  /** Times the URL was refreshed after expiring. */
  refreshed: number;
}

/** The options checked, with their defaults. */
export interface Settings {
  format: DocumentFormat;
  encoding: string;
  defaultCharset: string | undefined;
  decrypt: Decryption | undefined;
  maxResumes: number;
  maxRefreshes: number;
  resumeDelayMs: number;
  idleTimeoutMs: number;
}

function count(name: string, value: number | undefined, fallback: number, problems: string[], least = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < least) problems.push(`${name} must be a whole number >= ${least} (got ${value})`);
  return value;
}

/** Every option problem at once, as a UsageError, before any request. */
export function settingsOf(source: DocumentSource, options: DownloadOptions): Settings {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(source.url);
  } catch {
    problems.push('the document URL is not a URL');
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`the document URL must be https (or http, for a local store) (got ${url.protocol})`);
  if (source.compressionAlgorithm !== undefined && source.compressionAlgorithm !== 'GZIP') problems.push(`compressionAlgorithm ${String(source.compressionAlgorithm)} is not supported (only GZIP)`);
  const format = options.format ?? 'raw';
  if (!DOCUMENT_FORMATS.includes(format)) problems.push(`format must be one of ${DOCUMENT_FORMATS.join(', ')} (got ${String(format)})`);
  const encoding = options.encoding ?? 'auto';
  for (const [name, value] of [['encoding', encoding === 'auto' ? undefined : encoding], ['defaultCharset', options.defaultCharset]] as const) {
    if (value === undefined) continue;
    try {
      checkCharset(value, name);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  let decrypt: Decryption | undefined;
  const details = source.encryptionDetails;
  if (details) {
    const key = Buffer.from(details.key ?? '', 'base64');
    const iv = Buffer.from(details.initializationVector ?? '', 'base64');
    if (details.standard !== 'AES') problems.push(`encryptionDetails.standard ${String(details.standard)} is not supported (only AES)`);
    if (key.length !== 32) problems.push(`encryptionDetails.key must be 32 bytes in base64 (AES-256), got ${key.length}`);
    if (iv.length !== 16) problems.push(`encryptionDetails.initializationVector must be 16 bytes in base64, got ${iv.length}`);
    decrypt = { key, iv };
  }
  const out = options.out as unknown;
  if (!(typeof out === 'string' && out !== '') && !(out !== null && typeof out === 'object' && typeof (out as { write?: unknown }).write === 'function')) {
    problems.push('out must be a file path or a writable stream');
  }
  const settings: Settings = {
    format,
    encoding,
    defaultCharset: options.defaultCharset,
    decrypt,
    maxResumes: count('maxResumes', options.maxResumes, 5, problems),
    maxRefreshes: count('maxRefreshes', options.maxRefreshes, 3, problems),
    resumeDelayMs: count('resumeDelayMs', options.resumeDelayMs, 250, problems),
    idleTimeoutMs: count('idleTimeoutMs', options.idleTimeoutMs, 30_000, problems, 1),
  };
  if (problems.length > 0) throw new UsageError(problems.length === 1 ? (problems[0] as string) : `${problems.length} problems with the download options`, { problems });
  return settings;
}

