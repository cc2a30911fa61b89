import { get as httpGet } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions, Faults } from '../../src/emulator/index.js';
import { sellerAccessToken } from '../helpers/emulator.js';

/*
 * Injected faults beyond the basics in emulator.test.ts: 5xx drawn with a probability from the
 * seeded generator (reproducible), several 5xx entries, faults from a --faults spec, document
 * downloads dropped mid-body or refused as expired URLs.
 */

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ rateScale: 100_000, ...options });
  running.push(emulator);
  return emulator;
}

const PARTICIPATIONS = '/sellers/v1/marketplaceParticipations';

/** Statuses of `count` sequential getMarketplaceParticipations calls. */
async function statuses(emulator: Emulator, count: number): Promise<number[]> {
  const token = await sellerAccessToken(emulator);
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${emulator.urls.spApi}${PARTICIPATIONS}`, { headers: { 'x-amz-access-token': token } });
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

describe('5xx with a probability', () => {
  const faults: Faults = { status5xx: { status: 503, probability: 0.3 } };

  it('fails the same calls for the same seed, other calls for another seed', async () => {
    const first = await statuses(await start({ seed: 7, faults }), 40);
    const second = await statuses(await start({ seed: 7, faults }), 40);
    const other = await statuses(await start({ seed: 8, faults }), 40);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    const failed = first.filter((status) => status === 503).length;
    expect(failed).toBeGreaterThan(3);
    expect(failed).toBeLessThan(25);
    expect(new Set(first)).toEqual(new Set([200, 503]));
  });

  it('setFaults restarts the draw from the seed', async () => {
    const fresh = await statuses(await start({ seed: 3, faults }), 20);
    const emulator = await start({ seed: 3 });
    await statuses(emulator, 5);
    emulator.setFaults(faults);
    expect(await statuses(emulator, 20)).toEqual(fresh);
  });

  it('probability 1 fails every call, with the status body', async () => {
    const emulator = await start({ faults: { status5xx: { status: 500, probability: 1 } } });
    expect(await statuses(emulator, 3)).toEqual([500, 500, 500]);
    expect(emulator.stats().throttled).toBe(0);
  });
});

describe('several 5xx entries and --faults specs', () => {
  it('answers each listed call with its own status', async () => {
    const emulator = await start({ faults: { status5xx: [{ status: 500, onCalls: [1, 4] }, { status: 503, onCalls: [2] }] } });
    expect(await statuses(emulator, 5)).toEqual([500, 503, 200, 500, 200]);
  });

  it('runs a parsed spec', async () => {
    const emulator = await start({ faults: parseFaultSpec('500@2;503@3-4;latency=30') });
    const started = Date.now();
    expect(await statuses(emulator, 5)).toEqual([200, 500, 503, 503, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 30 - 10);
  });

  it('refuses faults that cannot apply', async () => {
    await expect(startEmulator({ faults: { status5xx: { status: 503, probability: 2 } } })).rejects.toThrow(/probability must be from 0 to 1/);
    const emulator = await start();
    expect(() => emulator.setFaults({ resetDocument: { onDownloads: [0] } })).toThrow(/resetDocument\.onDownloads must hold whole numbers from 1/);
  });
});

/** A report document URL, through the Reports API as a client would get it (each call a fresh getReportDocument). */
async function documentUrl(emulator: Emulator): Promise<string> {
  const token = await sellerAccessToken(emulator);
  const api = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${emulator.urls.spApi}${path}`, {
      method,
      headers: { 'x-amz-access-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const created = await api('POST', '/reports/2021-06-30/reports', { reportType: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL', marketplaceIds: ['ATVPDKIKX0DER'] });
  for (let poll = 0; poll < 20; poll += 1) {
    const report = await api('GET', `/reports/2021-06-30/reports/${String(created['reportId'])}`);
    if (report['processingStatus'] === 'DONE') {
      const document = await api('GET', `/reports/2021-06-30/documents/${String(report['reportDocumentId'])}`);
      return String(document['url']);
    }
  }
  throw new Error('the report never got DONE');
}

/** Downloads with node:http, so a short body is seen as it is rather than as a fetch error. */
function download(url: string): Promise<{ status: number; declared: number; received: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, declared: Number(res.headers['content-length']), received, complete: res.complete }));
    }).on('error', reject);
  });
}

describe('resetDocument', () => {
  it('drops the listed downloads mid-body and serves the others whole', async () => {
    const emulator = await start({ faults: { resetDocument: { onDownloads: [2] } } });
    const url = await documentUrl(emulator);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const first = await download(url);
    const second = await download(url);
    const third = await download(url);
    expect(first).toEqual({ status: 200, declared: first.received, received: first.received, complete: true });
    expect(first.received).toBeGreaterThan(100);
    expect(second.status).toBe(200);
    expect(second.declared).toBe(first.declared);
    expect(second.complete).toBe(false);
    expect(second.received).toBeGreaterThan(0);
    expect(second.received).toBeLessThan(second.declared);
    expect(third.complete).toBe(true);
  });

  it('counts downloads from setFaults, and fetch sees the drop as an error', async () => {
    const emulator = await start();
    const url = await documentUrl(emulator);
    expect((await download(url)).complete).toBe(true);
    emulator.setFaults(parseFaultSpec('reset-doc@1'));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    expect((await download(url)).complete).toBe(true);
  });
});

describe('expireDocument', () => {
  /** A download with node:http: status, content type and body text. */
  function fetchRaw(url: string): Promise<{ status: number; type: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      httpGet(url, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
      }).on('error', reject);
    });
  }

  it('refuses the listed downloads as an expired presigned URL; a fresh getReportDocument URL goes on', async () => {
    const emulator = await start({ faults: parseFaultSpec('expire-doc@2') });
    const url = await documentUrl(emulator);
    expect((await fetchRaw(url)).status).toBe(200);
    const refused = await fetchRaw(url);
    expect(refused.status).toBe(403);
    expect(refused.type).toBe('application/xml');
    expect(refused.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    expect(refused.body).toContain('<X-Amz-Expires>300</X-Amz-Expires>');
    const [, expires = '', serverTime = ''] = /<Expires>([^<]+)<\/Expires><ServerTime>([^<]+)<\/ServerTime><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>$/.exec(refused.body) ?? [];
    expect(Date.parse(expires)).toBeLessThan(Date.parse(serverTime));
    // What a client should do: ask getReportDocument again and download from the new URL.
    const fresh = await fetchRaw(await documentUrl(emulator));
    expect(fresh.status).toBe(200);
    expect(emulator.stats().documentDownloads).toBe(2);
  });

  it('numbers downloads from setFaults; HEAD is not a download', async () => {
    const emulator = await start();
    const url = await documentUrl(emulator);
    emulator.setFaults({ expireDocument: { onDownloads: [1, 3] } });
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    expect([(await fetchRaw(url)).status, (await fetchRaw(url)).status, (await fetchRaw(url)).status]).toEqual([403, 200, 403]);
    expect(() => emulator.setFaults({ expireDocument: { onDownloads: [-1] } })).toThrow(/expireDocument\.onDownloads must hold whole numbers from 1/);
  });
});

describe('answers: one operation answers a given error', () => {
  const answers: Faults['answers'] = {
    'sellers.getMarketplaceParticipations': { status: 403, code: 'InvalidSignature', message: 'The request signature we calculated does not match the signature you provided.' },
  };

  it('every call of the named operation gets the error body, other operations are processed', async () => {
    const emulator = await start({ faults: { answers } });
    const token = await sellerAccessToken(emulator);
    const faulted = await fetch(`${emulator.urls.spApi}${PARTICIPATIONS}`, { headers: { 'x-amz-access-token': token } });
    expect(faulted.status).toBe(403);
    expect(faulted.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await faulted.json()).toEqual({ errors: [{ code: 'InvalidSignature', message: answers['sellers.getMarketplaceParticipations']?.message, details: '' }] });
    expect(await statuses(emulator, 1)).toEqual([403]);
    const other = await fetch(`${emulator.urls.spApi}/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER`, { headers: { 'x-amz-access-token': token } });
    await other.arrayBuffer();
    expect(other.status).toBe(200);
    emulator.setFaults({});
    expect(await statuses(emulator, 1)).toEqual([200]);
  });

  it('refuses a status outside 400-599 and an empty code', async () => {
    const emulator = await start();
    expect(() => emulator.setFaults({ answers: { 'ordersV0.getOrders': { status: 302, code: 'X', message: '' } } })).toThrow(/answers\["ordersV0\.getOrders"\]\.status must be from 400 to 599/);
    expect(() => emulator.setFaults({ answers: { 'ordersV0.getOrders': { status: 400, code: '', message: '' } } })).toThrow(/code must not be empty/);
  });
});
