/**
 * The commented starter `spapi tv-check --init` hands to the user. Writing it (and refusing to
 * overwrite) is the caller's business; this only produces text that validates once parsed, so a
 * fresh starter never fails with a config error, only with findings about its placeholders.
 */
import type { TvConfig } from './config-types.js';
import { CONFIG_FILE_NAME } from './config.js';
import { loadPack, type PolicyPack } from './pack.js';

export const STARTER_FILE_NAME = CONFIG_FILE_NAME;

export interface StarterOptions {
  /** public (the default) adds the OAuth URIs and the website Amazon requires of public apps. */
  appType?: TvConfig['app']['type'];
  /** The date every attestation and the secret rotation are stated on. */
  today: Date;
  /** The pack the starter is pinned to and quotes thresholds from; the newest bundled one by default. */
  pack?: PolicyPack;
}

export function starterConfigText(options: StarterOptions = { today: new Date() }): string {
  const pack = options.pack ?? loadPack();
  const t = pack.thresholds;
  const isPublic = (options.appType ?? 'public') === 'public';
  // UTC, as tv-check judges ages, so a starter written late in the evening is not dated tomorrow by the check.
  const today = options.today.toISOString().slice(0, 10);
  const by = '"by": "security@example.com", "date": "' + today + '"';

  const appSpecific = isPublic
    ? `
    // Registered in the app's settings; Amazon refuses an unregistered redirect URI (MD5101).
    // HTTPS only and never localhost (TV-OAUTH-001).
    "oauth": {
      "loginUri": "https://app.example.com/amazon/login",
      "redirectUris": ["https://app.example.com/amazon/callback"],
    },
    // Amazon rejects public developers whose website is unreachable, under construction,
    // shows TLS warnings or is login-only.
    "websiteUrl": "https://example.com",
    // Tells selling partners which data the app accesses and why (Acceptable Use Policy).
    "privacyPolicyUrl": "https://example.com/privacy",
    "termsUrl": "https://example.com/terms",`
    : `
    // A private app self-authorizes: no OAuth URIs and no public website are needed.`;

  return `// ${STARTER_FILE_NAME}: what \`spapi tv-check\` needs to know about your SP-API app, for the
// checklist of Amazon's Technical Validation. Commit it; replace every example value with yours.
//
// NEVER put a secret here: not the LWA client secret, not a refresh or access token. The file
// holds identifiers and statements only; TV-CRED-004 fails the check when it finds a secret, and
// Amazon revokes SP-API access for exposed LWA credentials.
//
// Comments and trailing commas are allowed. "$schema" gives editors completion and a
// description of every field.
{
  "$schema": "./node_modules/spapi/schemas/spapi.config.schema.json",
  // Pinned so that a new spapi release does not change the verdict unnoticed; remove the line to
  // always judge by the newest policy pack bundled with spapi.
  "policyPack": "${pack.id}",

  // What you registered in Solution Provider Portal (Developer Central). Amazon reviews these.
  "app": {
    // Identifiers, not secrets. These all-zero placeholders are reported until you replace them.
    "appId": "amzn1.sp.solution.00000000-0000-0000-0000-000000000000",
    "clientId": "amzn1.application-oa2-client.00000000000000000000000000000000",
    // public: offered to other selling partners (Appstore or website OAuth, full security review);
    // private: your own organization only (self-authorization).
    "type": "${isPublic ? 'public' : 'private'}",
    // The consent URL of a draft app needs version=beta (MD1000 without it).
    "status": "draft",
    "userType": "seller",
    // The roles the app requests, spelled as in the developer profile. tv-check compares them with
    // the operations the code calls: Amazon asks why each role is needed, so request only those.
    "roles": ["Product Listing"],
    // Every restricted (PII) role needs a use case and the Restricted Data Token data elements it
    // needs; Amazon asks the same in the developer profile and reviews public apps' data flows.
    // "restrictedRoles": [
    //   { "role": "Direct-to-Consumer Shipping (Restricted)", "useCase": "buy shipping labels for seller-fulfilled orders", "dataElements": ["shippingAddress"] },
    // ],
    // NA, EU, FE; each marketplace must belong to one of them.
    "regions": ["NA"],
    "marketplaces": ["ATVPDKIKX0DER"],${appSpecific}
  },

  // Where the deployed app keeps its secrets (the place, never the values) and how it rotates the
  // client secret. Amazon requires a rotation every 180 days; calls fail after the deadline.
  "credentials": {
    "store": "secrets-manager",
    "clientSecretRotatedAt": "${today}",
    // Rotated by rotateApplicationClientSecret, the new secret delivered to an SQS queue:
    // "rotation": { "mode": "automated", "expiryQueueArn": "arn:aws:sqs:us-east-1:123456789012:spapi-secret-expiry", "newSecretQueueArn": "arn:aws:sqs:us-east-1:123456789012:spapi-new-secret" },
  },

  // Data Protection Policy: retention and encryption at rest (Amazon audits these in its Data
  // Security Assessments).
  "dataHandling": {
    // true as soon as the app keeps any buyer name, address, e-mail, phone or tax data, even briefly.
    "storesPii": false,
    // At most ${t.piiRetentionDays} days after delivery; longer only where a law requires it (legalRetentionExceptions).
    "piiRetentionDays": 30,
    // At most ${t.nonPiiRetentionDays} days.
    "nonPiiRetentionDays": 540,
    // Required once storesPii is true: AES-128 or larger, or RSA-2048 or larger, with managed keys.
    // "encryptionAtRest": { "algorithm": "AES-256-GCM", "keyManagement": "aws-kms" },
  },

  // Security logs: kept at least ${t.logRetentionDays} days, reviewed in real time or at least every two weeks,
  // and free of PII and tokens: list the paths your logger redacts (pino redact, winston formats).
  "logging": {
    "retentionDays": 400,
    "reviewCadence": "realtime",
    "redactPaths": ["*.ShippingAddress", "*.BuyerInfo", "req.headers[\\"x-amz-access-token\\"]"],
  },

  // Controls no scan can see, each stated by someone accountable on a date. tv-check checks that
  // a statement exists and is recent, not that the control works; Amazon may ask for the evidence.
  // The dates below are placeholders: a statement nobody made is worse than a missing one, so
  // state each control only once you have reviewed it, and add an "evidence" link.
  "attestations": {
    // You have read and follow the Solution Provider Agreement, DPP and AUP of this revision.
    "policiesAcknowledged": { ${by}, "version": "${pack.dpp}" },
    // An incident response plan; the contact notifies Amazon within 24 hours of an incident.
    "incidentResponse": { ${by}, "contact": "security@example.com" },
    // Vulnerability scans, penetration tests, and fixes within the policy's deadlines.
    "vulnerabilityManagement": { ${by}, "scanCadenceDays": 30, "lastScan": "${today}", "lastPentest": "${today}" },
    // Unique accounts, MFA, lockout after ${t.accessControl.lockoutAfterFailures} failed logins, passwords of ${t.accessControl.minPasswordLength}+ characters.
    "accessControl": { ${by}, "mfa": true, "lockoutAfterFailures": ${t.accessControl.lockoutAfterFailures}, "minPasswordLength": ${t.accessControl.minPasswordLength} },
    // Firewalls and ACLs, segmentation, IDS/IPS, anti-malware.
    "networkProtection": { ${by} },
    // Backups at a geographically separate site, with restore tests.
    "backups": { ${by}, "lastRestoreTest": "${today}" },
    // An inventory of the assets holding Amazon data; none on removable media or personal devices.
    "assetInventory": { ${by} },
    // Everyone outside your organization who receives Amazon data, bound to the same policy.
    "thirdParties": { ${by}, "parties": [] },
  },

  "tvCheck": {
    // The lowest severity that fails the run (exit 1): error, warn, info or never.
    "failOn": "error",
    // A rule can be overridden, always with a reason, preferably with an expiry date:
    // "rules": { "TV-API-007": { "severity": "warn", "reason": "legacy module removed in Q1", "expires": "2027-03-31" } },
  },
}
`;
}
