import stringWidth from 'string-width';

/** Two spaces between columns and no borders or row separators: gh's plain table style. */
const GAP = 2;
/** A column is never cut below this many cells (three characters and the ellipsis). */
const MIN_WIDTH = 4;

export interface TableLayout {
  /** Width of each shown column, in terminal cells. */
  widths: number[];
  /** Columns dropped from the right because even minimal widths did not fit. */
  hidden: number;
}

/**
 * Widths that fit `available` cells: each column wants its widest cell; when they do not fit, the
 * widest are cut to one common cap (water-filling), so narrow columns keep their full text. Only
 * when every column is at the minimum and still too wide are columns dropped from the right.
 */
export function layoutTable(natural: readonly number[], available: number | undefined): TableLayout {
  if (available === undefined) return { widths: [...natural], hidden: 0 };
  for (let shown = natural.length; shown > 1; shown--) {
    const wanted = natural.slice(0, shown);
    const room = available - GAP * (shown - 1);
    const total = wanted.reduce((sum, width) => sum + width, 0);
    if (total <= room) return { widths: wanted, hidden: natural.length - shown };
    const cap = capFor(wanted, room);
    if (cap >= MIN_WIDTH) return { widths: wanted.map((width) => Math.min(width, cap)), hidden: natural.length - shown };
  }
  return { widths: [Math.max(MIN_WIDTH, Math.min(natural[0] ?? 0, available))], hidden: Math.max(0, natural.length - 1) };
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

/** Cell text on one line: a table row must never wrap, so line breaks and tabs become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

/**
 * The table as text, cut to `available` cells a line (undefined: no limit, e.g. `-o table` into a
 * file). Cells too long for their column end in …; nothing wraps.
 */
export async function renderTable(headers: readonly string[], rows: readonly string[][], options: { available?: number | undefined; bold?: boolean }): Promise<{ text: string; hidden: number }> {
  const cleanRows = rows.map((row) => row.map(oneLine));
  const natural = headers.map((header, i) => Math.max(stringWidth(header), ...cleanRows.map((row) => stringWidth(row[i] ?? ''))));
  const { widths, hidden } = layoutTable(natural, options.available);
  // cli-table3 is CommonJS: its constructor arrives as the default export.
  const Table = ((await import('cli-table3')) as unknown as { default: typeof import('cli-table3') }).default;
  const none = '';
  const table = new Table({
    head: headers.slice(0, widths.length).map(oneLine),
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
  for (const row of cleanRows) table.push(row.slice(0, widths.length));
  const text = table.toString().split('\n').map((line) => line.trimEnd()).join('\n');
  return { text: `${text}\n`, hidden };
}
