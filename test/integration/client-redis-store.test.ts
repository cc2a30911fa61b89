import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildRequest, findOperation, LwaClient, MemoryTokenCache, RedisRateLimiter, SpapiClient } from '../../src/index.js';
import { listBuckets } from '../../src/core/ratelimit/index.js';
import { loadGeneratedCatalog } from '../../src/emulator/catalog.js';
import { SELLER, useEmulator } from '../helpers/emulator.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis.js';

/*
 * The library takes the fleet's store as the CLI does (SPAPI_RATELIMIT_STORE): two clients, standing
 * for two machines, given only the Redis URL, draw from one bucket there.
 */
const OPERATION = 'sellers.getMarketplaceParticipations';
const catalog = { operations: loadGeneratedCatalog() };
const spec = findOperation(catalog, OPERATION).spec;
const emu = useEmulator({ rateScale: 1000 });

describeRedis('SpapiClient with rateLimitStore', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const client = (store: string): SpapiClient =>
    new SpapiClient({
      baseUrl: emu().urls.spApi,
      region: 'na',
      credentials: async () => ({ ...SELLER, sources: {} }),
      lwa: new LwaClient({ tokenUrl: emu().urls.lwa, cache: new MemoryTokenCache() }),
      rateLimitStore: store,
      userAgent: 'spapi-tests',
    });

  it('keeps the buckets in Redis, one for both clients of that URL, re-tuned from the rate-limit header', async () => {
    const machines = [client(redis.url), client(redis.url)];
    for (const machine of machines) {
      const result = await machine.call(spec, buildRequest(spec, { params: [] }), { operationName: OPERATION });
      expect(result.status).toBe(200);
    }
    await Promise.all(machines.map((machine) => machine.close()));

    const observer = new RedisRateLimiter({ url: redis.url });
    try {
      const buckets = (await listBuckets(observer, Date.now())).filter((bucket) => bucket.state.op === OPERATION);
      // One bucket for both clients (the key is app + seller + region + operation), both calls drawn from it.
      expect(buckets).toHaveLength(1);
      const { rate, burst } = buckets[0]!.state as { rate: number; burst: number };
      // The emulator's x-amzn-RateLimit-Limit (the catalog rate × its rateScale 1000) re-tuned the shared bucket.
      expect({ rate, burst }).toEqual({ rate: (spec.rate ?? 0) * 1000, burst: spec.burst });
      expect(emu().stats().byOperation[OPERATION]?.requests).toBe(2);
    } finally {
      observer.close();
    }
  });

  it('a URL that is not redis:// or rediss:// is refused when the client is made, before any request', () => {
    expect(() => client('http://127.0.0.1:6379')).toThrowError(expect.objectContaining({ kind: 'usage' }));
  });
});
