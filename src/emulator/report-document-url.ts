import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Presigned document URLs shaped like S3's query-string SigV4 (X-Amz-Algorithm, -Credential, -Date,
 * -Expires, -SignedHeaders, -Signature). The signature is an HMAC over the method, the path and
 * every other query parameter, so changing any of them (the expiry, the content-encoding switch,
 * the id) is refused like a forged S3 URL. Upload (PUT) URLs sign `content-type;host` as Amazon's
 * feed upload URLs do: the Content-Type the client sends is part of the signature, so any other
 * value is a 403 SignatureDoesNotMatch. It is not real SigV4: nothing outside the emulator can check it.
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
    const url = this.unsigned(baseUrl, path, now, 'host');
    if (contentEncoding) url.searchParams.set(CONTENT_ENCODING_PARAM, 'gzip');
    url.searchParams.set('X-Amz-Signature', this.signature(url, GET));
    return url.href;
  }

  /** A presigned PUT URL for `path` that only accepts an upload sent with `Content-Type: <contentType>`. */
  signUpload(baseUrl: string, path: string, now: number, contentType: string): string {
    const url = this.unsigned(baseUrl, path, now, 'content-type;host');
    url.searchParams.set('X-Amz-Signature', this.signature(url, { method: 'PUT', contentType }));
    return url.href;
  }

  /**
   * S3's checks, in its order: all parameters present, signature, then expiry. `request` is what
   * the signature covers besides the URL: GET (and HEAD) by default; for an upload, PUT and the
   * Content-Type header as received (an absent header is the empty string).
   */
  verify(url: URL, now: number, request: SignedRequest = GET): UrlVerdict {
    const params = url.searchParams;
    const present = REQUIRED.filter((name) => params.has(name));
    // No presign parameters at all: an anonymous request for a private object.
    if (present.length === 0) return refuse(403, 'AccessDenied', 'Access Denied');
    if (present.length < REQUIRED.length) {
      return refuse(400, 'AuthorizationQueryParametersError', `Query-string authentication version 4 requires the ${REQUIRED.join(', ')} parameters.`);
    }
    const provided = params.get('X-Amz-Signature') ?? '';
    const given = Buffer.from(provided);
    const expected = Buffer.from(this.signature(url, request));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      // S3 adds what it signed, so a client can see the Content-Type (or method) that differs.
      return refuse(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, {
        AWSAccessKeyId: ACCESS_KEY_ID,
        SignatureProvided: provided,
        CanonicalRequest: canonicalRequest(url, request),
      });
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

  private unsigned(baseUrl: string, path: string, now: number, signedHeaders: string): URL {
    const url = new URL(`${baseUrl}${path}`);
    const date = amzDate(now);
    url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
    url.searchParams.set('X-Amz-Credential', `${ACCESS_KEY_ID}/${date.slice(0, 8)}/us-east-1/s3/aws4_request`);
    url.searchParams.set('X-Amz-Date', date);
    url.searchParams.set('X-Amz-Expires', String(this.lifetimeSeconds));
    url.searchParams.set('X-Amz-SignedHeaders', signedHeaders);
    return url;
  }

  private signature(url: URL, request: SignedRequest): string {
    // GET URLs sign what they always signed, so their signatures stay the same for a seed.
    const text = request.method === 'GET' ? `GET\n${url.pathname}\n${canonicalQuery(url)}` : `${request.method}\n${url.pathname}\n${canonicalQuery(url)}\ncontent-type:${request.contentType}`;
    return createHmac('sha256', this.key).update(text).digest('hex');
  }
}

/** What a presigned URL's signature covers besides the URL itself. */
export type SignedRequest = { method: 'GET' } | { method: 'PUT'; contentType: string };

const GET: SignedRequest = { method: 'GET' };
const ACCESS_KEY_ID = 'EMULATORDOCUMENTKEY';
export const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .sort()
    .join('&');
}

/** SigV4's canonical request as S3 prints it in a SignatureDoesNotMatch error, with the headers it signed. */
function canonicalRequest(url: URL, request: SignedRequest): string {
  const headers = request.method === 'PUT' ? `content-type:${request.contentType}\nhost:${url.host}\n\ncontent-type;host` : `host:${url.host}\n\nhost`;
  return `${request.method}\n${url.pathname}\n${canonicalQuery(url)}\n${headers}\nUNSIGNED-PAYLOAD`;
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
