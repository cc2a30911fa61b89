import { describe, expect, it } from 'vitest';
import { charsetOfContentType, chooseCharset, checkCharset, textDecoder } from '../../src/core/documents/charset.js';
import { csvLine, csvLineOfTsv } from '../../src/core/documents/csv.js';
import { JsonRecordScanner } from '../../src/core/documents/json-format.js';
import { LineSplitter } from '../../src/core/documents/lines.js';
import { textFormatter } from '../../src/core/documents/text-formatter.js';
import type { DocumentFormat } from '../../src/core/documents/text-formatter.js';
import { SpapiError, UsageError } from '../../src/core/errors.js';

/** Runs text through a formatter in pieces of `size` characters (1: every split point is tried). */
function convert(format: DocumentFormat, text: string, size = text.length || 1, contentType?: string): string {
  const formatter = textFormatter(format, contentType);
  let out = '';
  for (let i = 0; i < text.length; i += size) out += formatter.write(text.slice(i, i + size));
  return out + formatter.end();
}

/** Every way of cutting `text` in two, plus one character at a time: the output must not depend on chunking. */
function expectChunkingIrrelevant(format: DocumentFormat, text: string, contentType?: string): string {
  const whole = convert(format, text, text.length || 1, contentType);
  expect(convert(format, text, 1, contentType)).toBe(whole);
  for (let cut = 1; cut < text.length; cut += Math.max(1, Math.floor(text.length / 17))) {
    const formatter = textFormatter(format, contentType);
    expect(formatter.write(text.slice(0, cut)) + formatter.write(text.slice(cut)) + formatter.end(), `cut at ${cut}`).toBe(whole);
  }
  return whole;
}

const FLAT = 'sku\tproduct-name\tprice\n' + 'A-1\tMug, "large"\t10.00\n' + 'B-2\tplain\t2.50\n' + 'C-3\tsay "hi"\t\n';

describe('LineSplitter', () => {
  it('splits on LF and CRLF, holds a partial line, and hands out a last line without newline', () => {
    const lines = new LineSplitter();
    expect(lines.write('a\tb\r\nc')).toEqual(['a\tb']);
    expect(lines.write('d\r')).toEqual([]);
    expect(lines.write('\ne\n\nf')).toEqual(['cd', 'e', '']);
    expect(lines.end()).toEqual(['f']);
    expect(lines.end()).toEqual([]);
  });
});

describe('CSV lines', () => {
  it('quotes fields with a comma, quote, tab, CR or LF, doubling quotes (RFC 4180)', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'tab\there', 'line\nbreak', 'cr\r', ''])).toBe('a,"b,c","say ""hi""","tab\there","line\nbreak","cr\r",\n');
    expect(csvLineOfTsv('a\tb\tc')).toBe('a,b,c\n');
    expect(csvLineOfTsv('a\tb,c\t"q"')).toBe('a,"b,c","""q"""\n');
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

  it('raw passes text through unchanged', () => {
    expect(convert('raw', FLAT, 3)).toBe(FLAT);
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

  it('decodes byte by byte without splitting a multi-byte character, and drops a BOM', () => {
    const cases: Array<[string, Buffer, string]> = [
      ['shift_jis', Buffer.from('8365835883678fa49569', 'hex'), 'テスト商品'],
      ['windows-31j', Buffer.from('8365835883678fa49569', 'hex'), 'テスト商品'],
      ['cp1252', Buffer.from('4dfc6c6c657220962031302080', 'hex'), 'Müller – 10 €'],
      ['utf-8', Buffer.from('\ufeffMüller – 10 €, テスト', 'utf8'), 'Müller – 10 €, テスト'],
    ];
    for (const [charset, bytes, text] of cases) {
      const decoder = textDecoder(charset);
      let out = '';
      for (const byte of bytes) out += decoder.write(Buffer.from([byte]));
      expect(out + decoder.end(), charset).toBe(text);
    }
  });
});
