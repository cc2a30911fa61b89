import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ApplicationsSpApi, NotificationsSpApi, OrdersSpApi, ReportsSpApi, SellersSpApi } from '@amazon-sp-api-release/amazon-sp-api-sdk-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELLER, useEmulator } from '../helpers/emulator.js';
import type { Emulator } from '../helpers/emulator.js';

/*
 * Two third-party clients run a small seller flow against the emulator, as a user's CI would:
 * LWA token → getMarketplaceParticipations → getOrders, two pages → createReport → getReport until
 * DONE → getReportDocument → download. Nothing of either package is patched, and nothing leaves
 * loopback.
 *
 * - amazon-sp-api (1.2.x) hard-codes https://sellingpartnerapi-<region>.amazon.com and
 *   https://api.amazon.com, port 443, but hands its documented `https_proxy_agent` option to every
 *   https.request (SP-API, LWA and the document download): the agent below dials the emulator.
 * - The official SDK (@amazon-sp-api-release/amazon-sp-api-sdk-js) takes the SP-API base URL in
 *   each ApiClient's constructor, but its LWA client posts to https://api.amazon.com/auth/o2/token
 *   through superagent with no way to set the URL or an agent. Its LWA requests reach the emulator
 *   only because this test process swaps https.globalAgent for the loopback agent while the SDK
 *   runs; SP-API calls go straight to the emulator's http:// URL. The SDK has no download helper:
 *   the document is fetched as its README leaves it to the caller.
 */

const require = createRequire(import.meta.url);
// CommonJS, without types of its own that fit this use.
const SellingPartner = require('amazon-sp-api') as new (config: unknown) => AmazonSpApi;

interface AmazonSpApi {
  callAPI(request: Record<string, unknown>): Promise<Record<string, unknown>>;
  download(details: unknown, options?: Record<string, unknown>): Promise<unknown>;
}

const US = 'ATVPDKIKX0DER';
const LONG_AGO = new Date(Date.now() - 100 * 86_400_000).toISOString();
const BOTH_SCOPES = 'sellingpartnerapi::notifications sellingpartnerapi::client_credential:rotation';

/**
 * Plain TCP to the emulator for the hosts the clients believe they reach over TLS on port 443: the
 * two Amazon hosts go to the SP-API + LWA port, 127.0.0.1 (the host of presigned document URLs) to
 * the documents port. Any other host is refused, so a client bug cannot reach the network.
 * `dialed` records every host asked for.
 */
interface LoopbackAgent extends http.Agent {
  readonly dialed: string[];
}

const portOf = (url: string): number => Number(new URL(url).port);

function loopbackAgent(emulator: Emulator): LoopbackAgent {
  const spApi = portOf(emulator.urls.spApi);
  const hosts = new Map([
    ['sellingpartnerapi-na.amazon.com', spApi],
    ['api.amazon.com', spApi],
    ['127.0.0.1', portOf(emulator.urls.documents)],
  ]);
  const dialed: string[] = [];
  // No constructor arguments: with `agent: false` (superagent's default) Node builds a fresh agent
  // from the default agent's constructor for each request.
  class Loopback extends http.Agent implements LoopbackAgent {
    readonly dialed = dialed;

    constructor() {
      super({ keepAlive: true });
      // https.request insists that its agent speaks https:; the bytes are plain HTTP on loopback.
      (this as unknown as { protocol: string }).protocol = 'https:';
    }

    override createConnection(options: net.NetConnectOpts & { host?: string; hostname?: string }, callback?: (error: Error | null, socket?: net.Socket) => void): net.Socket | undefined {
      const host = options.host ?? options.hostname ?? '';
      dialed.push(host);
      const port = hosts.get(host);
      if (port === undefined) {
        process.nextTick(() => callback?.(new Error(`peer-clients: refusing to connect to ${host}; only the emulator on 127.0.0.1 is allowed`)));
        return undefined;
      }
      const socket = net.connect({ host: '127.0.0.1', port });
      if (callback) socket.once('connect', () => callback(null, socket));
      return socket;
    }
  }
  return new Loopback();
}

describe('amazon-sp-api (npm) against the emulator', () => {
  const emulator = useEmulator({ rateScale: 100_000, reports: { pollsToDone: 1 } });
  let agent: LoopbackAgent;
  let sp: AmazonSpApi;

  beforeAll(() => {
    agent = loopbackAgent(emulator());
    sp = new SellingPartner({
      region: 'na',
      refresh_token: SELLER.refreshToken,
      credentials: { SELLING_PARTNER_APP_CLIENT_ID: SELLER.clientId, SELLING_PARTNER_APP_CLIENT_SECRET: SELLER.clientSecret },
      options: { https_proxy_agent: agent, auto_request_tokens: true, auto_request_throttled: true, debug_log: false },
    });
  });
  afterAll(() => agent.destroy());

  it('gets a token and the marketplace participations', async () => {
    const participations = (await sp.callAPI({ operation: 'getMarketplaceParticipations', endpoint: 'sellers' })) as unknown as Array<{ marketplace: { id: string } }>;
    expect(participations.map((p) => p.marketplace.id)).toContain(US);
    expect(emulator().stats().lwaRequests).toBeGreaterThan(0);
    expect(new Set(agent.dialed)).toEqual(new Set(['api.amazon.com', 'sellingpartnerapi-na.amazon.com']));
  });

  it('pages getOrders, sending the filters again with NextToken', async () => {
    const query = { MarketplaceIds: [US], CreatedAfter: LONG_AGO, MaxResultsPerPage: 5 };
    const first = (await sp.callAPI({ operation: 'getOrders', endpoint: 'orders', query })) as { Orders: Array<{ AmazonOrderId: string }>; NextToken?: string };
    expect(first.Orders).toHaveLength(5);
    // Real NextTokens hold +, / and =; the package must percent-encode them.
    expect(first.NextToken).toMatch(/\+/);
    const second = (await sp.callAPI({ operation: 'getOrders', endpoint: 'orders', query: { ...query, NextToken: first.NextToken } })) as { Orders: Array<{ AmazonOrderId: string }> };
    expect(second.Orders.length).toBeGreaterThan(0);
    const ids = [...first.Orders, ...second.Orders].map((o) => o.AmazonOrderId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('creates a flat-file report and downloads it with {json: true} as rows', async () => {
    const document = await reportDocument((request) => sp.callAPI(request), 'GET_MERCHANT_LISTINGS_ALL_DATA');
    expect(document['compressionAlgorithm']).toBeUndefined(); // NA listings reports are stored uncompressed, in Cp1252
    const rows = (await sp.download(document, { json: true })) as Array<Record<string, string>>;
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(['seller-sku', 'asin1']));
    expect(new Set(agent.dialed).has('127.0.0.1')).toBe(true);
  });

  it('downloads a gzip JSON report served as text/plain as parsed JSON', async () => {
    const document = await reportDocument((request) => sp.callAPI(request), 'GET_SALES_AND_TRAFFIC_REPORT', {
      // date-times, as the model types them (a bare date is refused like any body that breaks its schema)
      dataStartTime: `${new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`,
      dataEndTime: `${new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`,
    });
    expect(document['compressionAlgorithm']).toBe('GZIP');
    const report = (await sp.download(document, { json: true })) as { reportSpecification?: { reportType?: string }; salesAndTrafficByDate?: unknown[] };
    expect(report.reportSpecification?.reportType).toBe('GET_SALES_AND_TRAFFIC_REPORT');
    expect(Array.isArray(report.salesAndTrafficByDate)).toBe(true);
  });

  it('gets a grantless token for the notifications scope', async () => {
    const reply = (await sp.callAPI({ operation: 'getDestinations', endpoint: 'notifications' })) as unknown;
    expect(Array.isArray(reply)).toBe(true);
  });
});

/** createReport → getReport until DONE → getReportDocument, through a callAPI-shaped function. */
async function reportDocument(
  callAPI: (request: Record<string, unknown>) => Promise<Record<string, unknown>>,
  reportType: string,
  extra: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const created = await callAPI({ operation: 'createReport', endpoint: 'reports', body: { reportType, marketplaceIds: [US], ...extra } });
  const reportId = created['reportId'] as string;
  expect(reportId).toEqual(expect.any(String));
  let report: Record<string, unknown> = {};
  // pollsToDone: 1 makes the second getReport final; a few more polls are a margin, not a wait.
  for (let poll = 0; poll < 5 && report['processingStatus'] !== 'DONE'; poll++) {
    report = await callAPI({ operation: 'getReport', endpoint: 'reports', path: { reportId } });
  }
  expect(report['processingStatus']).toBe('DONE');
  return callAPI({ operation: 'getReportDocument', endpoint: 'reports', path: { reportDocumentId: report['reportDocumentId'] } });
}

describe('the official JS SDK against the emulator', () => {
  const emulator = useEmulator({ rateScale: 100_000, reports: { pollsToDone: 1 } });
  let agent: LoopbackAgent;
  let savedAgent: https.Agent;
  let base: string;

  beforeAll(() => {
    agent = loopbackAgent(emulator());
    // The SDK's LWA client has no URL or agent option (see the top of this file).
    savedAgent = https.globalAgent;
    https.globalAgent = agent as unknown as https.Agent;
    base = `${emulator().urls.spApi}/na`;
  });
  afterAll(() => {
    https.globalAgent = savedAgent;
    agent.destroy();
  });

  function client<T extends { enableAutoRetrievalAccessToken(id: string, secret: string, refreshToken: string | null, scope: string | null): void }>(Client: new (base: string) => T, scope?: string): T {
    const apiClient = new Client(base);
    apiClient.enableAutoRetrievalAccessToken(SELLER.clientId, SELLER.clientSecret, scope === undefined ? SELLER.refreshToken : null, scope ?? null);
    return apiClient;
  }

  it('gets a token through its LWA client and the marketplace participations', async () => {
    const sellers = new SellersSpApi.SellersApi(client(SellersSpApi.ApiClient));
    const reply = await sellers.getMarketplaceParticipations();
    const ids = (reply.payload ?? []).map((p) => p.marketplace.id);
    expect(ids).toContain(US);
    // The regional host: no DE on the NA endpoint.
    expect(ids).not.toContain('A1PA6795UKMFR9');
    expect(agent.dialed).toContain('api.amazon.com');
  });

  it('pages getOrders with its nextToken option', async () => {
    const orders = new OrdersSpApi.OrdersV0Api(client(OrdersSpApi.ApiClient));
    const opts = { createdAfter: LONG_AGO, maxResultsPerPage: 5 };
    const first = await orders.getOrders([US], opts);
    // The SDK's models camel-case the fields (Orders → orders, NextToken → nextToken).
    expect(first.payload?.orders).toHaveLength(5);
    const token = first.payload?.nextToken;
    expect(token).toEqual(expect.any(String));
    const second = await orders.getOrders([US], { ...opts, nextToken: token });
    expect(second.payload?.createdBefore).toBe(first.payload?.createdBefore);
    const ids = [...(first.payload?.orders ?? []), ...(second.payload?.orders ?? [])].map((o) => o.amazonOrderId);
    expect(ids.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('creates a report, waits for it and gets a document URL that serves text/plain rows', async () => {
    const reports = new ReportsSpApi.ReportsApi(client(ReportsSpApi.ApiClient));
    const { reportId } = await reports.createReport(new ReportsSpApi.CreateReportSpecification('GET_FLAT_FILE_OPEN_LISTINGS_DATA', [US]));
    let report = await reports.getReport(reportId);
    for (let poll = 0; poll < 5 && report.processingStatus !== 'DONE'; poll++) report = await reports.getReport(reportId);
    expect(report.processingStatus).toBe('DONE');
    const document = await reports.getReportDocument(report.reportDocumentId ?? '');
    expect(document.reportDocumentId).toBe(report.reportDocumentId);
    const response = await fetch(document.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; charset=/);
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = (document.compressionAlgorithm === 'GZIP' ? gunzipSync(bytes) : bytes).toString('latin1');
    expect(text.split('\n')[0]).toContain('sku\t');
  });

  it('gets one grantless token for two space-separated scopes', async () => {
    const notifications = new NotificationsSpApi.NotificationsApi(client(NotificationsSpApi.ApiClient, BOTH_SCOPES));
    const reply = await notifications.getDestinations();
    expect(Array.isArray(reply.payload)).toBe(true);
    const applications = new ApplicationsSpApi.ApplicationsApi(client(ApplicationsSpApi.ApiClient, BOTH_SCOPES));
    // 204, no body: the new secret goes to the app's SQS queue.
    await expect(applications.rotateApplicationClientSecret()).resolves.toBeFalsy();
  });
});
