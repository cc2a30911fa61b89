import { UsageError } from '../errors.js';

/* Kept apart from the engine so the CLI can check a URL at start-up without loading anything else. */

/** Checks a store URL (redis:// or rediss://, a host, an optional port and db number); a usage error otherwise. */
export function parseStoreUrl(text: string): URL {
  const hint = 'use redis://[user:pass@]host:port[/db] or rediss://… for TLS';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`rate-limit store ${redactUrl(text)} is not a URL`, { hint });
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`rate-limit store ${redactUrl(text)} is not a redis:// or rediss:// URL`, { hint });
  }
  if (url.hostname === '') throw new UsageError(`rate-limit store ${redactUrl(text)} names no host`, { hint });
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db)) throw new UsageError(`rate-limit store ${redactUrl(text)}: the database must be a number, not "${db}"`, { hint });
  if (url.search !== '' || url.hash !== '') throw new UsageError(`rate-limit store ${redactUrl(text)} has a query or fragment`, { hint });
  return url;
}

/** The URL without user and password, for messages. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return text.replace(/\/\/[^@/]*@/, '//');
  }
}
