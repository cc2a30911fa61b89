import { afterEach, describe, expect, it } from 'vitest';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { DEFAULT_APP, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/*
 * The generic parts of the emulator (LWA, tokens, routing, usage plans, faults) against a small
 * inline catalog, so these tests neither depend on the generated catalog nor change with it.
 */

function op(spec: Pick<OperationSpec, 'model' | 'operationId' | 'method' | 'path'> & Partial<OperationSpec>): OperationSpec {
  return {
    family: spec.model,
    version: 'v1',
    params: [],
    body: false,
    bodyRequired: false,
    rate: 1,
    burst: 5,
    pagination: null,
    deprecated: false,
    grantlessScope: null,
    restricted: false,
    sandboxOnly: false,
    ...spec,
  };
}

const NOTIFICATIONS = 'sellingpartnerapi::notifications';
const ROTATION = 'sellingpartnerapi::client_credential:rotation';

const CATALOG: OperationSpec[] = [
  op({ model: 'sellers', operationId: 'getMarketplaceParticipations', method: 'GET', path: '/sellers/v1/marketplaceParticipations', rate: 0.016, burst: 15 }),
  op({ model: 'notifications', operationId: 'getDestinations', method: 'GET', path: '/notifications/v1/destinations', grantlessScope: NOTIFICATIONS }),
  op({ model: 'application_2023-11-30', operationId: 'rotateApplicationClientSecret', method: 'POST', path: '/applications/2023-11-30/clientSecret', grantlessScope: ROTATION, rate: 0.0167, burst: 1 }),
  op({ model: 'testApi', operationId: 'getWidget', method: 'GET', path: '/test/v1/widgets/{widgetId}', rate: 2, burst: 3 }),
  op({ model: 'testApi', operationId: 'getSpecialPart', method: 'GET', path: '/test/v1/widgets/{widgetId}/parts/special' }),
  op({ model: 'testApi', operationId: 'getPart', method: 'GET', path: '/test/v1/widgets/{widgetId}/parts/{partId}' }),
  op({ model: 'testApi', operationId: 'createWidget', method: 'POST', path: '/test/v1/widgets', body: true, bodyRequired: true, rate: 100, burst: 100 }),
  op({
    model: 'testApi',
    operationId: 'putUpload',
    method: 'PUT',
    path: '/test/v1/uploads/{resource}',
    params: [{ name: 'resource', in: 'path', required: true, type: 'string', greedy: true }],
  }),
  op({ model: 'testApi', operationId: 'getUnrated', method: 'GET', path: '/test/v1/unrated', rate: null, burst: null }),
  op({
    model: 'testApi',
    operationId: 'listWidgets',
    method: 'GET',
    path: '/test/v1/widgets',
    rate: 50,
    burst: 50,
    params: [{ name: 'marketplaceId', in: 'query', required: true, type: 'string' }, { name: 'nextToken', in: 'query', required: false, type: 'string' }],
    pagination: { request: 'nextToken', in: 'query', response: 'payload.pagination.nextToken' },
  }),
];

const UNAUTHORIZED_BODY = { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] };
const QUOTA_BODY = { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ catalog: CATALOG, ...options });
  running.push(emulator);
  return emulator;
}

async function lwa(emulator: Emulator, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(emulator.urls.lwa, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refreshGrant = (extra: Record<string, string> = {}): Record<string, string> => ({
  grant_type: 'refresh_token',
  refresh_token: DEFAULT_REFRESH_TOKEN,
  client_id: DEFAULT_CLIENT_ID,
  client_secret: DEFAULT_CLIENT_SECRET,
  ...extra,
});

const grantlessGrant = (scope: string): Record<string, string> => ({
  grant_type: 'client_credentials',
  scope,
  client_id: DEFAULT_CLIENT_ID,
  client_secret: DEFAULT_CLIENT_SECRET,
});

async function token(emulator: Emulator, fields: Record<string, string> = refreshGrant()): Promise<string> {
  const { status, body } = await lwa(emulator, fields);
  expect(status).toBe(200);
  return body['access_token'] as string;
}

async function call(emulator: Emulator, path: string, accessToken?: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${emulator.urls.spApi}${path}`, {
    ...init,
    headers: { ...(accessToken !== undefined ? { 'x-amz-access-token': accessToken } : {}), ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function errorCode(body: unknown): string | undefined {
  return (body as { errors?: Array<{ code: string }> }).errors?.[0]?.code;
}

describe('emulator startup', () => {
  it('listens on a free loopback port and reports its URLs', async () => {
    const emulator = await start();
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.urls.spApi).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.urls.lwa).toBe(`http://127.0.0.1:${emulator.port}/auth/o2/token`);
    expect(emulator.urls.consent).toBe(`http://127.0.0.1:${emulator.port}/apps/authorize/consent`);
    expect(emulator.urls.documents).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.urls.documents).not.toBe(emulator.urls.spApi);
  });

  it('refuses a non-loopback host', async () => {
    await expect(startEmulator({ catalog: CATALOG, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('closes promptly although a keep-alive connection is open', async () => {
    const emulator = await startEmulator({ catalog: CATALOG });
    await call(emulator, '/sellers/v1/marketplaceParticipations', await token(emulator));
    const started = Date.now();
    await emulator.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(emulator.urls.spApi)).rejects.toThrow();
    await expect(fetch(emulator.urls.documents)).rejects.toThrow();
  });
});

describe('LWA token endpoint', () => {
  it('exchanges a refresh token for an access token and echoes the refresh token', async () => {
    const emulator = await start();
    const { status, body } = await lwa(emulator, refreshGrant());
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.stringMatching(/^Atza\|/), refresh_token: DEFAULT_REFRESH_TOKEN, token_type: 'bearer', expires_in: 3600 });
    expect(emulator.stats().lwaRequests).toBe(1);
    expect(emulator.stats().requests).toBe(0);
  });

  it('uses tokenLifetimeSeconds and accepts a JSON body', async () => {
    const emulator = await start({ tokenLifetimeSeconds: 120 });
    const response = await fetch(emulator.urls.lwa, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(refreshGrant()) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, unknown>)['expires_in']).toBe(120);
  });

  it('issues grantless tokens for the two known scopes', async () => {
    const emulator = await start();
    for (const scope of [NOTIFICATIONS, ROTATION]) {
      const { status, body } = await lwa(emulator, grantlessGrant(scope));
      expect(status).toBe(200);
      expect(body).toMatchObject({ access_token: expect.stringMatching(/^Atza\|/), token_type: 'bearer', expires_in: 3600 });
      expect(body).not.toHaveProperty('refresh_token');
    }
  });

  it.each([
    ['a wrong client secret', refreshGrant({ client_secret: 'wrong' }), 401, 'invalid_client'],
    ['an unknown client id', refreshGrant({ client_id: 'amzn1.application-oa2-client.other' }), 401, 'invalid_client'],
    ['an unknown refresh token', refreshGrant({ refresh_token: 'Atzr|unknown' }), 400, 'invalid_grant'],
    ['a missing refresh token', { grant_type: 'refresh_token', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }, 400, 'invalid_request'],
    ['a scope on a refresh_token grant', refreshGrant({ scope: NOTIFICATIONS }), 400, 'invalid_request'],
    ['a refresh token on a client_credentials grant', { ...grantlessGrant(NOTIFICATIONS), refresh_token: DEFAULT_REFRESH_TOKEN }, 400, 'invalid_request'],
    ['an unknown scope', grantlessGrant('sellingpartnerapi::migration'), 400, 'invalid_scope'],
    ['an unknown scope among known ones', grantlessGrant(`${NOTIFICATIONS} sellingpartnerapi::migration ${ROTATION}`), 400, 'invalid_scope'],
    ['a blank scope', grantlessGrant(' '), 400, 'invalid_request'],
    ['a missing scope', { grant_type: 'client_credentials', client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }, 400, 'invalid_request'],
    ['an unsupported grant type', refreshGrant({ grant_type: 'password' }), 400, 'unsupported_grant_type'],
    ['a missing grant type', { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET }, 400, 'invalid_request'],
    ['a missing client secret', { grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN, client_id: DEFAULT_CLIENT_ID }, 400, 'invalid_request'],
  ])('answers %s like LWA', async (_, fields, status, error) => {
    const emulator = await start();
    const reply = await lwa(emulator, fields);
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ error, error_description: expect.any(String) });
  });

  it('knows only the refresh tokens of the app that presents them', async () => {
    const other = { clientId: 'amzn1.application-oa2-client.other', clientSecret: 'other-secret', refreshTokens: [{ token: 'Atzr|other', sellingPartnerId: 'AOTHER' }] };
    const emulator = await start({ apps: [DEFAULT_APP, other] });
    expect((await lwa(emulator, refreshGrant({ refresh_token: 'Atzr|other' }))).body['error']).toBe('invalid_grant');
    expect((await lwa(emulator, refreshGrant({ refresh_token: 'Atzr|other', client_id: other.clientId, client_secret: other.clientSecret }))).status).toBe(200);
  });
});

describe('access tokens', () => {
  it('answers 403 Unauthorized without a token or with one it never issued', async () => {
    const emulator = await start();
    for (const accessToken of [undefined, 'Atza|made-up']) {
      const reply = await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken);
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual(UNAUTHORIZED_BODY);
    }
  });

  it('refuses an expired token', async () => {
    const emulator = await start({ tokenLifetimeSeconds: 1 });
    const accessToken = await token(emulator);
    expect((await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const reply = await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken);
    expect(reply.status).toBe(403);
    expect(errorCode(reply.body)).toBe('Unauthorized');
  });

  it('lets grantless operations take only a grantless token with their scope', async () => {
    const emulator = await start();
    const seller = await token(emulator);
    const notifications = await token(emulator, grantlessGrant(NOTIFICATIONS));
    const rotation = await token(emulator, grantlessGrant(ROTATION));
    expect((await call(emulator, '/notifications/v1/destinations', seller)).body).toEqual(UNAUTHORIZED_BODY);
    expect((await call(emulator, '/notifications/v1/destinations', rotation)).status).toBe(403);
    expect((await call(emulator, '/notifications/v1/destinations', notifications)).status).toBe(200);
    expect((await call(emulator, '/applications/2023-11-30/clientSecret', notifications, { method: 'POST' })).status).toBe(403);
    // Authorised, but the operation itself is not emulated.
    expect((await call(emulator, '/applications/2023-11-30/clientSecret', rotation, { method: 'POST' })).status).toBe(204);
  });

  it('issues one grantless token for space-separated scopes, good for the operations of each', async () => {
    const emulator = await start();
    const { status, body } = await lwa(emulator, grantlessGrant(`${NOTIFICATIONS} ${ROTATION}`));
    expect(status).toBe(200);
    expect(body['scope']).toBe(`${NOTIFICATIONS} ${ROTATION}`);
    const both = body['access_token'] as string;
    expect((await call(emulator, '/notifications/v1/destinations', both)).status).toBe(200);
    expect((await call(emulator, '/applications/2023-11-30/clientSecret', both, { method: 'POST' })).status).toBe(204);
    expect((await call(emulator, '/sellers/v1/marketplaceParticipations', both)).status).toBe(403);
  });

  it('refuses a grantless token on a seller operation', async () => {
    const emulator = await start();
    const reply = await call(emulator, '/sellers/v1/marketplaceParticipations', await token(emulator, grantlessGrant(NOTIFICATIONS)));
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual(UNAUTHORIZED_BODY);
  });
});

describe('routing', () => {
  it('prefers literal segments and lets greedy parameters hold slashes', async () => {
    const emulator = await start();
    const accessToken = await token(emulator);
    const message = async (path: string, init?: RequestInit): Promise<string> =>
      ((await call(emulator, path, accessToken, init)).body as { errors: Array<{ message: string }> }).errors[0]?.message ?? '';
    expect(await message('/test/v1/widgets/w1/parts/special')).toMatch(/^testApi\.getSpecialPart /);
    expect(await message('/test/v1/widgets/w1/parts/p7')).toMatch(/^testApi\.getPart /);
    expect(await message('/test/v1/uploads/a/b/c.json', { method: 'PUT' })).toMatch(/^testApi\.putUpload /);
  });

  it('answers 404 NotFound for unknown paths and methods, and 501 NotEmulated for known ones', async () => {
    const emulator = await start();
    const accessToken = await token(emulator);
    for (const [path, method] of [['/nope/v1/things', 'GET'], ['/sellers/v1/marketplaceParticipations', 'DELETE'], ['/test/v1/widgets/w1/', 'GET']] as const) {
      const reply = await call(emulator, path, accessToken, { method });
      expect(reply.status).toBe(404);
      expect(errorCode(reply.body)).toBe('NotFound');
    }
    const reply = await call(emulator, '/test/v1/widgets/w1', accessToken);
    expect(reply.status).toBe(501);
    expect(errorCode(reply.body)).toBe('NotEmulated');
  });

  it('answers 400 InvalidInput for a body that is not JSON', async () => {
    const emulator = await start();
    const reply = await call(emulator, '/test/v1/widgets', await token(emulator), { method: 'POST', body: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(reply.status).toBe(400);
    expect(errorCode(reply.body)).toBe('InvalidInput');
  });

  it('puts a request id and a JSON content type on every SP-API answer', async () => {
    const emulator = await start({ rateOverrides: { 'sellers.getMarketplaceParticipations': { rate: 0, burst: 1 } } });
    const accessToken = await token(emulator);
    const statuses: number[] = [];
    const ids = new Set<string>();
    for (const [path, withToken] of [
      ['/sellers/v1/marketplaceParticipations', true],
      ['/sellers/v1/marketplaceParticipations', true],
      ['/sellers/v1/marketplaceParticipations', false],
      ['/nope', true],
      ['/test/v1/widgets/w1', true],
    ] as const) {
      const reply = await call(emulator, path, withToken ? accessToken : undefined);
      statuses.push(reply.status);
      const id = reply.headers.get('x-amzn-requestid') ?? '';
      expect(id).toMatch(UUID);
      ids.add(id);
      expect(reply.headers.get('content-type')).toBe('application/json');
    }
    expect(statuses).toEqual([200, 429, 403, 404, 501]);
    expect(ids.size).toBe(5);
  });
});

describe('usage plans', () => {
  it('answers 429 QuotaExceeded once the burst is spent, with the rate header, and counts it', async () => {
    const emulator = await start();
    const accessToken = await token(emulator);
    const replies = [];
    for (let i = 0; i < 4; i += 1) replies.push(await call(emulator, '/test/v1/widgets/w1', accessToken));
    expect(replies.map((r) => r.status)).toEqual([501, 501, 501, 429]);
    expect(replies[3]?.body).toEqual(QUOTA_BODY);
    for (const reply of replies) expect(reply.headers.get('x-amzn-ratelimit-limit')).toBe('2.0');
    const stats = emulator.stats();
    expect(stats.requests).toBe(4);
    expect(stats.throttled).toBe(1);
    expect(stats.byOperation['testApi.getWidget']).toEqual({ requests: 4, throttled: 1 });
  });

  it('refills the bucket at the plan rate', async () => {
    const emulator = await start({ rateOverrides: { 'testApi.getWidget': { rate: 20, burst: 1 } } });
    const accessToken = await token(emulator);
    expect((await call(emulator, '/test/v1/widgets/w1', accessToken)).status).toBe(501);
    expect((await call(emulator, '/test/v1/widgets/w1', accessToken)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await call(emulator, '/test/v1/widgets/w1', accessToken)).status).toBe(501);
  });

  it('lets rateOverrides replace the catalog plan, unscaled', async () => {
    const emulator = await start({ rateScale: 10, rateOverrides: { 'testApi.getWidget': { rate: 0.5, burst: 1 } } });
    const accessToken = await token(emulator);
    const first = await call(emulator, '/test/v1/widgets/w1', accessToken);
    const second = await call(emulator, '/test/v1/widgets/w1', accessToken);
    expect([first.status, second.status]).toEqual([501, 429]);
    expect(second.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
  });

  it('scales catalog rates with rateScale and gives unrated operations 1/s burst 5', async () => {
    const emulator = await start({ rateScale: 10 });
    const accessToken = await token(emulator);
    expect((await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken)).headers.get('x-amzn-ratelimit-limit')).toBe('0.16');
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      const reply = await call(emulator, '/test/v1/unrated', accessToken);
      expect(reply.headers.get('x-amzn-ratelimit-limit')).toBe('10.0');
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([501, 501, 501, 501, 501, 429]);
  });

  it('keeps one bucket per selling partner and application', async () => {
    const app = { ...DEFAULT_APP, refreshTokens: [...DEFAULT_APP.refreshTokens, { token: 'Atzr|second-seller', sellingPartnerId: 'ASECOND' }] };
    const emulator = await start({ apps: [app], rateOverrides: { 'testApi.getWidget': { rate: 0, burst: 1 } } });
    const first = await token(emulator);
    const again = await token(emulator);
    const second = await token(emulator, refreshGrant({ refresh_token: 'Atzr|second-seller' }));
    expect((await call(emulator, '/test/v1/widgets/w1', first)).status).toBe(501);
    // A fresh access token of the same seller draws from the same bucket.
    expect((await call(emulator, '/test/v1/widgets/w1', again)).status).toBe(429);
    expect((await call(emulator, '/test/v1/widgets/w1', second)).status).toBe(501);
  });
});

describe('fault injection', () => {
  it('answers the listed calls with the 5xx status once each', async () => {
    const emulator = await start({ faults: { status5xx: { status: 503, onCalls: [2, 3] } } });
    const accessToken = await token(emulator);
    const replies = [];
    for (let i = 0; i < 4; i += 1) replies.push(await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken));
    expect(replies.map((r) => r.status)).toEqual([200, 503, 503, 200]);
    expect(errorCode(replies[1]?.body)).toBe('ServiceUnavailable');
    expect(replies[1]?.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(emulator.stats().throttled).toBe(0);
  });

  it('counts calls from setFaults, and throttleAll answers 429 counted as throttled', async () => {
    const emulator = await start();
    const accessToken = await token(emulator);
    await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken);
    emulator.setFaults({ status5xx: { status: 500, onCalls: [1] } });
    const faulted = await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken);
    expect(faulted.status).toBe(500);
    expect(errorCode(faulted.body)).toBe('InternalFailure');
    emulator.setFaults({ throttleAll: true });
    const throttled = await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toEqual(QUOTA_BODY);
    expect(emulator.stats().throttled).toBe(1);
    emulator.setFaults({});
    expect((await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken)).status).toBe(200);
  });

  it('delays answers by latencyMs', async () => {
    const emulator = await start({ faults: { latencyMs: 150 } });
    const accessToken = await token(emulator);
    const started = Date.now();
    expect((await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('stats', () => {
  it('records recent requests of every kind, bounded, and resets', async () => {
    const emulator = await start({ rateScale: 1000 });
    const accessToken = await token(emulator);
    for (let i = 0; i < 105; i += 1) await call(emulator, '/sellers/v1/marketplaceParticipations', accessToken);
    const stats = emulator.stats();
    expect(stats.requests).toBe(105);
    expect(stats.lastRequests).toHaveLength(100);
    expect(stats.lastRequests.at(-1)).toMatchObject({ kind: 'sp-api', method: 'GET', path: '/sellers/v1/marketplaceParticipations' });
    expect(stats.lastRequests.at(-1)?.headers['x-amz-access-token']).toBe(accessToken);
    emulator.resetStats();
    expect(emulator.stats()).toEqual({ requests: 0, throttled: 0, lwaRequests: 0, documentDownloads: 0, documentBytesServed: 0, feedUploads: 0, feedBytesReceived: 0, credentialsAtDocuments: 0, byOperation: {}, lastRequests: [] });
  });
});

describe('synthetic pagination (inline catalog)', () => {
  it('pages through `pages` pages and checks required parameters and tokens', async () => {
    const emulator = await start({ pages: 2 });
    const accessToken = await token(emulator);
    const first = await call(emulator, '/test/v1/widgets?marketplaceId=ATVPDKIKX0DER', accessToken);
    expect(first.status).toBe(200);
    const payload = (first.body as { payload: { items: unknown[]; pagination?: { nextToken?: string } } }).payload;
    expect(payload.items).toEqual([
      { id: 'testApi.listWidgets#1.1', page: 1, index: 1 },
      { id: 'testApi.listWidgets#1.2', page: 1, index: 2 },
    ]);
    const next = payload.pagination?.nextToken ?? '';
    const second = await call(emulator, `/test/v1/widgets?marketplaceId=ATVPDKIKX0DER&nextToken=${encodeURIComponent(next)}`, accessToken);
    expect(second.body).toEqual({ payload: { items: [expect.objectContaining({ page: 2, index: 1 }), expect.objectContaining({ page: 2, index: 2 })] } });
    // Tokens always hold a `+`: sent without percent-encoding it arrives as a space and is refused.
    expect(next).toContain('+');
    expect((await call(emulator, `/test/v1/widgets?marketplaceId=ATVPDKIKX0DER&nextToken=${next}`, accessToken)).status).toBe(400);
    expect((await call(emulator, '/test/v1/widgets', accessToken)).status).toBe(400);
    expect(errorCode((await call(emulator, '/test/v1/widgets?marketplaceId=X&nextToken=bogus', accessToken)).body)).toBe('InvalidInput');
  });
});
