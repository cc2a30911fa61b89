import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const AGE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i;

/** "90", "90s", "5m", "2h", "1d", "250ms" → milliseconds; a bare number is seconds. */
export function parseDuration(input: string, flag: string): number {
  const ms = durationMs(input);
  if (ms === undefined) throw new UsageError(`${flag} ${input} is not a duration: use e.g. 30s, 5m, 2h or a number of seconds`);
  return ms;
}

function durationMs(input: string): number | undefined {
  const match = AGE.exec(input.trim());
  if (!match?.[1]) return undefined;
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? 's').toLowerCase()] ?? 1000));
}

/** An instant read by readInstant: ISO 8601 in UTC, or why the text is not one. */
export type InstantResult = { iso: string } | { problem: string };

// Date, then optionally a time (after T or, as RFC 3339 allows, a space) with optional seconds and fraction, then optionally a zone.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const ZONE = /^([+-])(\d{2}):?(\d{2})?$/;
const FORMS = 'use e.g. 2026-11-01T00:00:00Z, 2026-11-01 or an age (7d, 12h, 30m, 90s)';

/**
 * The one date rule of spapi (flags such as `orders list --created-after`, and every date-time
 * parameter of `spapi call`). Reads, in UTC:
 * - an age before `now`: `7d`, `12h`, `30m`, `90s`, `250ms` (fractions allowed), milliseconds dropped;
 * - an ISO 8601 date-time with a zone: `2026-11-01T10:00:00Z`, `2026-11-01T12:00+02:00`, `…+0200`;
 * - a date alone: `2026-11-01` is that day at 00:00:00Z;
 * - a date-time without a zone: `2026-11-01T10:00` is read as UTC, not as the machine's local
 *   time, so the same command means the same instant on every machine.
 * Impossible dates and times are problems: Date.parse would roll 2026-02-30 over to March 2.
 * The result is ISO 8601 with `Z`, without `.000` (fractions the user gave are kept).
 */
export function readInstant(input: string, now: Date): InstantResult {
  const text = input.trim();
  const age = AGE.test(text) && /[a-z]$/i.test(text) ? durationMs(text) : undefined;
  if (age !== undefined) return { iso: isoString(Math.floor((now.getTime() - age) / 1000) * 1000) };

  const m = DATE_TIME.exec(text);
  if (!m) return { problem: `${JSON.stringify(input)} is not an ISO 8601 date-time, a date or an age: ${FORMS}` };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const reason = calendarProblem(year, month, day) ?? clockProblem(hour, minute, second) ?? zoneProblem(m[8]);
  if (reason) return { problem: `${JSON.stringify(input)} is not an ISO 8601 date-time: ${reason}` };

  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  utc.setUTCHours(hour, minute, second, fraction);
  return { iso: isoString(utc.getTime() - zoneOffsetMs(m[8])) };
}

// A complete RFC 3339 date-time is already what SP-API documents.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The value to send for a date-time parameter: a complete RFC 3339 date-time as typed (an offset or
 * a `.000` the user, or an Amazon sandbox example matched literally, wrote survives), any other
 * form readInstant accepts as UTC ISO 8601.
 */
export function instantToSend(input: string, now: Date): { value: string } | { problem: string } {
  const instant = readInstant(input, now);
  if ('problem' in instant) return instant;
  const typed = input.trim();
  return { value: RFC3339.test(typed) ? typed : instant.iso };
}

/** Like readInstant, but a problem is a UsageError naming `flag`. */
export function parseInstant(input: string, flag: string, now: Date): string {
  const result = readInstant(input, now);
  if ('problem' in result) throw new UsageError(`${flag} ${result.problem}`);
  return result.iso;
}

/** True for an ISO 8601 calendar date `YYYY-MM-DD` that exists (2024-02-29, not 2023-02-29). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && calendarProblem(Number(m[1]), Number(m[2]), Number(m[3])) === undefined;
}

function calendarProblem(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  // Day 0 of the next month is the last day of this one.
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0);
  const days = last.getUTCDate();
  if (day < 1 || day > days) return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')} has ${days} days`;
  return undefined;
}

function clockProblem(hour: number, minute: number, second: number): string | undefined {
  if (hour > 23) return `hour ${hour} is above 23`;
  if (minute > 59) return `minute ${minute} is above 59`;
  if (second > 59) return `second ${second} is above 59`;
  return undefined;
}

function zoneProblem(zone: string | undefined): string | undefined {
  const m = zone === undefined ? null : ZONE.exec(zone);
  if (!m) return undefined;
  return Number(m[2]) > 23 || Number(m[3] ?? 0) > 59 ? `offset ${zone ?? ''} is out of range` : undefined;
}

/** Milliseconds to subtract from the wall time to get UTC; 0 for Z and for no zone (read as UTC). */
function zoneOffsetMs(zone: string | undefined): number {
  const m = zone === undefined ? null : ZONE.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}

function isoString(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

export function parsePositiveInt(input: string, flag: string): number {
  const value = Number(input);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of at least 1, not ${input}`);
  return value;
}
