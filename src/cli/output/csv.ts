/**
 * One CSV line (RFC 4180): a field with a comma, quote, tab, CR or LF is quoted, quotes doubled.
 * Tabs are quoted too, so spreadsheet imports that sniff the delimiter cannot split on them.
 */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map((field) => (/[",\t\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',')}\n`;
}
