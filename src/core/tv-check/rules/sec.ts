/** SEC: transport, cryptography and vulnerability hygiene (tv-checklist §1.3, §2.3 SEC). */
import type { Rule, RuleFinding } from '../types.js';
import { atConfig, atMatch, atRepository, matchesOf, pass } from './support.js';

const CONFIG_URLS = ['app.websiteUrl', 'app.privacyPolicyUrl', 'app.termsUrl', 'app.oauth.loginUri'] as const;

function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

interface AuditEntry {
  name: string;
  severity: string;
}

/** npm audit --json (npm 7+: `vulnerabilities`; npm 6: `advisories`). */
function auditEntries(value: unknown): AuditEntry[] | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const table = (record['vulnerabilities'] ?? record['advisories']) as Record<string, { name?: string; module_name?: string; severity?: string }> | undefined;
  if (!table || typeof table !== 'object') return undefined;
  return Object.entries(table).map(([key, entry]) => ({ name: entry.name ?? entry.module_name ?? key, severity: String(entry.severity ?? '') }));
}

export const SEC_RULES: Rule[] = [
  {
    meta: {
      id: 'TV-SEC-001', title: 'TLS verification on, TLS 1.2 or newer', category: 'SEC', severity: 'error', mode: 'A', securitySeverity: '8.0',
      description: 'No disabled certificate verification (rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED=0, verify=False, curl -k, InsecureSkipVerify) in code, scripts or the CI environment, and no TLS below 1.2 (Amazon\'s document URLs refuse it).',
      fix: 'Remove the bypass and fix the CA bundle instead (NODE_EXTRA_CA_CERTS); set minVersion: "TLSv1.2".',
      references: ['[A5] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-api-applications-data-encryption', '[A19] https://developer-docs.amazon.com/sp-api/changelog/tls-versions-11-and-earlier-are-deprecated'],
    },
    check(context) {
      const findings: RuleFinding[] = [];
      for (const match of matchesOf(context, 'tls-bypass-node', 'tls-bypass-other')) findings.push(atMatch(match, 'TLS certificate verification is disabled'));
      for (const match of matchesOf(context, 'tls-old-version')) findings.push(atMatch(match, 'TLS below 1.2 is allowed'));
      for (const match of matchesOf(context, 'npmrc-strict-ssl-off')) findings.push(atMatch(match, 'strict-ssl=false: package installs skip certificate checks', { severity: 'warn' }));
      if (context.env['NODE_TLS_REJECT_UNAUTHORIZED'] === '0') {
        findings.push(atRepository(context, 'NODE_TLS_REJECT_UNAUTHORIZED=0 is set in this environment', 'env:NODE_TLS_REJECT_UNAUTHORIZED'));
      }
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-SEC-002', title: 'No plain HTTP to Amazon or the app\'s own endpoints', category: 'SEC', severity: 'error', mode: 'A', securitySeverity: '7.5',
      description: 'No http:// URL for SP-API hosts, the LWA token endpoint or Seller/Vendor Central in the code, and none among the app\'s declared URLs. The DPP wants unused unencrypted channels removed too.',
      fix: 'Use https:// and delete dead HTTP code paths.',
      references: ['[A5] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-api-applications-data-encryption'],
    },
    check(context) {
      const findings = matchesOf(context, 'plain-http-amazon').map((match) => atMatch(match, `plain HTTP to Amazon: ${match.text}`));
      const config = context.config;
      if (config) {
        for (const path of CONFIG_URLS) {
          const value = valueAt(config.value, path);
          if (typeof value === 'string' && /^http:\/\//i.test(value)) findings.push(atConfig(config, path, `${path} is plain HTTP`));
        }
        (config.value.app.oauth?.redirectUris ?? []).forEach((uri, index) => {
          if (/^http:\/\//i.test(uri)) findings.push(atConfig(config, `app.oauth.redirectUris[${index}]`, `app.oauth.redirectUris[${index}] is plain HTTP`));
        });
      }
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-SEC-003', title: 'PII encrypted at rest with an approved algorithm', category: 'SEC', severity: 'error', mode: 'C', securitySeverity: '7.0',
      description: 'An app that stores PII declares AES-128 or larger (AES-256 preferred) or RSA-2048+ with a key management system; the code uses no cipher without an IV, no ECB, no DES or RC4.',
      fix: 'Encrypt PII columns, objects and backups; keep the keys in a KMS with rotation; use createCipheriv with AES-GCM.',
      references: ['[A5] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-api-applications-data-encryption', '[A2] https://developer-docs.amazon.com/sp-api/changelog/updates-to-the-data-protection-policy-and-acceptable-use-policy'],
    },
    check(context) {
      const findings = matchesOf(context, 'weak-crypto').map((match) => atMatch(match, `weak or IV-less encryption: ${match.text}`, { severity: 'warn' }));
      const config = context.config;
      const data = config?.value.dataHandling;
      if (!config || !data) return config ? pass([...findings, atConfig(config, 'dataHandling', 'dataHandling is not declared (storesPii, retention, encryption at rest)', 'warn')]) : pass(findings);
      if (!data.storesPii) return pass(findings);
      const encryption = data.encryptionAtRest;
      if (!encryption) findings.push(atConfig(config, 'dataHandling', 'the app stores PII but declares no dataHandling.encryptionAtRest'));
      else {
        const approved = context.pack.thresholds.approvedEncryption.some((source) => new RegExp(source, 'i').test(encryption.algorithm));
        if (!approved) findings.push(atConfig(config, 'dataHandling.encryptionAtRest.algorithm', `${encryption.algorithm} is not an approved algorithm for PII (AES-128+ or RSA-2048+)`));
        if (!encryption.keyManagement) findings.push(atConfig(config, 'dataHandling.encryptionAtRest', 'no dataHandling.encryptionAtRest.keyManagement (KMS, HSM, Vault)'));
      }
      return pass(findings);
    },
  },
  {
    meta: {
      id: 'TV-SEC-004', title: 'Dependency scan has no high or critical advisories', category: 'SEC', severity: 'warn', mode: 'A', securitySeverity: '6.0',
      description: 'An imported `npm audit --json` report (--import) lists no high or critical advisory: the DPP gives 7 days for critical and 30 for high. An error in the release and audit profiles.',
      fix: 'Upgrade or patch the packages; run `npm audit --audit-level=high` before every release.',
      references: ['[A8] https://developer-docs.amazon.com/sp-api/docs/vulnerability-management'],
    },
    check(context) {
      if (!context.audit) return { skipped: 'no dependency report imported (--import npm-audit.json)' };
      const entries = auditEntries(context.audit.value);
      if (!entries) return { skipped: `${context.audit.path} is not npm audit --json output` };
      const severity = context.profile === 'pr' ? 'warn' : 'error';
      const fixDays = context.pack.thresholds.advisoryFixDays;
      return pass(entries.filter((entry) => entry.severity in fixDays).map((entry) => ({
        message: `${entry.name}: ${entry.severity} advisory (fix within ${fixDays[entry.severity]} days)`,
        location: { path: context.audit?.path ?? 'npm-audit.json', startLine: 1 },
        severity,
        key: `advisory:${entry.name}:${entry.severity}`,
      })));
    },
  },
];

