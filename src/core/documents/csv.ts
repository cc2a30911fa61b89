// The one CSV rule (CLI tables as CSV, documents converted to CSV): RFC 4180 fields, a field
// with a comma, quote, tab, CR or LF quoted and its quotes doubled, lines ending in \n.
const NEEDS_QUOTES = /[",\t\r\n]/;

/** One CSV field. */
export function csvField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** One CSV line, with its newline. */
export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : ',') + csvField(fields[i] as string);
  return `${line}\n`;
}
