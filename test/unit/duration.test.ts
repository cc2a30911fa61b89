import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant, parsePositiveInt } from '../../src/core/duration.js';
import { UsageError } from '../../src/core/errors.js';

const now = new Date('2026-11-27T12:00:00.000Z');

describe('parseDuration', () => {
  it.each([
    ['90', 90_000], ['90s', 90_000], ['5m', 300_000], ['2h', 7_200_000], ['1d', 86_400_000], ['250ms', 250], ['1.5s', 1500],
  ])('%s → %d ms', (input, ms) => expect(parseDuration(input, '--max-wait')).toBe(ms));
  it.each(['', 'abc', '5 minutes', '-1s'])('rejects %j', (input) => expect(() => parseDuration(input, '--max-wait')).toThrow(UsageError));
});

describe('parseInstant', () => {
  it.each([
    ['7d', '2026-11-20T12:00:00Z'],
    ['12h', '2026-11-27T00:00:00Z'],
    ['30m', '2026-11-27T11:30:00Z'],
    ['2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'],
    ['2026-11-01', '2026-11-01T00:00:00Z'],
    ['2026-11-01T02:00:00+02:00', '2026-11-01T00:00:00Z'],
  ])('%s → %s', (input, iso) => expect(parseInstant(input, '--created-after', now)).toBe(iso));
  it.each(['yesterday', '7 days', '11/01/2026'])('rejects %j', (input) => expect(() => parseInstant(input, '--created-after', now)).toThrow(UsageError));
});

describe('parsePositiveInt', () => {
  it('accepts whole numbers from 1', () => expect(parsePositiveInt('25', '--max-items')).toBe(25));
  it.each(['0', '-3', '1.5', 'x'])('rejects %j', (input) => expect(() => parsePositiveInt(input, '--max-items')).toThrow(UsageError));
});
