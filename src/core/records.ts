/** Records as tables see them (CLI output, documents flattened to CSV): the one flattening rule. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Paths of an object's leaves: nested objects are walked (`sales.orderedProductSales.amount`), arrays stay whole. */
export function leafPaths(value: Record<string, unknown>, prefix: readonly string[] = []): string[][] {
  const paths: string[][] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, key];
    if (isPlainObject(child) && Object.keys(child).length > 0) paths.push(...leafPaths(child, path));
    else paths.push(path);
  }
  return paths;
}

/** A cell's text: empty for null or missing, JSON for arrays and objects, else the value. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
