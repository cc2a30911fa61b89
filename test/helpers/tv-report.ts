/**
 * A realistic tv-check Report for the output formats (and anyone else who renders one): several
 * categories, open / suppressed / baselined findings, per-finding severities, a skipped check, an
 * off check, a passed attestation, an already-masked secret, and text that breaks naive escaping.
 * The summary is derived from the checks so an edited sample cannot contradict itself.
 */
import { createHash } from 'node:crypto';
import type { CheckResult, CheckStatus, Report, ReportFinding, ReportSummary, RuleMeta, Severity } from '../../src/core/tv-check/types.js';
import { fakeRefreshToken } from './tv-tree.js';

/**
 * The refresh token the sample pretends was committed. It appears nowhere in the report: the finding
 * carries only SAMPLE_MASKED_SECRET, so a format that shows this value invented it.
 */
// Made at run time from a seed, so no tracked file holds a string a secret scanner takes for a real token.
export const SAMPLE_RAW_SECRET = fakeRefreshToken(4242);
export const SAMPLE_MASKED_SECRET = `Atzr|…${SAMPLE_RAW_SECRET.slice(-4)}`;

const RULES: Record<string, RuleMeta> = {
  'TV-REG-001': {
    id: 'TV-REG-001', title: 'Project config present and valid', category: 'REG', severity: 'error', mode: 'A',
    description: 'A spapi.config.json exists, matches the schema and names a known policy pack.',
    fix: 'Run `spapi init`; fix the fields named in the error.', references: [], securitySeverity: '7.0',
  },
  'TV-OAUTH-002': {
    id: 'TV-OAUTH-002', title: '`state` generated and verified', category: 'OAUTH', severity: 'error', mode: 'H',
    description: 'Consent URLs carry a state from a CSPRNG and the callback compares it with a stored, short-lived value.',
    fix: 'Store a random state per session; reject callbacks whose state is missing, reused or expired.',
    references: ['[A22] https://developer-docs.amazon.com/sp-api/docs/website-authorization-workflow', '[A34] https://github.com/amzn/selling-partner-api-samples/tree/main/use-cases/website-authorization'],
    securitySeverity: '7.0',
  },
  'TV-CRED-002': {
    id: 'TV-CRED-002', title: 'No LWA/RDT tokens in repo', category: 'CRED', severity: 'error', mode: 'A',
    description: 'No refresh-token, access-token or RDT literals of realistic length in tracked files.',
    fix: 'Revoke the authorization or let tokens expire; store refresh tokens encrypted per tenant.',
    references: ['[A11] https://developer-docs.amazon.com/sp-api/docs/safeguarding-sensitive-credentials', '[A25] https://developer-docs.amazon.com/sp-api/docs/tokens-api-use-case-guide'],
    securitySeverity: '9.5', secret: true,
  },
  'TV-SEC-001': {
    id: 'TV-SEC-001', title: 'TLS verification on, TLS ≥ 1.2', category: 'SEC', severity: 'error', mode: 'A',
    description: 'No certificate-verification bypass and no protocol floor below TLS 1.2 in code, scripts or CI env.',
    fix: "Remove the bypass; fix the CA bundle (NODE_EXTRA_CA_CERTS) instead; set minVersion: 'TLSv1.2'.",
    references: ['[A5] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-api-applications-data-encryption'],
    securitySeverity: '8.0',
  },
  'TV-SEC-004': {
    id: 'TV-SEC-004', title: 'Dependency and code scanning pass', category: 'SEC', severity: 'warn', mode: 'A',
    description: 'An imported npm audit report has no high or critical advisory older than the fix window.',
    fix: 'Upgrade or patch; wire `npm audit --audit-level=high` and a SAST job before release.',
    references: ['[A8] https://developer-docs.amazon.com/sp-api/lang-es_ES/docs/vulnerability-management'], securitySeverity: '5.0',
  },
  'TV-DATA-002': {
    id: 'TV-DATA-002', title: 'No PII in logs', category: 'DATA', severity: 'error', mode: 'H',
    description: 'Logger calls do not reference PII fields or whole responses of restricted operations.',
    fix: 'Log IDs (AmazonOrderId), not contents; add redaction (TV-DATA-004).',
    references: ['[A7] https://developer-docs.amazon.com/sp-api/lang-es_ES/docs/protecting-amazon-spapi-applications-logging-and-monitoring'],
    securitySeverity: '7.5',
  },
  'TV-API-006': {
    id: 'TV-API-006', title: 'No legacy SigV4 / IAM plumbing', category: 'API', severity: 'info', mode: 'A',
    description: 'No AWS SigV4 signing or STS AssumeRole applied to SP-API hosts.',
    fix: 'Delete it; the LWA token in x-amz-access-token is all SP-API needs.',
    references: ['[A17] https://developer-docs.amazon.com/sp-api/changelog/sp-api-will-no-longer-require-aws-iam-or-aws-signature-version-4'],
    securitySeverity: '2.0',
  },
  'TV-API-008': {
    id: 'TV-API-008', title: 'Errors traceable', category: 'API', severity: 'info', mode: 'H',
    description: 'Error handling around SP-API calls records x-amzn-RequestId, status and operation, without bodies.',
    fix: 'Add the request id to error logs and alerts; quote it in support cases.',
    references: ['[A29] https://developer-docs.amazon.com/sp-api/docs/response-format'], securitySeverity: '2.0',
  },
  'TV-ATT-001': {
    id: 'TV-ATT-001', title: 'Incident response ready', category: 'ATT', severity: 'warn', mode: 'T',
    description: 'An incident response plan with an IMPOC and a 24-hour notification path is attested and reviewed within 6 months.',
    fix: 'Record the plan under attestations.incidentResponse with by, date and evidence.',
    references: ['[A9] https://developer-docs.amazon.com/sp-api/docs/protecting-amazon-sp-api-applications-incident-response'], securitySeverity: '5.0',
  },
  'TV-CRED-007': {
    id: 'TV-CRED-007', title: 'Rotation path ready', category: 'CRED', severity: 'warn', mode: 'C',
    description: 'rotation.mode is automated (SQS destinations registered) or manual with a runbook link.',
    fix: 'Register SQS destinations in the developer console; adopt the lwa-rotation sample pattern.',
    references: ['[A15] https://developer-docs.amazon.com/sp-api/docs/application-management-api-v2023-11-30-use-case-guide'], securitySeverity: '5.0',
  },
};

function rule(id: string): RuleMeta {
  const meta = RULES[id];
  if (!meta) throw new Error(`no sample rule ${id}`);
  return meta;
}

/** Deterministic stand-in for the runner's fingerprint (the real one is not the formats' business). */
export function sampleFingerprint(ruleId: string, path: string, key: string): string {
  return createHash('sha256').update(`${ruleId}\0${path}\0${key}`).digest('hex');
}

type FindingInput = Omit<ReportFinding, 'ruleId' | 'fingerprint' | 'status'> & { key: string; status?: ReportFinding['status'] };

function finding(ruleId: string, input: FindingInput): ReportFinding {
  const { key, status = 'open', ...rest } = input;
  return { ruleId, fingerprint: sampleFingerprint(ruleId, rest.location.path, key), status, ...rest };
}

function check(id: string, status: CheckStatus, findings: ReportFinding[] = [], extra: { severity?: Severity; note?: string } = {}): CheckResult {
  const meta = rule(id);
  return { meta, severity: extra.severity ?? meta.severity, status, findings, ...(extra.note ? { note: extra.note } : {}) };
}

function sampleChecks(): CheckResult[] {
  return [
    check('TV-REG-001', 'passed'),
    check('TV-OAUTH-002', 'failed', [
      finding('TV-OAUTH-002', {
        severity: 'error', key: 'state=constant',
        message: 'consent URL uses a constant `state` ("state=abc") instead of a random value',
        location: { path: 'src/auth/consent.ts', startLine: 42, startColumn: 18, endLine: 42, endColumn: 39 },
        evidence: 'state=abc',
      }),
      finding('TV-OAUTH-002', {
        severity: 'warn', key: 'callback-no-compare',
        message: 'callback reads spapi_oauth_code but never compares state',
        location: { path: 'src/auth/callback.ts', startLine: 7 },
      }),
    ]),
    check('TV-CRED-002', 'failed', [
      finding('TV-CRED-002', {
        severity: 'error', key: 'sha256:5b1f0c',
        message: 'LWA refresh token committed',
        location: { path: 'config/prod.env', startLine: 3, startColumn: 15, endLine: 3, endColumn: 73 },
        evidence: SAMPLE_MASKED_SECRET,
      }),
      finding('TV-CRED-002', {
        severity: 'error', key: 'sha256:9a2e44', status: 'suppressed',
        message: 'LWA access token committed',
        location: { path: 'test/fixtures/lwa tokens [old].json', startLine: 12, startColumn: 5 },
        evidence: 'Atza|…0000',
        suppression: { kind: 'ignoreFile', reason: 'test/fixtures/** in .spapi-tvignore' },
      }),
    ]),
    check('TV-SEC-001', 'suppressed', [
      finding('TV-SEC-001', {
        severity: 'error', key: 'rejectUnauthorized:false',
        message: 'TLS certificate verification disabled (rejectUnauthorized: false)',
        location: { path: 'src/http/agent.ts', startLine: 10, startColumn: 3 },
        evidence: 'rejectUnauthorized: false', status: 'baselined',
        suppression: { kind: 'baseline', reason: 'accepted 2026-01-15 by ops' },
      }),
      finding('TV-SEC-001', {
        severity: 'error', key: 'curl -k',
        message: 'curl -k skips certificate verification',
        location: { path: 'scripts/dev-proxy.sh', startLine: 5 },
        evidence: 'curl -k', status: 'suppressed',
        suppression: { kind: 'inline', reason: 'local emulator only, self-signed' },
      }),
    ]),
    check('TV-SEC-004', 'skipped', [], { note: 'no npm audit report imported (--import npm-audit.json)' }),
    check('TV-DATA-002', 'failed', [
      finding('TV-DATA-002', {
        severity: 'warn', key: 'console.log BuyerInfo',
        message: 'logger call references BuyerInfo: console.log(`order | ${order.BuyerInfo}`) & more <here>',
        location: { path: 'src/orders/log.ts', startLine: 88, startColumn: 5 },
        evidence: 'console.log(`order | ${order.BuyerInfo}`)',
      }),
    ]),
    check('TV-API-006', 'off', [], { note: 'off in spapi.config.json: internal gateway signs requests (expires 2026-12-31)' }),
    check('TV-API-008', 'failed', [
      finding('TV-API-008', {
        severity: 'info', key: 'catch-no-request-id',
        message: 'error handler logs the status but not x-amzn-RequestId',
        location: { path: 'src/sp/client.ts', startLine: 120 },
      }),
    ]),
    check('TV-ATT-001', 'passed', [], { note: 'attested, not verified' }),
    check('TV-CRED-007', 'passed', [], { severity: 'error' }),
  ];
}

/** Counts as the runner defines them: severities of open findings, statuses of checks. */
export function summarize(checks: CheckResult[], failOn: Report['failOn']): ReportSummary {
  const open = checks.flatMap((c) => c.findings.filter((f) => f.status === 'open'));
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  const rank: Record<Severity, number> = { info: 0, warn: 1, error: 2 };
  const failing = failOn !== 'never' && open.some((f) => rank[f.severity] >= rank[failOn]);
  return {
    errors: open.filter((f) => f.severity === 'error').length,
    warnings: open.filter((f) => f.severity === 'warn').length,
    infos: open.filter((f) => f.severity === 'info').length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    suppressed: checks.flatMap((c) => c.findings).filter((f) => f.status === 'suppressed').length,
    baselined: checks.flatMap((c) => c.findings).filter((f) => f.status === 'baselined').length,
    result: failing ? 'failed' : 'passed',
  };
}

/** A fresh Report each call; `overrides` replace top-level fields, and the summary follows checks and failOn. */
export function sampleReport(overrides: Partial<Omit<Report, 'summary'>> = {}): Report {
  const checks = overrides.checks ?? sampleChecks();
  const failOn = overrides.failOn ?? 'error';
  return {
    tool: { name: 'spapi tv-check', version: '0.1.0' },
    policyPack: { id: 'dpp-2025-11', version: '1.0.0', dpp: '2025-11' },
    profile: 'pr',
    root: '/home/alice/work/acme-seller-app',
    configPath: 'spapi.config.json',
    generatedAt: '2026-03-14T09:26:53.000Z',
    skippedFiles: [
      { path: 'assets/logo.png', reason: 'binary' },
      { path: 'data/orders-dump.csv', reason: 'too-large', size: 12_582_912 },
    ],
    scannedFiles: 214,
    staleBaseline: [sampleFingerprint('TV-CRED-003', 'old/aws.ts', 'AKIA…')],
    ...overrides,
    checks,
    failOn,
    summary: summarize(checks, failOn),
  };
}

/** The RuleMeta of every sample check, in report order (what `renderSarif` declares). */
export function sampleRules(): RuleMeta[] {
  return sampleChecks().map((c) => c.meta);
}
