import { constants, crc32, deflateRawSync } from 'node:zlib';

/*
 * Gzip built from independently compressed pieces, so a document of several GiB can be served,
 * measured and seeked without compressing it (or holding it) whole.
 *
 * Each piece is raw deflate ending in a full flush: its last block is an empty stored block, so it
 * ends on a byte boundary and refers to nothing before it. Such pieces concatenate into one valid
 * deflate stream (the technique pigz uses); a final empty block closes it. The gzip trailer needs
 * the CRC-32 of the whole content, which crc32Combine() derives from the pieces' CRCs.
 */

/** Gzip header: magic, deflate, no flags, mtime 0, no extra flags, OS 3 (Unix) like Node's zlib. */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
/** A final fixed-Huffman block holding only end-of-block: closes a stream of flushed pieces. */
export const DEFLATE_END = Buffer.from([0x03, 0x00]);

/** Plain bytes compressed on their own; `plainLength` and `crc` describe the plain side. */
export interface GzipPiece {
  deflated: Buffer;
  plainLength: number;
  crc: number;
}

export function compressPiece(plain: Buffer, level = 6): GzipPiece {
  return {
    deflated: plain.length === 0 ? Buffer.alloc(0) : deflateRawSync(plain, { level, finishFlush: constants.Z_FULL_FLUSH }),
    plainLength: plain.length,
    crc: crc32(plain),
  };
}

/** The 8-byte gzip trailer: CRC-32 and length mod 2^32, little-endian. */
export function gzipTrailer(crc: number, plainLength: number): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(plainLength % 2 ** 32, 4);
  return trailer;
}

// CRC-32 arithmetic modulo its polynomial (reflected), after zlib's crc32_combine.
const POLY = 0xedb88320;

function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

// X2N[k] = x^(2^k) mod p(x).
const X2N = ((): Uint32Array => {
  const table = new Uint32Array(32);
  let p = 0x40000000; // x^1
  table[0] = p;
  for (let k = 1; k < 32; k += 1) table[k] = p = multModP(p, p);
  return table;
})();

/** x^(8 * bytes) mod p(x): the operator that shifts a CRC past `bytes` zero bytes. */
function shiftOperator(bytes: number): number {
  let p = 0x80000000; // x^0
  let k = 3;
  // `bytes` may exceed 2^32 (documents of several GiB): halve with arithmetic, not >>.
  for (let n = bytes; n > 0; n = Math.floor(n / 2), k += 1) {
    if (n % 2 === 1) p = multModP(X2N[k & 31] as number, p);
  }
  return p;
}

/** CRC-32 of A followed by B, from crc(A), crc(B) and B's length. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(shiftOperator(lengthB), crcA) ^ crcB) >>> 0;
}

/**
 * crc32Combine() for a fixed length of B, as four byte tables: combining then costs four lookups,
 * which matters when a document is a million pieces of the same size.
 */
export class CrcCombiner {
  private readonly tables: Uint32Array[];

  constructor(lengthB: number) {
    const op = shiftOperator(lengthB);
    this.tables = [0, 8, 16, 24].map((shift) => {
      const table = new Uint32Array(256);
      for (let byte = 0; byte < 256; byte += 1) table[byte] = multModP(op, (byte << shift) >>> 0);
      return table;
    });
  }

  combine(crcA: number, crcB: number): number {
    const [t0, t1, t2, t3] = this.tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    return ((t0[crcA & 0xff] as number) ^ (t1[(crcA >>> 8) & 0xff] as number) ^ (t2[(crcA >>> 16) & 0xff] as number) ^ (t3[crcA >>> 24] as number) ^ crcB) >>> 0;
  }
}
