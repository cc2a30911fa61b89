import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LwaClient } from '../../src/core/auth/lwa.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { apiError, SpapiClient } from '../../src/core/client.js';
import { ApiError } from '../../src/core/errors.js';
import { MemoryRateLimiter } from '../../src/core/ratelimit/index.js';

const BODY = '{"errors":[{"code":"InvalidInput","message":"Invalid Input"}]}';

describe('the 400 hint', () => {
  it('names the operation it is given', () => {
    expect(apiError(400, {}, BODY, { operation: 'ordersV0.getOrders' }).hint).toBe('check the parameters with `spapi ops describe ordersV0.getOrders`');
  });

  it('keeps a placeholder when the caller does not know the operation, and leaves other statuses alone', () => {
    expect(apiError(400, {}, BODY).hint).toBe('check the parameters with `spapi ops describe <operation>`');
    expect(apiError(401, {}, BODY, { operation: 'ordersV0.getOrders' }).hint).toMatch(/^the access token was refused: run `spapi auth status`/);
  });

  it('a 5xx says whether it was retried: a POST is not (Amazon may have processed it)', () => {
    expect(apiError(503, {}, BODY, { operation: 'reports_2021-06-30.createReport', method: 'POST' }).hint).toMatch(/^POST is not retried after a 503: Amazon may have processed it/);
    // A GET is retried: after several answers the hint says so; a single one (--max-attempts 1) gets none.
    expect(apiError(500, {}, BODY, { operation: 'ordersV0.getOrders', method: 'GET', attempts: 5 }).hint).toBe('Amazon answered 500 5 times: try again later, or raise --max-attempts');
    expect(apiError(500, {}, BODY, { operation: 'ordersV0.getOrders', method: 'GET', attempts: 1 }).hint).toBeUndefined();
  });

  describe('from SpapiClient.call', () => {
    let server: Server;
    let baseUrl: string;
    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-RequestId': 'r-1' }).end(BODY);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('names the qualified operation that was called', async () => {
      const spec: OperationSpec = {
        model: 'ordersV0', family: 'orders', version: 'v0', operationId: 'getOrders', method: 'GET', path: '/orders/v0/orders', params: [],
        body: false, bodyRequired: false, rate: 10, burst: 10, pagination: null, rows: 'payload.Orders',
        deprecated: false, grantlessScope: null, restricted: false, sandboxOnly: false,
      };
      const client = new SpapiClient({
        baseUrl,
        region: 'na',
        credentials: async () => ({ clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh', sources: {} }),
        lwa: { accessToken: async () => 'access' } as unknown as LwaClient,
        limiter: new MemoryRateLimiter(),
        userAgent: 'spapi-tests',
        maxAttempts: 1,
      });
      const error = await client.call(spec, { method: 'GET', path: '/orders/v0/orders', headers: {} }, { operationName: 'getOrders' }).catch((e: unknown) => e);
      await client.close();
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).hint).toBe('check the parameters with `spapi ops describe ordersV0.getOrders`');
    });
  });
});
