/**
 * A local Selling Partner API + Login with Amazon server for tests, the demo and `spapi emulator`:
 * a real HTTP server on loopback that routes every catalog operation, enforces tokens and usage
 * plans like SP-API, keeps state for a few APIs and pages synthetically through the rest.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGeneratedCatalog } from './catalog.js';
import { CONSENT_PATH } from './consent.js';
import type { Faults } from './faults.js';
import { LWA_TOKEN_PATH } from './lwa.js';
import { resolveOptions } from './options.js';
import type { EmulatorOptions } from './options.js';
import { createRequestListener } from './server.js';
import { createState } from './state.js';
import type { EmulatorStats } from './stats.js';

export {
  DEFAULT_APP,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_SELLING_PARTNER_ID,
} from './options.js';
export type { AppRegistration, EmulatorOptions, RateOverride, RegisteredRefreshToken } from './options.js';
export type { Faults } from './faults.js';
export type { EmulatorStats, OperationStats, RecordedRequest, RequestKind } from './stats.js';
export { GRANTLESS_SCOPES } from './lwa.js';
export { syntheticItemsPath, SYNTHETIC_ITEMS_PER_PAGE } from './synthetic-pagination.js';

export interface EmulatorUrls {
  /** Base URL to use instead of the regional SP-API host (SPAPI_ENDPOINT). */
  spApi: string;
  /** Full LWA token URL, `…/auth/o2/token` (SPAPI_LWA_ENDPOINT). */
  lwa: string;
  /** Consent page URL (SPAPI_CONSENT_URL); a placeholder for now. */
  consent: string;
}

export interface Emulator {
  urls: EmulatorUrls;
  port: number;
  /** A snapshot of the counters since start or the last resetStats(). */
  stats(): EmulatorStats;
  resetStats(): void;
  /** Replaces every injected fault; `status5xx.onCalls` counts calls from this moment. */
  setFaults(faults: Faults): void;
  /** Stops listening and destroys open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Starts an emulator on loopback (a free port unless `port` is given). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const catalog = options.catalog ?? loadGeneratedCatalog();
  const state = createState(resolved, catalog, Date.now());
  const closing = new AbortController();
  let baseUrl = '';
  const server = createServer({ keepAliveTimeout: 5_000 }, createRequestListener(state, () => baseUrl, closing.signal));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    urls: { spApi: baseUrl, lwa: `${baseUrl}${LWA_TOKEN_PATH}`, consent: `${baseUrl}${CONSENT_PATH}` },
    port,
    stats: () => state.stats.snapshot(),
    resetStats: () => state.stats.reset(),
    setFaults: (faults) => state.faults.set(faults),
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for idle keep-alive sockets to time out; tests must exit now.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
