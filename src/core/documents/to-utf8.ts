import { isAscii, isUtf8 } from 'node:buffer';
import { ByteWriter, keep, joined } from './byte-writer.js';
import { isUtf8Charset, loadIconv } from './charset.js';

/** Bytes in a charset in, UTF-8 bytes out, chunk by chunk; a character split across chunks waits for the rest. */
export interface ToUtf8 {
  write(chunk: Buffer): Buffer | undefined;
  end(): Buffer | undefined;
}

/** The converter for `charset`: UTF-8 passes through (checked), single-byte charsets use a table, the rest iconv-lite. */
export function toUtf8(charset: string): ToUtf8 {
  if (isUtf8Charset(charset)) return new Utf8Check();
  return SingleByteTable.of(charset) ?? new IconvToUtf8(charset);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** How many bytes at the end of `bytes` begin a UTF-8 character that is not complete yet. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * UTF-8 in, UTF-8 out: the leading BOM dropped, valid text passed through untouched (checked with
 * Node's native isUtf8), invalid sequences replaced with U+FFFD as a decoder would.
 */
class Utf8Check implements ToUtf8 {
  private held: Buffer | undefined;
  private started = false;

  write(chunk: Buffer): Buffer | undefined {
    let data = joined(this.held, chunk);
    if (!this.started) {
      if (data.length < BOM.length && BOM.subarray(0, data.length).equals(data)) {
        this.held = keep(data);
        return undefined;
      }
      this.started = true;
      if (data.subarray(0, BOM.length).equals(BOM)) data = data.subarray(BOM.length);
    }
    const tail = incompleteTail(data);
    this.held = keep(data.subarray(data.length - tail));
    return this.checked(data.subarray(0, data.length - tail));
  }

  end(): Buffer | undefined {
    const rest = this.held;
    this.held = undefined;
    if (!this.started && rest !== undefined && rest.equals(BOM)) return undefined;
    return rest === undefined ? undefined : this.checked(rest);
  }

  private checked(bytes: Buffer): Buffer | undefined {
    if (bytes.length === 0) return undefined;
    return isUtf8(bytes) ? bytes : Buffer.from(bytes.toString('utf8'), 'utf8');
  }
}

/**
 * A single-byte charset (cp1252, latin1, the ISO 8859 family…) as a table from each byte to its
 * UTF-8 bytes, built from iconv-lite's own decoding, so the conversion is one byte loop with no
 * string in between. ASCII-only chunks pass through when the charset keeps ASCII as is.
 */
class SingleByteTable implements ToUtf8 {
  private readonly out = new ByteWriter(64 * 1024);
  /** UTF-8 bytes of the longest character in the table. */
  private readonly longest: number;

  private constructor(
    /** UTF-8 bytes of byte b at [b * 4, b * 4 + lengths[b]). */
    private readonly utf8: Uint8Array,
    private readonly lengths: Uint8Array,
    private readonly asciiSame: boolean,
  ) {
    this.longest = Math.max(...lengths);
  }

  /** The table, or undefined when the charset is not single-byte (Shift_JIS, EUC-JP, UTF-16…). */
  static of(charset: string): SingleByteTable | undefined {
    const iconv = loadIconv();
    const decode = (bytes: number[]): string => iconv.decode(Buffer.from(bytes), charset.trim(), { stripBOM: false });
    const utf8 = new Uint8Array(256 * 4);
    const lengths = new Uint8Array(256);
    const chars: string[] = [];
    for (let byte = 0; byte < 256; byte++) {
      const char = decode([byte]);
      const encoded = Buffer.from(char, 'utf8');
      if (char.length === 0 || encoded.length > 4) return undefined;
      chars.push(char);
      utf8.set(encoded, byte * 4);
      lengths[byte] = encoded.length;
    }
    // In a multi-byte charset a lead byte takes the next byte with it; in a single-byte one, never.
    for (let byte = 0x80; byte < 256; byte++) {
      const char = chars[byte] as string;
      if (decode([byte, 0x41]) !== `${char}A` || decode([byte, byte]) !== char + char) return undefined;
    }
    let asciiSame = true;
    for (let byte = 0; byte < 0x80; byte++) if (chars[byte] !== String.fromCharCode(byte)) asciiSame = false;
    return new SingleByteTable(utf8, lengths, asciiSame);
  }

  write(chunk: Buffer): Buffer | undefined {
    if (chunk.length === 0) return undefined;
    if (this.asciiSame && isAscii(chunk)) return chunk;
    const { out, utf8, lengths, asciiSame } = this;
    // Room for the longest possible result (the scratch buffer is reused), so the loop never checks.
    out.ensure(chunk.length * this.longest);
    const buf = out.buf;
    let pos = out.pos;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (byte < 0x80 && asciiSame) {
        buf[pos++] = byte;
        continue;
      }
      const at = byte * 4;
      const length = lengths[byte] as number;
      buf[pos++] = utf8[at] as number;
      if (length > 1) {
        buf[pos++] = utf8[at + 1] as number;
        if (length > 2) {
          buf[pos++] = utf8[at + 2] as number;
          if (length > 3) buf[pos++] = utf8[at + 3] as number;
        }
      }
    }
    out.pos = pos;
    return out.take();
  }

  end(): Buffer | undefined {
    return undefined;
  }
}

/** Multi-byte charsets (Shift_JIS, windows-31j, EUC-JP…) through iconv-lite's streaming decoder. */
class IconvToUtf8 implements ToUtf8 {
  private readonly decoder: { write(bytes: Buffer): string; end(): string | undefined };

  constructor(charset: string) {
    // stripBOM: a byte-order mark is dropped when decoding.
    this.decoder = loadIconv().getDecoder(charset.trim(), { stripBOM: true });
  }

  write(chunk: Buffer): Buffer | undefined {
    const text = this.decoder.write(chunk);
    return text === '' ? undefined : Buffer.from(text, 'utf8');
  }

  end(): Buffer | undefined {
    const text = this.decoder.end() ?? '';
    return text === '' ? undefined : Buffer.from(text, 'utf8');
  }
}
