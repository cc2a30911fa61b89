/** What a handler answers; the server adds the request id, content type and rate-limit headers. */
export interface Reply {
  status: number;
  /** Serialised as JSON; undefined sends no body (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** One entry of SP-API's error list (spapi-facts §5.2). */
export interface ErrorEntry {
  code: string;
  message: string;
  details?: string;
}

/**
 * An SP-API error answer that handlers throw from any depth; the server turns it into
 * `{"errors":[{code, message, details}]}` with its status.
 */
export class ErrorReply extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string;

  constructor(status: number, code: string, message: string, details = '') {
    super(message);
    this.name = 'ErrorReply';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  toReply(): Reply {
    return errorReply(this.status, { code: this.code, message: this.message, details: this.details });
  }
}

export function errorReply(status: number, ...errors: ErrorEntry[]): Reply {
  return { status, body: { errors: errors.map((e) => ({ code: e.code, message: e.message, details: e.details ?? '' })) } };
}

export function invalidInput(message: string, details = ''): ErrorReply {
  return new ErrorReply(400, 'InvalidInput', message, details);
}

export function notFound(message: string): ErrorReply {
  return new ErrorReply(404, 'NotFound', message);
}

// The exact bodies SP-API sends for a missing/bad token and an empty bucket; clients match on them.
export const UNAUTHORIZED_MESSAGE = 'Access to requested resource is denied.';
export const QUOTA_EXCEEDED_MESSAGE = 'You exceeded your quota for the requested resource.';

export function unauthorized(details = ''): Reply {
  return errorReply(403, { code: 'Unauthorized', message: UNAUTHORIZED_MESSAGE, details });
}

export function quotaExceeded(): Reply {
  return errorReply(429, { code: 'QuotaExceeded', message: QUOTA_EXCEEDED_MESSAGE });
}
