import type { Dispatcher } from 'undici';
import { NetworkError, UsageError } from '../errors.js';
import { createAgent, undiciRequest } from '../http/transport.js';
import { abortReason, sleep as realSleep } from '../sleep.js';
import type { Sleep } from '../sleep.js';
import { chooseCharset } from './charset.js';
import { DecodeChain } from './decode-chain.js';
import type { ChainPlan } from './decode-chain.js';
import { settingsOf } from './download-options.js';
import type { DocumentSource, DownloadOptions, DownloadResult, Settings } from './download-options.js';
import { FileOutput, StreamOutput } from './output.js';
import type { DocumentOutput } from './output.js';
import { DocumentStoreError, describeUrl, isExpiredUrl, parseStoreError, readSome, scrubStoreBody } from './store-error.js';

export type { DocumentSource, DownloadOptions, DownloadProgress, DownloadResult } from './download-options.js';

const MAX_REDIRECTS = 5;
const ERROR_BODY_BYTES = 64 * 1024;
const MAX_RESUME_DELAY_MS = 5_000;
const EXPIRED_HINT = 'Document URLs expire after 5 minutes: fetch the document again (getReportDocument) for a fresh URL.';

// What a dropped or stalled connection looks like (Node, undici): the download resumes.
const DROPPED_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** No byte for idleTimeoutMs. */
class IdleTimeout extends Error {
  readonly code = 'IDLE_TIMEOUT';
}

/** The body ended before the length the store announced. */
class ShortBody extends Error {
  readonly code = 'SHORT_BODY';
}

function isDropped(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof IdleTimeout || current instanceof ShortBody) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && DROPPED_CODES.has(code)) return true;
  }
  return false;
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * Downloads a report (or Data Kiosk, or feed result) document from its presigned URL into a file
 * or a stream, streamed end to end in constant memory.
 *
 * - A plain GET on its own undici Agent: no x-amz-access-token, no Authorization, no SP-API rate
 *   limiter; redirects are followed only on the same origin. Errors name the URL's origin and path,
 *   never its query (it holds the presigned credentials).
 * - A dropped or stalled connection resumes with `Range: bytes=<received>-` and `If-Range: <ETag>`;
 *   a 200 to that (the document changed) starts over from byte 0, truncating the output.
 * - An expired URL calls `options.refresh()` and continues from the byte reached.
 * - `Content-Encoding: gzip`, else `compressionAlgorithm: 'GZIP'`, is gunzipped, never both;
 *   `encryptionDetails` (legacy) are decrypted first.
 * - `format` and `encoding` convert the text (see DownloadOptions).
 *
 * @throws UsageError for bad options (before any request), DocumentStoreError (kind `api`) for an
 *   HTTP error from the store, NetworkError when the connection keeps failing, the signal's reason
 *   when aborted.
 */
export async function downloadDocument(source: DocumentSource, options: DownloadOptions): Promise<DownloadResult> {
  const settings = settingsOf(source, options);
  const signal = options.signal;
  if (signal?.aborted) throw abortReason(signal);
  const where = describeUrl(new URL(source.url));
  const output: DocumentOutput = typeof options.out === 'string' ? await FileOutput.create(options.out) : new StreamOutput(options.out, where);
  const dispatcher = options.dispatcher ?? createAgent();
  const download = new Download(source, options, settings, output, dispatcher);
  try {
    const result = await download.run();
    await output.commit();
    return result;
  } catch (error) {
    download.stop();
    await output.discard();
    throw signal?.aborted ? abortReason(signal) : error;
  } finally {
    download.stop();
    if (!options.dispatcher) await dispatcher.destroy().catch(() => undefined);
  }
}

type Response = Dispatcher.ResponseData;

/** The state of one download across its attempts. */
class Download {
  private url: URL;
  private received = 0;
  private total: number | undefined;
  /** A strong ETag (or Last-Modified) of the object, for If-Range. */
  private validator: string | undefined;
  private chain: DecodeChain | undefined;
  private contentType: string | undefined;
  private charset: string;
  private failures = 0;
  private redirects = 0;
  private bytesDownloaded = 0;
  private resumes = 0;
  private restarts = 0;
  private refreshed = 0;
  private attempt: AbortController | undefined;
  private readonly sleep: Sleep;
  private readonly onAbort = (): void => {
    this.attempt?.abort(abortReason(this.options.signal));
    this.chain?.destroy();
  };

  constructor(
    private readonly source: DocumentSource,
    private readonly options: DownloadOptions,
    private readonly settings: Settings,
    private readonly output: DocumentOutput,
    private readonly dispatcher: Dispatcher,
  ) {
    this.url = new URL(source.url);
    this.charset = settings.encoding === 'auto' ? chooseCharset('auto', undefined, settings.defaultCharset) : settings.encoding;
    this.sleep = options.sleep ?? realSleep;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private get where(): string {
    return describeUrl(this.url);
  }

  stop(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.chain?.destroy();
  }

  async run(): Promise<DownloadResult> {
    for (;;) {
      this.checkAborted();
      const resuming = this.received > 0;
      let response: Response;
      try {
        response = await this.request(resuming ? { range: `bytes=${this.received}-`, 'if-range': this.validator as string } : {});
      } catch (error) {
        if (!isDropped(error) || this.options.signal?.aborted) throw error;
        await this.backOff(error);
        continue;
      }
      const status = response.statusCode;
      if (status >= 300 && status < 400 && status !== 304) {
        this.followRedirect(response);
        continue;
      }
      if (status !== 200 && status !== 206) {
        if (await this.handleRefusal(response, resuming)) break;
        continue;
      }
      if (!resuming && status === 206 && !/^bytes 0-/.test(header(response, 'content-range') ?? '')) {
        discard(response.body);
        throw new DocumentStoreError({ status, where: this.where, message: `${this.where} answered a plain GET with a part (${header(response, 'content-range') ?? 'no Content-Range'})` });
      }
      if (resuming && status === 200) {
        // If-Range did not match: the object changed (or the store ignores ranges). Start over.
        await this.restart();
      } else if (resuming) {
        const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header(response, 'content-range') ?? '');
        if (Number(range?.[1]) !== this.received) {
          discard(response.body);
          throw new DocumentStoreError({ status, where: this.where, message: `${this.where} answered a Range request for bytes ${this.received}- with ${header(response, 'content-range') ?? 'no Content-Range'}` });
        }
        this.resumes += 1;
      }
      if (this.received === 0) this.begin(response, status);
      if (await this.stream(response)) break;
    }
    await (this.chain as DecodeChain).end();
    this.progress();
    return {
      bytesDownloaded: this.bytesDownloaded,
      bytesWritten: this.output.written,
      charset: this.charset,
      contentType: this.contentType,
      resumes: this.resumes,
      restarts: this.restarts,
      refreshed: this.refreshed,
    };
  }

  private checkAborted(): void {
    if (this.options.signal?.aborted) throw abortReason(this.options.signal);
  }

  /** One GET: only the Range headers this download chose; no credentials of any kind. */
  private async request(headers: Record<string, string>): Promise<Response> {
    const attempt = new AbortController();
    this.attempt = attempt;
    const timer = setTimeout(() => attempt.abort(new IdleTimeout(`no answer from ${this.where} within ${this.settings.idleTimeoutMs} ms`)), this.settings.idleTimeoutMs);
    try {
      return await undiciRequest(this.dispatcher, this.url, { method: 'GET', headers, signal: attempt.signal });
    } catch (error) {
      throw attempt.signal.aborted && !this.options.signal?.aborted ? attempt.signal.reason : error;
    } finally {
      clearTimeout(timer);
    }
  }

  private followRedirect(response: Response): void {
    discard(response.body);
    const location = header(response, 'location');
    const next = location === undefined ? undefined : new URL(location, this.url);
    if (!next || next.origin !== this.url.origin || (this.redirects += 1) > MAX_REDIRECTS) {
      const why = !next ? 'without a Location' : next.origin !== this.url.origin ? `to another host (${next.origin}); not followed` : `more than ${MAX_REDIRECTS} times`;
      throw new DocumentStoreError({ status: response.statusCode, where: this.where, message: `${this.where} answered ${response.statusCode}, a redirect ${why}` });
    }
    this.url = next;
  }

  /**
   * A status other than 200/206: refresh an expired URL, retry a 5xx/429, restart after a 416
   * (unless everything had arrived: then true, done), or throw the store's error.
   */
  private async handleRefusal(response: Response, resuming: boolean): Promise<boolean> {
    const status = response.statusCode;
    const body = scrubStoreBody(await readSome(response.body, ERROR_BODY_BYTES), this.url);
    const { code, message } = parseStoreError(body);
    const requestId = header(response, 'x-amz-request-id');
    const error = (hint?: string): DocumentStoreError => new DocumentStoreError({ status, where: this.where, code, storeMessage: message, body, requestId, hint });
    if (isExpiredUrl(status, code, message)) {
      if (!this.options.refresh) throw error(EXPIRED_HINT);
      if (this.refreshed >= this.settings.maxRefreshes) throw error(`The URL was refreshed ${this.refreshed} times and expired again. ${EXPIRED_HINT}`);
      this.refreshed += 1;
      const fresh = await this.options.refresh();
      this.checkAborted();
      const next = typeof fresh === 'string' ? fresh : fresh?.url;
      if (typeof next !== 'string' || !URL.canParse(next)) throw new UsageError('refresh() must return the document (with its url) or its URL');
      this.url = new URL(next);
      this.redirects = 0;
      return false;
    }
    if (status === 416 && resuming) {
      if (this.total !== undefined && this.received >= this.total) return true;
      await this.restart();
      return false;
    }
    if (status >= 500 || status === 429) {
      await this.backOff(error());
      return false;
    }
    throw error(status === 404 ? 'The document does not exist (any more): check the document id.' : undefined);
  }

  /** The first bytes of the object: keep its validator and size, and build the decoders. */
  private begin(response: Response, status: number): void {
    const etag = header(response, 'etag');
    this.validator = etag !== undefined && etag.startsWith('"') ? etag : header(response, 'last-modified');
    const range = /\/(\d+)$/.exec(header(response, 'content-range') ?? '');
    const length = header(response, 'content-length');
    this.total = status === 206 && range ? Number(range[1]) : length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    this.contentType = header(response, 'content-type');
    const encodings = (header(response, 'content-encoding') ?? '')
      .split(',')
      .map((value) => value.trim().toLowerCase())
      .filter((value) => value !== '' && value !== 'identity');
    if (encodings.some((value) => value !== 'gzip' && value !== 'x-gzip') || encodings.length > 1) {
      discard(response.body);
      throw new DocumentStoreError({ status, where: this.where, message: `${this.where} sent Content-Encoding: ${encodings.join(', ')}, which is not supported (only gzip)` });
    }
    const { encoding, format, defaultCharset } = this.settings;
    this.charset = chooseCharset(encoding, this.contentType, defaultCharset);
    const plan: ChainPlan = {
      decrypt: this.settings.decrypt,
      // Content-Encoding: gzip from the store, else compressionAlgorithm: the same gzip layer, never both
      // (Data Kiosk has no compressionAlgorithm and relies on Content-Encoding alone).
      gunzip: encodings.length === 1 || this.source.compressionAlgorithm === 'GZIP',
      text: format === 'raw' && encoding === 'auto' ? undefined : { charset: this.charset, format, contentType: this.contentType },
    };
    this.chain = new DecodeChain(plan, this.output);
  }

  /** Streams a body into the decoders. True when the object is complete; false after a drop (resume next). */
  private async stream(response: Response): Promise<boolean> {
    const chain = this.chain as DecodeChain;
    const attempt = this.attempt as AbortController;
    const chunks = response.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await this.nextChunk(chunks, attempt);
        } catch (error) {
          if (!isDropped(error) || this.options.signal?.aborted) throw error;
          await this.backOff(error);
          if (this.validator === undefined) await this.restart();
          return false;
        }
        if (next.done) break;
        const chunk = next.value;
        this.received += chunk.length;
        this.bytesDownloaded += chunk.length;
        await chain.write(chunk);
        this.progress();
      }
    } finally {
      discard(response.body);
    }
    if (this.total !== undefined && this.received < this.total) {
      await this.backOff(new ShortBody(`the body ended at byte ${this.received} of ${this.total}`));
      if (this.validator === undefined) await this.restart();
      return false;
    }
    return true;
  }

  /** The next chunk, or an IdleTimeout when none comes in time (time spent waiting on the output is not counted). */
  private nextChunk(chunks: AsyncIterator<Buffer>, attempt: AbortController): Promise<IteratorResult<Buffer>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new IdleTimeout(`no data from ${this.where} for ${this.settings.idleTimeoutMs} ms`);
        attempt.abort(error);
        reject(error);
      }, this.settings.idleTimeoutMs);
    });
    return Promise.race([chunks.next(), timeout]).finally(() => clearTimeout(timer));
  }

  /** Starts over from byte 0: new decoders, an empty output. */
  private async restart(): Promise<void> {
    this.chain?.destroy();
    this.chain = undefined;
    await this.output.reset();
    this.received = 0;
    this.total = undefined;
    this.validator = undefined;
    this.restarts += 1;
  }

  /** Counts a failure against maxResumes, then waits a little (doubling) before the next attempt. */
  private async backOff(error: unknown): Promise<void> {
    this.failures += 1;
    if (this.failures > this.settings.maxResumes) {
      if (error instanceof DocumentStoreError) throw error;
      throw new NetworkError(`downloading ${this.where} failed after ${this.settings.maxResumes} resumes: ${describeError(error)}`, {
        cause: error,
        hint: 'Check the connection and download again (the URL may have to be fetched again: it expires after 5 minutes).',
      });
    }
    const delay = Math.min(this.settings.resumeDelayMs * 2 ** (this.failures - 1), MAX_RESUME_DELAY_MS);
    await this.sleep(delay, this.options.signal);
  }

  private progress(): void {
    this.options.onProgress?.({ received: this.received, total: this.total, written: this.output.written });
  }
}

function header(response: Response, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}


/** Throws a body away; undici emits an "aborted" error for it, which nobody needs to hear. */
function discard(body: Response['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}
