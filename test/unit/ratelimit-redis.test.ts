import { afterAll, beforeAll, expect, it } from 'vitest';
import { bucketId } from '../../src/core/ratelimit/bucket-key.js';
import { LocalEngine } from '../../src/core/ratelimit/engine.js';
import { MemoryBucketStore } from '../../src/core/ratelimit/memory-limiter.js';
import { nodeRedisConnector, RedisEngine, type RedisConnection } from '../../src/core/ratelimit/redis-engine.js';
import { parseStoreUrl, redactUrl } from '../../src/core/ratelimit/redis-url.js';
import { redisKey } from '../../src/core/ratelimit/redis-script.js';
import { RedisRateLimiter } from '../../src/core/ratelimit/redis-limiter.js';
import { SeededRandom } from '../../src/core/random.js';
import type { BucketKey } from '../../src/core/ratelimit/types.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis.js';

/** 1 µs, the design's epsilon; with whole-millisecond inputs the two sides agree exactly in practice. */
function near(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(0.001);
}

const key = (operation: string): BucketKey => ({ clientId: 'amzn1.application-oa2-client.test', sellingPartner: 'abcdef0123456789', region: 'na', operation });

it('store URLs: redis and rediss with user, password and db; anything else is a usage error; messages drop credentials', () => {
  expect(parseStoreUrl('redis://127.0.0.1:6380/2').port).toBe('6380');
  expect(parseStoreUrl('rediss://user:pw@redis.example.com:6380').protocol).toBe('rediss:');
  for (const bad of ['http://host:1', 'redis://', 'redis://h:1/x', 'host:6379', 'redis://h:1/0?x=1']) {
    expect(() => parseStoreUrl(bad), bad).toThrowError(expect.objectContaining({ kind: 'usage' }));
  }
  expect(redactUrl('redis://me:s3cret@h:6379/0')).toBe('redis://h:6379/0');
  // toThrowError(asymmetric) matches the Error object, so the message is what must be matched.
  expect(() => parseStoreUrl('ftp://me:s3cret@h')).toThrowError(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
});

describeRedis('the Redis engine against a real redis-server', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('the Lua script matches bucket.ts step for step (differential, a virtual time)', async () => {
    let t = 1_700_000_000_000;
    const clock = { now: () => t, sleep: async () => undefined };
    const local = new LocalEngine(new MemoryBucketStore(), clock);
    const remote = new RedisEngine({ url: redis.url, local: new LocalEngine(new MemoryBucketStore(), clock), clock, now: () => t });
    const conn = await nodeRedisConnector(redis.url, () => undefined);
    const seeded = new SeededRandom(12);
    const random = (): number => seeded.next();
    const plans = [
      { rate: 5, burst: 5 },
      { rate: 0.5, burst: 30 },
      { rate: 0.0167, burst: 1 },
    ];
    let steps = 0;
    let wakes = 0;
    for (const [i, plan] of plans.entries()) {
      const k = key(`op${i}`);
      const seen = { local: 0, remote: 0 };
      for (let n = 0; n < 400; n++) {
        t += Math.floor(random() * 3 * (1000 / plan.rate) * random());
        const pick = random();
        if (pick < 0.55) {
          const lag = random() < 0.5 ? 50 : 0;
          const a = await local.reserve(k, plan, lag);
          const b = await remote.reserve(k, plan, lag);
          near(b.waitMs, a.waitMs);
          near(b.shiftMs, a.shiftMs);
          seen.local = a.shiftMs;
          seen.remote = b.shiftMs;
        } else if (pick < 0.65) {
          await local.release(k);
          await remote.release(k);
        } else if (pick < 0.75) {
          const rate = plan.rate * (0.5 + random());
          await local.adoptRate(k, rate);
          await remote.adoptRate(k, rate);
        } else if (pick < 0.85) {
          await local.drain(k);
          await remote.drain(k);
        } else {
          // Whole milliseconds on both sides, so now − (now − lateBy) is exact and the check can be too.
          const lateBy = Math.floor(random() * 5 * (1000 / plan.rate));
          const a = await local.wake(k, seen.local, lateBy);
          const b = await remote.wake(k, seen.remote, lateBy);
          near(b.extraMs, a.extraMs);
          near(b.shiftMs, a.shiftMs);
          wakes++;
        }
        steps++;
        const mine = await local.store.peek(k);
        const h = await conn.hGetAll(redisKey(bucketId(k)));
        if (mine === undefined) {
          expect(h).toEqual({});
          continue;
        }
        near(Number(h['tokens']), mine.tokens);
        near(Number(h['at']), mine.at);
        near(Number(h['shift']), mine.shiftMs);
        near(Number(h['rate']), mine.rate);
        expect(h['op']).toBe(`op${i}`);
      }
    }
    expect(steps).toBe(1200);
    expect(wakes).toBeGreaterThan(50);
    conn.destroy();
    remote.close();
  });

  it('keys are namespaced, hashed and expire; reserve on the server clock queues callers', async () => {
    const limiter = new RedisRateLimiter({ url: redis.url, fullStartLagMs: 0 });
    const k = key('ordersV0.getOrders');
    const engine = limiter.redis;
    const waits: number[] = [];
    for (let n = 0; n < 4; n++) waits.push((await engine.reserve(k, { rate: 10, burst: 2 }, 0)).waitMs);
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    expect(waits[2]).toBeGreaterThan(90);
    expect(waits[3]! - waits[2]!).toBeGreaterThan(90);
    const conn = await nodeRedisConnector(redis.url, () => undefined);
    const keys = await conn.scanKeys('spapi:rl:1:*');
    expect(keys).toContain(`spapi:rl:1:{${bucketId(k)}}`);
    expect(keys.join()).not.toContain('amzn1');
    const ttl = Number(await conn.eval(`return redis.call('PTTL', KEYS[1])`, { keys: [redisKey(bucketId(k))], arguments: [] }));
    expect(ttl).toBeGreaterThan(86_000_000);
    const listed = await engine.list();
    expect(listed.find((b) => b.id === bucketId(k))?.state.op).toBe('ordersV0.getOrders');
    conn.destroy();
    limiter.close();
  });

  it('an outage warns once, falls back to local buckets that start empty, reconnects in the background and merges the local queue', async () => {
    let t = 1_000_000;
    const clock = { now: () => t, sleep: async () => undefined };
    const warnings: string[] = [];
    const localStore = new MemoryBucketStore();
    const engine = new RedisEngine({
      url: redis.url,
      local: new LocalEngine(localStore, clock),
      clock,
      onWarning: (line) => warnings.push(line),
      random: () => 0,
    });
    const k = key('outage.op');
    const plan = { rate: 5, burst: 5 };
    expect((await engine.reserve(k, plan, 0)).waitMs).toBe(0);
    await redis.kill9();
    const waits: number[] = [];
    for (let n = 0; n < 3; n++) waits.push((await engine.reserve(k, plan, 0)).waitMs);
    // Never unthrottled: the local bucket starts empty, so every call queues.
    expect(waits.every((w) => w > 0)).toBe(true);
    expect(waits[1]! > waits[0]!).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^rate-limit store redis:\/\/127\.0\.0\.1:\d+\/0 unreachable \((Socket closed unexpectedly|ECONNREFUSED)\); using this machine's buckets until it is back$/);
    expect(engine.description).toContain('unreachable');
    await redis.restart();
    // Before the retry delay nothing is tried; after it, the call that finds it due starts the reconnect.
    t += 1000;
    await engine.reserve(k, plan, 0);
    t += 5000;
    await engine.reserve(k, plan, 0);
    for (let n = 0; n < 50 && engine.description.includes('unreachable'); n++) await new Promise((r) => setTimeout(r, 20));
    expect(engine.description).not.toContain('unreachable');
    expect(warnings).toHaveLength(1);
    // The merged bucket carries this machine's queue: the next reservation on Redis waits.
    const after = await engine.reserve(k, plan, 0);
    expect(after.waitMs).toBeGreaterThan(0);
    engine.close();
  });

  it('a stalled server (SIGSTOP) costs at most the deadline per call, then the local engine serves', async () => {
    const engine = new RedisEngine({ url: redis.url, local: new LocalEngine(new MemoryBucketStore(), { now: Date.now, sleep: async () => undefined }), clock: { now: Date.now, sleep: async () => undefined } });
    const k = key('stall.op');
    await engine.reserve(k, { rate: 5, burst: 5 }, 0);
    redis.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      const taken = await engine.reserve(k, { rate: 5, burst: 5 }, 0);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(taken.waitMs).toBeGreaterThan(0);
    } finally {
      redis.child.kill('SIGCONT');
      engine.close();
    }
  });
});

it('a connector that always fails: the engine never throws and never connects more often than the retry delay', async () => {
  let t = 0;
  let attempts = 0;
  const warnings: string[] = [];
  const connect = async (): Promise<RedisConnection> => {
    attempts++;
    throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  };
  const engine = new RedisEngine({
    url: 'redis://127.0.0.1:1/0',
    local: new LocalEngine(new MemoryBucketStore(), { now: () => t, sleep: async () => undefined }),
    clock: { now: () => t, sleep: async () => undefined },
    connect,
    onWarning: (line) => warnings.push(line),
    random: () => 0.5,
  });
  for (let n = 0; n < 100; n++) {
    t += 100;
    await engine.reserve(key('x'), { rate: 1, burst: 1 }, 0);
    await new Promise((r) => setImmediate(r));
  }
  // 10 s of calls: the first attempt, then one per 5.5 s.
  expect(attempts).toBe(2);
  expect(warnings).toHaveLength(1);
});
