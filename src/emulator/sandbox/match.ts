import type { ListedParam, SandboxExample } from './examples.js';

/*
 * Matching a request against static sandbox examples the way Amazon's static sandbox does
 * (spapi-facts §1.3, §8): an example matches when every parameter it lists carries the listed
 * value in the request; parameters it does not list are ignored, so an example listing fewer
 * parameters is more general. Of the matching examples the most specific (most listed parameters)
 * wins; a tie goes to the first in model order (response codes ascending, as JSON.parse orders
 * integer keys, then the order of each list).
 *
 * Values are compared as the wire carries them: path, query and header values as text (numbers
 * and booleans by value, so `10` matches 10 and `TRUE` matches true), query arrays item by item
 * whether the request sent them comma-separated (csv) or repeated (multi), and the body by deep
 * equality of the parsed JSON with the listed value.
 */

/** What the matcher looks at in a request. */
export interface SandboxRequest {
  /** Decoded path parameter values by name. */
  pathParams: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Node's lower-cased request headers. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body; undefined when the request had none. */
  body: unknown;
}

/** The example Amazon's static sandbox would answer with, or undefined when none matches. */
export function matchExample(examples: readonly SandboxExample[], request: SandboxRequest): SandboxExample | undefined {
  let best: SandboxExample | undefined;
  for (const example of examples) {
    if (best && example.params.length <= best.params.length) continue;
    if (example.params.every((param) => paramMatches(param, request))) best = example;
  }
  return best;
}

/** True when the request carries the value `param` lists. */
export function paramMatches(param: ListedParam, request: SandboxRequest): boolean {
  switch (param.in) {
    case 'body':
      return request.body !== undefined && deepEqual(request.body, param.value);
    case 'path': {
      const got = request.pathParams[param.name];
      return got !== undefined && sameScalar(param.type, got, param.value);
    }
    case 'header': {
      const raw = request.headers[param.name.toLowerCase()];
      const got = Array.isArray(raw) ? raw.join(',') : raw;
      return got !== undefined && sameScalar(param.type, got, param.value);
    }
    case 'query': {
      const got = request.query.getAll(param.name);
      if (got.length === 0) return false;
      if (param.type === 'array' || Array.isArray(param.value)) return sameItems(got.flatMap(splitItems), listItems(param.value));
      return got.length === 1 && sameScalar(param.type, got[0] ?? '', param.value);
    }
  }
}

/** A listed value as the text a request carries: arrays comma-joined, objects as JSON. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  return JSON.stringify(value);
}

function sameScalar(type: string, got: string, want: unknown): boolean {
  const text = scalarText(want);
  if (got === text) return true;
  if ((type === 'integer' || type === 'number' || typeof want === 'number') && got.trim() !== '' && text.trim() !== '') {
    return Number(got) === Number(text);
  }
  if (type === 'boolean' || typeof want === 'boolean') return got.toLowerCase() === text.toLowerCase();
  return false;
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function splitItems(text: string): string[] {
  return text.split(',').map((item) => item.trim());
}

function listItems(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).flatMap((item) => splitItems(scalarText(item)));
}

function sameItems(got: string[], want: string[]): boolean {
  return got.length === want.length && got.every((item, i) => sameScalar(NUMERIC.test(item) ? 'number' : 'string', item, want[i] ?? ''));
}

/** Structural equality of parsed JSON: key order does not matter, array order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && deepEqual(left[key], right[key]));
}

const MAX_LISTED = 8;
// Parameter values are what the caller must copy, so they are kept whole up to a sane length;
// bodies are only hinted at.
const MAX_VALUE_CHARS = 300;
const MAX_BODY_CHARS = 120;

/**
 * What the examples expect, for the "no example matches" answer: one `name=value, … → status`
 * per example (the first few), so a caller can see which values the sandbox knows.
 */
export function describeExpectations(examples: readonly SandboxExample[]): string {
  const lines = examples.slice(0, MAX_LISTED).map((example) => {
    const params = example.params.map((p) => (p.in === 'body' ? `body=${clip(JSON.stringify(p.value), MAX_BODY_CHARS)}` : `${p.name}=${clip(scalarText(p.value), MAX_VALUE_CHARS)}`));
    if (example.anyBody) params.push('body=<any>');
    return `${params.length > 0 ? params.join(', ') : '<any request>'} -> ${example.status}`;
  });
  const more = examples.length > MAX_LISTED ? `; and ${examples.length - MAX_LISTED} more` : '';
  return `The sandbox examples expect: ${lines.join('; ')}${more}.`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
