import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadDocument, pollUntil } from '../../src/core/documents/index.js';
import type { DocumentSource } from '../../src/core/documents/index.js';
import { DocumentStoreError } from '../../src/core/documents/store-error.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { accessTokensSeen, callEmulator, sellerAccessToken } from '../helpers/emulator.js';

/*
 * downloadDocument against the emulator's document storage (a second loopback origin that behaves
 * like S3 behind presigned URLs): the report lifecycle with pollUntil, a resumed download after the
 * reset-doc fault, Content-Encoding: gzip URLs, an expired URL refreshed through getReportDocument,
 * formats of a real flat file and of a FATAL report's JSON error document.
 */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('documents-download: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const ORDERS_REPORT = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';
const MIB = 1024 * 1024;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface ReportDocument extends DocumentSource {
  reportDocumentId: string;
}

class Reports {
  private token = '';

  constructor(readonly emulator: Emulator) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.token ||= await sellerAccessToken(this.emulator);
    const reply = await callEmulator<T>(this.emulator, this.token, method, path, body);
    if (reply.status >= 300) throw new Error(`${method} ${path} answered ${reply.status}`);
    return reply.body;
  }

  /** createReport, then pollUntil DONE/CANCELLED/FATAL (fake sleep: the emulator counts polls, not time). */
  async finished(reportOptions?: Record<string, string>): Promise<{ processingStatus: string; reportDocumentId?: string }> {
    const { reportId } = await this.call<{ reportId: string }>('POST', '/reports/2021-06-30/reports', { reportType: ORDERS_REPORT, marketplaceIds: [US], ...(reportOptions ? { reportOptions } : {}) });
    const statuses: string[] = [];
    const report = await pollUntil({
      check: () => this.call<{ processingStatus: string; reportDocumentId?: string }>('GET', `/reports/2021-06-30/reports/${reportId}`),
      isDone: (r) => ['DONE', 'CANCELLED', 'FATAL'].includes(r.processingStatus),
      onStatus: (r) => statuses.push(r.processingStatus),
      sleep: async () => undefined,
      timeoutMs: 60_000,
    });
    expect(statuses.slice(0, -1).every((s) => s === 'IN_QUEUE' || s === 'IN_PROGRESS')).toBe(true);
    return report;
  }

  async document(documentId: string, query = ''): Promise<ReportDocument> {
    return this.call<ReportDocument>('GET', `/reports/2021-06-30/documents/${documentId}${query}`);
  }

  async sized(bytes: number): Promise<ReportDocument> {
    const report = await this.finished({ emulatorSizeBytes: String(bytes) });
    expect(report.processingStatus).toBe('DONE');
    return this.document(report.reportDocumentId ?? '');
  }
}

/** The document's stored gzip bytes, fetched plainly, gunzipped here: what a download must produce. */
async function expectedPlain(url: string): Promise<Buffer> {
  const response = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  return gunzipSync(Buffer.from(await response.arrayBuffer()));
}

describe.skipIf(!catalogPresent)('downloadDocument against the emulator', () => {
  let emulator: Emulator;
  let reports: Reports;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    reports = new Reports(emulator);
    dir = mkdtempSync(join(tmpdir(), 'spapi-documents-'));
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads a report document (gunzip per compressionAlgorithm) with no access token reaching the documents origin', async () => {
    const doc = await reports.sized(3 * MIB + 17);
    expect(doc.compressionAlgorithm).toBe('GZIP');
    const expected = await expectedPlain(doc.url);
    emulator.resetStats();
    const out = join(dir, 'orders.tsv');
    const progress: number[] = [];
    const result = await downloadDocument(doc, { out, onProgress: (p) => progress.push(p.received) });
    expect(sha256(readFileSync(out))).toBe(sha256(expected));
    expect(result).toMatchObject({ bytesWritten: expected.length, resumes: 0, restarts: 0, refreshed: 0, charset: 'UTF-8', contentType: 'text/plain; charset=UTF-8' });
    expect(progress.at(-1)).toBe(result.bytesDownloaded);
    const documentRequests = emulator.stats().lastRequests.filter((r) => r.kind === 'document');
    expect(documentRequests).toHaveLength(1);
    expect(accessTokensSeen(emulator)).toEqual([]);
    for (const request of documentRequests) {
      expect(Object.keys(request.headers).filter((name) => /^(authorization|x-amz-access-token|x-amz-date|x-amzn-|user-agent$)/i.test(name))).toEqual([]);
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('resumes a download the reset-doc fault drops mid-body: Range + If-Range, output identical to the source', async () => {
    const doc = await reports.sized(8 * MIB + 4321);
    const expected = await expectedPlain(doc.url);
    emulator.resetStats();
    emulator.setFaults({ resetDocument: { onDownloads: [1] } });
    try {
      const out = join(dir, 'resumed.tsv');
      const result = await downloadDocument(doc, { out, resumeDelayMs: 1 });
      expect(result.resumes).toBe(1);
      expect(result.restarts).toBe(0);
      expect(sha256(readFileSync(out))).toBe(sha256(expected));
      const requests = emulator.stats().lastRequests.filter((r) => r.kind === 'document');
      expect(requests).toHaveLength(2);
      expect(requests[0]?.headers.range).toBeUndefined();
      expect(requests[1]?.headers.range).toMatch(/^bytes=\d+-$/);
      expect(requests[1]?.headers['if-range']).toMatch(/^"[0-9a-f]{32}"$/);
      expect(accessTokensSeen(emulator)).toEqual([]);
    } finally {
      emulator.setFaults({});
    }
  });

  it('a URL with Content-Encoding: gzip is gunzipped once, with or without compressionAlgorithm (Data Kiosk has none)', async () => {
    const report = await reports.finished({ emulatorSizeBytes: String(MIB) });
    const plain = await reports.document(report.reportDocumentId ?? '');
    const encoded = await reports.document(report.reportDocumentId ?? '', '?enableContentEncodingUrlHeader=true');
    const expected = await expectedPlain(plain.url);
    for (const [name, source] of [
      ['with compressionAlgorithm', encoded],
      ['Data Kiosk style', { url: encoded.url }],
    ] as const) {
      const out = join(dir, `encoded-${name}.tsv`);
      const result = await downloadDocument(source, { out });
      expect(sha256(readFileSync(out)), name).toBe(sha256(expected));
      expect(result.contentType).toBe('text/plain; charset=UTF-8');
      expect(result.charset).toBe('UTF-8');
    }
  });

  it('converts the flat file to csv, json and ndjson with one record per row', async () => {
    const report = await reports.finished();
    const doc = await reports.document(report.reportDocumentId ?? '');
    const tsv = (await expectedPlain(doc.url)).toString('utf8');
    const [header, ...rows] = tsv.trimEnd().split('\n').map((line) => line.split('\t'));
    const objects = rows.map((row) => Object.fromEntries((header ?? []).map((name, i) => [name, row[i] ?? ''])));
    const json = join(dir, 'orders.json');
    await downloadDocument(doc, { out: json, format: 'json' });
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(objects);
    const ndjson = join(dir, 'orders.ndjson');
    await downloadDocument(doc, { out: ndjson, format: 'ndjson' });
    expect(readFileSync(ndjson, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(objects);
    const csv = join(dir, 'orders.csv');
    await downloadDocument(doc, { out: csv, format: 'csv' });
    const csvText = readFileSync(csv, 'utf8');
    expect(csvText.split('\n')[0]).toBe((header ?? []).join(','));
    expect(csvText.trimEnd().split('\n')).toHaveLength(rows.length + 1);
  });

  it("a FATAL report's JSON error document comes out as JSON whatever the format", async () => {
    const report = await reports.finished({ emulatorOutcome: 'FATAL' });
    expect(report.processingStatus).toBe('FATAL');
    const doc = await reports.document(report.reportDocumentId ?? '');
    const raw = join(dir, 'error.raw');
    await downloadDocument(doc, { out: raw });
    const errorDocument = JSON.parse(readFileSync(raw, 'utf8')) as unknown;
    const ndjson = join(dir, 'error.ndjson');
    await downloadDocument(doc, { out: ndjson, format: 'ndjson' });
    expect(JSON.parse(readFileSync(ndjson, 'utf8'))).toEqual(errorDocument);
    const json = join(dir, 'error.json');
    await downloadDocument(doc, { out: json, format: 'json' });
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual([errorDocument]);
  });

  it('an expired URL calls refresh (a fresh getReportDocument) and the download goes on; without refresh it is a DocumentStoreError', async () => {
    const shortLived = await startEmulator({ rateScale: 100_000 });
    try {
      const client = new Reports(shortLived);
      const doc = await client.sized(256 * 1024);
      const expected = await expectedPlain(doc.url);
      // Every URL handed out so far is past its X-Amz-Expires now, without waiting for it.
      shortLived.expireDocumentUrls();

      const failed = await downloadDocument(doc, { out: join(dir, 'expired.tsv') }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(DocumentStoreError);
      expect(failed).toMatchObject({ kind: 'api', status: 403, code: 'AccessDenied' });
      expect((failed as Error).message).toContain('Request has expired');
      expect((failed as Error).message).not.toContain('X-Amz-Signature');
      expect((failed as DocumentStoreError).hint).toMatch(/getReportDocument/);
      expect(existsSync(join(dir, 'expired.tsv'))).toBe(false);

      let refreshes = 0;
      const out = join(dir, 'refreshed.tsv');
      const result = await downloadDocument(doc, {
        out,
        refresh: async () => {
          refreshes += 1;
          return client.document(doc.reportDocumentId);
        },
      });
      expect(refreshes).toBe(1);
      expect(result.refreshed).toBe(1);
      expect(sha256(readFileSync(out))).toBe(sha256(expected));
    } finally {
      await shortLived.close();
    }
  });
});
