import { describe, expect, it } from 'vitest';
import { parseUsagePlan } from '../../src/core/catalog/usage-plan.js';

// Descriptions written for these tests in the three shapes the models use (spapi-facts §1.2).
const cases: { name: string; description: string; expected: { rate: number | null; burst: number | null } | undefined }[] = [
  {
    name: 'two-column table',
    description: 'Lists widgets.\n\n**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| 0.0167 | 20 |\n\nSee the response header.',
    expected: { rate: 0.0167, burst: 20 },
  },
  {
    name: 'three-column table, Default row',
    description: 'Finds things.\n\n**Usage Plans:**\n\n| Plan type | Rate (requests per second) | Burst |\n| ---- | ---- | ---- |\n|Default| 5 | 10 |\n|Selling partner specific| Variable | Variable |\n',
    expected: { rate: 5, burst: 10 },
  },
  {
    name: 'double-escaped newlines (literal backslash-n)',
    description: 'Checks things.\\n\\n**Usage Plan:**\\n\\n| Rate (requests per second) | Burst |\\n| ---- | ---- |\\n| 2 | 6 |\\n\\nMore text.',
    expected: { rate: 2, burst: 6 },
  },
  {
    name: 'leading-dot number',
    description: '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| .5 | 30 |\n',
    expected: { rate: 0.5, burst: 30 },
  },
  {
    name: 'trailing-zero number',
    description: '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| 2.0 | 30 |\n',
    expected: { rate: 2, burst: 30 },
  },
  {
    name: 'n placeholder is unknown',
    description: '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| n | n |\n',
    expected: { rate: null, burst: null },
  },
  { name: 'no table at all', description: 'Returns a thing. No limits are stated here.', expected: undefined },
  { name: 'empty description', description: '', expected: undefined },
];

describe('parseUsagePlan', () => {
  it.each(cases)('$name', ({ description, expected }) => {
    expect(parseUsagePlan(description)).toEqual(expected);
  });

  it.each([
    ['a header with no value row', '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n'],
    ['words instead of numbers', '**Usage Plan:**\n\n| Rate (requests per second) | Burst |\n| ---- | ---- |\n| fast | big |\n'],
    ['an announced plan in an unknown layout', '**Usage Plan:** one request every two seconds'],
  ])('refuses %s instead of dropping the rate', (_name, description) => {
    expect(() => parseUsagePlan(description)).toThrow(/usage-plan table/);
  });
});
