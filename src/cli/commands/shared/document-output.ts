import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { DOCUMENT_FORMATS, type DocumentFormat } from '../../../core/documents/formats.js';
import type { DocumentSource } from '../../../core/documents/index.js';
import type { Factory } from '../../factory.js';
import { formatBytes } from '../../io.js';

/** The flags every command that saves a document takes. */
export interface DocumentOutputOptions {
  out: string;
  format: DocumentFormat;
  encoding: string;
}

/** Adds --out, --format and --encoding to a command that saves a document. */
export function documentOutputFlags<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(command: Command<Args, Opts, Globals>) {
  return command
    .option('--out <file|->', 'where the document goes: a file (written atomically, 0600) or - for stdout', '-')
    .addOption(new Option('--format <format>', 'raw (the bytes as Amazon sent them, decompressed), csv, json or ndjson (flat files converted, streamed)').choices(DOCUMENT_FORMATS).default('raw' as DocumentFormat))
    .option('--encoding <charset>', "the document's charset: auto (the Content-Type's, else the marketplace's usual one), utf8, cp1252, shift_jis, windows-31j, …", 'auto');
}

/**
 * Checks --format and --encoding before anything is sent, so a typo costs no createReport (whose
 * quota is one a minute).
 */
export async function checkDocumentOutput(options: DocumentOutputOptions): Promise<void> {
  const { checkCharset, checkOutputPath } = await import('../../../core/documents/index.js');
  if (options.encoding !== 'auto') checkCharset(options.encoding, '--encoding');
  if (options.out !== '-') await checkOutputPath(options.out);
}

/**
 * Downloads a document to a file (atomically; said on stderr) or a stream (stdout, one output of
 * several Data Kiosk pages), with a byte progress bar on a terminal. `refresh` fetches a fresh URL
 * when the five-minute one expires.
 */
export async function saveDocument(
  factory: Factory,
  source: DocumentSource,
  options: Omit<DocumentOutputOptions, 'out'> & { out: string | NodeJS.WritableStream; label: string; defaultCharset?: string | undefined; refresh?: () => Promise<DocumentSource> },
  signal: AbortSignal,
): Promise<void> {
  const { downloadDocument } = await import('../../../core/documents/index.js');
  const out = options.out === '-' ? factory.printer('raw').byteStream() : options.out;
  const bar = factory.io.bytes(options.label);
  try {
    const result = await downloadDocument(source, {
      out,
      format: options.format,
      encoding: options.encoding,
      ...(options.defaultCharset ? { defaultCharset: options.defaultCharset } : {}),
      ...(options.refresh ? { refresh: options.refresh } : {}),
      signal,
      onProgress: (progress) => bar.update(progress.received, progress.total),
    });
    const resumed = result.resumes ? `, resumed ${result.resumes}×` : '';
    if (typeof out === 'string') factory.io.err(`wrote ${formatBytes(result.bytesWritten)} to ${out} (${options.label}, ${result.charset}${resumed})`);
  } finally {
    bar.stop();
  }
}

/** Runs a lifecycle wait with a spinner ("report 123 (TYPE): IN_PROGRESS, 12 s") on a terminal. */
export async function withStatus<T>(factory: Factory, text: string, wait: (update: (text: string) => void) => Promise<T>): Promise<T> {
  const status = await factory.io.status(text);
  try {
    return await wait((next) => status.update(next));
  } finally {
    status.stop();
  }
}
