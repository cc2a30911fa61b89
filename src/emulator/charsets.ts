/*
 * The character sets report documents come in. Amazon writes flat files with Java encoders and
 * names the charset the Java way in the object's Content-Type: `text/plain; charset=Cp1252` for
 * European and American listing reports (amzn/selling-partner-api-models#2748, #4031,
 * jrl84/amazon-sp-api#144), `windows-31j` for Japanese ones (python-amazon-sp-api maps that label
 * to cp932), UTF-8 for the rest. Java replaces a character its charset cannot hold with `?`, and
 * so do Amazon's documents (selling-partner-api-models#4888: Polish letters arrive as 0x3F); the
 * encoders here do the same.
 *
 * Node cannot encode these charsets. Windows-1252 is Latin-1 but for 27 characters in 0x80-0x9F,
 * listed below (Node 20's TextDecoder decodes that range as Latin-1, so it cannot be asked);
 * windows-31j is TextDecoder's shift_jis table turned around, built on first use.
 */

// Windows-1252's 0x80-0x9F; 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined.
const CP1252_HIGH: Readonly<Record<number, number>> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

/** How the bytes are made: WHATWG encoding names, as TextDecoder knows them. */
export type CharsetEncoding = 'utf-8' | 'windows-1252' | 'shift_jis';

export interface Charset {
  /** The label the document's Content-Type carries, spelled as Amazon (Java) spells it. */
  readonly label: string;
  readonly encoding: CharsetEncoding;
}

export const UTF_8: Charset = { label: 'UTF-8', encoding: 'utf-8' };
export const CP1252: Charset = { label: 'Cp1252', encoding: 'windows-1252' };
export const WINDOWS_31J: Charset = { label: 'windows-31j', encoding: 'shift_jis' };

/** The labels reportOptions.emulatorCharset accepts (any case), each served as written here. */
export const CHARSETS: readonly Charset[] = [
  UTF_8,
  CP1252,
  { label: 'windows-1252', encoding: 'windows-1252' },
  WINDOWS_31J,
  { label: 'Shift_JIS', encoding: 'shift_jis' },
];

export function charsetByLabel(label: string): Charset | undefined {
  const wanted = label.trim().toLowerCase();
  return CHARSETS.find((charset) => charset.label.toLowerCase() === wanted);
}

const QUESTION_MARK = 0x3f;

/** `text` in the charset's bytes; characters it cannot hold become `?`. */
export function encodeText(text: string, encoding: CharsetEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const table = reverseTable(encoding);
  const out = Buffer.allocUnsafe(text.length * 2);
  let length = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) {
      out[length++] = code;
      continue;
    }
    const bytes = table.get(code);
    if (bytes === undefined) out[length++] = QUESTION_MARK;
    else if (bytes > 0xff) {
      out[length++] = bytes >> 8;
      out[length++] = bytes & 0xff;
    } else out[length++] = bytes;
  }
  return out.subarray(0, length);
}

/** The number of bytes `text` takes in the charset (what a byte-exact document must count). */
export function encodedLength(text: string, encoding: CharsetEncoding): number {
  if (encoding === 'utf-8') return Buffer.byteLength(text, 'utf8');
  if (encoding === 'windows-1252') {
    // One byte a character, `?` included; an astral character (two UTF-16 units) is one `?`.
    return [...text].length;
  }
  return encodeText(text, encoding).length;
}

/** Code point -> bytes (one byte, or lead << 8 | trail), for the characters at or above 0x80. */
const tables = new Map<CharsetEncoding, Map<number, number>>();

function reverseTable(encoding: CharsetEncoding): Map<number, number> {
  let table = tables.get(encoding);
  if (table) return table;
  table = new Map();
  if (encoding === 'windows-1252') {
    for (const [byte, code] of Object.entries(CP1252_HIGH)) table.set(code, Number(byte));
    for (let byte = 0xa0; byte <= 0xff; byte += 1) table.set(byte, byte);
    tables.set(encoding, table);
    return table;
  }
  const decoder = new TextDecoder(encoding);
  const add = (bytes: number[], value: number): void => {
    const text = decoder.decode(Uint8Array.from(bytes));
    const code = text.codePointAt(0) ?? 0xfffd;
    // One character, a real one (not a replacement, a C1 control WHATWG passes through, or the
    // private-use area Shift_JIS maps its user-defined rows to), first encoding wins.
    if (text.length !== 1 || code === 0xfffd || (code >= 0x80 && code < 0xa0) || (code >= 0xe000 && code <= 0xf8ff)) return;
    if (!table?.has(code)) table?.set(code, value);
  };
  // Half-width katakana are single bytes; the double-byte rows have these lead and trail bytes.
  for (let byte = 0xa1; byte <= 0xdf; byte += 1) add([byte], byte);
  for (let lead = 0x81; lead <= 0xfc; lead += 1) {
    if (lead > 0x9f && lead < 0xe0) continue;
    for (let trail = 0x40; trail <= 0xfc; trail += 1) {
      if (trail !== 0x7f) add([lead, trail], (lead << 8) | trail);
    }
  }
  tables.set(encoding, table);
  return table;
}
