/** The output formats, and the one rule that picks a command's format (design §2). */
export type OutputFormat = 'json' | 'ndjson' | 'table' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'ndjson', 'table', 'csv'];

/**
 * What a command prints: `list` (records; line-oriented in a pipe so `| grep` finds records),
 * `record` (one document or report), `raw` (an API body as the API returned it: `spapi call`),
 * `id` (one identifier a script captures with `$(…)`, e.g. the id `reports create` prints).
 */
export type Shape = 'list' | 'record' | 'raw' | 'id';

/**
 * `-o` wins. Otherwise a terminal gets the human form (a table; pretty JSON for raw bodies) and a
 * pipe the data form: one JSON record a line for lists, compact JSON for documents.
 */
export function chooseFormat(requested: OutputFormat | undefined, stdoutIsTTY: boolean, shape: Shape): OutputFormat {
  if (requested) return requested;
  // The human form of an id is the id alone, in a pipe too.
  if (stdoutIsTTY || shape === 'id') return shape === 'raw' ? 'json' : 'table';
  return shape === 'list' ? 'ndjson' : 'json';
}
