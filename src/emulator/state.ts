import type { OperationSpec } from '../core/catalog/types.js';
import { AccessTokens } from './access-tokens.js';
import { Authorizations } from './apps.js';
import { DataKioskStore } from './data-kiosk-store.js';
import { DestinationStore } from './destination-store.js';
import { DocumentStore } from './documents.js';
import { FeedStore } from './feed-store.js';
import { FeedDocuments } from './feed-uploads.js';
import { FaultInjector } from './faults.js';
import { DEFAULT_SELLING_PARTNER_ID } from './options.js';
import type { ResolvedOptions } from './options.js';
import { generateOrders, OrderBook } from './order-data.js';
import { PageTokens } from './page-tokens.js';
import { ProductStore } from './product-store.js';
import { ReportStore } from './report-store.js';
import type { RequestLog } from './request-log.js';
import { Router } from './router.js';
import type { SandboxIndex } from './sandbox/index.js';
import { ShipmentLedger } from './shipments.js';
import { StatsRecorder } from './stats.js';
import { TokenBuckets } from './throttle.js';

/** Everything one emulator instance remembers; nothing lives in module globals. */
export interface EmulatorState {
  options: ResolvedOptions;
  router: Router;
  tokens: AccessTokens;
  buckets: TokenBuckets;
  faults: FaultInjector;
  stats: StatsRecorder;
  pageTokens: PageTokens;
  orders: OrderBook;
  /** The orders' shipments, generated and confirmed: what the Finances APIs post events for. */
  shipments: ShipmentLedger;
  reports: ReportStore;
  /** Data Kiosk queries; their documents live in `documents` with the reports'. */
  dataKiosk: DataKioskStore;
  documents: DocumentStore;
  /** Feed input documents (createFeedDocument) and their uploads, which the documents origin receives. */
  feedDocuments: FeedDocuments;
  /** Feeds; their result documents live in `documents`. */
  feeds: FeedStore;
  destinations: DestinationStore;
  /** Every seller's listings and the catalogue: Listings Items, FBA Inventory, Catalog Items and Pricing read it. */
  products: ProductStore;
  /** rotateApplicationClientSecret calls per client id. */
  rotationRequests: Map<string, number>;
  /** Codes and refresh tokens from the consent page, and its one-time tickets. */
  authorizations: Authorizations;
  /** Static sandbox examples when the emulator runs with `models`; operations without a stateful handler answer from them. */
  sandbox?: SandboxIndex;
  /** The JSON-lines request log when the emulator runs with `log`. */
  requestLog?: RequestLog;
}

export function createState(options: ResolvedOptions, catalog: readonly OperationSpec[], now: number): EmulatorState {
  // Dates hang off the start minute, so two emulators started together agree on every order.
  const anchor = Math.floor(now / 60_000) * 60_000;
  const orders = new OrderBook(generateOrders(options.orders, options.seed, anchor));
  const stats = new StatsRecorder();
  const documents = new DocumentStore(options, stats);
  const feedDocuments = new FeedDocuments(options.seed, documents, stats);
  // The seeded feed history belongs to the default app's seller.
  const products = new ProductStore(options.seed, anchor);
  const seller = options.apps[0]?.refreshTokens[0]?.sellingPartnerId ?? DEFAULT_SELLING_PARTNER_ID;
  return {
    options,
    router: new Router(catalog),
    tokens: new AccessTokens(),
    buckets: new TokenBuckets(),
    faults: new FaultInjector(options.faults, options.seed),
    stats,
    pageTokens: new PageTokens(options.seed),
    orders,
    shipments: new ShipmentLedger(orders.all),
    reports: new ReportStore(options, anchor, orders, documents),
    dataKiosk: new DataKioskStore(options, orders, documents),
    documents,
    feedDocuments,
    feeds: new FeedStore(options, anchor, orders, documents, feedDocuments, products, seller),
    destinations: new DestinationStore(),
    products,
    rotationRequests: new Map(),
    authorizations: new Authorizations(),
  };
}
