import { describe, expect, it } from 'vitest';
import { dottedLeafPaths as leafPaths, inferColumns } from '../../src/cli/output/columns.js';
import { csvLine } from '../../src/core/documents/csv.js';
import { chooseFormat } from '../../src/cli/output/format.js';
import { Printer } from '../../src/cli/output/printer.js';
import { layoutTable, renderTable, tableCell } from '../../src/cli/output/table.js';
import stringWidth from 'string-width';
import { fakeIO } from '../helpers/in-process.js';

describe('chooseFormat: the one rule', () => {
  it.each([
    [undefined, true, 'list', 'table'],
    [undefined, true, 'record', 'table'],
    [undefined, true, 'raw', 'json'],
    [undefined, false, 'list', 'ndjson'],
    [undefined, false, 'record', 'json'],
    [undefined, false, 'raw', 'json'],
    ['csv', true, 'raw', 'csv'],
    ['json', false, 'list', 'json'],
    [undefined, false, 'id', 'table'],
    ['json', false, 'id', 'json'],
  ] as const)('-o %s, tty %s, %s → %s', (requested, tty, shape, format) => {
    expect(chooseFormat(requested, tty, shape)).toBe(format);
  });
});

describe('csvLine quotes what would break a record', () => {
  it.each([
    [['plain', '12.5'], 'plain,12.5\n'],
    [['a,b'], '"a,b"\n'],
    [['say "hi"'], '"say ""hi"""\n'],
    [['tab\there'], '"tab\there"\n'],
    [['two\nlines'], '"two\nlines"\n'],
    [['cr\rlf'], '"cr\rlf"\n'],
    [['', 'x'], ',x\n'],
  ])('%j', (fields, line) => {
    expect(csvLine(fields)).toBe(line);
  });
});

describe('columns: nested objects become dotted columns, arrays stay whole', () => {
  const order = { AmazonOrderId: '1', OrderTotal: { Amount: '9.99', CurrencyCode: 'EUR' }, Items: [1, 2], Empty: {}, Address: { City: 'Köln', Geo: { Lat: 1 } } };
  it('leafPaths', () => {
    expect(leafPaths(order)).toEqual(['AmazonOrderId', 'OrderTotal.Amount', 'OrderTotal.CurrencyCode', 'Items', 'Empty', 'Address.City', 'Address.Geo.Lat']);
  });
  it('inferColumns takes the union in first-seen order', () => {
    expect(inferColumns([{ a: 1 }, { b: { c: 2 } }, { a: 3, d: null }]).map((c) => c.header)).toEqual(['a', 'b.c', 'd']);
  });
  it('scalars get a value column', () => {
    expect(inferColumns(['x', 'y']).map((c) => c.header)).toEqual(['value']);
  });
});

describe('layoutTable fits the terminal by cutting the widest columns first', () => {
  it('keeps natural widths when they fit', () => {
    expect(layoutTable([5, 10, 3], 80)).toEqual({ shown: [0, 1, 2], widths: [5, 10, 3], hidden: [] });
  });
  it('keeps key columns whole and hides optional ones before cutting the rest unreadably short', () => {
    // An 80-column terminal and the orders table: order, created, status, marketplace, fulfilled by, total, currency.
    const layout = layoutTable([19, 17, 17, 11, 12, 6, 8], 80, ['key', 'normal', 'normal', 'optional', 'optional', 'normal', 'normal']);
    expect(layout.shown).toEqual([0, 1, 2, 5, 6]);
    expect(layout.widths).toEqual([19, 17, 17, 6, 8]);
    expect(layout.hidden).toEqual([3, 4]);
    // 160 columns show everything.
    expect(layoutTable([19, 17, 17, 11, 12, 6, 8], 160, ['key', 'normal', 'normal', 'optional', 'optional', 'normal', 'normal']).hidden).toEqual([]);
  });
  it('caps only the wide columns (water-filling)', () => {
    const { widths } = layoutTable([19, 60, 40, 8], 80);
    expect(widths.reduce((a, b) => a + b, 0) + 2 * 3).toBeLessThanOrEqual(80);
    expect(widths[0]).toBe(19);
    expect(widths[3]).toBe(8);
    expect(widths[1]).toBe(widths[2]);
  });
  it('drops columns from the right only when minimal widths do not fit', () => {
    expect(layoutTable(Array.from({ length: 30 }, () => 20), 40).hidden.length).toBeGreaterThan(0);
  });
  it('no limit without a width', () => {
    expect(layoutTable([200, 300], undefined)).toEqual({ shown: [0, 1], widths: [200, 300], hidden: [] });
  });
});

describe('tableCell: what a person reads', () => {
  it.each([
    ['2026-09-08T00:42:17.436Z', '2026-09-08 00:42Z'],
    ['2026-09-08T00:42:17+02:00', '2026-09-08 00:42+02:00'],
    ['2026-09-08', '2026-09-08'],
    ['two\nlines', 'two lines'],
  ])('%j → %j', (text, cell) => {
    expect(tableCell(text)).toBe(cell);
  });
});

describe('renderTable', () => {
  const headers = ['operation', 'method', 'path', 'rate/s', 'burst'];
  const rows = [
    ['fulfillmentInbound_2024-03-20.createInboundPlan', 'POST', '/inbound/fba/2024-03-20/inboundPlans', '2', '2'],
    ['ordersV0.getOrders', 'GET', '/orders/v0/orders', '0.0167', '20'],
    ['jp', 'GET', '商品の説明がとても長いテキストです商品の説明がとても長いテキストです', '1', '1'],
  ];
  it('never exceeds 80 cells a line, cuts with …, has no borders or separators', async () => {
    const { text } = await renderTable(headers, rows, { available: 80 });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(text).toContain('…');
    expect(text).not.toMatch(/[│┌─┼]/);
    expect(lines[0]).toMatch(/^operation\s+method\s+path/);
  });
  it('a newline inside a cell cannot break a row', async () => {
    const { text } = await renderTable(['a', 'b'], [['one\ntwo', 'x']], { available: 80 });
    expect(text.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('Printer', () => {
  it('ndjson streams one row a line as rows arrive', async () => {
    const io = fakeIO();
    const writer = new Printer(io, 'ndjson').rows();
    writer.write([{ a: 1 }]);
    expect(io.output).toBe('{"a":1}\n');
    writer.write([{ a: 2 }, { a: 3 }]);
    await writer.end();
    expect(io.output.split('\n').filter(Boolean)).toHaveLength(3);
  });
  it('csv with inferred columns flattens and quotes', async () => {
    const io = fakeIO();
    await new Printer(io, 'csv').list([{ id: '1', total: { amount: '1,5', currency: 'EUR' }, tags: ['a'] }, { id: '2', note: 'say "x"' }]);
    expect(io.output).toBe('id,total.amount,total.currency,tags,note\n1,"1,5",EUR,"[""a""]",\n2,,,,"say ""x"""\n');
  });
  it('table on an empty list says so on stderr and prints nothing', async () => {
    const io = fakeIO({ stdoutIsTTY: true, width: 80 });
    await new Printer(io, 'table').list([]);
    expect(io.output).toBe('');
    expect(io.errors).toEqual(['no results']);
  });
  it('a buffered writer ended after a failure still prints the rows it had', async () => {
    const io = fakeIO();
    const writer = new Printer(io, 'json').rows();
    writer.write([{ a: 1 }]);
    await writer.end();
    await writer.end();
    expect(io.output).toBe('[{"a":1}]\n');
  });
  it('record prints the human form on a terminal, JSON in a pipe', async () => {
    const tty = fakeIO({ stdoutIsTTY: true });
    await new Printer(tty, 'table').record({ a: 1 }, { human: () => 'A is 1\n' });
    expect(tty.output).toBe('A is 1\n');
    const pipe = fakeIO();
    await new Printer(pipe, 'json').record({ a: 1 }, { human: () => 'A is 1\n' });
    expect(pipe.output).toBe('{"a":1}\n');
  });
});
