import { describe, expect, it } from 'vitest';
import { EnumValue, GraphQlSyntaxError, parseGraphQl } from '../../src/core/datakiosk/graphql.js';
import { parseKioskQuery } from '../../src/emulator/data-kiosk-query.js';
import { periods } from '../../src/emulator/sales-figures.js';

/* The emulator's light GraphQL reading of Data Kiosk queries, and the schemas' WEEK/MONTH snapping. */

describe('parseGraphQl', () => {
  it('reads fields, aliases, every literal kind and comments; minifies to what Amazon counts', () => {
    const doc = parseGraphQl(`# hello
      query Q {
        root(s: "a\\"b\\u00e9", b: """ block """, i: -3, f: 1.5e2, t: true, n: null, e: DAY, l: ["x", y], o: { k: MSKU }) {
          alias: field
          other { leaf }
        }
      }`);
    expect(doc.comments).toEqual([' hello']);
    const [root] = doc.selection;
    expect(root?.args).toEqual({ s: 'a"bé', b: 'block', i: -3, f: 150, t: true, n: null, e: new EnumValue('DAY'), l: ['x', new EnumValue('y')], o: { k: new EnumValue('MSKU') } });
    expect(root?.selection).toEqual([{ alias: 'alias', name: 'field', args: {} }, { name: 'other', args: {}, selection: [{ name: 'leaf', args: {} }] }]);
    expect(doc.minified).toBe('query Q{root(s:"a\\"b\\u00e9"b:""" block """i:-3 f:1.5e2 t:true n:null e:DAY l:["x"y]o:{k:MSKU}){alias:field other{leaf}}}');
  });

  it.each(['', '{', '{ a ', '{ a(b: ) }', '{ a(b: $v) }', '{ ...F }', '{ a @skip(if: true) }', 'mutation { a }', '{ a } { b }', '{ a(b: "open) }', '{ a(b: 1x) }', '{ }'])(
    'refuses %j',
    (text) => {
      expect(() => parseGraphQl(text)).toThrow(GraphQlSyntaxError);
    },
  );
});

describe('parseKioskQuery', () => {
  it('turns arguments into plain values and keeps the emulatorOutcome comment', () => {
    const query = parseKioskQuery(`# emulatorOutcome: FATAL
      { analytics_economics_2024_03_15 { economics(startDate: "2026-01-01", endDate: "2026-01-31", marketplaceIds: "ATVPDKIKX0DER", aggregateBy: { date: WEEK }, includeComponentsForFeeTypes: FBA_FULFILLMENT_FEE) { msku } } }`);
    expect(query).toMatchObject({
      root: 'analytics_economics_2024_03_15',
      name: 'economics',
      args: { startDate: '2026-01-01', endDate: '2026-01-31', marketplaceIds: ['ATVPDKIKX0DER'], aggregateBy: { date: 'WEEK' }, includeComponentsForFeeTypes: ['FBA_FULFILLMENT_FEE'] },
      selection: [{ name: 'msku', args: {} }],
      outcomeHook: 'FATAL',
    });
  });
});

describe('periods', () => {
  it.each<[string, string, string, Array<[string, string]>]>([
    ['2026-11-03', '2026-11-05', 'DAY', [['2026-11-03', '2026-11-03'], ['2026-11-04', '2026-11-04'], ['2026-11-05', '2026-11-05']]],
    // 2026-11-01 is a Sunday: a mid-week start moves to the next Sunday, a mid-week end back to Saturday.
    ['2026-11-03', '2026-11-25', 'WEEK', [['2026-11-08', '2026-11-14'], ['2026-11-15', '2026-11-21']]],
    ['2026-11-01', '2026-11-14', 'WEEK', [['2026-11-01', '2026-11-07'], ['2026-11-08', '2026-11-14']]],
    ['2026-01-15', '2026-04-10', 'MONTH', [['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-31']]],
    ['2026-02-01', '2026-02-28', 'MONTH', [['2026-02-01', '2026-02-28']]],
    ['2026-02-02', '2026-02-27', 'MONTH', []],
    ['2026-02-02', '2026-02-27', 'RANGE', [['2026-02-02', '2026-02-27']]],
  ])('%s..%s by %s', (start, end, granularity, expected) => {
    const text = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    expect(periods(start, end, granularity).map((p) => [text(p.start), text(p.end)])).toEqual(expected);
  });
});
