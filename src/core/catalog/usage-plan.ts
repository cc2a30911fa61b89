/** The default usage plan of an operation as its model states it. */
export interface ParsedUsagePlan {
  /** Requests per second; null when the model prints the `n` placeholder. */
  rate: number | null;
  burst: number | null;
}

/*
 * SP-API models carry rate limits only as a markdown table inside the operation description
 * (spapi-facts §1.2). Three shapes occur: a two-column table, a three-column "Plan type" table whose
 * Default row counts, and tables whose newlines are double-escaped (a literal backslash + n after
 * JSON.parse). Numbers may be written `.5`, hence parseFloat.
 */
const TABLE =
  /\|\s*(?:Plan type\s*\|\s*)?Rate \(requests per second\)\s*\|\s*Burst\s*\|(?:\s|\\n)*\|(?:\s*-+\s*\|)+(?:\s|\\n)*\|\s*(?:Default\s*\|\s*)?(\d*\.?\d+|n)\s*\|\s*(\d*\.?\d+|n)\s*\|/;

// Text that announces a usage-plan table; if it is there, the table must parse.
const ANNOUNCES_TABLE = /Rate \(requests per second\)|\*\*Usage Plans?:\*\*/;

/**
 * Reads the usage-plan table from an operation description.
 * Returns undefined when the description has no table, `{rate: null, burst: null}` for the `n | n`
 * placeholder, and throws an Error when a table is announced but cannot be read, so a new table
 * shape is noticed at generation time instead of silently losing the rate.
 */
export function parseUsagePlan(description: string): ParsedUsagePlan | undefined {
  const match = TABLE.exec(description);
  if (!match) {
    if (ANNOUNCES_TABLE.test(description)) throw new Error('the usage-plan table in the description cannot be parsed');
    return undefined;
  }
  const rate = match[1];
  const burst = match[2];
  if (rate === undefined || burst === undefined || rate === 'n' || burst === 'n') return { rate: null, burst: null };
  return { rate: Number.parseFloat(rate), burst: Number.parseFloat(burst) };
}
