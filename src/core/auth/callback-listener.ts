import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { consentErrorHint, LOGIN_TIMEOUT_HINT } from '../error-hints.js';
import { AuthError, PendingError, UsageError } from '../errors.js';
import { interpretCallback, type InterpretOptions } from './callback.js';
import { LoginState } from './login-state.js';

export interface ListenerOptions {
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  host?: string | undefined;
  path?: string | undefined;
  /** An https listener (a user certificate, e.g. for a hosts-mapped name). */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  /** The redirect URI registered with Amazon; defaults to this listener's own URL. */
  redirectUri?: string | undefined;
  /** Public host name for the listener URL (e.g. a hosts-mapped name for the https mode). */
  publicHost?: string | undefined;
  draft?: boolean | undefined;
  isTrustedCallback: InterpretOptions['isTrustedCallback'];
}

export interface CallbackResult {
  code: string;
  sellingPartnerId: string | undefined;
}

/** Pages show no input back: nothing from the query is ever reflected. */
function page(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto"><h1>${title}</h1><p>${text}</p></body></html>`);
}

/**
 * A one-shot listener on a loopback address that waits for the consent redirect. Only the callback
 * path is served; a request with a missing, wrong or replayed state gets 400 and the wait goes on
 * until the code arrives or the timeout ends it.
 */
export class CallbackListener {
  readonly state: LoginState;
  readonly url: string;
  readonly redirectUri: string;
  readonly #server: Server;
  readonly #options: ListenerOptions;
  readonly #path: string;
  #settle: { resolve: (r: CallbackResult) => void; reject: (e: Error) => void } | undefined;
  readonly #result: Promise<CallbackResult>;

  private constructor(server: Server, port: number, options: ListenerOptions) {
    this.#server = server;
    this.#options = options;
    this.#path = options.path ?? '/callback';
    this.state = new LoginState(port);
    const scheme = options.tls ? 'https' : 'http';
    const host = options.publicHost ?? (options.host ?? '127.0.0.1');
    this.url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${this.#path}`;
    this.redirectUri = options.redirectUri ?? this.url;
    this.#result = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    this.#result.catch(() => undefined);
  }

  /** Binds the listener; a taken port is a usage error (exit 2) naming the fix. */
  static async start(options: ListenerOptions): Promise<CallbackListener> {
    const host = options.host ?? '127.0.0.1';
    let listener: CallbackListener | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): void => listener?.handle(req, res);
    const server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') reject(new UsageError(`port ${options.port ?? 0} on ${host} is in use`, { hint: 'pass another --port, or --port 0 for a free one' }));
        else if (error.code === 'EACCES') reject(new UsageError(`port ${options.port ?? 0} on ${host} needs privileges`, { hint: 'pass a port above 1023, or --port 0' }));
        else reject(error);
      });
      server.listen(options.port ?? 0, host, () => resolve());
    });
    listener = new CallbackListener(server, (server.address() as AddressInfo).port, options);
    return listener;
  }

  /** Resolves with the code, or rejects with PendingError after timeoutMs (exit 6) or AuthError when Amazon refused. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<CallbackResult> {
    const timer = setTimeout(() => {
      this.#settle?.reject(new PendingError(`no authorization arrived within ${Math.round(timeoutMs / 1000)} s`, LOGIN_TIMEOUT_HINT));
    }, timeoutMs);
    const onAbort = (): void => this.#settle?.reject(signal?.reason as Error);
    // Ctrl-C while the browser was being opened comes before the wait: an aborted signal fires no event.
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    return this.#result.finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  }

  /** Ends the wait with a result obtained elsewhere (`--manual`) or an error. */
  settle(result: CallbackResult | Error): void {
    if (result instanceof Error) this.#settle?.reject(result);
    else this.#settle?.resolve(result);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== this.#path) {
      page(res, 404, 'Not found', 'This address only receives the Amazon authorization redirect.');
      return;
    }
    const outcome = interpretCallback(url.searchParams, {
      state: this.state,
      redirectUri: this.redirectUri,
      draft: this.#options.draft,
      isTrustedCallback: this.#options.isTrustedCallback,
    });
    switch (outcome.kind) {
      case 'hop':
        res.writeHead(302, { location: outcome.location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
        res.end();
        return;
      case 'rejected':
        page(res, 400, 'Not accepted', 'This authorization does not belong to the login spapi is waiting for. Start it again from the terminal.');
        return;
      case 'denied':
        page(res, 400, 'Authorization failed', 'Amazon did not authorize the app. The terminal says why.');
        this.#settle?.reject(new AuthError(outcome.message, { hint: consentErrorHint(outcome.code) }));
        return;
      case 'code':
        page(res, 200, 'spapi is authorized', 'You can close this tab and return to the terminal.');
        this.#settle?.resolve({ code: outcome.code, sellingPartnerId: outcome.sellingPartnerId });
    }
  }
}
