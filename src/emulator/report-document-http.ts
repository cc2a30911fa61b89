import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/*
 * The HTTP rules of document downloads, as S3 applies them (RFC 9110): ETag, conditional requests
 * and single byte ranges. Pure functions of the headers, so they are easy to read next to the RFC.
 */

/**
 * A strong ETag in S3's single-part form (32 hex digits, quoted), derived from what determines the
 * document's bytes, so it is stable across requests and runs without reading the content.
 */
export function etagFor(fingerprint: string): string {
  return `"${createHash('sha256').update(fingerprint).digest('hex').slice(0, 32)}"`;
}

/** An HTTP date; Last-Modified has whole seconds. */
export function httpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

function seconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

function parseDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}

/** One header's value; a repeated header counts as its comma-joined values (RFC 9110 §5.3). */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function tagList(value: string): string[] {
  return value.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
}

/** Weak comparison (If-None-Match): `W/` is ignored on both sides. */
function weakMatch(list: string, etag: string): boolean {
  const bare = (tag: string): string => tag.replace(/^W\//, '');
  return tagList(list).some((tag) => tag === '*' || bare(tag) === bare(etag));
}

/** Strong comparison (If-Match, If-Range): a weak tag never matches. */
function strongMatch(list: string, etag: string): boolean {
  return tagList(list).some((tag) => tag === '*' || (!tag.startsWith('W/') && tag === etag));
}

/**
 * The outcome of the conditional headers for a GET or HEAD, in RFC 9110 §13.2.2's order:
 * If-Match, else If-Unmodified-Since (412); then If-None-Match, else If-Modified-Since (304).
 */
export function preconditionStatus(headers: IncomingHttpHeaders, etag: string, lastModified: number): 200 | 304 | 412 {
  const ifMatch = header(headers, 'if-match');
  if (ifMatch !== undefined) {
    if (!strongMatch(ifMatch, etag)) return 412;
  } else {
    const since = parseDate(header(headers, 'if-unmodified-since'));
    if (since !== undefined && seconds(lastModified) > seconds(since)) return 412;
  }
  const ifNoneMatch = header(headers, 'if-none-match');
  if (ifNoneMatch !== undefined) return weakMatch(ifNoneMatch, etag) ? 304 : 200;
  const modifiedSince = parseDate(header(headers, 'if-modified-since'));
  if (modifiedSince !== undefined && seconds(lastModified) <= seconds(modifiedSince)) return 304;
  return 200;
}

export type RangeDecision =
  | { kind: 'full' }
  /** `end` is inclusive, as in Content-Range. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * What to send for a Range header on an object of `total` bytes. One range only: S3 does not do
 * multipart/byteranges, so several ranges (like a malformed header) get the whole object. If-Range
 * keeps the range only when it names the current ETag (strongly) or the exact Last-Modified.
 */
export function decideRange(headers: IncomingHttpHeaders, etag: string, lastModified: number, total: number): RangeDecision {
  const range = header(headers, 'range');
  if (range === undefined) return { kind: 'full' };
  const ifRange = header(headers, 'if-range');
  if (ifRange !== undefined) {
    const isTag = ifRange.startsWith('"') || ifRange.startsWith('W/');
    const date = isTag ? undefined : parseDate(ifRange);
    const current = isTag ? strongMatch(ifRange, etag) && !ifRange.includes(',') : date !== undefined && seconds(date) === seconds(lastModified);
    if (!current) return { kind: 'full' };
  }
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || total === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, total - suffix), end: total - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  // A reversed range is invalid, hence ignored; a valid one starting past the end cannot be served.
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return { kind: 'full' };
  if (start >= total) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, total - 1) };
}
