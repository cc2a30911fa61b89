import { getPath } from '../core/paginate.js';
import type { IO } from './io.js';

export type OutputFormat = 'json' | 'ndjson' | 'table' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'ndjson', 'table', 'csv'];

/** A TTY gets the human form, a pipe the data form (design §2). */
export function pickFormat(requested: string | undefined, io: IO, human: OutputFormat = 'table'): OutputFormat {
  if (requested && (OUTPUT_FORMATS as readonly string[]).includes(requested)) return requested as OutputFormat;
  return io.stdoutIsTTY ? human : 'json';
}

export interface Column {
  header: string;
  /** Dotted path into each row. */
  path: string;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Columns for rows nobody described: every scalar key seen, in first-seen order. */
export function inferColumns(rows: unknown[]): Column[] {
  const keys: string[] = [];
  for (const row of rows) {
    if (row && typeof row === 'object') for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  }
  return keys.map((key) => ({ header: key, path: key }));
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function renderTable(rows: unknown[], columns: Column[], io: IO): Promise<void> {
  // cli-table3 is CommonJS: its constructor arrives as the default export.
  const Table = ((await import('cli-table3')) as unknown as { default: typeof import('cli-table3') }).default;
  const table = new Table({
    head: columns.map((c) => c.header),
    style: { head: io.color ? ['bold'] : [], border: io.color ? ['grey'] : [] },
  });
  for (const row of rows) table.push(columns.map((c) => cell(getPath(row, c.path))));
  io.out(`${table.toString()}\n`);
}

/**
 * Renders rows in the chosen format. `document` is what JSON output prints (the API's own shape);
 * `rows` + `columns` drive table, csv and ndjson.
 */
export async function render(io: IO, format: OutputFormat, document: unknown, rows: unknown[], columns?: Column[]): Promise<void> {
  const cols = columns ?? inferColumns(rows);
  switch (format) {
    case 'json':
      io.out(`${JSON.stringify(document, null, io.stdoutIsTTY ? 2 : undefined)}\n`);
      return;
    case 'ndjson':
      for (const row of rows) io.out(`${JSON.stringify(row)}\n`);
      return;
    case 'csv':
      io.out(`${cols.map((c) => csvField(c.header)).join(',')}\n`);
      for (const row of rows) io.out(`${cols.map((c) => csvField(cell(getPath(row, c.path)))).join(',')}\n`);
      return;
    case 'table':
      if (rows.length === 0) {
        io.err('no results');
        return;
      }
      await renderTable(rows, cols, io);
  }
}
