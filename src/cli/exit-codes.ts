import type { ErrorKind } from '../core/errors.js';

/** The one table of exit codes (design §2); the README's table is checked against it. */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  throttled: 4,
  report: 5,
  pending: 6,
  /** EX_SOFTWARE of sysexits.h: a bug or a failure spapi could not classify — never 0 or 1, so CI fails closed. */
  internal: 70,
  interrupted: 130,
} as const;

export const EXIT_DESCRIPTIONS: ReadonlyArray<[number, string]> = [
  [0, 'success, including an empty result'],
  [1, 'API or network failure after retries; tv-check findings at or above --fail-on'],
  [2, 'usage: bad flag, unknown operation, invalid parameter, region/marketplace mismatch — before any request is sent'],
  [3, 'authentication: no credentials, invalid_grant, invalid_client, keychain unavailable without a fallback'],
  [4, 'throttled: the quota did not free up within the retry budget or --max-wait'],
  [5, 'a report, Data Kiosk query or feed ended CANCELLED or FATAL, or a feed processing report has errors (--fail-on)'],
  [6, 'still pending when --timeout ran out'],
  [70, 'internal error: a bug, a rule that crashed, a file spapi could not write (EX_SOFTWARE); never 0 or 1, so a CI gate fails closed'],
  [130, 'interrupted'],
];

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'usage': return EXIT_CODES.usage;
    case 'auth': return EXIT_CODES.auth;
    case 'throttled': return EXIT_CODES.throttled;
    case 'report': return EXIT_CODES.report;
    case 'pending': return EXIT_CODES.pending;
    case 'interrupted': return EXIT_CODES.interrupted;
    case 'internal': return EXIT_CODES.internal;
    case 'api':
    case 'network':
    case 'findings':
      return EXIT_CODES.failure;
  }
}
