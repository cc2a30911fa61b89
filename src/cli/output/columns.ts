import type { ColumnRole } from './table.js';
import { getPath } from '../../core/paginate.js';

/** One column of table or csv output: a dotted path into the row, or a derived value. */
export interface Column {
  header: string;
  path?: string;
  value?: (row: unknown) => unknown;
  /** How it gives way in a narrow terminal (table.ts): key columns stay whole, optional ones go first. */
  role?: ColumnRole;
}

export function valueOf(row: unknown, column: Column): unknown {
  if (column.value) return column.value(row);
  return column.path === undefined ? undefined : getPath(row, column.path);
}

/** A cell's text: empty for nothing, JSON for arrays (and objects a column points at), else the value. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Dotted paths of a row's leaves: nested objects become `OrderTotal.Amount`, arrays stay whole. */
export function leafPaths(row: unknown, prefix = ''): string[] {
  if (!isPlainObject(row)) return prefix ? [prefix] : [];
  const paths: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) paths.push(...leafPaths(value, path));
    else paths.push(path);
  }
  return paths;
}

/** Columns for rows nobody described: every leaf path seen, in first-seen order. Scalars get one `value` column. */
export function inferColumns(rows: readonly unknown[]): Column[] {
  const seen = new Set<string>();
  let scalar = false;
  for (const row of rows) {
    if (!isPlainObject(row)) scalar = true;
    for (const path of leafPaths(row)) seen.add(path);
  }
  const columns: Column[] = [...seen].map((path) => ({ header: path, path }));
  return scalar ? [{ header: 'value', value: (row) => (isPlainObject(row) ? undefined : row) }, ...columns] : columns;
}
