import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { checkCharset, isUtf8Charset, loadIconv } from '../documents/charset.js';

/** Where a file stops being text in its declared charset. */
export interface InvalidText {
  /** Byte offset (0-based) of the first byte of the first invalid (or truncated) sequence. */
  offset: number;
  /** 1-based line of that byte (lines end at LF). */
  line: number;
  /** Up to four bytes from the offset, in hex ("c3 28"), to show what is there. */
  bytes: string;
}

const REPLACEMENT = '\uFFFD';

/**
 * Checks that a stream of bytes is text in `charset`, in constant memory: UTF-8 with Node's native
 * validator (and a byte scan only for the chunk that fails), single-byte charsets (cp1252,
 * ISO-8859-*) with a table of the bytes they leave undefined, ASCII-compatible multi-byte charsets
 * (Shift_JIS, windows-31j, EUC-JP, GBK, Big5…) by decoding between bytes that can only stand
 * alone, UTF-16 by its code units. Returns undefined when it is all valid.
 *
 * @throws UsageError for a charset iconv-lite does not know, or a stateful one (ISO-2022, UTF-7)
 *   that cannot be checked this way.
 */
export function findInvalidText(chunks: AsyncIterable<Buffer>, charset: string): Promise<InvalidText | undefined> {
  return scan(chunks, charset, true);
}

async function scan(chunks: AsyncIterable<Buffer>, charset: string, countLines: boolean): Promise<InvalidText | undefined> {
  checkCharset(charset, '--charset');
  const scanner = scannerFor(charset);
  scanner.countLines = countLines;
  for await (const chunk of chunks) {
    const found = scanner.write(chunk);
    if (found) return found;
  }
  return scanner.end();
}

/**
 * A file's bytes through one reused 1 MiB buffer: a stream allocates a buffer per chunk, which
 * added ~40 MB of RSS and a second of CPU to checking a 500 MiB feed (bench/feeds-upload.mjs).
 * Safe because the scanners copy whatever they keep of a chunk.
 */
async function* fileChunks(path: string, end = Infinity): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (let position = 0; position < end; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * findInvalidText over a file. Lines are counted only once a bad byte is found, by reading the
 * file again up to it: counting the line feeds of every chunk took half of the check's 310 ms on
 * a 500 MiB feed that was valid, as nearly all are.
 */
export async function findInvalidTextInFile(path: string, charset: string): Promise<InvalidText | undefined> {
  const found = await scan(fileChunks(path), charset, false);
  if (!found || found.line > 0) return found;
  let line = 1;
  for await (const chunk of fileChunks(path, found.offset)) line += countNewlines(chunk, 0, chunk.length);
  return { ...found, line };
}

/** Refuses a file that is not text in its declared charset, naming the byte offset and line. */
export async function checkFileCharset(path: string, charset: string, label = path): Promise<void> {
  const invalid = await findInvalidTextInFile(path, charset);
  if (!invalid) return;
  throw new UsageError(`${label} is not ${charset} text: invalid bytes at byte offset ${invalid.offset} (line ${invalid.line}: ${invalid.bytes})`, {
    hint: `declare the file's real charset with --charset (e.g. cp1252, shift_jis), or convert it first: iconv -f <charset> -t ${charset} ${label}`,
  });
}

interface Scanner {
  /** Off: found() reports line 0 and the caller counts (see findInvalidTextInFile). */
  countLines: boolean;
  write(chunk: Buffer): InvalidText | undefined;
  end(): InvalidText | undefined;
}

function scannerFor(charset: string): Scanner {
  const name = charset.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
  if (isUtf8Charset(charset)) return new Utf8Scanner();
  if (name === 'utf16le' || name === 'utf16be' || name === 'utf16' || name === 'ucs2') return new Utf16Scanner(name === 'utf16be' ? 'be' : name === 'utf16le' || name === 'ucs2' ? 'le' : 'bom');
  if (/^(iso2022|utf7|utf32|ucs4|hz)/.test(name)) {
    throw new UsageError(`--charset ${charset}: a feed in a stateful or wide charset cannot be checked; use UTF-8 (or cp1252, Shift_JIS, …)`);
  }
  return SingleByteScanner.of(charset) ?? new MultiByteScanner(charset);
}

/** Counts lines and keeps the offset of the bytes scanned so far. */
abstract class Position {
  countLines = true;
  protected base = 0;
  protected lines = 1;

  protected found(data: Buffer, index: number): InvalidText {
    return { offset: this.base + index, line: this.countLines ? this.lines + countNewlines(data, 0, index) : 0, bytes: hex(data.subarray(index, index + 4)) };
  }

  protected advance(data: Buffer, length: number): void {
    if (this.countLines) this.lines += countNewlines(data, 0, length);
    this.base += length;
  }
}

function countNewlines(data: Buffer, start: number, end: number): number {
  let count = 0;
  for (let at = data.indexOf(0x0a, start); at !== -1 && at < end; at = data.indexOf(0x0a, at + 1)) count++;
  return count;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/** How many bytes at the end of `bytes` begin a UTF-8 character that is not complete yet. */
function incompleteUtf8Tail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * The index of the first byte of the first invalid UTF-8 sequence (overlong forms, surrogates and
 * code points past U+10FFFF included, as WHATWG decoders and Node's isUtf8 judge), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (need === 0 || i + need >= n) return i;
    const second = bytes[i + 1] as number;
    const low = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const high = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k <= need; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

class Utf8Scanner extends Position implements Scanner {
  private held: Buffer | undefined;

  write(chunk: Buffer): InvalidText | undefined {
    const data = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    const tail = incompleteUtf8Tail(data);
    const body = tail ? data.subarray(0, data.length - tail) : data;
    if (!isUtf8(body)) return this.found(body, firstInvalidUtf8(body));
    this.advance(body, body.length);
    this.held = tail ? Buffer.from(data.subarray(data.length - tail)) : undefined;
    return undefined;
  }

  end(): InvalidText | undefined {
    // A character cut off by the end of the file.
    return this.held ? this.found(this.held, 0) : undefined;
  }
}

/** cp1252, ISO-8859-*, KOI8…: one byte, one character; some bytes are undefined. */
class SingleByteScanner extends Position implements Scanner {
  private constructor(private readonly invalid: Uint8Array) {
    super();
  }

  static of(charset: string): SingleByteScanner | undefined {
    const iconv = loadIconv();
    const decode = (bytes: number[]): string => iconv.decode(Buffer.from(bytes), charset.trim(), { stripBOM: false });
    const invalid = new Uint8Array(256);
    for (let byte = 0; byte < 256; byte++) {
      const char = decode([byte]);
      if (char.length !== 1) return undefined;
      // In a multi-byte charset a lead byte takes the next byte with it; in a single-byte one, never.
      if (byte >= 0x80 && decode([byte, 0x41]) !== `${char}A`) return undefined;
      if (char === REPLACEMENT) invalid[byte] = 1;
    }
    return new SingleByteScanner(invalid);
  }

  write(chunk: Buffer): InvalidText | undefined {
    const { invalid } = this;
    for (let i = 0; i < chunk.length; i++) {
      if (invalid[chunk[i] as number]) return this.found(chunk, i);
    }
    this.advance(chunk, chunk.length);
    return undefined;
  }

  end(): undefined {
    return undefined;
  }
}

/**
 * Shift_JIS, windows-31j, EUC-JP, GBK, GB18030, Big5, EUC-KR: decoded in pieces that end just
 * after a byte below 0x30 (tab, LF, space, quotes, commas…), which in each of them is always a
 * character of its own, so every piece decodes on its own. A piece with a U+FFFD is decoded again
 * byte by byte to find where the bad sequence starts.
 */
class MultiByteScanner extends Position implements Scanner {
  private held: Buffer | undefined;

  constructor(private readonly charset: string) {
    super();
  }

  write(chunk: Buffer): InvalidText | undefined {
    const data = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    let cut = data.length;
    while (cut > 0 && (data[cut - 1] as number) >= 0x30) cut--;
    if (cut === 0) {
      this.held = Buffer.from(data);
      return undefined;
    }
    const found = this.scan(data.subarray(0, cut));
    if (found) return found;
    this.held = cut < data.length ? Buffer.from(data.subarray(cut)) : undefined;
    return undefined;
  }

  end(): InvalidText | undefined {
    return this.held ? this.scan(this.held) : undefined;
  }

  private scan(piece: Buffer): InvalidText | undefined {
    const iconv = loadIconv();
    if (!iconv.decode(piece, this.charset.trim(), { stripBOM: false }).includes(REPLACEMENT)) {
      this.advance(piece, piece.length);
      return undefined;
    }
    const decoder = iconv.getDecoder(this.charset.trim(), { stripBOM: false });
    let boundary = 0;
    for (let i = 0; i < piece.length; i++) {
      const out = decoder.write(piece.subarray(i, i + 1));
      if (out.includes(REPLACEMENT)) return this.found(piece, boundary);
      if (out !== '') boundary = i + 1;
    }
    // The piece as a whole had a U+FFFD: a sequence cut off by its end (decoder.end() says so).
    return this.found(piece, boundary);
  }
}

/** UTF-16: code units of two bytes; a high surrogate needs a low one after it, a low one a high one before it. */
class Utf16Scanner extends Position implements Scanner {
  private held: Buffer | undefined;
  private order: 'le' | 'be' | undefined;

  constructor(order: 'le' | 'be' | 'bom') {
    super();
    this.order = order === 'bom' ? undefined : order;
  }

  write(chunk: Buffer): InvalidText | undefined {
    const data = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    if (this.order === undefined) {
      if (data.length < 2) {
        this.held = Buffer.from(data);
        return undefined;
      }
      // UTF-16 without LE/BE: the BOM says, else big-endian (RFC 2781 §4.3).
      this.order = data[0] === 0xff && data[1] === 0xfe ? 'le' : 'be';
    }
    let i = 0;
    for (; i + 1 < data.length; i += 2) {
      const unit = this.order === 'le' ? data.readUInt16LE(i) : data.readUInt16BE(i);
      if (unit >= 0xdc00 && unit <= 0xdfff) return this.found(data, i);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        if (i + 3 >= data.length) break;
        const next = this.order === 'le' ? data.readUInt16LE(i + 2) : data.readUInt16BE(i + 2);
        if (next < 0xdc00 || next > 0xdfff) return this.found(data, i);
        i += 2;
      }
    }
    this.held = i < data.length ? Buffer.from(data.subarray(i)) : undefined;
    this.advanceUnits(data, i);
    return undefined;
  }

  end(): InvalidText | undefined {
    return this.held ? this.found(this.held, 0) : undefined;
  }

  // Lines are always counted here, by code unit: a 0x0a byte in UTF-16 need not be a line feed.
  private advanceUnits(data: Buffer, length: number): void {
    for (let i = 0; i + 1 < length; i += 2) if ((this.order === 'le' ? data.readUInt16LE(i) : data.readUInt16BE(i)) === 0x0a) this.lines++;
    this.base += length;
  }

  protected override found(data: Buffer, index: number): InvalidText {
    let lines = this.lines;
    for (let i = 0; i + 1 < index; i += 2) if ((this.order === 'le' ? data.readUInt16LE(i) : data.readUInt16BE(i)) === 0x0a) lines++;
    return { offset: this.base + index, line: lines, bytes: hex(data.subarray(index, index + 4)) };
  }
}
