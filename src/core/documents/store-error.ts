import type { Readable } from 'node:stream';
import { SpapiError } from '../errors.js';
import { MASK, scrubSecrets } from '../http/redact.js';

/**
 * Where a document URL points, for messages: origin and path only. Presigned URLs carry their
 * credentials in the query (X-Amz-Credential, X-Amz-Signature, sometimes X-Amz-Security-Token), so
 * the query never goes into an error, a log line or a hint.
 */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** An HTTP error answer from the document store (S3 behind a presigned URL), not from SP-API. */
export class DocumentStoreError extends SpapiError {
  readonly status: number;
  /** S3's `<Code>` (AccessDenied, NoSuchKey, …) when the body is S3's XML error. */
  readonly code: string | undefined;
  /** S3's `x-amz-request-id`, for a support case. */
  readonly requestId: string | undefined;
  /** The start of the error body as the store sent it (S3 error bodies hold no credentials). */
  readonly body: string;

  constructor(details: { status: number; where: string; code?: string | undefined; storeMessage?: string | undefined; body?: string; requestId?: string | undefined; hint?: string | undefined; message?: string }) {
    const what = [details.code, details.storeMessage].filter((part) => part !== undefined && part !== '').join(': ');
    super('api', details.message ?? `${details.where} answered ${details.status}${what ? ` ${what}` : ''}`, { hint: details.hint });
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.body = details.body ?? '';
  }
}

/** `<Code>` and `<Message>` of an S3 XML error body; both undefined for anything else. */
export function parseStoreError(body: string): { code: string | undefined; message: string | undefined } {
  const element = (name: string): string | undefined => {
    const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(body);
    return match?.[1] === undefined ? undefined : unescapeXml(match[1].trim());
  };
  return { code: element('Code'), message: element('Message') };
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');
}

/**
 * Whether an answer means the presigned URL has expired, so a fresh one (getReportDocument again)
 * would work. S3 answers a past X-Amz-Date + X-Amz-Expires with 403 AccessDenied "Request has
 * expired" (the emulator answers the same, with the same extra elements); a URL signed with
 * temporary credentials that ran out gets ExpiredToken instead.
 */
export function isExpiredUrl(status: number, code: string | undefined, message: string | undefined): boolean {
  if (code === 'ExpiredToken') return status === 400 || status === 403;
  return status === 403 && code === 'AccessDenied' && message !== undefined && /expired/i.test(message);
}

// S3 echoes the request it failed to verify (SignatureDoesNotMatch): the canonical request holds the
// presigned query, X-Amz-Security-Token included.
const ECHOED = ['CanonicalRequest', 'CanonicalRequestBytes', 'StringToSign', 'StringToSignBytes', 'SignatureProvided'];

/** An error body fit to keep in an error: the URL's query values (plain and encoded) and S3's echo of the request masked. */
export function scrubStoreBody(body: string, url: URL): string {
  let out = body;
  for (const name of ECHOED) out = out.replace(new RegExp(`<${name}>[\\s\\S]*?</${name}>`, 'g'), `<${name}>${MASK}</${name}>`);
  const values = [...url.searchParams.values()];
  return scrubSecrets(out, [...values, ...values.map((value) => encodeURIComponent(value))]);
}

/** The first `limit` bytes of a store's error body, as text (downloads and uploads alike); the rest is thrown away. */
export async function readSome(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // A cut error body still says what it had.
  } finally {
    // undici emits an "aborted" error for a destroyed body, which nobody needs to hear.
    body.on('error', () => undefined);
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
