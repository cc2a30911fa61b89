import { csvLineOfTsv } from './csv.js';
import { LineSplitter } from './lines.js';
import type { RecordFormat, TextFormatter } from './text-formatter.js';

/**
 * Amazon's flat files (a header line, then tab-separated rows; NOT RFC-quoted: a quote is an
 * ordinary character and no field holds a tab or a newline) as CSV, a JSON array of objects keyed
 * by the header, or one such object a line. Values stay strings: flat files carry no types, and
 * "00123" or "1.50" must survive as written.
 */
export class TsvFormatter implements TextFormatter {
  private readonly lines = new LineSplitter();
  /** `"name":` for each header column, JSON-quoted once. */
  private keys: string[] | undefined;
  private rows = 0;

  constructor(private readonly format: RecordFormat) {}

  write(text: string): string {
    return this.render(this.lines.write(text));
  }

  end(): string {
    const rest = this.render(this.lines.end());
    if (this.format !== 'json') return rest;
    return rest + (this.rows === 0 ? '[]\n' : '\n]\n');
  }

  private render(lines: readonly string[]): string {
    let out = '';
    for (const line of lines) {
      // A line of spaces only is no row (generated files pad with it); a line of tabs is a row of empty fields.
      if (line === '' || (line.charCodeAt(0) === 32 && line.trim() === '')) continue;
      if (this.keys === undefined) {
        this.keys = jsonKeys(line.split('\t'));
        if (this.format === 'csv') out += csvLineOfTsv(line);
        continue;
      }
      if (this.format === 'csv') {
        out += csvLineOfTsv(line);
        continue;
      }
      const object = this.object(line.split('\t'));
      out += this.format === 'ndjson' ? `${object}\n` : `${this.rows === 0 ? '[\n' : ',\n'}${object}`;
      this.rows += 1;
    }
    return out;
  }

  /** A row as a JSON object in header order; a short row gets "" for the missing columns. */
  private object(fields: readonly string[]): string {
    const keys = this.keys as string[];
    let object = '{';
    const count = Math.max(keys.length, fields.length);
    for (let i = 0; i < count; i++) {
      // More fields than the header: named by their position, so nothing is dropped.
      const key = keys[i] ?? `${JSON.stringify(`column${i + 1}`)}:`;
      object += `${i === 0 ? '' : ','}${key}${JSON.stringify(fields[i] ?? '')}`;
    }
    return `${object}}`;
  }
}

/** Each header name as `"name":`; a blank name becomes `columnN`, a repeated one `name_2`, `name_3`… */
function jsonKeys(header: readonly string[]): string[] {
  const used = new Set<string>();
  return header.map((raw, index) => {
    const base = raw.trim() === '' ? `column${index + 1}` : raw;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return `${JSON.stringify(name)}:`;
  });
}
