import { createWriteStream, openSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RegionCode } from '../core/regions.js';

/**
 * One line of the request log (EmulatorOptions.log), written when the emulator has answered.
 * Deliberately without headers, bodies or the query string: those carry access tokens, RDTs,
 * refresh tokens and client secrets (LWA form), consent `state` values and the signatures of
 * presigned document URLs. What is left is safe to keep as a CI artifact.
 */
export interface RequestLogEntry {
  /** When the request arrived (ISO 8601). */
  time: string;
  method: string;
  /** The path as sent, regional prefix included, without the query string. */
  path: string;
  /** `<model>.<operationId>` of a routed SP-API call (null when none matched); `lwa`, `consent` or `document` for the other servers. */
  operation: string | null;
  /** The status sent, or null when the connection ended before a response started. */
  status: number | null;
  /** The x-amzn-RequestId header sent, if any (document storage sends S3's x-amz-request-id instead: null). */
  requestId: string | null;
  /** Answered 429 by the usage plan or an injected throttle fault. */
  throttled: boolean;
  /** The regional host (`<spApi>/na/…`) of an SP-API call; null at the root and for LWA, consent and documents. */
  region: RegionCode | null;
  /** Milliseconds from the request's arrival to the end of its response. */
  ms: number;
}

/** An append-only JSON-lines file, opened once; entries are written as requests finish, never collected. */
export class RequestLog {
  private closed = false;

  private constructor(private readonly stream: WriteStream) {
    // A full disk must not take the emulator down with an unhandled 'error': the log just stops.
    stream.on('error', () => {
      this.closed = true;
    });
  }

  /** Opens (creates or appends to) `path` now, so a bad path fails startEmulator instead of a later request. */
  static open(path: string): RequestLog {
    const fd = openSync(path, 'a');
    return new RequestLog(createWriteStream(path, { fd, flags: 'a' }));
  }

  write(entry: RequestLogEntry): void {
    if (this.closed) return;
    this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  /** Flushes what was written and closes the file (resolves once the descriptor is closed); later entries are dropped. */
  close(): Promise<void> {
    this.closed = true;
    if (this.stream.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
  }
}

/** What the server learns about a request while answering it; the log entry reads it at the end. */
export interface RequestNote {
  operation: string | null;
  throttled: boolean;
  region: RegionCode | null;
}

/** Writes `req`'s entry to `log` once its response is over (sent in full, or the connection dropped). */
export function logWhenAnswered(log: RequestLog, req: IncomingMessage, res: ServerResponse, note: RequestNote): void {
  const time = new Date().toISOString();
  const started = performance.now();
  res.once('close', () => {
    const requestId = res.getHeader('x-amzn-RequestId');
    log.write({
      time,
      method: req.method ?? 'GET',
      path: (req.url ?? '/').replace(/[?#].*$/s, ''),
      operation: note.operation,
      status: res.headersSent ? res.statusCode : null,
      requestId: typeof requestId === 'string' ? requestId : null,
      throttled: note.throttled,
      region: note.region,
      ms: Math.round((performance.now() - started) * 1000) / 1000,
    });
  });
}
