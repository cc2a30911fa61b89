import { invalidInput } from './replies.js';

/**
 * Readers for SP-API query parameters that throw InvalidInput like Amazon does. Arrays arrive
 * comma-separated (Swagger's default csv) or repeated (`multi`); both are accepted.
 */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  return values.length > 0 ? values : undefined;
}

/** A list whose every value must be one of `allowed`. */
export function enumListParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T[] | undefined {
  const values = listParam(query, name);
  if (!values) return undefined;
  const bad = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (bad.length > 0) throw invalidInput(`Invalid value for ${name}: ${bad.join(', ')}. Allowed: ${allowed.join(', ')}.`);
  return values as T[];
}

export function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
    throw invalidInput(`${name} must be an integer from ${min} to ${max}; got "${text}".`);
  }
  return value;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date-time as epoch milliseconds. */
export function dateParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const value = Date.parse(text);
  if (!ISO_8601.test(text) || Number.isNaN(value)) throw invalidInput(`${name} must be an ISO 8601 date-time; got "${text}".`);
  return value;
}

/** Query parameter names other than `except`, for "this token must be the only parameter" rules. */
export function otherParams(query: URLSearchParams, except: string): string[] {
  return [...new Set([...query.keys()].filter((key) => key !== except))];
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
