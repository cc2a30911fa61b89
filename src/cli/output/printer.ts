import type { IO } from '../io.js';
import { cellText, inferColumns, valueOf, type Column } from './columns.js';
import { csvLine } from '../../core/documents/csv.js';
import type { OutputFormat } from './format.js';

/** Rows written as they arrive (pages of a listing); `end` prints what had to wait for all rows. */
export interface RowWriter {
  write(rows: readonly unknown[]): void;
  /** Always call it, also when the listing failed: rows already fetched are then still printed. */
  end(): Promise<void>;
}

export interface ListOptions {
  columns?: Column[] | undefined;
  /** What `-o json` prints when it is not the rows themselves (the API's own document). */
  document?: unknown;
}

/**
 * The one way commands print data. The format is chosen once, by the factory, from `-o`, the
 * terminal and the command's shape; commands hand over rows, records or API bodies.
 */
export class Printer {
  readonly format: OutputFormat;
  readonly #io: IO;

  constructor(io: IO, format: OutputFormat) {
    this.#io = io;
    this.format = format;
  }

  /** A whole list at once. */
  async list(rows: readonly unknown[], options: ListOptions = {}): Promise<void> {
    if (this.format === 'json') {
      this.#json(options.document === undefined ? rows : options.document);
      return;
    }
    const writer = this.rows(options.columns);
    writer.write(rows);
    await writer.end();
  }

  /** One record: `human` is its terminal form (a report, a description); else a one-row table. */
  async record(value: unknown, options: { columns?: Column[]; human?: () => string } = {}): Promise<void> {
    if (this.format === 'table' && options.human) {
      this.#io.out(options.human());
      return;
    }
    if (this.format === 'json') {
      this.#json(value);
      return;
    }
    await this.list([value], { columns: options.columns });
  }

  /** An API body as the API returned it (`spapi call`): pretty-printed on a terminal only. */
  raw(text: string): void {
    if (text === '') return;
    if (this.#io.stdoutIsTTY) {
      try {
        this.#io.out(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
        return;
      } catch {
        // not JSON: printed as it came
      }
    }
    this.#io.out(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Where a downloaded document's bytes go when they go to stdout (reports, Data Kiosk results). */
  byteStream(): NodeJS.WritableStream {
    return this.#io.stdout;
  }

  /** A document as compact JSON on one line (pages of `call --paginate`). */
  line(value: unknown): void {
    this.#io.out(`${JSON.stringify(value)}\n`);
  }

  /**
   * A streaming listing: ndjson (and csv with known columns) print each row as it comes, so long
   * listings show progress in constant memory; table, json and csv with inferred columns need every
   * row first.
   */
  rows(columns?: Column[]): RowWriter {
    const io = this.#io;
    switch (this.format) {
      case 'ndjson':
        return { write: (rows) => { for (const row of rows) io.out(`${JSON.stringify(row)}\n`); }, end: async () => undefined };
      case 'csv':
        if (columns) {
          io.out(csvLine(columns.map((c) => c.header)));
          return { write: (rows) => { for (const row of rows) io.out(csvLine(columns.map((c) => cellText(valueOf(row, c))))); }, end: async () => undefined };
        }
        return this.#buffered((all) => {
          const inferred = inferColumns(all);
          io.out(csvLine(inferred.map((c) => c.header)));
          for (const row of all) io.out(csvLine(inferred.map((c) => cellText(valueOf(row, c)))));
          return Promise.resolve();
        });
      case 'json':
        return this.#buffered((all) => Promise.resolve(this.#json(all)));
      case 'table':
        return this.#buffered((all) => this.#table(all, columns ?? inferColumns(all)));
    }
  }

  #buffered(flush: (rows: unknown[]) => Promise<void>): RowWriter {
    const all: unknown[] = [];
    let ended = false;
    return {
      write: (rows) => void all.push(...rows),
      end: async () => {
        if (ended) return;
        ended = true;
        await flush(all);
      },
    };
  }

  #json(value: unknown): void {
    this.#io.out(`${JSON.stringify(value, null, this.#io.stdoutIsTTY ? 2 : undefined)}\n`);
  }

  async #table(rows: readonly unknown[], columns: Column[]): Promise<void> {
    if (rows.length === 0) {
      this.#io.err('no results');
      return;
    }
    const cells = rows.map((row) => columns.map((c) => cellText(valueOf(row, c))));
    // string-width and cli-table3 load only when a table is printed: not on --help's path.
    const { renderTable } = await import('./table.js');
    const { text, hidden } = await renderTable(columns.map((c) => c.header), cells, {
      available: this.#io.width,
      bold: this.#io.stdoutIsTTY && this.#io.color,
      roles: columns.map((c) => c.role ?? 'normal'),
    });
    this.#io.out(text);
    if (hidden.length) this.#io.err(`not shown, to fit the terminal: ${hidden.join(', ')} (-o csv shows every column)`);
  }
}
