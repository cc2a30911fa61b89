import { BACKSLASH, ByteWriter, COMMA, CR, LF, QUOTE, SPACE, TAB, keep } from './byte-writer.js';
import type { RecordFormat, TextFormatter } from './formats.js';

const HEX = '0123456789abcdef';

/**
 * Amazon's flat files (a header line, then tab-separated rows; NOT RFC-quoted: a quote is an
 * ordinary character and no field holds a tab or a newline) as CSV, a JSON array of objects keyed
 * by the header, or one such object a line. Values stay strings: flat files carry no types, and
 * "00123" or "1.50" must survive as written.
 *
 * It works on UTF-8 bytes (the charset is converted before), line by line: `\n` ends a line, a `\r`
 * before it is dropped (CRLF files), the part after the last newline waits for the next chunk and
 * a last line without newline is a row too. Only ASCII bytes (tab, newline, quote, comma,
 * backslash, controls) are looked at, so a multi-byte character is never touched.
 */
export class TsvFormatter implements TextFormatter {
  private held: Buffer | undefined;
  /** For json/ndjson: `{"name":"` then `,"name":"` … per header column, as bytes. */
  private prefixes: Buffer[] | undefined;
  private header = false;
  private rows = 0;
  private readonly out = new ByteWriter(256 * 1024);

  constructor(private readonly format: RecordFormat) {}

  write(chunk: Buffer): Buffer | undefined {
    let from = 0;
    if (this.held !== undefined) {
      // Finish the held line on its own, so the chunk is read in place rather than copied after it.
      const first = chunk.indexOf(LF);
      if (first < 0) {
        this.held = Buffer.concat([this.held, chunk]);
        return undefined;
      }
      const line = Buffer.concat([this.held, chunk.subarray(0, first + 1)]);
      this.held = undefined;
      this.lines(line, 0, line.length);
      from = first + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= from) {
      this.lines(chunk, from, last + 1);
      from = last + 1;
    }
    this.held = keep(chunk.subarray(from));
    return this.out.take();
  }

  end(): Buffer | undefined {
    const rest = this.held;
    this.held = undefined;
    if (rest !== undefined) {
      const line = Buffer.concat([rest, Buffer.from([LF])]);
      this.lines(line, 0, line.length);
    }
    if (this.format === 'json') {
      const close = this.rows === 0 ? '[]\n' : '\n]\n';
      this.out.ensure(close.length);
      this.out.bytes(Buffer.from(close));
    }
    return this.out.take();
  }

  /** Converts the complete lines in data[start, end) (end is just past a newline) into this.out. */
  private lines(data: Buffer, start: number, end: number): void {
    const out = this.out;
    while (!this.header && start < end) {
      const newline = data.indexOf(LF, start);
      const stop = newline > start && data[newline - 1] === CR ? newline - 1 : newline;
      if (!isBlank(data, start, stop)) this.readHeader(data, start, stop, newline + 1, out);
      start = newline + 1;
    }
    if (this.format === 'csv') {
      if (start < end) csvLines(data, start, end, out);
      return;
    }
    while (start < end) {
      const newline = data.indexOf(LF, start);
      const stop = newline > start && data[newline - 1] === CR ? newline - 1 : newline;
      if (!isBlank(data, start, stop)) this.jsonLine(data, start, stop, out);
      start = newline + 1;
    }
  }

  /** The header line is data[start, stop), its newline at next - 1. */
  private readHeader(data: Buffer, start: number, stop: number, next: number, out: ByteWriter): void {
    this.header = true;
    if (this.format === 'csv') {
      csvLines(data, start, next, out);
      return;
    }
    this.prefixes = jsonKeys(data.toString('utf8', start, stop).split('\t')).map((key, i) => Buffer.from(`${i === 0 ? '{' : ','}${key}:"`));
  }

  /** One row as a JSON object in header order; a short row gets "" for the missing columns, extra fields `columnN`. */
  private jsonLine(data: Buffer, start: number, stop: number, out: ByteWriter): void {
    const prefixes = this.prefixes as Buffer[];
    if (this.format === 'json') {
      out.ensure(2);
      out.buf[out.pos++] = this.rows === 0 ? 0x5b : COMMA; // `[` or `,`
      out.buf[out.pos++] = LF;
    }
    this.rows += 1;
    let column = 0;
    let fieldStart = start;
    for (let i = start; i <= stop; i++) {
      if (i < stop && data[i] !== TAB) continue;
      const prefix = prefixes[column] ?? this.extraPrefix(column);
      // Worst case: every byte escaped as \u00XX.
      out.ensure(prefix.length + (i - fieldStart) * 6 + 2);
      out.bytes(prefix);
      jsonEscape(data, fieldStart, i, out);
      out.buf[out.pos++] = QUOTE;
      column += 1;
      fieldStart = i + 1;
    }
    for (; column < prefixes.length; column++) {
      const prefix = prefixes[column] as Buffer;
      out.ensure(prefix.length + 1);
      out.bytes(prefix);
      out.buf[out.pos++] = QUOTE;
    }
    out.ensure(2);
    out.buf[out.pos++] = 0x7d; // `}`
    if (this.format === 'ndjson') out.buf[out.pos++] = LF;
  }

  private extraPrefix(column: number): Buffer {
    const prefixes = this.prefixes as Buffer[];
    for (let n = prefixes.length; n <= column; n++) prefixes.push(Buffer.from(`${n === 0 ? '{' : ','}${JSON.stringify(`column${n + 1}`)}:"`));
    return prefixes[column] as Buffer;
  }
}

/** An empty line, or one of spaces only (generated files pad with it); a line of tabs is a row of empty fields. */
function isBlank(data: Buffer, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (data[i] !== SPACE) return false;
  return true;
}

/**
 * Complete lines data[start, end) (end just past a newline) as CSV lines, in one pass over the
 * bytes (RFC 4180, the CLI's rule): tabs become commas, a field with a comma, quote or CR is
 * quoted and its quotes doubled, a CR before a newline is dropped, a line of spaces is no row.
 * A field is written unquoted as it is read; only when it turns out to need quotes is it shifted
 * by one byte to make room for the opening quote (rare: most fields need none).
 */
function csvLines(data: Buffer, start: number, end: number, out: ByteWriter): void {
  // At most 4 output bytes per input byte (a lone quote becomes """"), plus the newline.
  out.ensure((end - start) * 4 + 1);
  const buf = out.buf;
  let pos = out.pos;
  let lineIn = start;
  let lineOut = pos;
  let fieldStart = pos;
  let quote = false;
  for (let i = start; i < end; i++) {
    const byte = data[i] as number;
    // Letters, digits, '-', '.', ':'… (everything above the comma) are copied: most bytes.
    if (byte > COMMA) {
      buf[pos++] = byte;
      continue;
    }
    if (byte === TAB) {
      if (quote) pos = closeQuoted(buf, fieldStart, pos);
      buf[pos++] = COMMA;
      fieldStart = pos;
      quote = false;
    } else if (byte === LF) {
      const stop = i > lineIn && data[i - 1] === CR ? i - 1 : i;
      if (stop === lineIn || (data[lineIn] === SPACE && isBlank(data, lineIn, stop))) pos = lineOut;
      else {
        if (quote) pos = closeQuoted(buf, fieldStart, pos);
        buf[pos++] = LF;
      }
      lineIn = i + 1;
      lineOut = pos;
      fieldStart = pos;
      quote = false;
    } else if (byte === COMMA) {
      buf[pos++] = COMMA;
      quote = true;
    } else if (byte === QUOTE) {
      buf[pos++] = QUOTE;
      buf[pos++] = QUOTE;
      quote = true;
    } else if (byte === CR) {
      // Dropped before a newline (the region ends with one, so i + 1 exists); elsewhere content to quote.
      if (data[i + 1] !== LF) {
        buf[pos++] = CR;
        quote = true;
      }
    } else buf[pos++] = byte;
  }
  out.pos = pos;
}

/** Wraps buf[fieldStart, pos) in quotes; returns the new end. */
function closeQuoted(buf: Buffer, fieldStart: number, pos: number): number {
  buf.copyWithin(fieldStart + 1, fieldStart, pos);
  buf[fieldStart] = QUOTE;
  buf[pos + 1] = QUOTE;
  return pos + 2;
}

/** A field's bytes inside a JSON string: quote, backslash and control characters escaped, UTF-8 as is. */
function jsonEscape(data: Buffer, start: number, stop: number, out: ByteWriter): void {
  const buf = out.buf;
  let pos = out.pos;
  for (let i = start; i < stop; i++) {
    const byte = data[i] as number;
    if (byte === QUOTE || byte === BACKSLASH) {
      buf[pos++] = BACKSLASH;
      buf[pos++] = byte;
    } else if (byte < 0x20) {
      buf[pos++] = BACKSLASH;
      buf[pos++] = 0x75; // u
      buf[pos++] = 0x30;
      buf[pos++] = 0x30;
      buf[pos++] = HEX.charCodeAt(byte >> 4);
      buf[pos++] = HEX.charCodeAt(byte & 15);
    } else buf[pos++] = byte;
  }
  out.pos = pos;
}

/** Each header name JSON-quoted; a blank name becomes `columnN`, a repeated one `name_2`, `name_3`… */
function jsonKeys(header: readonly string[]): string[] {
  const used = new Set<string>();
  return header.map((raw, index) => {
    const base = raw.trim() === '' ? `column${index + 1}` : raw;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return JSON.stringify(name);
  });
}
