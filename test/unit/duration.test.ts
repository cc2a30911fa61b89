import { describe, expect, it } from 'vitest';
import { isCalendarDate, parseDuration, parseInstant, parsePositiveInt, readInstant } from '../../src/core/duration.js';
import { UsageError } from '../../src/core/errors.js';

const now = new Date('2026-11-27T12:00:00.000Z');

describe('parseDuration', () => {
  it.each([
    ['90', 90_000], ['90s', 90_000], ['5m', 300_000], ['2h', 7_200_000], ['1d', 86_400_000], ['250ms', 250], ['1.5s', 1500],
  ])('%s → %d ms', (input, ms) => expect(parseDuration(input, '--max-wait')).toBe(ms));
  it.each(['', 'abc', '5 minutes', '-1s'])('rejects %j', (input) => expect(() => parseDuration(input, '--max-wait')).toThrow(UsageError));
});

describe('parseInstant', () => {
  const ticking = new Date('2026-11-27T12:00:00.789Z');
  it.each([
    ['7d', '2026-11-20T12:00:00Z'],
    ['12h', '2026-11-27T00:00:00Z'],
    ['30m', '2026-11-27T11:30:00Z'],
    ['90s', '2026-11-27T11:58:30Z'],
    ['1.5h', '2026-11-27T10:30:00Z'],
    ['2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'],
    ['2026-11-01', '2026-11-01T00:00:00Z'],
    ['2026-11-01T02:00:00+02:00', '2026-11-01T00:00:00Z'],
    ['2026-11-01T02:00:00+0200', '2026-11-01T00:00:00Z'],
    ['2026-10-31T19:00-05:00', '2026-11-01T00:00:00Z'],
    ['2026-11-01T10:00', '2026-11-01T10:00:00Z'], // no zone: UTC, whatever the machine's zone
    ['2026-11-01T10:00:30', '2026-11-01T10:00:30Z'],
    ['2026-11-01 10:00:30Z', '2026-11-01T10:00:30Z'],
    ['2026-11-01t10:00:30z', '2026-11-01T10:00:30Z'],
    ['2026-11-01T10:00:30.250Z', '2026-11-01T10:00:30.250Z'], // a fraction the user gave is kept
    ['2026-11-01T10:00:30.000Z', '2026-11-01T10:00:30Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z'],
    [' 2026-11-01 ', '2026-11-01T00:00:00Z'],
  ])('%s → %s', (input, iso) => expect(parseInstant(input, '--created-after', now)).toBe(iso));

  it('drops the milliseconds of an age', () => {
    expect(parseInstant('7d', '--created-after', ticking)).toBe('2026-11-20T12:00:00Z');
  });

  it.each([
    ['2026-02-30', '2026-02 has 28 days'],
    ['2023-02-29', '2023-02 has 28 days'],
    ['2026-04-31T00:00:00Z', '2026-04 has 30 days'],
    ['2026-13-01', 'there is no month 13'],
    ['2026-00-10', 'there is no month 0'],
    ['2026-11-00', '2026-11 has 30 days'],
    ['2026-11-01T25:00:00Z', 'hour 25 is above 23'],
    ['2026-11-01T24:00:00Z', 'hour 24 is above 23'],
    ['2026-11-01T10:60Z', 'minute 60 is above 59'],
    ['2026-11-01T10:00:61Z', 'second 61 is above 59'],
    ['2026-11-01T10:00:00+24:00', 'offset +24:00 is out of range'],
  ])('refuses the impossible %s (%s)', (input, reason) => {
    expect(() => parseInstant(input, '--created-after', now)).toThrow(`--created-after "${input}" is not an ISO 8601 date-time: ${reason}`);
  });

  it.each(['yesterday', '7 days', '11/01/2026', '90', '2026-11-01Z', '2026-1-1', '', '-7d'])('rejects %j', (input) => {
    expect(() => parseInstant(input, '--created-after', now)).toThrow(UsageError);
    expect(() => parseInstant(input, '--created-after', now)).toThrow(/is not an ISO 8601 date-time, a date or an age: use e\.g\. 2026-11-01T00:00:00Z/);
  });
});

describe('readInstant', () => {
  it('returns the problem instead of throwing', () => {
    expect(readInstant('2026-02-30', now)).toEqual({ problem: '"2026-02-30" is not an ISO 8601 date-time: 2026-02 has 28 days' });
    expect(readInstant('7d', now)).toEqual({ iso: '2026-11-20T12:00:00Z' });
  });
});

describe('isCalendarDate', () => {
  it.each([['2024-02-29', true], ['2023-02-29', false], ['2026-12-31', true], ['2026-13-01', false], ['2026-11-01T00:00:00Z', false]])(
    '%s → %s',
    (value, expected) => expect(isCalendarDate(value)).toBe(expected),
  );
});

describe('parsePositiveInt', () => {
  it('accepts whole numbers from 1', () => expect(parsePositiveInt('25', '--max-items')).toBe(25));
  it.each(['0', '-3', '1.5', 'x'])('rejects %j', (input) => expect(() => parsePositiveInt(input, '--max-items')).toThrow(UsageError));
});
