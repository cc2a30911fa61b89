/**
 * The spapi library: everything under src/core, without the CLI. Importing it has no side effects
 * (no output, no files, no timers, no catalog read); test/unit/import-side-effects.test.ts checks
 * that, and test/unit/architecture.test.ts keeps src/core free of CLI, adapter and UI imports.
 */
export { SpapiClient, apiError, parseErrors, type ApiResult, type CallOptions, type ClientOptions, type PreparedRequest } from './core/client.js';
export {
  SpapiError,
  UsageError,
  AuthError,
  ApiError,
  NetworkError,
  ThrottledError,
  ReportFailedError,
  FeedFailedError,
  PendingError,
  InterruptedError,
  type ApiErrorEntry,
  type ErrorKind,
} from './core/errors.js';
export {
  REGIONS,
  MARKETPLACES,
  isRegionCode,
  resolveRegion,
  findMarketplace,
  resolveMarketplace,
  resolveRegionAndMarketplace,
  endpointFor,
  operationUrl,
  regionInputs,
  isAllowedOverride,
  type Marketplace,
  type Region,
  type RegionAndMarketplace,
  type RegionCode,
  type RegionSources,
} from './core/regions.js';
export type { Catalog, OperationSpec, PaginationSpec, ParamSpec } from './core/catalog/types.js';
export { findOperation, listOperations, qualifiedName, compareVersions, type FoundOperation, type ListOptions, type OperationSource } from './core/catalog/lookup.js';
export { loadCatalog, builtinCatalogPath, userCatalogPath, forgetLoadedCatalogs, type LoadedCatalog } from './core/catalog/load.js';
export { buildRequest, applyPageToken, type BuiltRequest, type ParamValue, type RequestInput } from './core/catalog/build-request.js';
export { checkBody, bodySchema, exampleBody } from './core/catalog/body-check.js';
export { SchemaValidator, type SchemaProblem } from './core/catalog/schema-validate.js';
export { loadSchemaCatalog, operationSchemas, type OperationSchemas, type SchemaCatalog } from './core/catalog/schemas.js';
export { sampleFromSchema, type SampleOptions, type SampleContext } from './core/catalog/schema-sample.js';
export { paginate, mergePages, type Page, type PaginateOptions } from './core/paginate.js';
export { LwaClient, LWA_TOKEN_URL, type LwaClientOptions, type TokenResponse } from './core/auth/lwa.js';
export { resolveCredentials, clientIdOf, CREDENTIAL_ENV, type CredentialInput, type CredentialName, type CredentialSource, type Credentials } from './core/auth/credentials.js';
export { NoSecretStore, type SecretKind, type SecretStore, type SecretStoreKind } from './core/auth/secret-store.js';
export { MemoryTokenCache, FileTokenCache, type CachedToken, type TokenCache, type TokenIdentity } from './core/auth/token-cache.js';
export { RdtCache, type IssuedRdt, type RestrictedResource } from './core/auth/rdt.js';
export { DATA_ELEMENTS, rdtNeed } from './core/auth/rdt-policy.js';
export {
  MemoryRateLimiter,
  FileRateLimiter,
  bucketKey,
  bucketId,
  sellingPartnerId,
  GRANTLESS,
  type AcquireOptions,
  type BucketKey,
  type BucketKeyParts,
  type FileRateLimiterOptions,
  type LimiterClock,
  type MemoryRateLimiterOptions,
  type RateLimiter,
  type UsagePlan,
  RedisRateLimiter,
  createRateLimiter,
  parseStoreUrl,
  type RedisRateLimiterOptions,
  type RateLimiterChoice,
} from './core/ratelimit/index.js';
export { configDir } from './core/config-dir.js';
export { rowsOf } from './core/catalog/rows.js';
export { readInstant, parseInstant, parseDuration } from './core/duration.js';
export { rotationOf, ROTATION_DAYS, WARN_DAYS, type Rotation } from './core/auth/rotation.js';
export { secretFilePermissionProblems } from './core/secret-file-permissions.js';
export { maskSecret, scrubSecrets } from './core/http/redact.js';
export { ParticipationsCache, PARTICIPATIONS_TTL_MS, type ParticipationsOwner } from './core/participations-cache.js';
export * from './core/documents/index.js';
export { Operations, type OperationInput } from './core/operations.js';
export {
  REPORTS_OPS,
  createReport,
  getReport,
  getReportDocument,
  waitForReport,
  defaultReportCharset,
  type Report,
  type ReportRequest,
  type ReportDocument,
  type ProcessingStatus,
} from './core/reports/reports.js';
export { RESTRICTED_REPORT_TYPES, isRestrictedReportType } from './core/reports/restricted-types.js';
export { DATAKIOSK_OPS, createQuery, getQuery, getQueryDocument, waitForQuery, type Query, type QueryStatus } from './core/datakiosk/queries.js';
export { compactQuery, MAX_QUERY_CHARS } from './core/datakiosk/compact.js';
export {
  FEEDS_OPS,
  createFeedDocument,
  createFeed,
  getFeed,
  getFeedDocument,
  waitForFeed,
  readProcessingReport,
  MAX_REPORT_BYTES,
  type Feed,
  type FeedRequest,
  type FeedDocument,
  type ProcessingReport,
  type ReadReportOptions,
} from './core/feeds/feeds.js';
export { RETIRED_FEED_TYPES, RETIRED_SINCE, isRetiredFeedType, checkFeedType, feedKind, contentTypeFor, isTextContentType, type FeedKind } from './core/feeds/content-types.js';
export { uploadFeedFile, spoolToTempFile, type UploadFile, type UploadOptions, type UploadResult, type SpooledFile } from './core/feeds/upload.js';
export { prepareFeedFile, type PreparedFeed, type PrepareOptions } from './core/feeds/prepare.js';
export { findInvalidText, findInvalidTextInFile, checkFileCharset, type InvalidText } from './core/feeds/charset-check.js';
export { checkJsonListingsFeed, MAX_LISTINGS_MESSAGES, type JsonListingsCheck } from './core/feeds/json-listings-check.js';
export { parseProcessingReport, summaryFails, withSkus, FAIL_ON, type FailOn, type FeedIssue, type FeedSummary, type IssueSeverity } from './core/feeds/processing-report.js';
export {
  batchCalls,
  readInputs,
  fileLines,
  doneInputs,
  inputKey,
  mergeInput,
  defaultConcurrency,
  failed as batchRecordFailed,
  type BatchInput,
  type BatchItem,
  type BatchRecord,
  type BatchCallOptions,
  type BatchDefaults,
  type InputLine,
} from './core/batch.js';
