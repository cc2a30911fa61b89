import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { NetworkError, SpapiError, UsageError } from '../errors.js';
import { createAgent, undiciRequest } from '../http/transport.js';
import { abortReason, sleep as realSleep, type Sleep } from '../sleep.js';
import { DocumentStoreError, describeUrl, isExpiredUrl, parseStoreError, readSome, scrubStoreBody } from '../documents/store-error.js';

/** A file to upload: its path and its size (the Content-Length every attempt sends). */
export interface UploadFile {
  path: string;
  size: number;
}

export interface UploadOptions {
  /** The Content-Type the feed document was created with; sent exactly, as the URL's signature covers it. */
  contentType: string;
  /** Attempts in all, the first included (default 5): a dropped connection or a 5xx starts the file over. */
  maxAttempts?: number | undefined;
  /** The wait before the second attempt (default 500 ms), doubling, at most 8 s. */
  retryDelayMs?: number | undefined;
  /**
   * Called when the URL has expired (S3's 403 "Request has expired"): create a new feed document
   * and return its URL. Without it an expired URL is an error.
   */
  refresh?: (() => Promise<string>) | undefined;
  /** undici dispatcher to use (default: a fresh Agent, closed afterwards). Never the SP-API client's chain. */
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
  /** Bytes of this attempt sent so far, and the file's size. */
  onProgress?: ((sent: number, total: number) => void) | undefined;
  /** Before each new attempt: why, and how long it waits. */
  onRetry?: ((event: { attempt: number; delayMs: number; reason: string }) => void) | undefined;
  /** For tests: the wait between attempts. */
  sleep?: Sleep | undefined;
}

export interface UploadResult {
  /** Bytes of the file (each attempt sent all of them). */
  bytes: number;
  /** Attempts made, the successful one included. */
  attempts: number;
  /** Times the URL was replaced after expiring. */
  refreshed: number;
  /** The store's ETag for the object, when it sent one. */
  etag: string | undefined;
}

const MAX_RETRY_DELAY_MS = 8_000;
const ERROR_BODY_BYTES = 64 * 1024;
const MAX_REFRESHES = 2;

// A connection that broke mid-request: the whole file is sent again (a PUT replaces the object).
const DROPPED_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function describeError(error: unknown): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * Uploads a file to a feed document's presigned URL: one PUT, streamed from disk (constant
 * memory, whatever the size), with exactly `Content-Type: <contentType>` and
 * `Content-Length: <size>` — no x-amz-access-token, no Authorization, nothing of the SP-API
 * client's chain. A dropped connection or a 5xx/429 answer starts the file over from its first
 * byte (S3 PUTs are whole-object), with a doubling wait, up to `maxAttempts`; an expired URL is
 * replaced through `refresh`. Errors name the URL's origin and path, never its query.
 *
 * @throws DocumentStoreError (kind `api`) for the store's refusal (403 SignatureDoesNotMatch when
 *   the Content-Type differs from the document's), NetworkError when the connection keeps failing,
 *   SpapiError when the file changed size during the upload, the signal's reason when aborted.
 */
export async function uploadFeedFile(url: string, file: UploadFile, options: UploadOptions): Promise<UploadResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelay = options.retryDelayMs ?? 500;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new UsageError(`maxAttempts must be a whole number >= 1 (got ${maxAttempts})`);
  const sleep = options.sleep ?? realSleep;
  const signal = options.signal;
  const dispatcher = options.dispatcher ?? createAgent();
  let target = new URL(url);
  let refreshed = 0;
  let failures = 0;
  const where = (): string => describeUrl(target);
  const backOff = async (reason: string, cause: unknown): Promise<void> => {
    failures += 1;
    if (failures >= maxAttempts) {
      if (cause instanceof SpapiError) throw cause;
      throw new NetworkError(`uploading to ${where()} failed ${failures} times: ${reason}`, { cause, hint: 'Check the connection and submit the feed again.' });
    }
    const delayMs = Math.min(baseDelay * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
    options.onRetry?.({ attempt: failures + 1, delayMs, reason });
    await sleep(delayMs, signal);
  };
  try {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortReason(signal);
      let response: Dispatcher.ResponseData;
      try {
        response = await undiciRequest(dispatcher, target, {
          method: 'PUT',
          headers: { 'content-type': options.contentType, 'content-length': String(file.size) },
          body: fileBody(file, options.onProgress),
          signal,
        });
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        const code = codeOf(error);
        if (code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
          throw new SpapiError('usage', `${file.path} changed while it was being uploaded (it is no longer ${file.size} bytes)`, { hint: 'submit the feed again once the file is complete', cause: error });
        }
        if (code === undefined || !DROPPED_CODES.has(code)) throw new NetworkError(`uploading to ${where()} failed: ${describeError(error)}`, { cause: error });
        await backOff(describeError(error), error);
        continue;
      }
      const status = response.statusCode;
      if (status >= 200 && status < 300) {
        await drain(response.body);
        const etag = response.headers['etag'];
        return { bytes: file.size, attempts: attempt, refreshed, etag: Array.isArray(etag) ? etag[0] : etag };
      }
      const body = scrubStoreBody(await readSome(response.body, ERROR_BODY_BYTES), target);
      const { code, message } = parseStoreError(body);
      const requestId = headerOf(response, 'x-amz-request-id');
      const refusal = (hint?: string): DocumentStoreError => new DocumentStoreError({ status, where: where(), code, storeMessage: message, body, requestId, hint });
      if (isExpiredUrl(status, code, message)) {
        if (!options.refresh || refreshed >= MAX_REFRESHES) throw refusal('Feed document URLs expire after 5 minutes: submit the feed again for a fresh one.');
        refreshed += 1;
        target = new URL(await options.refresh());
        continue;
      }
      if (status >= 500 || status === 429) {
        await backOff(`HTTP ${status}${code ? ` ${code}` : ''}`, refusal());
        continue;
      }
      throw refusal(hintFor(status, code, options.contentType));
    }
  } finally {
    if (!options.dispatcher) await dispatcher.destroy().catch(() => undefined);
  }
}

function hintFor(status: number, code: string | undefined, contentType: string): string | undefined {
  if (code === 'SignatureDoesNotMatch') return `The upload must send exactly the Content-Type the feed document was created with (${contentType}); a client that sets its own (text/plain, application/x-www-form-urlencoded) breaks the URL's signature.`;
  if (status === 411) return 'The store needs a Content-Length (S3 refuses chunked uploads).';
  if (status === 400 && code === 'InvalidArgument') return 'The presigned URL carries its own credentials: the upload must not send an Authorization header.';
  if (status === 404 || code === 'NoSuchBucket' || code === 'NoSuchUpload') return 'The feed document does not exist (any more): submit the feed again.';
  return undefined;
}

/** The file's bytes, read afresh for each attempt, counted for the progress bar. */
function fileBody(file: UploadFile, onProgress: UploadOptions['onProgress']): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let sent = 0;
    onProgress?.(0, file.size);
    for await (const chunk of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
      sent += (chunk as Buffer).length;
      onProgress?.(sent, file.size);
      yield chunk as Buffer;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

function headerOf(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function drain(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    for await (const chunk of body) void chunk;
  } catch {
    // the object is stored; the rest of the answer does not matter
  }
}


/** A feed file on disk: stdin spooled into a private temporary file so a failed upload can start over. */
export interface SpooledFile extends UploadFile {
  /** Removes the temporary file (and its directory); safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Copies a stream (stdin) into a temporary file readable only by its owner (0600, in a 0700
 * directory under the system's temporary directory), so its bytes can be checked and uploaded
 * again after a failure. The caller removes it with `remove()`; on failure nothing is left.
 */
export async function spoolToTempFile(input: NodeJS.ReadableStream | AsyncIterable<Buffer>, options: { signal?: AbortSignal | undefined; directory?: string | undefined } = {}): Promise<SpooledFile> {
  const dir = await mkdtemp(join(options.directory ?? tmpdir(), 'spapi-feed-'));
  const path = join(dir, 'feed');
  const remove = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const output = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    if (options.signal) await pipeline(input as NodeJS.ReadableStream, output, { signal: options.signal });
    else await pipeline(input as NodeJS.ReadableStream, output);
    const { size } = await stat(path);
    return { path, size, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
