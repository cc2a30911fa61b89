import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestLogRecord } from '../../src/core/http/request-log.js';
import { cliEnv, lines, tempDirs } from '../helpers/cli.js';
import { accessTokensSeen, SELLER, useEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

/*
 * The request log (SPAPI_LOG_FILE / --log-file) against the emulator: one record per request with
 * what an audit asks for, and none of the secrets or PII the calls carried — searched for in the file.
 */

const emulator = useEmulator({ rateScale: 1000, seed: 11 });
const freshDir = tempDirs('spapi-request-log-');

beforeEach(() => {
  emulator().setFaults({});
  emulator().resetStats();
});

function setup(extra: Record<string, string | undefined> = {}) {
  const dir = freshDir();
  const log = join(dir, 'logs', 'requests.jsonl');
  return { dir, log, env: cliEnv(emulator(), dir, { SPAPI_LOG_FILE: log, ...extra }) };
}

function records(log: string): RequestLogRecord[] {
  return lines(readFileSync(log, 'utf8')).map((line) => JSON.parse(line) as RequestLogRecord);
}

/** Every string in a JSON value (the PII an answer carried), long enough not to match by chance. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 5 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const PII_EMAIL = 'pii.probe.4711@marketplace.example';
const MARKETPLACE = 'ATVPDKIKX0DER';

describe('the request log', () => {
  it('holds one record per request with its id, status and rate header, and no secret, token, RDT or PII value', async () => {
    const { log, env } = setup();
    const orders = await runInProcess(['call', 'ordersV0.getOrders', '-p', `MarketplaceIds=${MARKETPLACE}`, '-p', 'CreatedAfter=2020-01-01T00:00:00Z', '-p', `BuyerEmail=${PII_EMAIL}`], env);
    expect(orders.exitCode, orders.stderr).toBe(0);
    const all = await runInProcess(['call', 'ordersV0.getOrders', '-p', `MarketplaceIds=${MARKETPLACE}`, '-p', 'CreatedAfter=2020-01-01T00:00:00Z', '-p', 'MaxResultsPerPage=2'], env);
    const orderId = (JSON.parse(all.stdout) as { payload: { Orders: Array<{ AmazonOrderId: string }> } }).payload.Orders[0]?.AmazonOrderId ?? '';
    expect(orderId).not.toBe('');
    const address = await runInProcess(['call', 'ordersV0.getOrderAddress', '-p', `orderId=${orderId}`], env);
    expect(address.exitCode, address.stderr).toBe(0);
    const buyer = await runInProcess(['call', 'ordersV0.getOrderBuyerInfo', '-p', `orderId=${orderId}`], env);
    expect(buyer.exitCode, buyer.stderr).toBe(0);
    const pii = [...strings(JSON.parse(address.stdout)), ...strings(JSON.parse(buyer.stdout))].filter((s) => s !== orderId);
    expect(pii.length).toBeGreaterThan(2);

    const text = readFileSync(log, 'utf8');
    // The one LWA refresh (the token cache serves the rest) is its own line, without its form or answer.
    const lwa = records(log).filter((r) => r.operation === 'lwa.token');
    expect(lwa).toEqual([expect.objectContaining({ profile: 'default', method: 'POST', path: '/auth/o2/token', grant: 'refresh_token', status: 200, attempts: 1, waitedMs: 0 })]);
    expect(records(log)[0]?.operation).toBe('lwa.token');
    const logged = records(log).filter((r) => r.operation !== 'lwa.token');
    expect(logged.map((r) => r.operation)).toEqual([
      'ordersV0.getOrders',
      'ordersV0.getOrders',
      'tokens_2021-03-01.createRestrictedDataToken',
      'ordersV0.getOrderAddress',
      'tokens_2021-03-01.createRestrictedDataToken',
      'ordersV0.getOrderBuyerInfo',
    ]);
    for (const record of logged) {
      expect(record).toMatchObject({ profile: 'default', status: 200, attempts: 1 });
      expect(Date.parse(record.time)).not.toBeNaN();
      expect(record.requestId).toMatch(/\S{8,}/);
      expect(record.durationMs).toBeGreaterThanOrEqual(0);
      expect(record.waitedMs).toBeGreaterThanOrEqual(0);
      expect(Number(record.rateLimit)).toBeGreaterThan(0);
    }
    expect(logged[0]).toMatchObject({ method: 'GET', path: '/orders/v0/orders', query: ['BuyerEmail', 'CreatedAfter', 'MarketplaceIds'] });
    expect(logged[3]).toMatchObject({ method: 'GET', path: '/orders/v0/orders/{orderId}/address' });
    expect(logged[2]).toMatchObject({ method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken' });

    const tokens = accessTokensSeen(emulator());
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    const secrets = [SELLER.clientSecret, SELLER.refreshToken, ...tokens].filter((s): s is string => Boolean(s));
    for (const secret of secrets) expect(text.includes(secret), `a secret or token is in the log: ${secret.slice(0, 6)}…`).toBe(false);
    for (const value of [PII_EMAIL, MARKETPLACE, '2020-01-01T00:00:00Z', orderId, ...pii]) expect(text.includes(value), `${value} is in the log`).toBe(false);
    expect(statSync(log).mode & 0o777).toBe(0o600);
  });

  it('--log-file wins over SPAPI_LOG_FILE; a retried 500 counts its attempts; a 429 that never ends is logged as throttled', async () => {
    const { dir, log, env } = setup();
    const flagged = join(dir, 'flag.jsonl');
    emulator().setFaults({ status5xx: [{ status: 500, onCalls: [1] }] });
    const retried = await runInProcess(['--log-file', flagged, 'call', 'getMarketplaceParticipations'], env);
    expect(retried.exitCode, retried.stderr).toBe(0);
    expect(records(flagged)).toEqual([
      expect.objectContaining({ operation: 'lwa.token', status: 200 }),
      expect.objectContaining({ operation: 'sellers.getMarketplaceParticipations', status: 200, attempts: 2 }),
    ]);
    expect(() => statSync(log)).toThrow();

    emulator().setFaults({ throttleAll: true });
    const throttled = await runInProcess(['call', 'getMarketplaceParticipations', '--max-attempts', '1'], env);
    expect(throttled.exitCode).not.toBe(0);
    expect(records(log)).toEqual([expect.objectContaining({ status: 429, error: 'throttled', attempts: 1 })]);
  });

  it('SPAPI_LOG_MAX_BYTES that is not a number is a usage error before anything is sent', async () => {
    const { env } = setup({ SPAPI_LOG_MAX_BYTES: '10MB' });
    const result = await runInProcess(['call', 'getMarketplaceParticipations'], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/SPAPI_LOG_MAX_BYTES/);
    expect(emulator().stats().lastRequests).toHaveLength(0);
  });
});
