import type { ColumnRole } from './table.js';
import { getPath } from '../../core/paginate.js';
import { cellText, isPlainObject, leafPaths } from '../../core/records.js';

export { cellText };

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

/** Dotted paths of a row's leaves: nested objects become `OrderTotal.Amount`, arrays stay whole. */
export function dottedLeafPaths(row: unknown): string[] {
  return isPlainObject(row) ? leafPaths(row).map((path) => path.join('.')) : [];
}

/** Columns for rows nobody described: every leaf path seen, in first-seen order. Scalars get one `value` column. */
export function inferColumns(rows: readonly unknown[]): Column[] {
  const seen = new Set<string>();
  let scalar = false;
  for (const row of rows) {
    if (!isPlainObject(row)) scalar = true;
    for (const path of dottedLeafPaths(row)) seen.add(path);
  }
  const columns: Column[] = [...seen].map((path) => ({ header: path, path }));
  return scalar ? [{ header: 'value', value: (row) => (isPlainObject(row) ? undefined : row) }, ...columns] : columns;
}
