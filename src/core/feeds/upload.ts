import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NetworkError, SpapiError, UsageError } from '../errors.js';
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
  signal?: AbortSignal | undefined;
  /** Bytes of this attempt sent so far, and the file's size. */
  onProgress?: ((sent: number, total: number) => void) | undefined;
  /** Before each new attempt: why, and how long it waits. */
  onRetry?: ((event: { attempt: number; delayMs: number; reason: string }) => void) | undefined;
  /** How long a body of 1 MiB or more waits for the store's "100 Continue" before it is sent anyway (default 1 s). */
  continueWaitMs?: number | undefined;
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
const DROPPED_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_STREAM_PREMATURE_CLOSE']);

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
  let target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new UsageError(`the upload URL must be http(s), not ${target.protocol}`);
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
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    let response: IncomingMessage;
    try {
      response = await putFile(target, file, options);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      if (error instanceof SpapiError) throw error;
      const code = codeOf(error);
      if (code === undefined || !DROPPED_CODES.has(code)) throw new NetworkError(`uploading to ${where()} failed: ${describeError(error)}`, { cause: error });
      await backOff(describeError(error), error);
      continue;
    }
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      await drain(response);
      return { bytes: file.size, attempts: attempt, refreshed, etag: headerOf(response, 'etag') };
    }
    const body = scrubStoreBody(await readSome(response, ERROR_BODY_BYTES), target);
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
}

function hintFor(status: number, code: string | undefined, contentType: string): string | undefined {
  if (code === 'SignatureDoesNotMatch') return `The upload must send exactly the Content-Type the feed document was created with (${contentType}); a client that sets its own (text/plain, application/x-www-form-urlencoded) breaks the URL's signature.`;
  if (status === 411) return 'The store needs a Content-Length (S3 refuses chunked uploads).';
  if (status === 400 && code === 'InvalidArgument') return 'The presigned URL carries its own credentials: the upload must not send an Authorization header.';
  if (status === 404 || code === 'NoSuchBucket' || code === 'NoSuchUpload') return 'The feed document does not exist (any more): submit the feed again.';
  return undefined;
}

/*
 * One PUT of the whole file over node:http(s) rather than undici: undici's request body takes a
 * fresh buffer for every chunk it is given (a 500 MiB upload peaked at 94 MB RSS, against 45 MB
 * for the process without it), while http's write callback says when the socket has taken a
 * chunk, so RING buffers read with positional reads are all the memory an upload of any size uses.
 * Its own connection (agent: false), closed after the answer, so nothing of the SP-API client's
 * keep-alive pool, headers or tokens can come near the document URL.
 */
const CHUNK_BYTES = 256 * 1024;
const RING = 4;
// A store that neither reads nor answers for this long is a dropped connection, retried.
const IDLE_TIMEOUT_MS = 120_000;
/*
 * From this size on the body waits for the store's "100 Continue" (S3 honours Expect, as AWS's
 * SDKs and curl use it): a refusal decided on the headers (403 SignatureDoesNotMatch, an expired
 * URL) then arrives before any of the file is sent, rather than racing it and losing to the EPIPE
 * of a store that closed its side. Smaller bodies fit the socket's buffers and are sent at once.
 */
const EXPECT_CONTINUE_BYTES = 1024 * 1024;
const CONTINUE_WAIT_MS = 1_000;

function putFile(target: URL, file: UploadFile, options: UploadOptions): Promise<IncomingMessage> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const expect = file.size >= EXPECT_CONTINUE_BYTES;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(target, {
      method: 'PUT',
      agent: false,
      headers: { 'content-type': options.contentType, 'content-length': String(file.size), ...(expect ? { expect: '100-continue' } : {}) },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let answered = false;
    let started = false;
    const start = (): void => {
      clearTimeout(fallback);
      if (started || answered || req.destroyed) return;
      started = true;
      writeFile(req, file, options.onProgress, () => answered || req.destroyed).then(
        () => {
          if (!answered && !req.destroyed) req.end();
        },
        (error: unknown) => req.destroy(error as Error),
      );
    };
    // A store that ignores Expect gets the body anyway after a while, as curl does.
    const fallback = expect ? setTimeout(start, options.continueWaitMs ?? CONTINUE_WAIT_MS) : undefined;
    req.on('response', (response) => {
      answered = true;
      clearTimeout(fallback);
      resolve(response);
    });
    req.on('continue', start);
    req.on('error', (error) => {
      clearTimeout(fallback);
      reject(error);
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(Object.assign(new Error(`no progress for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
    if (!expect) start();
  });
}

async function writeFile(req: ClientRequest, file: UploadFile, onProgress: UploadOptions['onProgress'], stopped: () => boolean): Promise<void> {
  const handle = await open(file.path, 'r');
  try {
    const ring = Array.from({ length: RING }, () => Buffer.allocUnsafe(CHUNK_BYTES));
    // A slot is free again when the socket has taken its bytes (or the request is gone).
    const free: Array<Promise<void>> = ring.map(() => Promise.resolve());
    const closed = new Promise<void>((resolve) => req.once('close', resolve));
    onProgress?.(0, file.size);
    let position = 0;
    for (let slot = 0; position < file.size; slot = (slot + 1) % RING) {
      await Promise.race([free[slot], closed]);
      if (stopped()) return;
      const buffer = ring[slot]!;
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, file.size - position), position);
      if (bytesRead === 0) throw changedWhileUploading(file);
      position += bytesRead;
      free[slot] = new Promise<void>((resolve) => req.write(buffer.subarray(0, bytesRead), () => resolve()));
      onProgress?.(position, file.size);
    }
    if ((await handle.stat()).size !== file.size) throw changedWhileUploading(file);
    await Promise.race([Promise.all(free), closed]);
  } finally {
    await handle.close();
  }
}

function changedWhileUploading(file: UploadFile): SpapiError {
  return new SpapiError('usage', `${file.path} changed while it was being uploaded (it is no longer ${file.size} bytes)`, { hint: 'submit the feed again once the file is complete' });
}

function headerOf(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function drain(body: Readable): Promise<void> {
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
