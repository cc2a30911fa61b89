import { describe, expect, it } from 'vitest';
import { compactQuery, MAX_QUERY_CHARS } from '../../src/core/datakiosk/compact.js';
import { UsageError } from '../../src/core/errors.js';

describe('compactQuery: the query without needless whitespace', () => {
  it.each([
    ['query {\n  a {\n    b c\n  }\n}', 'query{a{b c}}'],
    ['query q($x: Int) { a(x: $x) { b } }', 'query q($x:Int){a(x:$x){b}}'],
    ['{ a(s: "two  spaces # not a comment") { b } }', '{a(s:"two  spaces # not a comment"){b}}'],
    ['{ a # a comment\n b }', '{a b}'],
    ['{ a(ids: ["A", "B"], n: 10 m: 5) }', '{a(ids:["A","B"],n:10 m:5)}'],
    ['{ a(s: "esc \\" quote") b }', '{a(s:"esc \\" quote")b}'],
    ['{ ... on T { x } }', '{...on T{x}}'],
  ])('%j', (input, output) => {
    expect(compactQuery(input)).toBe(output);
  });

  it('counts the compacted length against the 8,000 cap, before anything is sent', () => {
    const field = 'f'.repeat(100);
    const padded = `{ ${Array.from({ length: 75 }, () => field).join('\n\n                  ')} }`;
    expect(padded.length).toBeGreaterThan(MAX_QUERY_CHARS);
    expect(compactQuery(padded).length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    const tooLong = `{ ${Array.from({ length: 90 }, () => field).join(' ')} }`;
    expect(() => compactQuery(tooLong)).toThrow(UsageError);
    expect(() => compactQuery('  \n ')).toThrow(/empty/);
  });
});
