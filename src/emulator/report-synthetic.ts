import { createHash } from 'node:crypto';
import { encodedLength, encodeText } from './charsets.js';
import type { CharsetEncoding } from './charsets.js';
import type { DocumentBody } from './documents.js';
import { ADJECTIVES, NOUNS, titleForCharset } from './product-titles.js';
import type { FlatFileKind } from './report-content.js';
import { flatFileDate, headerLine, listingRow, PAD_COLUMN } from './report-content.js';
import type { GzipPiece } from './report-gzip.js';
import { compressPiece, crc32Combine, CrcCombiner, DEFLATE_END, GZIP_HEADER, gzipTrailer } from './report-gzip.js';
import { SeededRandom } from '../core/random.js';

/*
 * Report documents of a requested size (reports.size, reportOptions.emulatorSizeBytes): a TSV of
 * exactly that many bytes in the document's charset, deterministic for the seed and document id,
 * never held in memory.
 *
 * The content is the report's header line, then 64 KiB blocks of rows, then a tail block for the
 * remainder. Blocks are drawn from a seeded pool of 64 blocks encoded and compressed once (about
 * 5 MiB in memory per content kind and charset, plain and gzip), in an order derived from the
 * document id. So serving N GiB costs copying pool bytes, the stored length is known before the
 * first byte is sent, and a Range request seeks by arithmetic instead of recompressing its
 * prefix. The price: rows repeat every 64 KiB block of the pool, so a big document holds
 * duplicate rows.
 */

/** Plain bytes per block. */
export const BLOCK_BYTES = 64 * 1024;
const POOL_BLOCKS = 64;
// Any unpadded synthetic row is shorter than this; the last row of a block is padded to fit.
const MAX_ROW_BYTES = 1024;

const VARIANTS = ['Black', 'White', 'Blue', 'Green', '2-Pack', '4-Pack', 'Large', 'Small', '500 ml', '1 l'];
const STATUSES = ['Shipped', 'Shipped', 'Shipped', 'Shipped', 'Unshipped', 'Pending', 'Canceled'];
const PLACES = [
  ['Seattle', 'WA', '98109', 'US'],
  ['Austin', 'TX', '78701', 'US'],
  ['Columbus', 'OH', '43215', 'US'],
  ['Denver', 'CO', '80202', 'US'],
  ['Portland', 'OR', '97201', 'US'],
] as const;
// Synthetic dates fall in 2024, whatever the emulator's clock says.
const YEAR_2024 = Date.UTC(2024, 0, 1);

function syntheticRow(kind: FlatFileKind, random: SeededRandom, serial: string, encoding: CharsetEncoding): string[] {
  const asin = `B0${random.alphanumeric(8)}`;
  // Titles in a language the charset holds (and characters it does not, as `?`), so a client
  // that decodes with the wrong charset shows mojibake in synthetic rows too.
  const words = { adjective: random.int(0, ADJECTIVES.length - 1), noun: random.int(0, NOUNS.length - 1) };
  const title = `${titleForCharset(words, encoding)}, ${random.pick(VARIANTS)}`;
  const priceMinor = random.int(499, 8999);
  const date = YEAR_2024 + random.int(0, 365 * 86_400) * 1000;
  if (kind === 'listings') {
    const afn = random.chance(0.4);
    return listingRow({ sku: `EMU-GEN-${serial}`, asin, title, priceMinor, quantity: random.int(0, 500), afn, openDate: date }, '');
  }
  const quantity = random.int(1, 3);
  const status = random.pick(STATUSES);
  const [city, region, postalCode, country] = random.pick(PLACES);
  const price = priceMinor * quantity;
  return [
    `${random.int(111, 114)}-${random.digits(7)}-${random.digits(7)}`,
    `EMU-GEN-${serial}`,
    flatFileDate(date),
    flatFileDate(date + random.int(0, 7 * 86_400) * 1000),
    status,
    random.chance(0.4) ? 'Amazon' : 'Merchant',
    'Amazon.com',
    '',
    random.pick(['Standard', 'Expedited', 'NextDay']),
    title,
    `EMU-SKU-${String(random.int(1, 999)).padStart(3, '0')}`,
    asin,
    status === 'Canceled' ? 'Cancelled' : status === 'Shipped' ? 'Shipped' : 'Unshipped',
    String(quantity),
    'USD',
    (price / 100).toFixed(2),
    (Math.round(price * 0.07) / 100).toFixed(2),
    '0.00',
    '0.00',
    '',
    '',
    '',
    '',
    city,
    region,
    postalCode,
    country,
    '',
    random.chance(0.1) ? 'true' : 'false',
    '',
    '',
  ];
}

/**
 * Synthetic rows of exactly `target` bytes in `encoding`: whole rows, the last one padded (with
 * one-byte spaces) in its free-text column. A target shorter than one row gives a blank-padded line.
 */
export function fillRows(target: number, random: SeededRandom, kind: FlatFileKind, serial: string, encoding: CharsetEncoding): Buffer {
  const lines: Buffer[] = [];
  let bytes = 0;
  const push = (text: string): void => {
    const encoded = encodeText(text, encoding);
    lines.push(encoded);
    bytes += encoded.length;
  };
  for (let row = 0; bytes < target; row += 1) {
    const fields = syntheticRow(kind, random, `${serial}-${row}`, encoding);
    const line = `${fields.join('\t')}\n`;
    const lineBytes = encodedLength(line, encoding);
    const remaining = target - bytes;
    if (remaining - lineBytes >= MAX_ROW_BYTES) {
      push(line);
      continue;
    }
    if (lineBytes > remaining) {
      push(`${' '.repeat(remaining - 1)}\n`);
      break;
    }
    const pad = PAD_COLUMN[kind];
    fields[pad] = `${fields[pad] ?? ''}${' '.repeat(remaining - lineBytes)}`;
    push(`${fields.join('\t')}\n`);
  }
  return Buffer.concat(lines, bytes);
}

/** One pool block: its plain bytes and their gzip piece. */
export interface PoolBlock extends GzipPiece {
  plain: Buffer;
}

/** The block pools of one seed, one per content kind and charset, built on first use. */
export class SyntheticPools {
  private readonly pools = new Map<string, PoolBlock[]>();

  constructor(private readonly seed: number) {}

  blocks(kind: FlatFileKind, encoding: CharsetEncoding): readonly PoolBlock[] {
    const key = `${kind}\n${encoding}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = [];
      // UTF-8 keeps the seeds it always had; the other charsets draw their own rows.
      const salt = encoding === 'utf-8' ? 0 : encoding === 'windows-1252' ? 0x1252 : 0x0932;
      for (let k = 0; k < POOL_BLOCKS; k += 1) {
        const random = new SeededRandom(mix(this.seed ^ salt, kind === 'orders' ? 0x0dd5 : 0x115e, k));
        const plain = fillRows(BLOCK_BYTES, random, kind, `${k}`, encoding);
        if (plain.length !== BLOCK_BYTES) throw new Error(`synthetic block ${k} has ${plain.length} bytes`);
        pool.push({ ...compressPiece(plain), plain });
      }
      this.pools.set(key, pool);
    }
    return pool;
  }
}

function piece(plain: Buffer): PoolBlock {
  return { ...compressPiece(plain), plain };
}

/** A 32-bit mix of a few integers (murmur3's finaliser); picks pool blocks and seeds. */
function mix(a: number, b: number, c: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35) ^ Math.imul(c + 1, 0x27d4eb2f)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The stored object of a sized document, gzip or plain; see the file comment for the layout. */
export class SizedDocument implements DocumentBody {
  readonly length: number;
  /** Header and tail pieces only; blocks live in the shared pool. */
  readonly memoryBytes: number;
  private readonly head: PoolBlock;
  private readonly tail: PoolBlock;
  private readonly blockCount: number;
  private readonly salt: number;
  private crc: number | undefined;

  constructor(
    private readonly pool: readonly PoolBlock[],
    kind: FlatFileKind,
    readonly plainLength: number,
    documentId: string,
    seed: number,
    encoding: CharsetEncoding,
    private readonly compressed: boolean,
  ) {
    this.salt = createHash('sha256').update(`${seed}\n${documentId}`).digest().readUInt32BE(0);
    const header = Buffer.from(headerLine(kind), 'latin1');
    this.head = piece(header.subarray(0, Math.min(plainLength, header.length)));
    const body = Math.max(0, plainLength - header.length);
    this.blockCount = Math.floor(body / BLOCK_BYTES);
    const rest = body - this.blockCount * BLOCK_BYTES;
    this.tail = piece(fillRows(rest, new SeededRandom(this.salt), kind, 'T', encoding));
    if (compressed) {
      let length = GZIP_HEADER.length + this.head.deflated.length + this.tail.deflated.length + DEFLATE_END.length + 8;
      for (let k = 0; k < this.blockCount; k += 1) length += this.block(k).deflated.length;
      this.length = length;
    } else {
      this.length = plainLength;
    }
    this.memoryBytes = this.head.deflated.length + this.tail.deflated.length + this.head.plain.length + this.tail.plain.length + 256;
  }

  *read(start: number, end: number): Iterable<Buffer> {
    let offset = 0;
    for (const part of this.parts()) {
      const next = offset + part.length;
      if (next > start && part.length > 0) yield part.subarray(Math.max(0, start - offset), Math.min(part.length, end - offset));
      offset = next;
      if (offset >= end) return;
    }
  }

  private *parts(): Iterable<Buffer> {
    if (!this.compressed) {
      yield this.head.plain;
      for (let k = 0; k < this.blockCount; k += 1) yield this.block(k).plain;
      yield this.tail.plain;
      return;
    }
    yield GZIP_HEADER;
    yield this.head.deflated;
    for (let k = 0; k < this.blockCount; k += 1) yield this.block(k).deflated;
    yield this.tail.deflated;
    yield DEFLATE_END;
    yield gzipTrailer(this.contentCrc(), this.plainLength);
  }

  private block(k: number): PoolBlock {
    return this.pool[mix(this.salt, k, 0x5bd1) % this.pool.length] as PoolBlock;
  }

  /** CRC-32 of the whole plain content, from the pieces' CRCs (no pass over the content). */
  private contentCrc(): number {
    if (this.crc === undefined) {
      const combiner = new CrcCombiner(BLOCK_BYTES);
      let crc = this.head.crc;
      for (let k = 0; k < this.blockCount; k += 1) crc = combiner.combine(crc, this.block(k).crc);
      this.crc = crc32Combine(crc, this.tail.crc, this.tail.plainLength);
    }
    return this.crc;
  }
}
