import stringWidth from 'string-width';

/** Two spaces between columns and no borders or row separators: gh's plain table style. */
const GAP = 2;
/** A column is never cut below this many cells (three characters and the ellipsis). */
const MIN_WIDTH = 4;
/** Below this, an optional column makes room for the others instead of everyone being cut. */
const READABLE_WIDTH = 14;

/**
 * How a column gives way when the table is too wide: `key` keeps its full width (an order id cut
 * in half is useless), `optional` is hidden before the others are cut below READABLE_WIDTH,
 * `normal` is cut as needed.
 */
export type ColumnRole = 'key' | 'normal' | 'optional';

export interface TableLayout {
  /** Indexes of the columns shown, in order. */
  shown: number[];
  /** Width of each shown column, in terminal cells. */
  widths: number[];
  /** Indexes of the columns hidden because they did not fit. */
  hidden: number[];
}

/**
 * Widths that fit `available` cells. Each column wants its widest cell; when they do not fit, the
 * widest non-key columns are cut to one common cap (water-filling), so narrow columns keep their
 * full text. Optional columns go (rightmost first) before the cap falls below READABLE_WIDTH; only
 * when every column is at the minimum and still too wide are columns dropped from the right.
 */
export function layoutTable(natural: readonly number[], available: number | undefined, roles: readonly ColumnRole[] = []): TableLayout {
  const all = natural.map((_, i) => i);
  if (available === undefined) return { shown: all, widths: [...natural], hidden: [] };
  let shown = all;
  const role = (i: number): ColumnRole => roles[i] ?? 'normal';
  for (;;) {
    const fit = fitWidths(shown.map((i) => natural[i] ?? 0), shown.map(role), available);
    const optional = [...shown].reverse().find((i) => role(i) === 'optional');
    if (fit && (fit.cap >= READABLE_WIDTH || optional === undefined)) return result(shown, fit.widths, all);
    if (optional !== undefined) shown = shown.filter((i) => i !== optional);
    else if (shown.length > 1) shown = shown.slice(0, -1);
    else return result(shown, [Math.max(MIN_WIDTH, Math.min(natural[shown[0] ?? 0] ?? 0, available))], all);
  }
}

function result(shown: number[], widths: number[], all: number[]): TableLayout {
  return { shown, widths, hidden: all.filter((i) => !shown.includes(i)) };
}

/** Widths for these columns within `available`, key columns whole; undefined when they cannot fit. */
function fitWidths(natural: readonly number[], roles: readonly ColumnRole[], available: number): { widths: number[]; cap: number } | undefined {
  const room = available - GAP * (natural.length - 1);
  const total = natural.reduce((sum, width) => sum + width, 0);
  if (total <= room) return { widths: [...natural], cap: Number.POSITIVE_INFINITY };
  const fixed = natural.reduce((sum, width, i) => sum + (roles[i] === 'key' ? width : 0), 0);
  const flexible = natural.filter((_, i) => roles[i] !== 'key');
  const cap = capFor(flexible, room - fixed);
  if (cap < MIN_WIDTH) return undefined;
  return { widths: natural.map((width, i) => (roles[i] === 'key' ? width : Math.min(width, cap))), cap };
}

/** The largest cap C with sum(min(width, C)) <= room. */
function capFor(widths: readonly number[], room: number): number {
  const sorted = [...widths].sort((a, b) => a - b);
  let used = 0;
  for (let i = 0; i < sorted.length; i++) {
    const rest = sorted.length - i;
    const cap = Math.floor((room - used) / rest);
    if (cap < (sorted[i] ?? 0)) return cap;
    used += sorted[i] ?? 0;
  }
  return sorted.at(-1) ?? 0;
}

// 2026-09-08T00:42:17.436Z → 2026-09-08 00:42Z: a table is read by people; -o csv/json keep the value.
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A cell as a person reads it in a table: one line, date-times to the minute. */
export function tableCell(text: string): string {
  const date = ISO_DATE_TIME.exec(text);
  if (date) return `${date[1]} ${date[2]}${date[3]}`;
  return oneLine(text);
}

/** Cell text on one line: a table row must never wrap, so line breaks and tabs become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

/**
 * The table as text, cut to `available` cells a line (undefined: no limit, e.g. `-o table` into a
 * file). Cells too long for their column end in …; nothing wraps.
 */
export async function renderTable(headers: readonly string[], rows: readonly string[][], options: { available?: number | undefined; bold?: boolean; roles?: readonly ColumnRole[] }): Promise<{ text: string; hidden: string[] }> {
  const cells = rows.map((row) => row.map(tableCell));
  const natural = headers.map((header, i) => Math.max(stringWidth(header), ...cells.map((row) => stringWidth(row[i] ?? ''))));
  const { shown, widths, hidden } = layoutTable(natural, options.available, options.roles);
  // cli-table3 is CommonJS: its constructor arrives as the default export.
  const Table = ((await import('cli-table3')) as unknown as { default: typeof import('cli-table3') }).default;
  const none = '';
  const table = new Table({
    head: shown.map((i) => oneLine(headers[i] ?? '')),
    colWidths: widths,
    wordWrap: false,
    truncate: '…',
    chars: {
      top: none, 'top-mid': none, 'top-left': none, 'top-right': none,
      bottom: none, 'bottom-mid': none, 'bottom-left': none, 'bottom-right': none,
      left: none, 'left-mid': none, mid: none, 'mid-mid': none, right: none, 'right-mid': none,
      middle: ' '.repeat(GAP),
    },
    style: { head: options.bold ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of cells) table.push(shown.map((i) => row[i] ?? ''));
  const text = table.toString().split('\n').map((line) => line.trimEnd()).join('\n');
  return { text: `${text}\n`, hidden: hidden.map((i) => headers[i] ?? '') };
}
