/**
 * `spapi doctor`'s checks: pure functions over facts the caller gathers (the CLI from its Factory),
 * each answering one {check, status, detail, fix} record.
 */
export * from './types.js';
export { checkNodeVersion } from './node-version.js';
export { checkKeychain, probeKeychain, KEYCHAIN_BOUND_MS, type KeychainProbe } from './keychain.js';
export { checkSecrets, checkTokenRefresh, type ProfileFacts, type SecretPlace } from './profiles.js';
export { checkClockSkew, SKEW_FAIL_MS, SKEW_WARN_MS, type ClockSample } from './clock.js';
export { checkRateLimitStore, type RateLimitStoreProbe } from './ratelimit.js';
export { checkProfileRegion, checkRegionInputs, regionFix, type ProfileRegion, type RegionEnvironment } from './regions.js';
export { ACCESS_PROBE_OPERATION, checkAccess, isBare403, probeAccess, type AccessProbes, type ProbeCall, type ProbeOutcome, type ProbePlan } from './access.js';
export { originMismatch } from './origins.js';
