import type { DocumentSource } from '../documents/index.js';
import { pollUntil, readErrorReason } from '../documents/index.js';
import { ReportFailedError, SpapiError } from '../errors.js';
import { isFinished, pollInterval, type ProcessingStatus, type WaitOptions } from '../lifecycle.js';
import type { Operations } from '../operations.js';
import { compactQuery } from './compact.js';

/** The Data Kiosk API 2023-11-15 operations (spapi-facts §11). */
export const DATAKIOSK_OPS = {
  create: 'dataKiosk_2023-11-15.createQuery',
  get: 'dataKiosk_2023-11-15.getQuery',
  list: 'dataKiosk_2023-11-15.getQueries',
  cancel: 'dataKiosk_2023-11-15.cancelQuery',
  document: 'dataKiosk_2023-11-15.getDocument',
} as const;

export type QueryStatus = ProcessingStatus;

export interface Query {
  queryId: string;
  query: string;
  processingStatus: QueryStatus;
  createdTime?: string;
  processingStartTime?: string;
  processingEndTime?: string;
  dataDocumentId?: string;
  errorDocumentId?: string;
  pagination?: { nextToken?: string };
}


/** createQuery with the query compacted (and refused over Amazon's cap before sending). */
export async function createQuery(ops: Operations, query: string, paginationToken?: string, signal?: AbortSignal): Promise<string> {
  const body = { query: compactQuery(query), ...(paginationToken ? { paginationToken } : {}) };
  const answer = await ops.json<{ queryId?: string }>(DATAKIOSK_OPS.create, { body, signal });
  if (!answer?.queryId) throw new SpapiError('api', 'createQuery answered without a queryId');
  return answer.queryId;
}

export async function getQuery(ops: Operations, queryId: string, signal?: AbortSignal): Promise<Query> {
  const query = await ops.json<Query>(DATAKIOSK_OPS.get, { params: [['queryId', queryId]], signal });
  if (!query) throw new SpapiError('api', `getQuery ${queryId} answered with no body`);
  return query;
}

/** getDocument → a document source: Data Kiosk documents are compressed only by Content-Encoding. */
export async function getQueryDocument(ops: Operations, documentId: string, signal?: AbortSignal): Promise<DocumentSource & { documentId: string }> {
  const answer = await ops.json<{ documentId: string; documentUrl?: string }>(DATAKIOSK_OPS.document, { params: [['documentId', documentId]], signal });
  if (!answer?.documentUrl) throw new SpapiError('api', `getDocument ${documentId} answered without a documentUrl`);
  return { documentId: answer.documentId ?? documentId, url: answer.documentUrl };
}

/**
 * Polls getQuery until the query is finished. DONE returns it (with or without a data document:
 * without one there was no data); CANCELLED and FATAL throw ReportFailedError, FATAL with the
 * reason from its error document. Timing out throws PendingError.
 */
export async function waitForQuery(
  ops: Operations,
  queryId: string,
  options: WaitOptions<Query>,
): Promise<Query> {
  const query = await pollUntil({
    check: () => getQuery(ops, queryId, options.signal),
    isDone: (q: Query) => isFinished(q.processingStatus),
    timeoutMs: options.timeoutMs,
    minIntervalMs: pollInterval(ops, DATAKIOSK_OPS.get),
    describe: (q: Query, elapsedMs: number) => `Data Kiosk query ${queryId} is still ${q.processingStatus} after ${Math.round(elapsedMs / 1000)} s`,
    timeoutHint: `check it later with \`spapi datakiosk queries status ${queryId}\``,
    signal: options.signal,
    onStatus: options.onStatus,
    sleep: options.sleep,
    now: options.now,
  });
  if (query.processingStatus === 'CANCELLED') throw new ReportFailedError('CANCELLED', `Data Kiosk query ${queryId} was CANCELLED`);
  if (query.processingStatus === 'FATAL') {
    const documentId = query.errorDocumentId;
    const reason = documentId
      ? await getQueryDocument(ops, documentId, options.signal).then((document) => readErrorReason(document, { signal: options.signal }), () => undefined)
      : undefined;
    throw new ReportFailedError('FATAL', `Data Kiosk query ${queryId} ended FATAL${reason ? `: ${reason}` : ''}`, reason ? undefined : 'check the query against its schema and the roles it needs (Sales and Traffic needs Brand Analytics)');
  }
  return query;
}
