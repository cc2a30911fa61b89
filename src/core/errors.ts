/**
 * Typed errors of the library. The CLI maps each kind to one exit code in cli/main.ts;
 * nothing in core decides an exit code or prints.
 */
export type ErrorKind = 'usage' | 'auth' | 'api' | 'network' | 'throttled' | 'report' | 'pending' | 'interrupted' | 'findings' | 'internal';

export class SpapiError extends Error {
  readonly kind: ErrorKind;
  /** A next step for the user, printed after the message. */
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: { hint?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.hint = options.hint;
  }
}

/** Bad flags, unknown operation, invalid parameters, region mismatch: raised before any request. */
export class UsageError extends SpapiError {
  /** Every problem found, so the user can fix them in one go. */
  readonly problems: string[];

  constructor(message: string, options: { hint?: string; problems?: string[] } = {}) {
    super('usage', message, options);
    this.problems = options.problems ?? [];
  }
}

/** No credentials, invalid_grant, invalid_client, keychain unavailable. */
export class AuthError extends SpapiError {
  /** Login with Amazon's own error code (invalid_grant, invalid_client, …) when LWA refused. */
  readonly lwaCode: string | undefined;
  /** LWA's error_description, one short line, when it sent one. */
  readonly lwaDescription: string | undefined;

  constructor(message: string, options: { hint?: string | undefined; cause?: unknown; lwaCode?: string; lwaDescription?: string } = {}) {
    super('auth', message, options);
    this.lwaCode = options.lwaCode;
    this.lwaDescription = options.lwaDescription;
  }
}

export interface ApiErrorEntry {
  code: string;
  message: string;
  details?: string;
}

/** An HTTP error answer from SP-API (after retries). The body is kept as the API sent it. */
export class ApiError extends SpapiError {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly errors: ApiErrorEntry[];
  readonly body: string;

  constructor(status: number, body: string, requestId: string | undefined, errors: ApiErrorEntry[], hint?: string) {
    const first = errors[0];
    const summary = first ? `${first.code}: ${first.message}` : `HTTP ${status}`;
    super('api', `${status} ${summary}`, { hint });
    this.status = status;
    this.requestId = requestId;
    this.errors = errors;
    this.body = body;
  }
}

/** Connection failures after retries. */
export class NetworkError extends SpapiError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('network', message, options);
  }
}

/** The quota did not free up within the retry budget or --max-wait. */
export class ThrottledError extends SpapiError {
  readonly requestId: string | undefined;
  readonly body: string | undefined;

  constructor(message: string, options: { hint?: string; requestId?: string | undefined; body?: string } = {}) {
    super('throttled', message, options);
    this.requestId = options.requestId;
    this.body = options.body;
  }
}

/** A report ended CANCELLED or FATAL. */
export class ReportFailedError extends SpapiError {
  readonly status: 'CANCELLED' | 'FATAL';

  constructor(status: 'CANCELLED' | 'FATAL', message: string, hint?: string) {
    super('report', message, { hint });
    this.status = status;
  }
}

/**
 * A feed ended CANCELLED or FATAL, or its processing report has errors (or warnings, with
 * --fail-on warning). The summary, when there is one, has already been returned or printed.
 */
export class FeedFailedError extends SpapiError {
  readonly status: 'CANCELLED' | 'FATAL' | 'DONE';
  readonly feedId: string;

  constructor(status: 'CANCELLED' | 'FATAL' | 'DONE', feedId: string, message: string, hint?: string) {
    super('report', message, { hint });
    this.status = status;
    this.feedId = feedId;
  }
}

/** Still pending when --timeout ran out. */
export class PendingError extends SpapiError {
  constructor(message: string, hint?: string) {
    super('pending', message, { hint });
  }
}

/** The user interrupted (Ctrl-C, a cancelled prompt). */
export class InterruptedError extends SpapiError {
  constructor(message = 'interrupted') {
    super('interrupted', message);
  }
}

/** tv-check judged the repository and found problems at or above --fail-on (the report is already out). */
export class FindingsError extends SpapiError {
  constructor(message: string, hint?: string) {
    super('findings', message, { hint });
  }
}
