/** What downloadDocument writes: the document as sent, or its records as CSV, a JSON array or JSON Lines. */
export type DocumentFormat = 'raw' | 'csv' | 'json' | 'ndjson';
export type RecordFormat = Exclude<DocumentFormat, 'raw'>;

export const DOCUMENT_FORMATS: readonly DocumentFormat[] = ['raw', 'csv', 'json', 'ndjson'];

/** UTF-8 bytes in, output bytes out, chunk by chunk; end() flushes what is held back. */
export interface TextFormatter {
  write(chunk: Buffer): Buffer | undefined;
  end(): Buffer | undefined;
}
