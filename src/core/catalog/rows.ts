import { getPath } from '../paginate.js';
import type { OperationSpec } from './types.js';

/** The rows of one parsed answer, and the catalog path they were taken from. */
export interface Rows {
  rows: unknown[];
  /** `spec.rows`: where the rows came from; null when the whole body is the row. */
  path: string | null;
}

/**
 * The rows a table or csv shows for a parsed success body of `spec`: the items of the array at
 * `spec.rows`, or the one record found there as a single row. When `spec.rows` is null the whole
 * body is one row. Nothing at the path (an answer carrying only `errors`, a 204) is no rows, not
 * a row of `undefined`.
 */
export function rowsOf(spec: Pick<OperationSpec, 'rows'>, body: unknown): Rows {
  const path = spec.rows;
  if (body === undefined || body === null) return { rows: [], path };
  if (path === null) return { rows: [body], path };
  const value = path === '' ? body : getPath(body, path);
  if (value === undefined || value === null) return { rows: [], path };
  return { rows: Array.isArray(value) ? value : [value], path };
}
