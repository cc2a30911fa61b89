import { describe, expect, it } from 'vitest';
import { charsetOfContentType, chooseCharset, checkCharset } from '../../src/core/documents/charset.js';
import { csvLine } from '../../src/core/documents/csv.js';
import { JsonRecordScanner } from '../../src/core/documents/json-format.js';
import { textFormatter } from '../../src/core/documents/text-formatter.js';
import type { RecordFormat } from '../../src/core/documents/formats.js';
import { toUtf8 } from '../../src/core/documents/to-utf8.js';
import { SpapiError, UsageError } from '../../src/core/errors.js';

/** Runs text (as UTF-8 bytes) through a formatter in pieces of `size` bytes (1: every split point is tried). */
function convert(format: RecordFormat, text: string, size?: number, contentType?: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const formatter = textFormatter(format, contentType);
  const out: Buffer[] = [];
  const step = size ?? (bytes.length || 1);
  for (let i = 0; i < bytes.length; i += step) out.push(formatter.write(bytes.subarray(i, i + step)) ?? Buffer.alloc(0));
  out.push(formatter.end() ?? Buffer.alloc(0));
  return Buffer.concat(out).toString('utf8');
}

/** Cuts of the bytes in two (a sample), and one byte at a time: the output must not depend on chunking. */
function expectChunkingIrrelevant(format: RecordFormat, text: string, contentType?: string): string {
  const whole = convert(format, text, undefined, contentType);
  expect(convert(format, text, 1, contentType)).toBe(whole);
  const bytes = Buffer.from(text, 'utf8');
  for (let cut = 1; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 17))) {
    const formatter = textFormatter(format, contentType);
    const parts = [formatter.write(bytes.subarray(0, cut)), formatter.write(bytes.subarray(cut)), formatter.end()];
    expect(Buffer.concat(parts.map((part) => part ?? Buffer.alloc(0))).toString('utf8'), `cut at ${cut}`).toBe(whole);
  }
  return whole;
}

const FLAT = 'sku\tproduct-name\tprice\n' + 'A-1\tMug, "large"\t10.00\n' + 'B-2\tplain\t2.50\n' + 'C-3\tsay "hi"\t\n';

describe('CSV lines', () => {
  it('quotes fields with a comma, quote, tab, CR or LF, doubling quotes (RFC 4180)', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'tab\there', 'line\nbreak', 'cr\r', ''])).toBe('a,"b,c","say ""hi""","tab\there","line\nbreak","cr\r",\n');
  });
});

describe('flat file (TSV) conversion', () => {
  it('csv: header and rows, quoted where needed, the same for every chunking', () => {
    expect(expectChunkingIrrelevant('csv', FLAT)).toBe('sku,product-name,price\nA-1,"Mug, ""large""",10.00\nB-2,plain,2.50\nC-3,"say ""hi""",\n');
  });

  it('json: one array of objects keyed by the header, values as strings', () => {
    const out = expectChunkingIrrelevant('json', FLAT);
    expect(JSON.parse(out)).toEqual([
      { sku: 'A-1', 'product-name': 'Mug, "large"', price: '10.00' },
      { sku: 'B-2', 'product-name': 'plain', price: '2.50' },
      { sku: 'C-3', 'product-name': 'say "hi"', price: '' },
    ]);
    expect(out.startsWith('[\n{')).toBe(true);
    expect(out.endsWith('}\n]\n')).toBe(true);
  });

  it('ndjson: one object a line', () => {
    const out = expectChunkingIrrelevant('ndjson', FLAT);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ sku: 'A-1', 'product-name': 'Mug, "large"', price: '10.00' });
  });

  it('handles CRLF, a last line without newline, blank lines, short and long rows, blank and repeated header names', () => {
    const text = 'a\t\ta\r\n1\t2\t3\r\n\r\n   \r\n4\r\n5\t6\t7\t8';
    expect(JSON.parse(expectChunkingIrrelevant('json', text))).toEqual([
      { a: '1', column2: '2', a_2: '3' },
      { a: '4', column2: '', a_2: '' },
      { a: '5', column2: '6', a_2: '7', column4: '8' },
    ]);
    expect(expectChunkingIrrelevant('csv', text)).toBe('a,,a\n1,2,3\n4\n5,6,7,8\n');
  });

  it('a row of empty fields is a row; an empty document is [] in json and nothing in csv/ndjson', () => {
    expect(JSON.parse(convert('json', 'a\tb\n\t\n'))).toEqual([{ a: '', b: '' }]);
    expect(convert('json', '')).toBe('[]\n');
    expect(convert('json', 'a\tb\n')).toBe('[]\n');
    expect(convert('csv', '')).toBe('');
    expect(convert('ndjson', '')).toBe('');
  });

  it('multi-byte UTF-8 and JSON escapes survive every chunking; a CR inside a field is quoted in csv, escaped in json', () => {
    const text = 'name\tnote\nテスト商品\tback\\slash\ncafé\tcr\rhere\n';
    expect(expectChunkingIrrelevant('csv', text)).toBe('name,note\nテスト商品,back\\slash\ncafé,"cr\rhere"\n');
    expect(JSON.parse(expectChunkingIrrelevant('json', text))).toEqual([
      { name: 'テスト商品', note: 'back\\slash' },
      { name: 'café', note: 'cr\rhere' },
    ]);
  });
});

describe('JSON documents', () => {
  const records = (text: string, size = text.length): string[] => {
    const found: string[] = [];
    const scanner = new JsonRecordScanner((record) => found.push(record));
    for (let i = 0; i < text.length; i += size) scanner.write(text.slice(i, i + size));
    scanner.end();
    return found;
  };

  it('finds JSON Lines records, compact and with numbers exactly as written, for every chunking', () => {
    const text = '{"a": 1, "b": {"c": "x y"}}\r\n{"a":12345678901234567890,"s":"br}ace\\"q"}\n\n{"a":[1, 2]}';
    const expected = ['{"a":1,"b":{"c":"x y"}}', '{"a":12345678901234567890,"s":"br}ace\\"q"}', '{"a":[1,2]}'];
    expect(records(text)).toEqual(expected);
    expect(records(text, 1)).toEqual(expected);
    expect(records(text, 7)).toEqual(expected);
  });

  it('a pretty-printed document is one record; a top-level array gives one record per element', () => {
    expect(records('{\n  "errorDetails": "Bad",\n  "n": [\n    1\n  ]\n}\n')).toEqual(['{"errorDetails":"Bad","n":[1]}']);
    expect(records('[ {"a":1},\n {"a":2} , 3, "x", [4] ]', 1)).toEqual(['{"a":1}', '{"a":2}', '3', '"x"', '[4]']);
  });

  it('a truncated document is an error', () => {
    expect(() => records('{"a":1}\n{"a":')).toThrow(SpapiError);
    expect(() => records('[{"a":1}')).toThrow(/ends in the middle/);
  });

  const jsonl = '{"date":"2025-01-01","sales":{"amount":1.5,"currency":"USD"},"asins":["B1","B2"],"note":"a,\\"b\\"\\n"}\n{"date":"2025-01-02","sales":{"amount":2},"extra":true}\n';

  it('ndjson passes the lines through; json wraps them in an array', () => {
    expect(expectChunkingIrrelevant('ndjson', jsonl)).toBe(jsonl);
    const out = expectChunkingIrrelevant('json', jsonl);
    expect(JSON.parse(out)).toEqual(jsonl.trim().split('\n').map((line) => JSON.parse(line)));
  });

  it('csv flattens objects to dotted columns taken from the first record', () => {
    expect(expectChunkingIrrelevant('csv', jsonl)).toBe(
      'date,sales.amount,sales.currency,asins,note\n' + '2025-01-01,1.5,USD,"[""B1"",""B2""]","a,""b""\n"\n' + '2025-01-02,2,,,\n',
    );
    expect(convert('csv', '[1, "two", null]')).toBe('value\n1\ntwo\n\n');
  });

  it('JSON is told from a flat file by its first character, or by a JSON Content-Type', () => {
    expect(convert('ndjson', '\n  {"a":1}\n')).toBe('{"a":1}\n');
    expect(convert('ndjson', 'a\tb\n1\t2\n')).toBe('{"a":"1","b":"2"}\n');
    expect(convert('ndjson', '{"a":1}', undefined, 'application/json')).toBe('{"a":1}\n');
    expect(convert('ndjson', '{"a":1}', undefined, 'application/x-ndjson')).toBe('{"a":1}\n');
  });

  it('an invalid record is an error naming it', () => {
    expect(() => convert('ndjson', '{"a":1}\n{"a":tru}\n')).toThrow(/record 2 of the JSON document is not valid JSON/);
  });
});

describe('charsets', () => {
  it('reads charset= from a Content-Type, quoted or not', () => {
    expect(charsetOfContentType('text/tab-separated-values;charset=UTF-8')).toBe('UTF-8');
    expect(charsetOfContentType('text/plain; charset="windows-31j"; foo=bar')).toBe('windows-31j');
    expect(charsetOfContentType('text/plain')).toBeUndefined();
    expect(charsetOfContentType(undefined)).toBeUndefined();
  });

  it('auto: the Content-Type, else the default charset, else UTF-8; an explicit name wins; unknown names are refused', () => {
    expect(chooseCharset('auto', 'text/plain;charset=Cp1252', 'shift_jis')).toBe('Cp1252');
    expect(chooseCharset('auto', 'text/plain', 'shift_jis')).toBe('shift_jis');
    expect(chooseCharset('auto', 'text/plain;charset=klingon', undefined)).toBe('utf-8');
    expect(chooseCharset('auto', undefined, undefined)).toBe('utf-8');
    expect(chooseCharset('euc-jp', 'text/plain;charset=UTF-8', 'cp1252')).toBe('euc-jp');
    for (const name of ['utf8', 'UTF-8', 'cp1252', 'windows-1252', 'shift_jis', 'windows-31j', 'cp932', 'euc-jp', 'latin1']) expect(() => checkCharset(name, 'encoding'), name).not.toThrow();
    expect(() => checkCharset('klingon', 'encoding')).toThrow(UsageError);
  });

  it('converts to UTF-8 in pieces of any size without splitting a multi-byte character, and drops a BOM', () => {
    const cases: Array<[string, Buffer, string]> = [
      ['shift_jis', Buffer.from('8365835883678fa49569', 'hex'), 'テスト商品'],
      ['windows-31j', Buffer.from('8365835883678fa49569', 'hex'), 'テスト商品'],
      ['euc-jp', Buffer.from('a5c6a5b9a5c8bea6c9ca', 'hex'), 'テスト商品'],
      ['cp1252', Buffer.from('4dfc6c6c657220962031302080', 'hex'), 'Müller – 10 €'],
      ['latin1', Buffer.from('4dfc6c6c6572', 'hex'), 'Müller'],
      ['utf-8', Buffer.from('\ufeffMüller – 10 €, テスト', 'utf8'), 'Müller – 10 €, テスト'],
      ['UTF8', Buffer.from('\ufeff', 'utf8'), ''],
    ];
    for (const [charset, bytes, text] of cases) {
      for (const step of [1, 2, 3, bytes.length]) {
        const converter = toUtf8(charset);
        const out: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += step) out.push(converter.write(bytes.subarray(i, i + step)) ?? Buffer.alloc(0));
        out.push(converter.end() ?? Buffer.alloc(0));
        expect(Buffer.concat(out).toString('utf8'), `${charset} in ${step}-byte pieces`).toBe(text);
      }
    }
  });

  it('valid UTF-8 passes through as the same bytes; invalid sequences become U+FFFD', () => {
    const valid = Buffer.from('plain ascii and ünïcödé', 'utf8');
    const passed = toUtf8('utf-8').write(valid);
    expect(passed?.equals(valid)).toBe(true);
    // Not copied: a view of the same memory.
    expect(passed?.buffer).toBe(valid.buffer);
    const converter = toUtf8('utf8');
    const out = Buffer.concat([converter.write(Buffer.from([0x61, 0xff, 0x62, 0xc3])) ?? Buffer.alloc(0), converter.end() ?? Buffer.alloc(0)]);
    expect(out.toString('utf8')).toBe('a\ufffdb\ufffd');
  });
});
