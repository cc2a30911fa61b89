import type { HttpRequest, Middleware } from './types.js';

export interface AuthHeaderOptions {
  /** True only for the configured SP-API origin: tokens never go to any other host (report URLs, redirects). */
  isApiOrigin: (url: URL) => boolean;
  /** The token for this request: seller LWA token, grantless token or RDT, per request.context.auth. */
  tokenFor: (request: HttpRequest) => Promise<string>;
  userAgent: string;
  now?: () => Date;
}

/** `x-amz-date` as the 2021 guide's header table lists it: YYYYMMDDTHHMMSSZ. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Token injection, decided per request at send time by host, in the spirit of gh's transport wrapper:
 * the check runs on the URL actually being sent, not on what the caller meant to call.
 */
export function authHeader(options: AuthHeaderOptions): Middleware {
  return (next) => async (request) => {
    const headers: Record<string, string> = { 'user-agent': options.userAgent, ...request.headers };
    if (request.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    if (options.isApiOrigin(request.url) && request.context.auth !== 'none') {
      headers['x-amz-access-token'] = await options.tokenFor(request);
      headers['x-amz-date'] = amzDate(options.now?.() ?? new Date());
    } else {
      delete headers['x-amz-access-token'];
    }
    return next({ ...request, headers });
  };
}
