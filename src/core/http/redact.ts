/** Headers a debug trace may show as they are; any other header's value is masked. */
const SHOWN = new Set([
  'accept', 'content-type', 'content-length', 'content-encoding', 'user-agent', 'host', 'x-amz-date',
  'x-amzn-requestid', 'x-amzn-ratelimit-limit', 'x-amzn-errortype', 'x-amz-apigw-id', 'date', 'connection',
  'etag', 'range', 'content-range', 'location', 'x-amzn-idempotencykey', 'x-amzn-shipping-business-id',
]);

export const MASK = '***';

/** A header value fit for a trace or `--dry-run`: tokens and unknown headers are masked. */
export function redactHeader(name: string, value: string): string {
  return SHOWN.has(name.toLowerCase()) ? value : MASK;
}

/**
 * Presigned document URLs carry their credential in the query string: show the host and path only.
 */
export function redactUrl(url: URL, isApiOrigin: boolean): string {
  if (isApiOrigin) return url.toString();
  return url.search ? `${url.origin}${url.pathname}?${MASK}` : url.toString();
}

/** Replaces every occurrence of the given secret values; the last guard before text leaves the process. */
export function scrubSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join(MASK);
  }
  return out;
}

/**
 * At most the first four characters, so a user can tell two secrets apart; short values show
 * nothing at all (four characters of a 10-character secret would be too much of it).
 */
export function maskSecret(value: string): string {
  return value.length >= 16 ? `${value.slice(0, 4)}…` : '…';
}
