import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions, RequestLogEntry } from '../../src/emulator/index.js';

/* EmulatorOptions.log: one JSON line per answered request, appended as requests finish, without secrets. */

const catalogPresent = existsSync(new URL('../../src/core/catalog/operations.gen.json', import.meta.url));
if (!catalogPresent) console.warn('emulator-log: src/core/catalog/operations.gen.json is missing; these tests are skipped');

const SELLERS = '/sellers/v1/marketplaceParticipations';
const US = 'ATVPDKIKX0DER';
const KEYS = ['method', 'ms', 'operation', 'path', 'region', 'requestId', 'status', 'throttled', 'time'];

let dir = '';
const running: Emulator[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spapi-emulator-log-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function start(log: string, options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ rateScale: 100_000, log, ...options });
  running.push(emulator);
  return emulator;
}

function entries(path: string): RequestLogEntry[] {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RequestLogEntry);
}

/** Lets the event loop run (the log is written asynchronously) until `path` holds `count` lines; no timers. */
async function untilLines(path: string, count: number): Promise<RequestLogEntry[]> {
  for (let i = 0; i < 10_000; i += 1) {
    const found = entries(path);
    if (found.length >= count) return found;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${path} never reached ${count} lines: ${JSON.stringify(entries(path))}`);
}

async function lwa(emulator: Emulator, fields: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(emulator.urls.lwa, { method: 'POST', body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, ...fields }) });
  return (await response.json()) as Record<string, string>;
}

async function get(url: string, token?: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, headers: { ...(token !== undefined ? { 'x-amz-access-token': token } : {}), ...(init.headers as Record<string, string> | undefined) } });
  await response.arrayBuffer();
  return response;
}

/** The open file descriptors of this process that point at `path` (Linux /proc), or undefined elsewhere. */
function descriptorsOf(path: string): number | undefined {
  if (!existsSync('/proc/self/fd')) return undefined;
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count += 1;
    } catch {
      // The descriptor readdir itself used is gone by now.
    }
  }
  return count;
}

describe.skipIf(!catalogPresent)('request log', () => {
  it('writes one entry per answered request with the operation, status, request id, region and duration', async () => {
    const path = join(dir, 'kinds.jsonl');
    const emulator = await start(path, { rateOverrides: { 'sellers.getMarketplaceParticipations': { rate: 0.0001, burst: 1 } } });
    const token = (await lwa(emulator, { grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN }))['access_token'] ?? '';
    const root = await get(`${emulator.urls.spApi}${SELLERS}`, token);
    const regional = await get(`${emulator.urls.spApiRegions.eu}${SELLERS}?x=1`, token);
    await get(`${emulator.urls.spApi}${SELLERS}`, token);
    await get(`${emulator.urls.spApi}/nothing/here`, token);
    await get(`${emulator.urls.spApiRegions.fe}/orders/v0/orders`);
    await get(`${emulator.urls.consent}?application_id=unknown&state=s`);

    const log = await untilLines(path, 7);
    for (const entry of log) {
      expect(Object.keys(entry).sort()).toEqual(KEYS);
      expect(new Date(entry.time).toISOString()).toBe(entry.time);
      expect(entry.ms).toBeGreaterThanOrEqual(0);
    }
    const pick = (entry: RequestLogEntry): Partial<RequestLogEntry> => ({
      method: entry.method,
      path: entry.path,
      operation: entry.operation,
      status: entry.status,
      throttled: entry.throttled,
      region: entry.region,
    });
    expect(log.map(pick)).toEqual([
      { method: 'POST', path: '/auth/o2/token', operation: 'lwa', status: 200, throttled: false, region: null },
      { method: 'GET', path: SELLERS, operation: 'sellers.getMarketplaceParticipations', status: 200, throttled: false, region: null },
      { method: 'GET', path: `/eu${SELLERS}`, operation: 'sellers.getMarketplaceParticipations', status: 200, throttled: false, region: 'eu' },
      { method: 'GET', path: SELLERS, operation: 'sellers.getMarketplaceParticipations', status: 429, throttled: true, region: null },
      { method: 'GET', path: '/nothing/here', operation: null, status: 404, throttled: false, region: null },
      { method: 'GET', path: '/fe/orders/v0/orders', operation: 'ordersV0.getOrders', status: 403, throttled: false, region: 'fe' },
      { method: 'GET', path: '/apps/authorize/consent', operation: 'consent', status: 400, throttled: false, region: null },
    ]);
    expect(log[1]?.requestId).toBe(root.headers.get('x-amzn-requestid'));
    expect(log[2]?.requestId).toBe(regional.headers.get('x-amzn-requestid'));
    expect(log[0]?.requestId).toEqual(expect.any(String));
  });

  it('logs document downloads as "document" without the presigned query, and never writes a token or secret', async () => {
    const path = join(dir, 'secrets.jsonl');
    const emulator = await start(path, { reports: { pollsToDone: 0 } });
    const grant = await lwa(emulator, { grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN });
    const token = grant['access_token'] ?? '';
    const post = (url: string, body: unknown, t = token): Promise<Response> =>
      fetch(url, { method: 'POST', headers: { 'x-amz-access-token': t, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = (await (await post(`${emulator.urls.spApi}/reports/2021-06-30/reports`, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [US] })).json()) as { reportId: string };
    const polled = (await (await fetch(`${emulator.urls.spApi}/reports/2021-06-30/reports/${created.reportId}`, { headers: { 'x-amz-access-token': token } })).json()) as { reportDocumentId: string };
    const doc = (await (await fetch(`${emulator.urls.spApi}/reports/2021-06-30/documents/${polled.reportDocumentId}`, { headers: { 'x-amz-access-token': token } })).json()) as { url: string };
    const download = await get(doc.url);
    expect(download.status).toBe(200);
    const rdt = (await (await post(`${emulator.urls.spApi}/tokens/2021-03-01/restrictedDataToken`, { restrictedResources: [{ method: 'GET', path: '/orders/v0/orders/{orderId}/buyerInfo' }] })).json()) as {
      restrictedDataToken: string;
    };
    await get(`${emulator.urls.spApi}/orders/v0/orders/111-0000000-0000000/buyerInfo?token=${encodeURIComponent(token)}`, rdt.restrictedDataToken);
    const grantless = await lwa(emulator, { grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications' });
    await get(`${emulator.urls.spApi}/notifications/v1/destinations`, grantless['access_token']);
    await emulator.close();

    const text = readFileSync(path, 'utf8');
    const log = entries(path);
    expect(log).toHaveLength(9);
    const documentEntry = log.find((e) => e.operation === 'document');
    expect(documentEntry).toMatchObject({ method: 'GET', status: 200, requestId: null, region: null, path: new URL(doc.url).pathname });
    const signature = new URL(doc.url).searchParams.get('X-Amz-Signature') ?? '';
    for (const secret of [DEFAULT_REFRESH_TOKEN, DEFAULT_CLIENT_SECRET, token, rdt.restrictedDataToken, grantless['access_token'] ?? '', signature]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(text).not.toContain(secret);
      // Nor the token without its Atza| / Atzr| / Atz.sprdt| prefix.
      expect(text).not.toContain(secret.replace(/^Atz[a-z.]*\|/, ''));
    }
  });

  it('appends to an existing file, holds it open once while running and closes it on close()', async () => {
    const path = join(dir, 'append.jsonl');
    writeFileSync(path, '{"earlier":true}\n');
    const emulator = await start(path);
    for (let i = 0; i < 5; i += 1) await get(`${emulator.urls.spApi}${SELLERS}`);
    // Written as requests finish, before close().
    const written = await untilLines(path, 6);
    expect(written[0]).toEqual({ earlier: true });
    expect(written.slice(1).every((e) => e.status === 403)).toBe(true);
    const open = descriptorsOf(path);
    if (open !== undefined) expect(open).toBe(1);
    await emulator.close();
    if (open !== undefined) expect(descriptorsOf(path)).toBe(0);
    expect(entries(path)).toHaveLength(6);

    const again = await start(path);
    await get(`${again.urls.spApi}${SELLERS}`);
    await again.close();
    expect(entries(path)).toHaveLength(7);
  });

  it('fails startEmulator when the log cannot be opened', async () => {
    await expect(startEmulator({ log: join(dir, 'missing-dir', 'log.jsonl') })).rejects.toThrow(/ENOENT/);
    await expect(startEmulator({ log: '' })).rejects.toThrow(/log must be a file path/);
  });
});
