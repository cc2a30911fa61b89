import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Agent, Dispatcher } from 'undici';
import type { HttpRequest, HttpResponse, Send } from './types.js';

type RequestResult = Dispatcher.ResponseData;
type ApiRequest = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<RequestResult>;

/*
 * Loading undici's index costs ~110 ms here (fetch, WebSocket, caches, mocks and interceptors are
 * all evaluated), half of a `spapi call`'s start-up; the engine needs only the Agent and the
 * request API, which load in ~50 ms. undici has no "exports" map, so these paths are public; should
 * a future version move them, the index is the fallback.
 */
const require = createRequire(import.meta.url);
let undici: { Agent: typeof Agent; request: ApiRequest } | undefined;

function load(): { Agent: typeof Agent; request: ApiRequest } {
  if (undici) return undici;
  try {
    undici = {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Agent,
      request: require('undici/lib/api/api-request.js') as ApiRequest,
    };
  } catch {
    const full = require('undici') as typeof import('undici');
    undici = { Agent: full.Agent, request: (full.Dispatcher.prototype as unknown as { request: ApiRequest }).request };
  }
  return undici;
}

/** One keep-alive pool for the whole process: paginated calls reuse the TLS connection. */
export function createAgent(): Agent {
  const { Agent: AgentClass } = load();
  return new AgentClass({ keepAliveTimeout: 30_000, connections: 8 });
}

export interface RawRequest {
  method: string;
  headers: Record<string, string>;
  /** A string, or a stream (a feed file uploaded to its presigned URL: its Content-Length is the caller's to set). */
  body?: string | Readable | undefined;
  signal?: AbortSignal | undefined;
}

/** undici's request() on a given dispatcher, without the index's global-dispatcher wrapper. */
export function undiciRequest(dispatcher: Dispatcher, url: URL, raw: RawRequest): Promise<RequestResult> {
  return load().request.call(dispatcher, {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: raw.method as Dispatcher.HttpMethod,
    headers: raw.headers,
    ...(raw.body === undefined ? {} : { body: raw.body }),
    ...(raw.signal ? { signal: raw.signal } : {}),
  });
}

/**
 * The last step: undici's request over the shared agent. undici 7 follows no redirects unless asked,
 * so a token injected for an SP-API host can never travel to another host through a 3xx.
 */
export function transport(agent: Agent): Send {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const res = await undiciRequest(agent, req.url, req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, headers, body: res.body };
  };
}
