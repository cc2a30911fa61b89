/**
 * The shape of `spapi.config.json` (version 1). The JSON Schema shipped in the package
 * (schemas/spapi.config.schema.json) is the contract; this type mirrors it for the rules.
 * The file holds identifiers and declarations only: never a secret (TV-CRED-004 checks).
 */

/** Who stated it and when: every attestation carries both, plus optional evidence. */
export interface Attestation {
  by: string;
  /** YYYY-MM-DD: when the statement was made or the control last reviewed. */
  date: string;
  /** A link or document id that backs the statement. */
  evidence?: string;
}

export interface RestrictedRole {
  role: string;
  useCase: string;
  dataElements: string[];
}

export interface RuleOverride {
  severity: 'error' | 'warn' | 'info' | 'off';
  reason: string;
  /** YYYY-MM-DD; an expired override stops applying and is itself a finding. */
  expires?: string;
}

export interface TvConfig {
  $schema?: string;
  /** Policy pack id (dpp-2025-11); the newest bundled pack when absent. */
  policyPack?: string;
  app: {
    appId: string;
    clientId: string;
    type: 'public' | 'private';
    status?: 'draft' | 'published';
    userType?: 'seller' | 'vendor';
    roles: string[];
    restrictedRoles?: RestrictedRole[];
    /** NA, EU, FE. */
    regions: string[];
    marketplaces: string[];
    oauth?: { loginUri?: string; redirectUris?: string[] };
    websiteUrl?: string;
    privacyPolicyUrl?: string;
    termsUrl?: string;
  };
  credentials?: {
    /** Where the deployed app keeps its LWA secret and refresh tokens. */
    store?: 'keychain' | 'secrets-manager' | 'vault' | 'kms-encrypted-db' | 'env' | 'file';
    /** YYYY-MM-DD when the LWA client secret was last issued or rotated. */
    clientSecretRotatedAt?: string;
    rotation?: { mode: 'automated' | 'manual'; runbook?: string; expiryQueueArn?: string; newSecretQueueArn?: string };
  };
  dataHandling?: {
    storesPii: boolean;
    /** Days PII is kept after the order was delivered. */
    piiRetentionDays?: number;
    nonPiiRetentionDays?: number;
    legalRetentionExceptions?: Array<{ data: string; law: string; maxDays: number }>;
    encryptionAtRest?: { algorithm: string; keyManagement?: string };
  };
  logging?: {
    retentionDays?: number;
    reviewCadence?: 'realtime' | 'daily' | 'weekly' | 'biweekly' | 'monthly' | 'quarterly';
    /** Logger redaction paths (pino `redact`, winston formats). */
    redactPaths?: string[];
    /** Whether the app logs PII (only where a law requires it). */
    includesPii?: boolean;
  };
  attestations?: {
    policiesAcknowledged?: Attestation & { version: string };
    incidentResponse?: Attestation & { contact: string };
    vulnerabilityManagement?: Attestation & { scanCadenceDays: number; lastScan: string; lastPentest?: string };
    accessControl?: Attestation & { mfa?: boolean; lockoutAfterFailures?: number; minPasswordLength?: number };
    networkProtection?: Attestation;
    backups?: Attestation & { lastRestoreTest?: string };
    assetInventory?: Attestation;
    thirdParties?: Attestation & { parties?: Array<{ name: string; purpose: string }> };
    /** Regions authorized outside spapi's own profiles (another machine, a secrets manager). */
    regionAuthorizations?: Record<string, Attestation & { sellingPartnerId?: string }>;
  };
  tvCheck?: {
    failOn?: 'error' | 'warn' | 'info' | 'never';
    profile?: 'pr' | 'release' | 'audit';
    rules?: Record<string, RuleOverride>;
    /** Bytes; larger files are reported as skipped. */
    maxFileBytes?: number;
  };
}
