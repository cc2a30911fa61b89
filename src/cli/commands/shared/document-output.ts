import type { Command, OptionValues } from '@commander-js/extra-typings';
import { UsageError } from '../../../core/errors.js';
import type { Factory } from '../../factory.js';
import { formatBytes } from '../../io.js';

export const DOCUMENT_FORMATS = ['raw', 'csv', 'json', 'ndjson'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** The flags every command that saves a document takes. */
export interface DocumentOutputOptions {
  out: string;
  format: string;
  encoding: string;
}

/** Adds --out, --format and --encoding to a command that saves a document. */
export function documentOutputFlags<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(command: Command<Args, Opts, Globals>) {
  return command
    .option('--out <file|->', 'where the document goes: a file (written atomically) or - for stdout', '-')
    .option('--format <format>', 'raw (the bytes as Amazon sent them, decompressed), csv, json or ndjson (flat files converted, streamed)', 'raw')
    .option('--encoding <charset>', "the document's charset: auto (the Content-Type's, else the marketplace's usual one), utf8, cp1252, shift_jis, windows-31j, …", 'auto');
}

export function documentFormat(format: string): DocumentFormat {
  if ((DOCUMENT_FORMATS as readonly string[]).includes(format)) return format as DocumentFormat;
  throw new UsageError(`--format ${format}: use ${DOCUMENT_FORMATS.join(', ')}`);
}

/**
 * Checks --format and --encoding before anything is sent, so a typo costs no createReport (whose
 * quota is one a minute).
 */
export async function checkDocumentOutput(options: DocumentOutputOptions): Promise<void> {
  documentFormat(options.format);
  if (options.encoding === 'auto') return;
  const { checkCharset } = await import('../../../core/documents/index.js');
  checkCharset(options.encoding, '--encoding');
}

/**
 * Downloads a document to --out (atomically) or stdout, with a byte progress bar on a terminal, and
 * says on stderr what was written. `refresh` fetches a fresh URL when the five-minute one expires.
 */
export async function saveDocument(
  factory: Factory,
  source: import('../../../core/documents/index.js').DocumentSource,
  options: DocumentOutputOptions & { label: string; defaultCharset?: string | undefined; refresh?: () => Promise<import('../../../core/documents/index.js').DocumentSource> },
  signal: AbortSignal,
): Promise<void> {
  const { downloadDocument } = await import('../../../core/documents/index.js');
  const toStdout = options.out === '-';
  const bar = factory.io.bytes(options.label);
  try {
    const result = await downloadDocument(source, {
      out: toStdout ? factory.printer('raw').byteStream() : options.out,
      format: documentFormat(options.format),
      encoding: options.encoding,
      ...(options.defaultCharset ? { defaultCharset: options.defaultCharset } : {}),
      ...(options.refresh ? { refresh: options.refresh } : {}),
      signal,
      onProgress: (progress) => bar.update(progress.received, progress.total),
    });
    bar.stop();
    const resumed = result.resumes ? `, resumed ${result.resumes}×` : '';
    if (!toStdout) factory.io.err(`wrote ${formatBytes(result.bytesWritten)} to ${options.out} (${options.label}, ${result.charset}${resumed})`);
  } catch (error) {
    bar.stop();
    throw error;
  }
}
