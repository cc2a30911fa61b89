import { fail, ok, type DoctorCheck } from './types.js';

/** What reading the store's buckets gave. */
export interface RateLimitStoreProbe {
  /** `files in …/ratelimit (this machine's processes)` or `redis redis://…` with the password redacted. */
  store: string;
  kind: 'file' | 'redis';
  buckets?: number;
  error?: string;
  /** The setting is not a store URL at all (error says why). */
  malformed?: boolean;
}

/** The rate-limit store in use, and whether spapi can read it. */
export function checkRateLimitStore(probe: RateLimitStoreProbe): DoctorCheck {
  const check = 'rate-limit store';
  if (probe.error === undefined) return ok(check, `${probe.store}: readable, ${probe.buckets ?? 0} bucket${probe.buckets === 1 ? '' : 's'}`);
  if (probe.malformed) {
    return fail(check, `${probe.error}: every command that calls SP-API refuses to start with it (exit 2)`, 'set SPAPI_RATELIMIT_STORE / --ratelimit-store to redis://[user:pass@]host:port[/db] or rediss://…, or unset it to use the files');
  }
  if (probe.kind === 'redis') {
    return fail(check, `${probe.store}: ${probe.error}; calls fall back to this machine's files, so a fleet no longer shares its quota`, 'start the Redis server or fix SPAPI_RATELIMIT_STORE / --ratelimit-store (redis://[user:pass@]host:port[/db]); unset it to use the files');
  }
  return fail(check, `${probe.store}: ${probe.error}`, 'make the config directory writable, or point SPAPI_CONFIG_DIR to one that is');
}
