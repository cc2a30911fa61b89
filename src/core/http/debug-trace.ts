import { redactHeader, redactUrl } from './redact.js';
import type { Middleware } from './types.js';

/**
 * SPAPI_DEBUG=1: one line per request and response with allowlisted headers. Bodies are never
 * traced, since token and RDT answers carry secrets.
 */
export function debugTrace(log: (line: string) => void, isApiOrigin: (url: URL) => boolean): Middleware {
  return (next) => async (request) => {
    const started = performance.now();
    const shown = redactUrl(request.url, isApiOrigin(request.url));
    log(`> ${request.method} ${shown}`);
    for (const [name, value] of Object.entries(request.headers)) log(`> ${name}: ${redactHeader(name, value)}`);
    try {
      const response = await next(request);
      log(`< ${response.status} ${request.method} ${shown} (${Math.round(performance.now() - started)} ms)`);
      for (const [name, value] of Object.entries(response.headers)) log(`< ${name}: ${redactHeader(name, value)}`);
      return response;
    } catch (error) {
      log(`< ${request.method} ${shown} failed: ${(error as Error).message}`);
      throw error;
    }
  };
}
