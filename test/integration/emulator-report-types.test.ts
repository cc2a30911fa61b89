import { callEmulator, type Reply } from '../helpers/emulator.js';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { REPORT_TYPES } from '../../src/emulator/report-types.js';

/* createReport knows Amazon's report types: unknown ones and the ones Amazon only generates itself are refused as on Amazon. */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-report-types: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const US = 'ATVPDKIKX0DER';
const REPORTS = '/reports/2021-06-30/reports';
const SCHEDULED_ONLY = ['GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE', 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2', 'GET_V2_SETTLEMENT_REPORT_DATA_XML', 'GET_FLAT_FILE_SALES_TAX_DATA'];

type ErrorBody = { errors: Array<{ code: string; message: string; details: string }> };

describe.skipIf(!catalogPresent)('report types', () => {
  let emulator: Emulator;
  let token = '';

  function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return callEmulator<T>(emulator, token, method, path, body);
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateScale: 100_000, reports: { pollsToDone: 0 } });
    const response = await fetch(emulator.urls.lwa, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN, client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('keeps one list of Amazon\u2019s documented types, without duplicates', () => {
    expect(REPORT_TYPES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(REPORT_TYPES).size).toBe(REPORT_TYPES.length);
    for (const type of [
      'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
      'GET_MERCHANT_LISTINGS_ALL_DATA',
      'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA',
      'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE',
      'GET_SALES_AND_TRAFFIC_REPORT',
      'GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT',
      'GET_LEDGER_DETAIL_VIEW_DATA',
      'GET_EPR_MONTHLY_REPORTS',
    ]) {
      expect(REPORT_TYPES).toContain(type);
    }
    // Retired by Amazon.
    expect(REPORT_TYPES).not.toContain('GET_FBA_SNS_FORECAST_DATA');
    expect(REPORT_TYPES).not.toContain('GET_VENDOR_SALES_DIAGNOSTIC_REPORT');
  });

  it.each(['GET_BOGUS', 'GET_MERCHANT_LISTING_ALL_DATA', 'get_merchant_listings_all_data', '_GET_MERCHANT_LISTINGS_DATA_'])('refuses %s with 400 InvalidInput', async (reportType) => {
    const reply = await call<ErrorBody>('POST', REPORTS, { reportType, marketplaceIds: [US] });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ errors: [{ code: 'InvalidInput', message: `Invalid Report Type ${reportType}`, details: '' }] });
  });

  it.each([
    ['GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE', '1117'],
    ['GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2', '1118'],
    ['GET_V2_SETTLEMENT_REPORT_DATA_XML', 'GET_V2_SETTLEMENT_REPORT_DATA_XML'],
    ['GET_FLAT_FILE_SALES_TAX_DATA', 'GET_FLAT_FILE_SALES_TAX_DATA'],
  ])('refuses to create %s, which Amazon only generates itself', async (reportType, named) => {
    const reply = await call<ErrorBody>('POST', REPORTS, { reportType, marketplaceIds: [US] });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ errors: [{ code: 'InvalidInput', message: `Request for report type ${named} is not allowed at this time`, details: '' }] });
  });

  it('still lists the settlement reports Amazon generated, through getReports', async () => {
    const reply = await call<{ reports: Array<{ reportType: string; processingStatus: string }> }>('GET', `${REPORTS}?reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE&pageSize=100`);
    expect(reply.status).toBe(200);
    expect(reply.body.reports.length).toBeGreaterThan(0);
  });

  it('creates every other listed type; one without specific content still ends DONE with a generic document', async () => {
    for (const reportType of REPORT_TYPES.filter((type) => !SCHEDULED_ONLY.includes(type))) {
      const reply = await call<{ reportId: string }>('POST', REPORTS, { reportType, marketplaceIds: [US] });
      expect(reply.status, `${reportType}: ${JSON.stringify(reply.body)}`).toBe(202);
    }
    const created = await call<{ reportId: string }>('POST', REPORTS, { reportType: 'GET_SALES_AND_TRAFFIC_REPORT', marketplaceIds: [US] });
    const report = await call<{ processingStatus: string; reportDocumentId?: string }>('GET', `${REPORTS}/${created.body.reportId}`);
    expect(report.body.processingStatus).toBe('DONE');
    const document = await call<{ url: string }>('GET', `/reports/2021-06-30/documents/${report.body.reportDocumentId ?? ''}`);
    expect(document.status).toBe(200);
    expect((await fetch(document.body.url)).status).toBe(200);
  });
});
