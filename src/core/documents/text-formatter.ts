import { JsonFormatter } from './json-format.js';
import { TsvFormatter } from './tsv-format.js';

/** What downloadDocument writes: the document as sent, or its records as CSV, a JSON array or JSON Lines. */
export type DocumentFormat = 'raw' | 'csv' | 'json' | 'ndjson';
export type RecordFormat = Exclude<DocumentFormat, 'raw'>;

export const DOCUMENT_FORMATS: readonly DocumentFormat[] = ['raw', 'csv', 'json', 'ndjson'];

/** Decoded text in, output text out, chunk by chunk; end() flushes what is held back. */
export interface TextFormatter {
  write(text: string): string;
  end(): string;
}

const IDENTITY: TextFormatter = { write: (text) => text, end: () => '' };

/**
 * The formatter for `format`. A record format looks at the start of the text to tell a JSON
 * document (Data Kiosk's JSON Lines, an error document; its first character is `{` or `[`) from a
 * flat file, unless the Content-Type already says JSON.
 */
export function textFormatter(format: DocumentFormat, contentType: string | undefined): TextFormatter {
  if (format === 'raw') return IDENTITY;
  if (contentType !== undefined && /[/+](json|jsonl|x-ndjson|ndjson)\b/i.test(contentType)) return new JsonFormatter(format);
  return new SniffingFormatter(format);
}

class SniffingFormatter implements TextFormatter {
  private chosen: TextFormatter | undefined;
  private held = '';

  constructor(private readonly format: RecordFormat) {}

  write(text: string): string {
    if (this.chosen) return this.chosen.write(text);
    this.held += text;
    const first = /\S/.exec(this.held);
    if (!first) return '';
    const json = first[0] === '{' || first[0] === '[';
    this.chosen = json ? new JsonFormatter(this.format) : new TsvFormatter(this.format);
    const held = this.held;
    this.held = '';
    return this.chosen.write(held);
  }

  end(): string {
    this.chosen ??= new TsvFormatter(this.format);
    return this.chosen.end();
  }
}
