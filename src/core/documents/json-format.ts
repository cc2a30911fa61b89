import { SpapiError } from '../errors.js';
import { cellText, isPlainObject, leafPaths } from '../records.js';
import { csvLine } from './csv.js';
import { BACKSLASH, COMMA, CR, LF, QUOTE, SPACE, TAB } from './byte-writer.js';
import type { RecordFormat } from './formats.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Finds the records of a JSON document as it streams, without parsing it whole: the values of JSON
 * Lines (Data Kiosk's data documents), the values of a pretty-printed or concatenated document (an
 * error document), and the elements of a top-level array (one array: one record per element, so a
 * large array is never held at once). Each record comes out compact (whitespace outside strings
 * removed) with its number literals exactly as written. It only tracks nesting and strings; the
 * records themselves are checked by JSON.parse.
 */
export class JsonRecordScanner {
  private pieces: string[] = [];
  private inRecord = false;
  private scalar = false;
  private inString = false;
  private escaped = false;
  /** Open brackets around the current position. */
  private depth = 0;
  /** The depth records live at: 0, or 1 inside a top-level array. */
  private base = 0;

  constructor(private readonly emit: (record: string) => void) {}

  write(text: string): void {
    let start = 0;
    const finish = (end: number): void => {
      this.pieces.push(text.slice(start, end));
      const record = this.pieces.length === 1 ? (this.pieces[0] as string) : this.pieces.join('');
      this.pieces = [];
      this.inRecord = false;
      this.scalar = false;
      this.emit(record);
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.scalar) finish(i + 1);
        }
        continue;
      }
      if (c === SPACE || c === LF || c === CR || c === TAB) {
        if (!this.inRecord) continue;
        if (this.scalar) {
          finish(i);
          continue;
        }
        if (start < i) this.pieces.push(text.slice(start, i));
        start = i + 1;
        continue;
      }
      if (!this.inRecord) {
        if (this.base === 1 && this.depth === 1 && c === COMMA) continue;
        if (this.base === 1 && this.depth === 1 && c === CLOSE_BRACKET) {
          this.base = 0;
          this.depth = 0;
          continue;
        }
        if (this.depth === 0 && c === OPEN_BRACKET) {
          this.base = 1;
          this.depth = 1;
          continue;
        }
        this.inRecord = true;
        start = i;
        if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth += 1;
        else {
          this.scalar = true;
          this.inString = c === QUOTE;
        }
        continue;
      }
      if (this.scalar) {
        // A bare number, true, false or null inside the top-level array ends at its comma or bracket.
        if (this.base === 1 && (c === COMMA || c === CLOSE_BRACKET)) {
          finish(i);
          i -= 1;
        }
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.depth === this.base) finish(i + 1);
      }
    }
    if (this.inRecord && start < text.length) this.pieces.push(text.slice(start));
  }

  end(): void {
    if (this.inRecord && this.scalar && !this.inString) {
      const record = this.pieces.join('');
      this.pieces = [];
      this.inRecord = false;
      this.emit(record);
    }
    if (this.inRecord || this.base !== 0) throw new SpapiError('api', 'the JSON document ends in the middle of a value');
  }
}

function parse(record: string, index: number): unknown {
  try {
    return JSON.parse(record);
  } catch (error) {
    throw new SpapiError('api', `record ${index} of the JSON document is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

type Path = readonly string[];

function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}


/**
 * A JSON document (JSON Lines, a pretty-printed document, or one array) as `ndjson` (one record a
 * line, passed through as written, only made compact), `json` (the records wrapped in one array)
 * or `csv`. For csv, objects are flattened to dotted columns (`sales.unitsOrdered`), and the
 * columns are those of the FIRST record: the document streams, so later records cannot add
 * columns (a key the first record lacks is dropped, a missing one is an empty cell). A first
 * record that is not an object gives a single `value` column.
 */
export class JsonFormatter {
  private out = '';
  private records = 0;
  private columns: Path[] | undefined;
  private readonly scanner = new JsonRecordScanner((record) => this.record(record));

  constructor(private readonly format: RecordFormat) {}

  write(text: string): string {
    this.scanner.write(text);
    return this.take();
  }

  end(): string {
    this.scanner.end();
    if (this.format === 'json') this.out += this.records === 0 ? '[]\n' : '\n]\n';
    return this.take();
  }

  private take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  private record(record: string): void {
    this.records += 1;
    const value = parse(record, this.records);
    if (this.format === 'ndjson') this.out += `${record}\n`;
    else if (this.format === 'json') this.out += `${this.records === 1 ? '[\n' : ',\n'}${record}`;
    else {
      if (this.columns === undefined) {
        this.columns = isPlainObject(value) ? leafPaths(value) : [];
        this.out += csvLine(this.columns.length > 0 ? this.columns.map((path) => path.join('.')) : ['value']);
      }
      this.out += csvLine(this.columns.length > 0 ? this.columns.map((path) => cellText(at(value, path))) : [cellText(value)]);
    }
  }
}
