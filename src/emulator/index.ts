/**
 * A local Selling Partner API + Login with Amazon server for tests, the demo and `spapi emulator`:
 * a real HTTP server on loopback that routes every catalog operation, enforces tokens and usage
 * plans like SP-API, keeps state for the APIs integrations test most and answers every other
 * operation from its model (generated.ts).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGeneratedCatalog } from './catalog.js';
import { CONSENT_PATH } from './consent.js';
import type { Faults } from './faults.js';
import { expectsContinue, type FeedDocumentInspection } from './feed-uploads.js';
import { LWA_TOKEN_PATH } from './lwa.js';
import { resolveOptions } from './options.js';
import type { EmulatorOptions } from './options.js';
import { RequestLog } from './request-log.js';
import { loadSandbox } from './sandbox/index.js';
import { createRequestListener } from './server.js';
import type { ListenerUrls } from './server.js';
import { createState } from './state.js';
import type { EmulatorStats } from './stats.js';

export {
  DEFAULT_APP,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_SELLING_PARTNER_ID,
} from './options.js';
export type { EmulatorOptions, RateOverride } from './options.js';
export type { AppRegistration, RegisteredRefreshToken } from './apps.js';
export type { Faults, Status5xxFault } from './faults.js';
export type { ReportsOptions } from './report-options.js';
export type { DataKioskOptions } from './data-kiosk-options.js';
export type { FeedsOptions } from './feed-options.js';
export type { FeedDocumentInspection } from './feed-uploads.js';
export { DEFAULT_APPLICATION_ID, DEFAULT_REDIRECT_URIS, redirectUriMatches } from './apps.js';
export { parseFaultSpec, FAULT_SPEC_SYNTAX } from './fault-spec.js';
export type { EmulatorStats, OperationStats, RecordedRequest, RequestKind } from './stats.js';
export type { RequestLogEntry } from './request-log.js';
export { GRANTLESS_SCOPES } from './lwa.js';
export { syntheticItemsPath, SYNTHETIC_ITEMS_PER_PAGE } from './synthetic-pagination.js';

export interface EmulatorUrls {
  /**
   * Base URL that answers for every region at once (SPAPI_ENDPOINT for a client that sets one base
   * URL): all marketplaces, all orders.
   */
  spApi: string;
  /**
   * The regional hosts, `<spApi>/na`, `<spApi>/eu` and `<spApi>/fe`: each behaves like
   * sellingpartnerapi-<region>.amazon.com, with only that region's marketplaces, orders and reports
   * (another region's marketplace id is a 400 InvalidInput). For SPAPI_ENDPOINT=<spApi>/{region}.
   */
  spApiRegions: { na: string; eu: string; fe: string };
  /** Full LWA token URL, `…/auth/o2/token` (SPAPI_LWA_ENDPOINT). */
  lwa: string;
  /** Consent page URL, `…/apps/authorize/consent` (Seller Central's path; SPAPI_CONSENT_URL takes the base, spApi). */
  consent: string;
  /**
   * Base URL of the document storage, a second port: documents live on another origin than
   * SP-API, as on Amazon, so x-amz-access-token scoping can be tested. getReportDocument (and
   * getFeedDocument, getDocument) hand out
   * `<documents>/documents/<id>?X-Amz-Date=…&X-Amz-Expires=300&…&X-Amz-Signature=…` (S3-style
   * presigned GET); createFeedDocument hands out the same form with
   * `X-Amz-SignedHeaders=content-type%3Bhost`, a presigned PUT for the upload.
   */
  documents: string;
}

export interface Emulator {
  urls: EmulatorUrls;
  /** The SP-API/LWA port. */
  port: number;
  /** A snapshot of the counters since start or the last resetStats(). */
  stats(): EmulatorStats;
  resetStats(): void;
  /**
   * Replaces every injected fault; `status5xx.onCalls`, `resetDocument.onDownloads`,
   * `expireDocument.onDownloads`, `resetUpload.onUploads`, `failUpload.onUploads` and
   * `fatalFeed.onFeeds` count from this moment, probabilities restart from the seed.
   */
  setFaults(faults: Faults): void;
  /**
   * Makes every document URL handed out so far expired: downloads are refused with S3's 403
   * "Request has expired", exactly as after the real X-Amz-Expires (the storage clock moves past
   * it). URLs from later getReportDocument/getDocument calls work. For testing URL refresh
   * without waiting five minutes.
   */
  expireDocumentUrls(): void;
  /**
   * What the emulator knows about a feed document from createFeedDocument: the contentType it was
   * created with, and of the last stored upload its Content-Type, size, sha256 and header names,
   * plus the number of stored uploads. Undefined for an unknown id.
   */
  feedDocument(feedDocumentId: string): FeedDocumentInspection | undefined;
  /** Stops listening and destroys open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Starts an emulator on loopback (a free port unless `port` is given). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const catalog = options.catalog ?? loadGeneratedCatalog();
  const state = createState(resolved, catalog, Date.now());
  if (options.models !== undefined) state.sandbox = loadSandbox(options.models);
  if (resolved.log !== undefined) state.requestLog = RequestLog.open(resolved.log);
  const closing = new AbortController();
  const urls: ListenerUrls = { spApi: '', documents: '' };
  const api = createServer({ keepAliveTimeout: 5_000 }, createRequestListener(state, 'api', () => urls, closing.signal));
  const documentsListener = createRequestListener(state, 'documents', () => urls, closing.signal);
  const documents = createServer({ keepAliveTimeout: 5_000 }, documentsListener);
  documents.on('checkContinue', (req, res) => {
    expectsContinue(req, res);
    documentsListener(req, res);
  });

  try {
    urls.spApi = await listen(api, resolved.port, resolved.host);
    urls.documents = await listen(documents, 0, resolved.host);
  } catch (error) {
    await Promise.all([api, documents].map(stop));
    await state.requestLog?.close();
    await state.feedDocuments.close();
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    urls: {
      spApi: urls.spApi,
      spApiRegions: regionalUrls(urls.spApi),
      lwa: `${urls.spApi}${LWA_TOKEN_PATH}`,
      consent: `${urls.spApi}${CONSENT_PATH}`,
      documents: urls.documents,
    },
    port: (api.address() as AddressInfo).port,
    stats: () => state.stats.snapshot(),
    resetStats: () => state.stats.reset(),
    setFaults: (faults) => state.faults.set(faults),
    expireDocumentUrls: () => state.documents.expireUrls(),
    feedDocument: (feedDocumentId) => state.feedDocuments.inspect(feedDocumentId),
    close() {
      if (!closed) {
        closing.abort();
        closed = Promise.all([api, documents].map(stop))
          // The responses' 'close' events (which write their log lines) follow the sockets' teardown.
          .then(() => new Promise((resolve) => setImmediate(resolve)))
          .then(() => Promise.all([state.requestLog?.close(), state.feedDocuments.close()]))
          .then(() => undefined);
      }
      return closed;
    },
  };
}

// The prefixes splitRegion() (regional-hosts.ts) strips.
function regionalUrls(spApi: string): EmulatorUrls['spApiRegions'] {
  return { na: `${spApi}/na`, eu: `${spApi}/eu`, fe: `${spApi}/fe` };
}

/** Listens and returns the server's base URL. */
function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve(`http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    // close() alone waits for idle keep-alive sockets to time out; tests must exit now.
    server.closeAllConnections();
  });
}
