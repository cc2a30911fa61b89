import type { ServerResponse } from 'node:http';

/** The consent page path, as on Seller Central (`/apps/authorize/consent`). */
export const CONSENT_PATH = '/apps/authorize/consent';

/**
 * Placeholder: the OAuth consent flow (consent page -> redirect with spapi_oauth_code ->
 * authorization_code grant) arrives with the login work; until then the URL answers 501 so a
 * client pointed at it fails loudly rather than hanging.
 */
export function serveConsent(res: ServerResponse): void {
  const body = '<!doctype html><title>spapi emulator</title><p>The consent page is not emulated yet.</p>\n';
  res.writeHead(501, { 'content-type': 'text/html;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
