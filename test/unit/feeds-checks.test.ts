/**
 * The local checks of `spapi feeds submit`, pure: content types by feed type, the retired listings
 * feed types, the charset check with byte offsets, and the JSON_LISTINGS_FEED rules.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { findInvalidText, findInvalidTextInFile, firstInvalidUtf8 } from '../../src/core/feeds/charset-check.js';
import { checkFeedType, contentTypeFor, feedKind, isTextContentType, RETIRED_FEED_TYPES } from '../../src/core/feeds/content-types.js';
import { checkJsonListingsFeed, MAX_LISTINGS_MESSAGES } from '../../src/core/feeds/json-listings-check.js';

describe('contentTypeFor', () => {
  it.each([
    ['JSON_LISTINGS_FEED', undefined, 'application/json'],
    ['JSON_LISTINGS_FEED', 'utf8', 'application/json'],
    ['POST_FLAT_FILE_FULFILLMENT_DATA', undefined, 'text/tab-separated-values; charset=UTF-8'],
    ['POST_FLAT_FILE_FULFILLMENT_DATA', 'ISO-8859-1', 'text/tab-separated-values; charset=ISO-8859-1'],
    ['POST_EXPECTED_SHIP_DATE_SOD_FLAT_FILE', 'Shift_JIS', 'text/tab-separated-values; charset=Shift_JIS'],
    ['POST_ORDER_FULFILLMENT_DATA', undefined, 'text/xml; charset=UTF-8'],
    ['POST_FBA_INBOUND_CARTON_CONTENTS', undefined, 'text/xml; charset=UTF-8'],
    ['UPLOAD_VAT_INVOICE', undefined, 'application/pdf'],
  ])('%s (charset %s) → %s', (feedType, charset, expected) => {
    expect(contentTypeFor(feedType, charset)).toBe(expected);
  });

  it('refuses a JSON feed in another charset than UTF-8', () => {
    expect(() => contentTypeFor('JSON_LISTINGS_FEED', 'cp1252')).toThrow(UsageError);
  });

  it('kinds and text types', () => {
    expect(['JSON_LISTINGS_FEED', 'POST_FLAT_FILE_INVLOADER_DATA', 'POST_PRODUCT_DATA', 'UPLOAD_VAT_INVOICE'].map(feedKind)).toEqual(['json', 'flat-file', 'xml', 'pdf']);
    expect(['application/json', 'text/xml; charset=UTF-8', 'text/tab-separated-values', 'application/pdf', 'application/octet-stream'].map(isTextContentType)).toEqual([true, true, true, false, false]);
  });
});

describe('the retired listings feed types', () => {
  it('are twelve, each refused with a pointer to JSON_LISTINGS_FEED unless forced', () => {
    expect(RETIRED_FEED_TYPES).toHaveLength(12);
    expect(RETIRED_FEED_TYPES).toEqual(expect.arrayContaining(['POST_PRODUCT_DATA', 'POST_INVENTORY_AVAILABILITY_DATA', 'POST_FLAT_FILE_INVLOADER_DATA', 'POST_PRODUCT_PRICING_DATA']));
    for (const feedType of RETIRED_FEED_TYPES) {
      expect(() => checkFeedType(feedType)).toThrow(/retired on 2025-07-31/);
      expect(() => checkFeedType(feedType, { force: true })).not.toThrow();
    }
    try {
      checkFeedType('POST_INVENTORY_AVAILABILITY_DATA');
    } catch (error) {
      expect((error as UsageError).hint).toMatch(/JSON_LISTINGS_FEED/);
    }
  });

  it('others pass; a malformed name does not', () => {
    for (const feedType of ['JSON_LISTINGS_FEED', 'POST_ORDER_FULFILLMENT_DATA', 'POST_FLAT_FILE_FULFILLMENT_DATA']) expect(() => checkFeedType(feedType)).not.toThrow();
    expect(() => checkFeedType('json listings')).toThrow(UsageError);
  });
});

const chunks = (...parts: Array<number[] | string>) => Readable.from(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

describe('findInvalidText: the first bad byte, by offset and line', () => {
  it('UTF-8: valid text, split characters across chunks included', async () => {
    const text = Buffer.from('héllo\twörld\n€ 𝄞\n', 'utf8');
    // Every split point, so a character cut between two chunks is never mistaken for a bad one.
    for (let cut = 0; cut <= text.length; cut++) {
      expect(await findInvalidText(Readable.from([text.subarray(0, cut), text.subarray(cut)]), 'UTF-8'), `cut at ${cut}`).toBeUndefined();
    }
  });

  it('UTF-8: a Latin-1 byte in the second chunk, on line 2', async () => {
    expect(await findInvalidText(chunks('sku\tqty\n', 'ABC\t', [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), 'utf8')).toEqual({ offset: 13, line: 2, bytes: 'fc 6c 6c 65' });
  });

  it('UTF-8: truncated at the end of the file, overlong forms and surrogates', async () => {
    expect(await findInvalidText(chunks('ok', [0xe2, 0x82]), 'utf-8')).toMatchObject({ offset: 2 });
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from('ok €', 'utf8'))).toBe(-1);
  });

  it('cp1252: the five undefined bytes are refused, the rest pass', async () => {
    expect(await findInvalidText(chunks([0x80, 0xe4, 0xf6, 0xfc, 0x0a]), 'cp1252')).toBeUndefined();
    expect(await findInvalidText(chunks('a\nb', [0x81]), 'windows-1252')).toEqual({ offset: 3, line: 2, bytes: '81' });
  });

  it('Shift_JIS and windows-31j: valid text split anywhere, then a lead byte without its trail byte', async () => {
    const { encode } = (await import('iconv-lite')).default;
    const text = encode('商品\t在庫\n東京 ｶﾀｶﾅ\n', 'shift_jis');
    for (let cut = 0; cut <= text.length; cut++) {
      expect(await findInvalidText(Readable.from([text.subarray(0, cut), text.subarray(cut)]), 'shift_jis'), `cut at ${cut}`).toBeUndefined();
    }
    const bad = Buffer.concat([encode('在庫\n', 'windows-31j'), Buffer.from([0x41, 0x81, 0x0a])]);
    expect(await findInvalidText(Readable.from([bad]), 'windows-31j')).toEqual({ offset: 6, line: 2, bytes: '81 0a' });
  });

  it('UTF-16LE: an unpaired surrogate', async () => {
    const good = Buffer.from('ab\n', 'utf16le');
    expect(await findInvalidText(Readable.from([good]), 'utf-16le')).toBeUndefined();
    expect(await findInvalidText(Readable.from([good, Buffer.from([0x00, 0xdc])]), 'utf-16le')).toEqual({ offset: 6, line: 2, bytes: '00 dc' });
  });

  it('a file: the same offset and line as the stream, with the bad byte megabytes in (lines counted only then)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spapi-charset-'));
    try {
      const row = 'sku-1\t12\n';
      const rows = Math.ceil((3 * 1024 * 1024) / row.length);
      const bytes = Buffer.concat([Buffer.from(row.repeat(rows)), Buffer.from([0x41, 0xfc, 0x0a]), Buffer.from(row.repeat(10))]);
      const path = join(dir, 'feed.tsv');
      writeFileSync(path, bytes);
      const expected = { offset: rows * row.length + 1, line: rows + 1, bytes: 'fc 0a 73 6b' };
      expect(await findInvalidTextInFile(path, 'UTF-8')).toEqual(expected);
      expect(await findInvalidText(Readable.from([bytes.subarray(0, 1_000_000), bytes.subarray(1_000_000)]), 'UTF-8')).toEqual(expected);
      writeFileSync(path, Buffer.from(row.repeat(rows)));
      expect(await findInvalidTextInFile(path, 'UTF-8')).toBeUndefined();
      writeFileSync(path, Buffer.concat([Buffer.from('ab\ncd\n', 'utf16le'), Buffer.from([0x00, 0xdc])]));
      expect(await findInvalidTextInFile(path, 'UTF-16LE')).toEqual({ offset: 12, line: 3, bytes: '00 dc' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown charset is a usage error', async () => {
    await expect(findInvalidText(chunks('x'), 'klingon')).rejects.toThrow(UsageError);
  });
});

const feed = (messages: unknown, header: unknown = { sellerId: 'AEMULATORSELLER', version: '2.0' }) => Buffer.from(JSON.stringify({ header, messages }));
const patch = (messageId: unknown, sku: unknown = `SKU-${String(messageId)}`) => ({
  messageId,
  sku,
  operationType: 'PATCH',
  productType: 'PRODUCT',
  patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 42 }] }],
});

describe('checkJsonListingsFeed', () => {
  it('accepts a valid inventory PATCH feed and maps message ids to SKUs', () => {
    const check = checkJsonListingsFeed(feed([patch(1, 'EMU-SKU-001'), patch(2, 'EMU-SKU-002'), { messageId: 3, sku: 'OLD', operationType: 'DELETE' }]));
    expect(check.problems).toEqual([]);
    expect(check.messages).toBe(3);
    expect([...check.skus]).toEqual([[1, 'EMU-SKU-001'], [2, 'EMU-SKU-002'], [3, 'OLD']]);
  });

  it('lists every problem at once', () => {
    const check = checkJsonListingsFeed(feed(
      [
        patch(1),
        patch(1),
        patch(0),
        { ...patch(4), sku: '' },
        { messageId: 5, sku: 'A', operationType: 'UPSERT' },
        { messageId: 6, sku: 'B', operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'remove', path: 'fulfillment_availability' }] },
        { messageId: 7, sku: 'C', operationType: 'UPDATE', productType: 'PRODUCT', attributes: {} },
        { messageId: 8, sku: 'D', operationType: 'DELETE', productType: 'PRODUCT' },
        { messageId: 9, sku: 'E', operationType: 'PATCH', patches: [] },
        { messageId: 10, sku: 'F', operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'add', path: '/attributes/list_price' }] },
      ],
      { sellerId: '', version: '1.0' },
    ));
    expect(check.problems).toEqual([
      'header.sellerId: required, the selling partner id (got "")',
      'header.version: must be "2.0" (got "1.0")',
      'messages[1] (messageId 1): messageId 1 is also the id of messages[0]; ids must be unique in the feed',
      'messages[2].messageId: required, a whole number from 1 to 2147483647 (got number 0)',
      'messages[3] (messageId 4).sku: required (got "")',
      'messages[4] (messageId 5).operationType: one of UPDATE, PARTIAL_UPDATE, PATCH, DELETE (got "UPSERT")',
      'messages[5] (messageId 6).patches[0].op: one of add, replace, merge, delete (got "remove") — Amazon says delete where RFC 6902 says remove',
      'messages[5] (messageId 6).patches[0].path: an attribute path such as "/attributes/fulfillment_availability" (got "fulfillment_availability")',
      'messages[6] (messageId 7).attributes: UPDATE needs a non-empty attributes object (got an object)',
      'messages[7] (messageId 8).productType: not allowed in a DELETE message',
      'messages[8] (messageId 9).productType: PATCH needs the product type, e.g. "PRODUCT" (got missing)',
      'messages[8] (messageId 9).patches: PATCH needs a non-empty array of patches {op, path, value} (got an array)',
      'messages[9] (messageId 10).patches[0].value: add needs an array of values, e.g. [{"fulfillment_channel_code": "DEFAULT", "quantity": 42}] (got missing)',
    ]);
  });

  it('invalid JSON names the line and column', () => {
    const check = checkJsonListingsFeed(Buffer.from('{\n  "header": {"sellerId": "A", "version": "2.0"},\n  "messages": [,]\n}'));
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toBe('not valid JSON: value expected at line 3, column 16');
  });

  it('missing header and messages; not an object; a byte-order mark', () => {
    expect(checkJsonListingsFeed(Buffer.from('{}')).problems).toEqual([
      'header: required, an object with sellerId and version "2.0" (got missing)',
      'messages: required, an array of messages (got missing)',
    ]);
    expect(checkJsonListingsFeed(Buffer.from('[]')).problems).toEqual(['the feed must be a JSON object with "header" and "messages", not an array']);
    expect(checkJsonListingsFeed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), feed([patch(1)])])).problems).toEqual([expect.stringMatching(/byte-order mark/)]);
    expect(checkJsonListingsFeed(feed([])).problems).toEqual(['messages: empty; a feed needs at least one message']);
  });

  it(`at most ${MAX_LISTINGS_MESSAGES} messages; past 100 problems the rest are counted`, () => {
    const many = Array.from({ length: MAX_LISTINGS_MESSAGES + 1 }, (_, i) => ({ messageId: i + 1, sku: `S${i}`, operationType: 'DELETE' }));
    expect(checkJsonListingsFeed(feed(many)).problems).toEqual([`messages: ${MAX_LISTINGS_MESSAGES + 1} messages, over Amazon's 25,000 per feed: split the file`]);
    const broken = Array.from({ length: 150 }, () => ({ messageId: 'x', sku: 'S', operationType: 'DELETE' }));
    const problems = checkJsonListingsFeed(feed(broken)).problems;
    expect(problems).toHaveLength(101);
    expect(problems.at(-1)).toBe('… and 50 more problems');
  });
});
