import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90", "90s", "5m", "2h", "1d", "250ms" → milliseconds; a bare number is seconds. */
export function parseDuration(input: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(input.trim());
  if (!match?.[1]) throw new UsageError(`${flag} ${input} is not a duration: use e.g. 30s, 5m, 2h or a number of seconds`);
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? 's').toLowerCase()] ?? 1000));
}

/**
 * A point in time given as ISO 8601 or as an age relative to now ("7d", "12h", "30m" ago).
 * Returns ISO 8601 with milliseconds dropped, as SP-API examples write it.
 */
export function parseInstant(input: string, flag: string, now: Date): string {
  const trimmed = input.trim();
  if (/^\d+(?:\.\d+)?\s*(ms|s|m|h|d)$/i.test(trimmed)) {
    return new Date(now.getTime() - parseDuration(trimmed, flag)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const parsed = Date.parse(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) || Number.isNaN(parsed)) {
    throw new UsageError(`${flag} ${input} is neither ISO 8601 nor a relative age: use e.g. 7d, 12h or 2026-11-01T00:00:00Z`);
  }
  return new Date(parsed).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parsePositiveInt(input: string, flag: string): number {
  const value = Number(input);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of at least 1, not ${input}`);
  return value;
}
