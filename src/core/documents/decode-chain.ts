import { createDecipheriv } from 'node:crypto';
import { once } from 'node:events';
import { Transform, Writable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SpapiError } from '../errors.js';
import type { DocumentOutput } from './output.js';
import { textFormatter } from './text-formatter.js';
import type { DocumentFormat, TextFormatter } from './formats.js';
import { toUtf8 } from './to-utf8.js';
import type { ToUtf8 } from './to-utf8.js';

/** AES-256-CBC key and IV, raw bytes (the legacy 2020-09-04 reports' encryptionDetails). */
export interface Decryption {
  key: Buffer;
  iv: Buffer;
}

/** What happens to the bytes between the wire and the output, decided from the first answer's headers. */
export interface ChainPlan {
  decrypt: Decryption | undefined;
  gunzip: boolean;
  /** Undefined: the bytes go out untouched (raw, no explicit encoding). */
  text: { charset: string; format: DocumentFormat; contentType: string | undefined } | undefined;
}

// zlib's default 16 KiB output chunks mean sixteen times as many writes downstream for a GiB stream.
const GUNZIP_CHUNK_BYTES = 256 * 1024;
// What a stage may hold before the one before it waits: enough for the stages to work side by side.
const STAGE_BUFFER_BYTES = 1024 * 1024;

/**
 * Bytes in a charset → UTF-8 bytes → the output format. The work is deferred to the next turn of
 * the event loop: gunzip hands its output over from inside its own callback and inflates nothing
 * more until that returns, so converting right there would serialise the two; deferred, the
 * threadpool inflates the next piece while the main thread converts this one.
 */
class TextStage extends Transform {
  constructor(
    private readonly utf8: ToUtf8,
    private readonly formatter: TextFormatter | undefined,
  ) {
    super({ readableHighWaterMark: STAGE_BUFFER_BYTES, writableHighWaterMark: STAGE_BUFFER_BYTES });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    setImmediate(() => {
      // Thrown away meanwhile (a restart, an abort): nothing more to do.
      if (this.destroyed) return;
      try {
        this.convert(this.utf8.write(chunk));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    });
  }

  override _flush(callback: (error?: Error | null) => void): void {
    try {
      this.convert(this.utf8.end());
      if (this.formatter) this.out(this.formatter.end());
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private convert(bytes: Buffer | undefined): void {
    if (bytes === undefined) return;
    this.out(this.formatter ? this.formatter.write(bytes) : bytes);
  }

  private out(bytes: Buffer | undefined): void {
    if (bytes !== undefined && bytes.length > 0) this.push(bytes);
  }
}

/** Failures of the document's own bytes (bad gzip, a wrong key): the download itself was fine. */
function contentError(error: unknown): unknown {
  if (error instanceof SpapiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as Error | null)?.message ?? String(error);
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new SpapiError('api', `the document is not valid gzip (${message})`, { cause: error });
  }
  if (typeof code === 'string' && (code.startsWith('ERR_OSSL') || code.startsWith('ERR_CRYPTO'))) {
    return new SpapiError('api', `the document could not be decrypted with its encryptionDetails (${message})`, { cause: error });
  }
  return error;
}

/**
 * One pass of the decoders (decrypt → gunzip → charset and format) into the output. A restart
 * throws a chain away and builds a new one; a resume keeps feeding the same chain, since the bytes
 * of a Range answer continue the same stream (CBC, gzip and the decoders all carry their state).
 */
export class DecodeChain {
  /** Where the wire bytes go in. */
  readonly input: Writable;
  /** Settles when everything went through to the output, or with the first failure. */
  readonly done: Promise<void>;
  private readonly streams: Array<Duplex | Writable>;
  private destroyed = false;

  constructor(plan: ChainPlan, output: DocumentOutput) {
    const stages: Duplex[] = [];
    if (plan.decrypt) {
      const decipher = createDecipheriv('aes-256-cbc', plan.decrypt.key, plan.decrypt.iv);
      stages.push(decipher);
    }
    if (plan.gunzip) stages.push(createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }));
    if (plan.text) {
      const { charset, format, contentType } = plan.text;
      stages.push(new TextStage(toUtf8(charset), format === 'raw' ? undefined : textFormatter(format, contentType)));
    }
    const sink = new Writable({
      highWaterMark: STAGE_BUFFER_BYTES,
      write(chunk: Buffer, _encoding, callback) {
        output.write([chunk]).then(() => callback(), callback);
      },
      writev(chunks, callback) {
        output.write(chunks.map((entry) => entry.chunk as Buffer)).then(() => callback(), callback);
      },
    });
    if (stages.length === 0) {
      this.input = sink;
      this.streams = [sink];
      this.done = finished(sink);
    } else {
      this.input = stages[0] as Duplex;
      this.streams = [...stages, sink];
      this.done = pipeline([...stages, sink]).catch((error: unknown) => {
        throw contentError(error);
      });
    }
    // Failures are read from `done` by whoever awaits it; never an unhandled rejection meanwhile.
    this.done.catch(() => undefined);
  }

  /** Writes one chunk, waiting while the decoders or the output are behind (backpressure). */
  async write(chunk: Buffer): Promise<void> {
    if (this.input.write(chunk)) return;
    try {
      await Promise.race([once(this.input, 'drain'), this.done.then(() => Promise.reject(new Error('the decoders ended early')))]);
    } catch (error) {
      throw contentError(error);
    }
  }

  /** No more input: resolves when the output has everything. */
  async end(): Promise<void> {
    this.input.end();
    await this.done;
  }

  /** Throws the chain away (restart, failure, abort). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const stream of this.streams) stream.destroy();
  }
}
