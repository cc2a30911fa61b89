import { BucketRateLimiter } from './bucket-limiter.js';
import { resolveClock, SP_API_FULL_START_LAG_MS, type LimiterClock, type LimiterTuning } from './clock.js';
import { LocalEngine } from './engine.js';
import { DEFAULT_STALE_LOCK_MS } from './file-lock.js';
import { FileBucketStore, FileRateLimiter, listFileBuckets } from './file-limiter.js';
import { MemoryBucketStore, MemoryRateLimiter } from './memory-limiter.js';
import { RedisEngine, type RedisConnector, type StoredBucket } from './redis-engine.js';
import { join } from 'node:path';

export interface RedisRateLimiterOptions extends LimiterClock, LimiterTuning {
  /** redis://[user:pass@]host:port[/db] or rediss://…; a bad URL is a UsageError here, before any request. */
  url: string;
  /** The config directory: while Redis is unreachable, buckets live in its files (shared by this machine's processes); else in memory. */
  dir?: string | undefined;
  /** Told once per outage, e.g. to print on stderr; the library prints nothing itself. */
  onWarning?: ((message: string) => void) | undefined;
  /** Replaces @redis/client (tests of the state machine). */
  connect?: RedisConnector | undefined;
}

/** Token buckets in Redis, shared by every machine (and process) that uses the same server. */
export class RedisRateLimiter extends BucketRateLimiter {
  readonly redis: RedisEngine;

  constructor(options: RedisRateLimiterOptions) {
    const clock = resolveClock(options);
    const store = options.dir === undefined ? new MemoryBucketStore() : new FileBucketStore(join(options.dir, 'ratelimit'), DEFAULT_STALE_LOCK_MS);
    const engine = new RedisEngine({ url: options.url, local: new LocalEngine(store, clock), clock, onWarning: options.onWarning, connect: options.connect });
    super(engine, clock, options.fullStartLagMs ?? SP_API_FULL_START_LAG_MS);
    this.redis = engine;
  }

  /** Closes the connection so the process can exit at once. */
  close(): void {
    this.redis.close();
  }
}

export interface RateLimiterChoice extends LimiterClock, LimiterTuning {
  /** A redis:// or rediss:// URL; undefined or 'file' keeps the buckets on this machine. */
  store?: string | undefined;
  dir?: string | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

/** The limiter for a store setting: Redis for a URL, else files under `dir`, else memory. */
export function createRateLimiter(choice: RateLimiterChoice): RedisRateLimiter | FileRateLimiter | MemoryRateLimiter {
  if (choice.store !== undefined && choice.store !== '' && choice.store !== 'file') return new RedisRateLimiter({ ...choice, url: choice.store });
  return choice.dir === undefined ? new MemoryRateLimiter(choice) : new FileRateLimiter({ ...choice, dir: choice.dir });
}

/** The buckets of the store in use, for `spapi quota`. */
export function listBuckets(limiter: RedisRateLimiter | FileRateLimiter | MemoryRateLimiter, now: number): Promise<StoredBucket[]> {
  if (limiter instanceof RedisRateLimiter) return limiter.redis.list();
  if (limiter instanceof FileRateLimiter) return listFileBuckets(join(limiter.stateDir, '..'), now);
  return Promise.resolve([]);
}
