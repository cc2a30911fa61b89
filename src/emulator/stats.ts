import type { IncomingHttpHeaders } from 'node:http';

/** Which part of the emulator a request reached. */
export type RequestKind = 'sp-api' | 'lwa' | 'document' | 'consent';

export interface RecordedRequest {
  kind: RequestKind;
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface OperationStats {
  requests: number;
  throttled: number;
}

export interface EmulatorStats {
  /** SP-API calls received (LWA and document downloads are not counted here). */
  requests: number;
  /** SP-API calls answered 429. */
  throttled: number;
  lwaRequests: number;
  /** Document downloads that started a body (GET answered 200 or 206); HEAD, 304 and refusals are not counted. */
  documentDownloads: number;
  /** Body bytes handed to document responses (gzip bytes; a download dropped by a fault may count a little more than arrived). */
  documentBytesServed: number;
  /** Feed document uploads stored (PUT answered 200); refused, failed and reset uploads are not counted. */
  feedUploads: number;
  /** Body bytes of the stored uploads. */
  feedBytesReceived: number;
  /**
   * Requests to the documents origin (downloads and uploads) that carried `x-amz-access-token` or
   * `Authorization`. Presigned URLs need neither, and a client that scopes its SP-API credentials to
   * the SP-API origin never sends them there: tests assert this stays 0.
   */
  credentialsAtDocuments: number;
  /** Keyed by `<model>.<operationId>`; only routed calls. */
  byOperation: Record<string, OperationStats>;
  /** The most recent requests of every kind, oldest first, at most LAST_REQUESTS_KEPT. */
  lastRequests: RecordedRequest[];
}

export const LAST_REQUESTS_KEPT = 100;

/** Counters the tests and benchmarks assert on (e.g. "zero 429s"). */
export class StatsRecorder {
  private stats: EmulatorStats = emptyStats();

  record(request: RecordedRequest): void {
    const last = this.stats.lastRequests;
    last.push(request);
    if (last.length > LAST_REQUESTS_KEPT) last.splice(0, last.length - LAST_REQUESTS_KEPT);
    if (request.kind === 'sp-api') this.stats.requests += 1;
    if (request.kind === 'lwa') this.stats.lwaRequests += 1;
  }

  documentDownload(): void {
    this.stats.documentDownloads += 1;
  }

  documentBytes(bytes: number): void {
    this.stats.documentBytesServed += bytes;
  }

  feedUpload(bytes: number): void {
    this.stats.feedUploads += 1;
    this.stats.feedBytesReceived += bytes;
  }

  credentialsAtDocuments(): void {
    this.stats.credentialsAtDocuments += 1;
  }

  routed(operation: string): void {
    this.operation(operation).requests += 1;
  }

  throttled(operation: string): void {
    this.stats.throttled += 1;
    this.operation(operation).throttled += 1;
  }

  /** A deep copy, so callers can keep it while the emulator goes on counting. */
  snapshot(): EmulatorStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = emptyStats();
  }

  private operation(name: string): OperationStats {
    let entry = this.stats.byOperation[name];
    if (!entry) {
      entry = { requests: 0, throttled: 0 };
      this.stats.byOperation[name] = entry;
    }
    return entry;
  }
}

function emptyStats(): EmulatorStats {
  return { requests: 0, throttled: 0, lwaRequests: 0, documentDownloads: 0, documentBytesServed: 0, feedUploads: 0, feedBytesReceived: 0, credentialsAtDocuments: 0, byOperation: {}, lastRequests: [] };
}
