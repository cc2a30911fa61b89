import { Writable } from 'node:stream';
import { SpapiError } from '../errors.js';
import { downloadDocument, type DocumentSource } from './download.js';
import type { DocumentFormat } from './formats.js';
import { FileOutput, StreamOutput } from './output.js';
import { textFormatter } from './text-formatter.js';

/** Error documents are a few hundred bytes; anything near this is not one. */
const SMALL_DOCUMENT_BYTES = 1024 * 1024;

/**
 * A small document (a FATAL report's or query's error document) as text, through the same pipeline
 * (gunzip, charset, no SP-API headers); refused past 1 MiB so a mistaken big one is not buffered.
 */
export async function readSmallDocument(source: DocumentSource, options: { signal?: AbortSignal | undefined } = {}): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > SMALL_DOCUMENT_BYTES) done(new SpapiError('api', `the document is larger than ${SMALL_DOCUMENT_BYTES} bytes: not an error document`));
      else {
        chunks.push(chunk);
        done();
      }
    },
  });
  await downloadDocument(source, { out: sink, encoding: 'utf8', ...(options.signal ? { signal: options.signal } : {}) });
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The reason an error document gives (a FATAL report's or query's): its errorDetails (or a similar
 * field) when it is JSON, else its text on one line, at most 500 characters.
 */
export function errorReason(text: string): string {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['errorDetails', 'reportProcessingError', 'message', 'error']) {
      if (typeof parsed[key] === 'string') return parsed[key];
    }
  } catch {
    // not JSON: the text itself
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** Downloads an error document and returns its reason; undefined when it cannot be read. */
export async function readErrorReason(source: DocumentSource, options: { signal?: AbortSignal | undefined } = {}): Promise<string | undefined> {
  return readSmallDocument(source, options).then(errorReason, () => undefined);
}

/**
 * One output for several JSON Lines documents in a row (Data Kiosk result pages): downloaded raw
 * into `stream`, converted by ONE formatter across all of them (so csv has one header and json
 * one array), and written to a stream or one atomic file.
 */
export interface MultiDocumentOutput {
  /** Where each document goes: downloadDocument's `out`, with format raw. */
  readonly stream: NodeJS.WritableStream;
  /** All documents arrived: the formatter's tail is written and the file appears at its path. */
  commit(): Promise<void>;
  /** Something failed: nothing appears at the path. */
  abort(): Promise<void>;
}

export async function openOutput(target: string | NodeJS.WritableStream, format: DocumentFormat): Promise<MultiDocumentOutput> {
  const file = typeof target === 'string' ? await FileOutput.create(target) : undefined;
  const sink = file ?? new StreamOutput(target as NodeJS.WritableStream, 'stdout');
  const formatter = format === 'raw' ? undefined : textFormatter(format, 'application/x-ndjson');
  const emit = async (bytes: Buffer | undefined): Promise<void> => {
    if (bytes?.length) await sink.write([bytes]);
  };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      emit(formatter ? formatter.write(chunk) : chunk).then(() => done(), done);
    },
  });
  return {
    stream,
    commit: async () => {
      await emit(formatter?.end());
      await file?.commit();
    },
    abort: async () => {
      await file?.discard();
    },
  };
}
