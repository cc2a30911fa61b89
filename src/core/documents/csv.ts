// The CLI's CSV rule (src/cli/output/csv.ts), which core cannot import: RFC 4180 fields, a field
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

// A flat-file line splits on tabs, so its fields hold no tab; when the whole line has no comma,
// quote or CR either, no field needs quotes and the CSV line is the line with commas for tabs.
const LINE_NEEDS_QUOTES = /[",\r]/;

/** A tab-separated line as a CSV line, with its newline. */
export function csvLineOfTsv(line: string): string {
  if (!LINE_NEEDS_QUOTES.test(line)) return `${line.replaceAll('\t', ',')}\n`;
  return csvLine(line.split('\t'));
}
