/**
 * The one logger of the app (pino). Redaction is configured here, once, so no call site can
 * forget it: LWA and restricted data tokens, the client secret and buyer PII never reach the log
 * store, even when a whole request or response object is logged by mistake.
 */
import pino from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-amz-access-token"]',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.restrictedDataToken',
  '*.ShippingAddress',
  '*.shippingAddress',
  '*.BuyerInfo',
  '*.buyerInfo',
];

export const logger = pino({
  level: process.env['LOG_LEVEL'] ?? 'info',
  redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  base: { service: 'tv-check-example-app' },
});
