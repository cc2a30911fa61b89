/**
 * Client-side SP-API token buckets: requests queue for their slot instead of drawing 429s.
 * FileRateLimiter shares the budget across processes; MemoryRateLimiter stays in one process.
 */
export type { AcquireOptions, BucketKey, RateLimiter, UsagePlan } from './types.js';
export { SP_API_FULL_START_LAG_MS, type LimiterClock, type LimiterTuning } from './clock.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memory-limiter.js';
export { FileRateLimiter, type FileRateLimiterOptions } from './file-limiter.js';
export { GRANTLESS, bucketId, bucketKey, sellingPartnerId, type BucketKeyParts } from './bucket-key.js';
export { slotIntervalMs } from './bucket.js';
export { RedisRateLimiter, createRateLimiter, listBuckets, type RedisRateLimiterOptions, type RateLimiterChoice } from './redis-limiter.js';
export { type StoredBucket } from './redis-engine.js';
export { parseStoreUrl, redactUrl } from './redis-url.js';
export type { BucketState } from './bucket.js';
