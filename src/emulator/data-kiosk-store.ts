import { createHash } from 'node:crypto';
import type { RegionCode } from '../core/regions.js';
import { MARKETPLACES as AMAZON_MARKETPLACES } from '../core/regions.js';
import type { ResolvedDataKioskOptions } from './data-kiosk-options.js';
import type { KioskQuery } from './data-kiosk-query.js';
import { kioskRecords, project } from './data-kiosk-records.js';
import { BufferBody } from './documents.js';
import type { DocumentStore } from './documents.js';
import { marketplaceById } from './marketplaces.js';
import type { OrderBook } from './order-data.js';
import { advanceProcessing } from './processing-lifecycle.js';
import type { ProcessingStatus } from './processing-lifecycle.js';
import { SeededRandom } from '../core/random.js';
import { hasSales } from './sales-figures.js';

/*
 * Data Kiosk 2023-11-15 state: queries walk IN_QUEUE -> IN_PROGRESS -> a final status like
 * reports (processing-lifecycle.ts, EmulatorOptions.dataKiosk or reports). The outcome is decided
 * when the query is created, from what Amazon would find (spapi-facts §11, the use case guide):
 * - FATAL with an errorDocumentId (a JSON document `{"errorDetails": "…"}`) for a marketplace id
 *   Amazon does not have or the seller does not sell in (a marketplace outside the seller's
 *   participations, e.g. SE A2NODRKZP88ZB9 or BR A2Q3Y263D00KWC), a startDate after endDate or
 *   more than two years back (the schemas' rule), vendor analytics (the emulated partner is a
 *   seller), queries of the schemas the emulator does not generate (salesAndTrafficTrends,
 *   economicsPreview, economicsSimulation), or a `# emulatorOutcome: FATAL` comment in the query.
 * - DONE with neither dataDocumentId nor errorDocumentId when there is no data: no order in
 *   those marketplaces and dates (a range in the future; FR, IT or PL, where the seller has no
 *   orders), or `# emulatorOutcome: NO_DATA`.
 * - DONE with a dataDocumentId otherwise: JSON Lines of the records (data-kiosk-records.ts),
 *   recordsPerDocument a page; when more remain, pagination.nextToken names the next page.
 * Documents are gzip objects served with Content-Encoding: gzip and no compressionAlgorithm.
 */

export type KioskOutcome = { status: 'DONE'; page: number } | { status: 'NO_DATA' } | { status: 'FATAL'; reason: string };

export interface StoredQuery {
  queryId: string;
  /** The query as submitted. */
  query: string;
  parsed: KioskQuery;
  /** The region whose host serves it (the host it was created on, else its first marketplace's). */
  region: RegionCode;
  createdTime: number;
  status: ProcessingStatus;
  polls: number;
  outcome: KioskOutcome;
  processingStartTime?: number;
  processingEndTime?: number;
  dataDocumentId?: string;
  errorDocumentId?: string;
  /** The next page's index when the result has one (sealed into pagination.nextToken by the handler). */
  nextPage?: number;
}

const TWO_YEARS_MS = 2 * 366 * 86_400_000;
const KNOWN_MARKETPLACES = new Set(AMAZON_MARKETPLACES.map((m) => m.id));

export class DataKioskStore {
  private readonly queries: StoredQuery[] = [];
  private readonly byId = new Map<string, StoredQuery>();
  private readonly byDocument = new Map<string, StoredQuery>();
  private nextId: number;

  constructor(
    private readonly options: { seed: number; dataKiosk: ResolvedDataKioskOptions },
    private readonly orders: OrderBook,
    private readonly documents: DocumentStore,
  ) {
    // Query ids look like Amazon's: eleven digits.
    this.nextId = 54_000_000_000 + new SeededRandom(options.seed ^ 0xd474).int(0, 999_999) * 1000;
  }

  /** Registers an accepted query (IN_QUEUE) for result page `page` and decides where it will end. */
  create(text: string, parsed: KioskQuery, page: number, region: RegionCode | undefined, now: number): StoredQuery {
    this.nextId += 1;
    const marketplaceIds = (parsed.args['marketplaceIds'] as string[] | undefined) ?? [];
    const query: StoredQuery = {
      queryId: String(this.nextId),
      query: text,
      parsed,
      region: region ?? AMAZON_MARKETPLACES.find((m) => m.id === marketplaceIds[0])?.region ?? 'na',
      createdTime: now,
      status: 'IN_QUEUE',
      polls: 0,
      outcome: this.outcomeOf(parsed, page, now),
    };
    this.queries.push(query);
    this.byId.set(query.queryId, query);
    return query;
  }

  find(queryId: string): StoredQuery | undefined {
    return this.byId.get(queryId);
  }

  findByDocument(documentId: string): StoredQuery | undefined {
    return this.byDocument.get(documentId);
  }

  all(): readonly StoredQuery[] {
    return this.queries;
  }

  /** Brings a query's status up to date with the clock; `poll` counts one getQuery. */
  advance(query: StoredQuery, now: number, poll: boolean): void {
    if (advanceProcessing(query, this.options.dataKiosk, now, poll)) this.finish(query, now);
  }

  /**
   * cancelQuery: IN_QUEUE and IN_PROGRESS queries become CANCELLED, a CANCELLED one stays so
   * (the model: a no-op); false for DONE and FATAL.
   */
  cancel(query: StoredQuery, now: number): boolean {
    this.advance(query, now, false);
    if (query.status === 'CANCELLED') return true;
    if (query.status !== 'IN_QUEUE' && query.status !== 'IN_PROGRESS') return false;
    query.status = 'CANCELLED';
    if (query.processingStartTime !== undefined) query.processingEndTime = now;
    return true;
  }

  private outcomeOf(parsed: KioskQuery, page: number, now: number): KioskOutcome {
    const hook = parsed.outcomeHook?.toUpperCase();
    if (hook === 'FATAL') return { status: 'FATAL', reason: 'The query failed: emulatorOutcome is FATAL.' };
    if (hook === 'NO_DATA') return { status: 'NO_DATA' };
    if (hook !== undefined && hook !== 'DONE') return { status: 'FATAL', reason: `Invalid emulatorOutcome "${parsed.outcomeHook ?? ''}" (DONE, NO_DATA or FATAL).` };
    const { name, root, args } = parsed;
    if (name === 'manufacturingView' || name === 'sourcingView') {
      return { status: 'FATAL', reason: `${root}.${name} is available to vendors; the selling partner is a seller.` };
    }
    if (name === 'salesAndTrafficTrends' || name === 'economicsPreview' || name === 'economicsSimulation') {
      return { status: 'FATAL', reason: `The emulator does not generate ${name} results (it does salesAndTrafficByDate, salesAndTrafficByAsin and economics).` };
    }
    const marketplaceIds = (args['marketplaceIds'] as string[] | undefined) ?? [];
    const startDate = String(args['startDate']);
    const endDate = String(args['endDate']);
    if (marketplaceIds.length === 0) return { status: 'FATAL', reason: 'marketplaceIds must name at least one marketplace.' };
    const unknown = marketplaceIds.filter((id) => !KNOWN_MARKETPLACES.has(id));
    if (unknown.length > 0) return { status: 'FATAL', reason: `Invalid marketplaceIds: ${unknown.join(', ')}.` };
    const notSelling = marketplaceIds.filter((id) => !marketplaceById(id));
    if (notSelling.length > 0) return { status: 'FATAL', reason: `The selling partner is not registered in marketplace ${notSelling.join(', ')}.` };
    if (startDate > endDate) return { status: 'FATAL', reason: `startDate ${startDate} is after endDate ${endDate}.` };
    // The static sandbox examples ask for 2023; their fake root keeps working.
    if (name !== 'sampleQuery' && Date.parse(`${startDate}T00:00:00Z`) < now - TWO_YEARS_MS) {
      return { status: 'FATAL', reason: `startDate ${startDate} is more than two years ago.` };
    }
    if (!hasSales(this.orders.all, marketplaceIds, startDate, endDate)) return { status: 'NO_DATA' };
    return { status: 'DONE', page };
  }

  private finish(query: StoredQuery, now: number): void {
    const { outcome } = query;
    query.processingStartTime ??= now;
    query.processingEndTime = now;
    if (outcome.status === 'FATAL') {
      query.status = 'FATAL';
      const body = `${JSON.stringify({ errorDetails: outcome.reason })}\n`;
      query.errorDocumentId = this.register(query, 'error', body, now, 'application/json');
      return;
    }
    query.status = 'DONE';
    if (outcome.status === 'NO_DATA') return;
    const perPage = this.options.dataKiosk.recordsPerDocument;
    const records = kioskRecords(query.parsed, this.orders.all, this.options.seed);
    const page = records.slice(outcome.page * perPage, (outcome.page + 1) * perPage);
    // A token past the last page (a stale one): nothing left, no document.
    if (page.length === 0) return;
    const lines = page.map((record) => `${JSON.stringify(project(record, query.parsed.selection))}\n`).join('');
    query.dataDocumentId = this.register(query, 'data', lines, now, 'text/plain; charset=UTF-8');
    if ((outcome.page + 1) * perPage < records.length) query.nextPage = outcome.page + 1;
  }

  /** Stores a document of the query; its id looks like Amazon's tortuga ids and names the region. */
  private register(query: StoredQuery, kind: 'data' | 'error', text: string, now: number, contentType: string): string {
    const hash = createHash('sha256').update(`${this.options.seed}\n${query.queryId}\n${kind}`).digest('hex');
    const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
    const documentId = `amzn1.tortuga.4.${query.region}.${uuid}.T${hash.slice(32, 45).toUpperCase()}`;
    this.byDocument.set(documentId, query);
    const bytes = Buffer.from(text, 'utf8');
    this.documents.put(documentId, {
      fingerprint: `${documentId}\n${kind}\n${createHash('sha256').update(bytes).digest('hex')}`,
      lastModified: now,
      contentType,
      compression: 'gzip',
      // Data Kiosk documents announce compression only through Content-Encoding (the model).
      contentEncoding: 'always',
      open: () => BufferBody.gzip(bytes),
    });
    return documentId;
  }
}
