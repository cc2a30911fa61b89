import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Presigned document URLs shaped like S3's query-string SigV4 (X-Amz-Algorithm, -Credential, -Date,
 * -Expires, -SignedHeaders, -Signature). The signature is an HMAC over the path and every other
 * query parameter, so changing any of them (the expiry, the content-encoding switch, the id) is
 * refused like a forged S3 URL. It is not real SigV4: nothing outside the emulator can check it.
 */

/** Amazon's report document URLs live five minutes (the model's ReportDocument.url). */
export const DOCUMENT_URL_LIFETIME_SECONDS = 300;
// S3 refuses presigned URLs valid for more than seven days.
export const MAX_DOCUMENT_URL_LIFETIME_SECONDS = 604_800;

/** The presign query parameter that makes the URL serve Content-Encoding: gzip (S3's response override). */
export const CONTENT_ENCODING_PARAM = 'response-content-encoding';

const REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'] as const;

/** An S3-style refusal: status, XML error code and message, and extra elements S3 adds. */
export interface StorageRefusal {
  status: number;
  code: string;
  message: string;
  extra?: Record<string, string>;
}

export type UrlVerdict = { ok: true; contentEncoding: boolean } | { ok: false; refusal: StorageRefusal };

export class DocumentUrlSigner {
  private readonly key: Buffer;

  /** The same seed signs the same URLs, so runs can be compared (like the page tokens). */
  constructor(
    seed: number,
    private readonly lifetimeSeconds: number,
  ) {
    this.key = createHash('sha256').update(`spapi-emulator document urls ${seed}`).digest();
  }

  /** A presigned GET URL for `path` on the documents origin, valid `lifetimeSeconds` from `now`. */
  sign(baseUrl: string, path: string, now: number, contentEncoding: boolean): string {
    const url = new URL(`${baseUrl}${path}`);
    const date = amzDate(now);
    url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
    url.searchParams.set('X-Amz-Credential', `EMULATORDOCUMENTKEY/${date.slice(0, 8)}/us-east-1/s3/aws4_request`);
    url.searchParams.set('X-Amz-Date', date);
    url.searchParams.set('X-Amz-Expires', String(this.lifetimeSeconds));
    url.searchParams.set('X-Amz-SignedHeaders', 'host');
    if (contentEncoding) url.searchParams.set(CONTENT_ENCODING_PARAM, 'gzip');
    url.searchParams.set('X-Amz-Signature', this.signature(url));
    return url.href;
  }

  /** S3's checks, in its order: all parameters present, signature, then expiry. */
  verify(url: URL, now: number): UrlVerdict {
    const params = url.searchParams;
    const present = REQUIRED.filter((name) => params.has(name));
    // No presign parameters at all: an anonymous request for a private object.
    if (present.length === 0) return refuse(403, 'AccessDenied', 'Access Denied');
    if (present.length < REQUIRED.length) {
      return refuse(400, 'AuthorizationQueryParametersError', `Query-string authentication version 4 requires the ${REQUIRED.join(', ')} parameters.`);
    }
    const given = Buffer.from(params.get('X-Amz-Signature') ?? '');
    const expected = Buffer.from(this.signature(url));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
    const signedAt = parseAmzDate(params.get('X-Amz-Date') ?? '');
    const lifetime = Number(params.get('X-Amz-Expires'));
    if (signedAt === undefined || !Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_DOCUMENT_URL_LIFETIME_SECONDS) {
      return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Date or X-Amz-Expires is malformed.');
    }
    const expires = signedAt + lifetime * 1000;
    if (now > expires) return { ok: false, refusal: expiredRefusal(String(lifetime), expires, now) };
    return { ok: true, contentEncoding: params.get(CONTENT_ENCODING_PARAM) === 'gzip' };
  }

  private signature(url: URL): string {
    const params = [...url.searchParams]
      .filter(([name]) => name !== 'X-Amz-Signature')
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .sort();
    return createHmac('sha256', this.key).update(`GET\n${url.pathname}\n${params.join('&')}`).digest('hex');
  }
}

/** S3's answer to a presigned URL past its expiry: 403 AccessDenied "Request has expired", with the times. */
export function expiredRefusal(lifetime: string, expires: number, now: number): StorageRefusal {
  return {
    status: 403,
    code: 'AccessDenied',
    message: 'Request has expired',
    extra: { 'X-Amz-Expires': lifetime, Expires: new Date(expires).toISOString(), ServerTime: new Date(now).toISOString() },
  };
}

function refuse(status: number, code: string, message: string, extra?: Record<string, string>): UrlVerdict {
  return { ok: false, refusal: { status, code, message, ...(extra ? { extra } : {}) } };
}

/** `20250102T030405Z`, SigV4's basic ISO 8601 form. */
export function amzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}
