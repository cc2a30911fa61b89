import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';

/* Reports 2021-06-30 lifecycle and documents, and the grantless Notifications destinations. */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-reports: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const ORDERS_REPORT = 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL';
const SEEDED_TYPES = [ORDERS_REPORT, 'GET_MERCHANT_LISTINGS_ALL_DATA', 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA', 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE'];

interface Report {
  reportId: string;
  reportType: string;
  processingStatus: string;
  createdTime: string;
  reportDocumentId?: string;
}

let emulator: Emulator;

async function accessToken(fields: Record<string, string>): Promise<string> {
  const response = await fetch(emulator.urls.lwa, { method: 'POST', body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, ...fields }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function call<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${emulator.urls.spApi}${path}`, {
    method,
    headers: { 'x-amz-access-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

function errorCode(body: unknown): string | undefined {
  return (body as { errors?: Array<{ code: string }> }).errors?.[0]?.code;
}

describe.skipIf(!catalogPresent)('emulated reports', () => {
  let seller = '';
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    seller = await accessToken({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('creates a report that goes IN_QUEUE -> IN_PROGRESS -> DONE as it is polled', async () => {
    const created = await call<{ reportId: string }>(seller, 'POST', '/reports/2021-06-30/reports', { reportType: ORDERS_REPORT, marketplaceIds: [US] });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ reportId: expect.stringMatching(/^\d+$/) });
    const statuses: string[] = [];
    let report: Report | undefined;
    for (let i = 0; i < 4; i += 1) {
      const reply = await call<Report>(seller, 'GET', `/reports/2021-06-30/reports/${created.body.reportId}`);
      expect(reply.status).toBe(200);
      report = reply.body;
      statuses.push(report.processingStatus);
    }
    expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE', 'DONE']);
    expect(report).toMatchObject({ reportId: created.body.reportId, reportType: ORDERS_REPORT, reportDocumentId: expect.any(String), createdTime: expect.any(String) });
  });

  it('serves the document as gzip TSV without an access token', async () => {
    const created = await call<{ reportId: string }>(seller, 'POST', '/reports/2021-06-30/reports', { reportType: ORDERS_REPORT, marketplaceIds: [US] });
    let report: Report | undefined;
    for (let i = 0; i < 3; i += 1) report = (await call<Report>(seller, 'GET', `/reports/2021-06-30/reports/${created.body.reportId}`)).body;
    const documentId = report?.reportDocumentId ?? '';
    const doc = await call<{ reportDocumentId: string; url: string; compressionAlgorithm: string }>(seller, 'GET', `/reports/2021-06-30/documents/${documentId}`);
    expect(doc.status).toBe(200);
    expect(doc.body).toEqual({ reportDocumentId: documentId, url: expect.stringContaining(`${emulator.urls.documents}/documents/`), compressionAlgorithm: 'GZIP' });

    // Another origin than SP-API, as Amazon's S3 URLs are.
    expect(new URL(doc.body.url).origin).not.toBe(new URL(emulator.urls.spApi).origin);
    emulator.resetStats();
    const download = await fetch(doc.body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-encoding')).toBeNull();
    const text = gunzipSync(Buffer.from(await download.arrayBuffer())).toString('utf8');
    const [header, ...rows] = text.trim().split('\n');
    expect(header?.split('\t')).toContain('amazon-order-id');
    expect(rows.length).toBeGreaterThan(0);
    const stats = emulator.stats();
    expect(stats.requests).toBe(0);
    expect(stats.lastRequests).toEqual([expect.objectContaining({ kind: 'document', method: 'GET' })]);
    expect(stats.lastRequests[0]?.headers['x-amz-access-token']).toBeUndefined();

    // enableContentEncodingUrlHeader: the URL serves Content-Encoding gzip, which fetch inflates.
    const encodedDoc = await call<{ url: string }>(seller, 'GET', `/reports/2021-06-30/documents/${documentId}?enableContentEncodingUrlHeader=true`);
    const inflated = await fetch(encodedDoc.body.url);
    expect(inflated.headers.get('content-encoding')).toBe('gzip');
    expect(await inflated.text()).toBe(text);
  });

  it('refuses expired and unknown document URLs like storage does', async () => {
    const list = await call<{ reports: Report[] }>(seller, 'GET', `/reports/2021-06-30/reports?reportTypes=${SEEDED_TYPES.join(',')}&processingStatuses=DONE&pageSize=1`);
    const documentId = list.body.reports[0]?.reportDocumentId ?? '';
    const doc = await call<{ url: string }>(seller, 'GET', `/reports/2021-06-30/documents/${documentId}`);
    const expired = new URL(doc.body.url);
    expired.searchParams.set('expires', '1');
    const refused = await fetch(expired);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>AccessDenied</Code>');
    expect((await fetch(`${emulator.urls.documents}/documents/nope?expires=9999999999`)).status).toBe(404);
    const missing = await call(seller, 'GET', '/reports/2021-06-30/documents/amzn1.spdoc.nope');
    expect(missing.status).toBe(404);
  });

  it('validates createReport bodies', async () => {
    for (const body of [{ marketplaceIds: [US] }, { reportType: ORDERS_REPORT }, { reportType: ORDERS_REPORT, marketplaceIds: [US], dataStartTime: 'soon' }]) {
      const reply = await call(seller, 'POST', '/reports/2021-06-30/reports', body);
      expect(reply.status).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    }
  });

  it('lists reports newest first, paging with nextToken as the only parameter', async () => {
    const query = `reportTypes=${SEEDED_TYPES.join(',')}&pageSize=7`;
    const first = await call<{ reports: Report[]; nextToken?: string }>(seller, 'GET', `/reports/2021-06-30/reports?${query}`);
    expect(first.status).toBe(200);
    expect(first.body.reports).toHaveLength(7);
    const all = [...first.body.reports];
    let token = first.body.nextToken;
    expect(token).toEqual(expect.any(String));

    // Amazon: "Specifying nextToken with any other parameters will cause the request to fail."
    const mixed = await call(seller, 'GET', `/reports/2021-06-30/reports?${query}&nextToken=${encodeURIComponent(token ?? '')}`);
    expect(mixed.status).toBe(400);
    expect(errorCode(mixed.body)).toBe('InvalidInput');

    while (token !== undefined) {
      const page: { status: number; body: { reports: Report[]; nextToken?: string } } = await call(seller, 'GET', `/reports/2021-06-30/reports?nextToken=${encodeURIComponent(token)}`);
      expect(page.status).toBe(200);
      all.push(...page.body.reports);
      token = page.body.nextToken;
    }
    expect(all.length).toBeGreaterThan(14);
    expect(new Set(all.map((r) => r.reportId)).size).toBe(all.length);
    const times = all.map((r) => Date.parse(r.createdTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const bogus = await call(seller, 'GET', '/reports/2021-06-30/reports?nextToken=bogus');
    expect(bogus.status).toBe(400);
    const noTypes = await call(seller, 'GET', '/reports/2021-06-30/reports');
    expect(noTypes.status).toBe(400);
    expect(errorCode(noTypes.body)).toBe('InvalidInput');
  });

  it('cancels a report only while it is IN_QUEUE', async () => {
    const created = await call<{ reportId: string }>(seller, 'POST', '/reports/2021-06-30/reports', { reportType: ORDERS_REPORT, marketplaceIds: [US] });
    const path = `/reports/2021-06-30/reports/${created.body.reportId}`;
    expect((await call(seller, 'DELETE', path)).status).toBe(200);
    expect((await call<Report>(seller, 'GET', path)).body.processingStatus).toBe('CANCELLED');
    expect((await call(seller, 'DELETE', path)).status).toBe(400);
  });
});

describe.skipIf(!catalogPresent)('emulated notifications destinations', () => {
  let grantless = '';
  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000 });
    grantless = await accessToken({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications' });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('creates, lists, gets and deletes destinations with a grantless token', async () => {
    expect((await call(grantless, 'GET', '/notifications/v1/destinations')).body).toEqual({ payload: [] });
    const arn = 'arn:aws:sqs:us-east-1:123456789012:spapi-emulator';
    const created = await call<{ payload: { destinationId: string; name: string; resource: unknown } }>(grantless, 'POST', '/notifications/v1/destinations', {
      name: 'queue',
      resourceSpecification: { sqs: { arn } },
    });
    expect(created.status).toBe(200);
    expect(created.body.payload).toEqual({ destinationId: expect.any(String), name: 'queue', resource: { sqs: { arn } } });
    const duplicate = await call(grantless, 'POST', '/notifications/v1/destinations', { name: 'again', resourceSpecification: { sqs: { arn } } });
    expect(duplicate.status).toBe(409);
    const bridge = await call<{ payload: { resource: { eventBridge: Record<string, string> } } }>(grantless, 'POST', '/notifications/v1/destinations', {
      name: 'bus',
      resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '123456789012' } },
    });
    expect(bridge.body.payload.resource.eventBridge).toMatchObject({ region: 'us-east-1', accountId: '123456789012', name: expect.any(String) });
    expect(((await call<{ payload: unknown[] }>(grantless, 'GET', '/notifications/v1/destinations')).body.payload)).toHaveLength(2);
    const id = created.body.payload.destinationId;
    expect((await call(grantless, 'GET', `/notifications/v1/destinations/${id}`)).status).toBe(200);
    expect((await call(grantless, 'DELETE', `/notifications/v1/destinations/${id}`)).status).toBe(200);
    expect((await call(grantless, 'GET', `/notifications/v1/destinations/${id}`)).status).toBe(404);
  });

  it('validates destination bodies', async () => {
    for (const body of [{ name: 'x' }, { name: 'x', resourceSpecification: { sqs: { arn: 'not-an-arn' } } }, { resourceSpecification: { sqs: { arn: 'arn:aws:sqs:us-east-1:123456789012:q' } } }]) {
      const reply = await call(grantless, 'POST', '/notifications/v1/destinations', body);
      expect(reply.status).toBe(400);
      expect(errorCode(reply.body)).toBe('InvalidInput');
    }
  });
});
