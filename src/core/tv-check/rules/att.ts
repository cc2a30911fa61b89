/**
 * ATT: organizational controls a repository cannot show (tv-checklist §2.3 ATT). They prove that
 * a statement exists, names a person and is recent — not that the control works; the report says so.
 */
import type { Attestation, TvConfig } from '../config-types.js';
import type { ConfigFact, Rule, RuleCategory, RuleFinding, Severity, TvContext } from '../types.js';
import { atConfig, daysSince, withConfig } from './support.js';

type AttestationKey = Exclude<keyof NonNullable<TvConfig['attestations']>, 'policiesAcknowledged' | 'regionAuthorizations'>;

interface AttestationRule {
  id: string;
  key: AttestationKey;
  title: string;
  description: string;
  fix: string;
  references: string[];
  /** Extra checks of the attestation's own fields. */
  extra?: (attestation: Attestation & Record<string, unknown>, context: TvContext, config: ConfigFact) => RuleFinding[];
}

/** Something an attestation should state and does not: a warning in the pr profile, an error in release and audit. */
function missingSeverity(context: TvContext): Severity {
  return context.profile === 'pr' ? 'warn' : 'error';
}

/** A date older than the policy interval is an error in every profile (tv-checklist §2.3 ATT), as is one that is no date. */
function dated(config: ConfigFact, path: string, date: unknown, maxDays: number, what: string, context: TvContext): RuleFinding[] {
  if (typeof date !== 'string') return [atConfig(config, path.replace(/\.[^.]+$/, ''), `${what} has no date`, missingSeverity(context))];
  const age = daysSince(date, context.now);
  if (age === undefined) return [atConfig(config, path, `${what}: ${date} is not a date`, 'error')];
  if (age < 0) return [atConfig(config, path, `${what} is dated in the future (${date})`, 'error')];
  if (age > maxDays) return [atConfig(config, path, `${what} is ${age} days old; the policy allows ${maxDays}`, 'error')];
  return [];
}

const ATTESTATIONS: AttestationRule[] = [
  {
    id: 'TV-ATT-001', key: 'incidentResponse', title: 'Incident response ready',
    description: 'An incident response plan with roles, escalation to Amazon within 24 hours and a named Incident Management Point of Contact, reviewed within six months.',
    fix: 'Record attestations.incidentResponse {contact, by, date, evidence} after each plan review.',
    references: ['[A9] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-sp-api-applications-incident-response'],
    extra: (attestation, context, config) => (typeof attestation['contact'] === 'string' && attestation['contact'].trim() ? [] : [atConfig(config, 'attestations.incidentResponse', 'no incident contact (IMPOC) named', missingSeverity(context))]),
  },
  {
    id: 'TV-ATT-002', key: 'vulnerabilityManagement', title: 'Vulnerability management cadence',
    description: 'Vulnerability scans at least every 30 days, a penetration test every year, code scans before releases, critical fixes within 7 days and high within 30.',
    fix: 'Record attestations.vulnerabilityManagement {scanCadenceDays, lastScan, lastPentest, by, date} after each scan.',
    references: ['[A8] https://developer-docs.amazon.com/sp-api/docs/vulnerability-management'],
    extra: (attestation, context, config) => {
      const limits = context.pack.thresholds;
      const findings: RuleFinding[] = [];
      const cadence = attestation['scanCadenceDays'];
      if (typeof cadence === 'number' && cadence > limits.lastScanMaxAgeDays) {
        findings.push(atConfig(config, 'attestations.vulnerabilityManagement.scanCadenceDays', `scans every ${cadence} days; the policy wants at least every ${limits.lastScanMaxAgeDays}`, 'error'));
      }
      findings.push(...dated(config, 'attestations.vulnerabilityManagement.lastScan', attestation['lastScan'], limits.lastScanMaxAgeDays, 'the last vulnerability scan', context));
      if (attestation['lastPentest'] === undefined) findings.push(atConfig(config, 'attestations.vulnerabilityManagement', 'no lastPentest recorded', 'warn'));
      else findings.push(...dated(config, 'attestations.vulnerabilityManagement.lastPentest', attestation['lastPentest'], limits.lastPentestMaxAgeDays, 'the last penetration test', context));
      return findings;
    },
  },
  {
    id: 'TV-ATT-003', key: 'accessControl', title: 'Identity and access controls',
    description: 'Unique accounts, MFA everywhere, lockout after 10 failed logins, passwords of 12+ characters with history, access reviewed every 90 days.',
    fix: 'Record attestations.accessControl {mfa, lockoutAfterFailures, minPasswordLength, by, date} after each access review.',
    references: ['[A2] https://developer-docs.amazon.com/sp-api/changelog/updates-to-the-data-protection-policy-and-acceptable-use-policy'],
    extra: (attestation, context, config) => {
      const limits = context.pack.thresholds.accessControl;
      const findings: RuleFinding[] = [];
      if (attestation['mfa'] === false) findings.push(atConfig(config, 'attestations.accessControl.mfa', 'MFA is not on for every account', 'error'));
      const lockout = attestation['lockoutAfterFailures'];
      if (typeof lockout === 'number' && lockout > limits.lockoutAfterFailures) findings.push(atConfig(config, 'attestations.accessControl.lockoutAfterFailures', `accounts lock after ${lockout} failures; the policy says ${limits.lockoutAfterFailures}`, 'error'));
      const length = attestation['minPasswordLength'];
      if (typeof length === 'number' && length < limits.minPasswordLength) findings.push(atConfig(config, 'attestations.accessControl.minPasswordLength', `passwords of ${length} characters; the policy wants ${limits.minPasswordLength}`, 'error'));
      return findings;
    },
  },
  {
    id: 'TV-ATT-004', key: 'networkProtection', title: 'Network and endpoint protection',
    description: 'Firewalls and ACLs, segmentation, IDS/IPS, anti-malware updated monthly, restricted admin access and yearly security training.',
    fix: 'Record attestations.networkProtection {by, date, evidence} after each yearly review.',
    references: ['[A10] https://developer-docs.amazon.com/sp-api/docs/guidance-for-network-protection-in-sp-api'],
  },
  {
    id: 'TV-ATT-005', key: 'backups', title: 'Backups and recovery',
    description: 'Encrypted periodic backups on a geographically separate site, with a restore tested within a year.',
    fix: 'Record attestations.backups {lastRestoreTest, by, date} after each restore test.',
    references: ['[A8] https://developer-docs.amazon.com/sp-api/docs/vulnerability-management'],
    extra: (attestation, context, config) => attestation['lastRestoreTest'] === undefined
      ? [atConfig(config, 'attestations.backups', 'no lastRestoreTest recorded', 'warn')]
      : dated(config, 'attestations.backups.lastRestoreTest', attestation['lastRestoreTest'], context.pack.thresholds.lastRestoreTestMaxAgeDays, 'the last restore test', context),
  },
  {
    id: 'TV-ATT-006', key: 'assetInventory', title: 'Asset inventory and data classification',
    description: 'An inventory of the systems that hold Amazon data and a data classification document; no Amazon data on removable media or personal devices.',
    fix: 'Record attestations.assetInventory {by, date, evidence} after each yearly review.',
    references: ['[A5] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-api-applications-data-encryption'],
  },
  {
    id: 'TV-ATT-007', key: 'thirdParties', title: 'Third parties and subcontractors bound',
    description: 'Every outside party that receives Amazon data is listed with its purpose and bound to equivalent controls (DPAs where personal data is processed).',
    fix: 'Record attestations.thirdParties {parties, by, date} after each yearly review.',
    references: ['[A2] https://developer-docs.amazon.com/sp-api/changelog/updates-to-the-data-protection-policy-and-acceptable-use-policy'],
  },
];

function attestationRule(spec: AttestationRule): Rule {
  const category: RuleCategory = 'ATT';
  return {
    meta: { id: spec.id, title: spec.title, category, severity: 'warn', mode: 'T', securitySeverity: '3.0', description: `${spec.description} Attested, not verified.`, fix: spec.fix, references: spec.references },
    check(context) {
      const outcome = withConfig(context, (config, value) => {
        const attestation = value.attestations?.[spec.key] as (Attestation & Record<string, unknown>) | undefined;
        const path = `attestations.${spec.key}`;
        if (!attestation) return [atConfig(config, value.attestations ? 'attestations' : 'app', `${path} is missing`, missingSeverity(context))];
        const findings: RuleFinding[] = [];
        if (!attestation.by?.trim()) findings.push(atConfig(config, path, `${path} names nobody (by)`, missingSeverity(context)));
        const max = context.pack.thresholds.attestationMaxAgeDays[spec.key] ?? 365;
        findings.push(...dated(config, `${path}.date`, attestation.date, max, path, context));
        findings.push(...(spec.extra?.(attestation, context, config) ?? []));
        return findings;
      });
      return outcome.findings ? { findings: outcome.findings, note: 'attested, not verified' } : outcome;
    },
  };
}

export const ATT_RULES: Rule[] = ATTESTATIONS.map(attestationRule);
