import { Agent, request, type Dispatcher } from 'undici';
import type { HttpRequest, HttpResponse, Send } from './types.js';

/** One keep-alive pool for the whole process: paginated calls reuse the TLS connection. */
export function createAgent(): Agent {
  return new Agent({ keepAliveTimeout: 30_000, connections: 8 });
}

/**
 * The last step: undici's request over the shared agent. undici 7 follows no redirects unless asked,
 * so a token injected for an SP-API host can never travel to another host through a 3xx.
 */
export function transport(agent: Agent): Send {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const res = await request(req.url, {
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      dispatcher: agent,
      signal: req.signal,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, headers, body: res.body };
  };
}
